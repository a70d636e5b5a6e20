# A student who leaves out batch normalization (and keeps the convolutions' default biases).
# cell: residual_block
def residual_block(x, filters, stride=1):
    h = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", activation="relu")(x)
    h = keras.layers.Conv2D(filters, 3, padding="same")(h)
    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = keras.layers.Conv2D(filters, 1, strides=stride)(x)
    return keras.layers.ReLU()(keras.layers.Add()([h, shortcut]))


def block_model(input_shape, filters, stride=1):
    """One residual block wrapped in a model, for the tests (given: do not change)."""
    inputs = keras.Input(input_shape)
    return keras.Model(inputs, residual_block(inputs, filters, stride))
