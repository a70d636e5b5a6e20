# A student who builds exactly the network the visible test asks for, whatever the arguments.
# cell: build_resnet
def build_resnet(input_shape=(28, 28, 1), num_classes=10, blocks=(1, 1), width=16):
    inputs = keras.Input((28, 28, 1))
    h = keras.layers.Conv2D(16, 3, padding="same", use_bias=False)(inputs)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
    h = residual_block(h, 16)
    h = residual_block(h, 32, stride=2)
    h = keras.layers.GlobalAveragePooling2D()(h)
    return keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(h))
