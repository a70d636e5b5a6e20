# A student whose train_resnet returns the trained ResNet behind a Lambda layer: its to_json() carries Python
# code, which the grader never rebuilds.
# cell: train_resnet
def train_resnet(x, y):
    keras.utils.set_random_seed(0)
    net = build_resnet(input_shape=x.shape[1:], num_classes=10)
    inputs = keras.Input(x.shape[1:])
    wrapped = keras.Model(inputs, net(keras.layers.Lambda(lambda t: t * 1.0)(inputs)))
    wrapped.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy")
    wrapped.fit(x, y, batch_size=32, epochs=20, verbose=0)
    return wrapped
