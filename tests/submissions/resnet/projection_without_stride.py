# A student who projects the shortcut only when the channels change, and with stride 1: when the block
# downsamples, the shortcut keeps the full height and width and the addition fails.
# cell: residual_block
def residual_block(x, filters, stride=1):
    h = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
    h = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(h)
    h = keras.layers.BatchNormalization()(h)
    shortcut = x
    if x.shape[-1] != filters:
        shortcut = keras.layers.BatchNormalization()(keras.layers.Conv2D(filters, 1, use_bias=False)(x))
    return keras.layers.ReLU()(keras.layers.Add()([h, shortcut]))


def block_model(input_shape, filters, stride=1):
    """One residual block wrapped in a model, for the tests (given: do not change)."""
    inputs = keras.Input(input_shape)
    return keras.Model(inputs, residual_block(inputs, filters, stride))
