# A student who applies the final ReLU to the main path and adds the shortcut after it: ReLU(F(x)) + x.
# cell: residual_block
def residual_block(x, filters, stride=1):
    h = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
    h = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(h)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = keras.layers.BatchNormalization()(keras.layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x))
    return keras.layers.Add()([h, shortcut])


def block_model(input_shape, filters, stride=1):
    """One residual block wrapped in a model, for the tests (given: do not change)."""
    inputs = keras.Input(input_shape)
    return keras.Model(inputs, residual_block(inputs, filters, stride))
