# A student who builds a plain block: Conv-BN-ReLU-Conv-BN-ReLU, with no shortcut added back.
# cell: residual_block
def residual_block(x, filters, stride=1):
    h = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
    h = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(h)
    h = keras.layers.BatchNormalization()(h)
    return keras.layers.ReLU()(h)


def block_model(input_shape, filters, stride=1):
    """One residual block wrapped in a model, for the tests (given: do not change)."""
    inputs = keras.Input(input_shape)
    return keras.Model(inputs, residual_block(inputs, filters, stride))
