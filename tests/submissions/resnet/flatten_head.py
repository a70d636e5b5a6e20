# A student who ends the network with Flatten instead of global average pooling, and forgets the
# stride 2 at the start of the later stages.
# cell: build_resnet
def build_resnet(input_shape=(28, 28, 1), num_classes=10, blocks=(1, 1), width=16):
    inputs = keras.Input(input_shape)
    h = keras.layers.Conv2D(width, 3, padding="same", use_bias=False)(inputs)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
    for stage, n in enumerate(blocks):
        for _ in range(n):
            h = residual_block(h, width * 2**stage)
    h = keras.layers.Flatten()(h)
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(h))
