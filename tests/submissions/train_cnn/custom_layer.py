# A student whose model has a layer class of their own: to_json() names a module outside Keras, which the
# grader never imports or rebuilds.
# cell: build_model
class Scale(keras.layers.Layer):
    def call(self, inputs):
        return inputs * 1.0


def build_model():
    net = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            Scale(),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    net.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return net

# cell: train_model
keras.utils.set_random_seed(0)
model = build_model()
model.fit(x_train[..., None] / 255, y_train, batch_size=128, epochs=3, verbose=0)
