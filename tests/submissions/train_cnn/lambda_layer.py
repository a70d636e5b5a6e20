# A student who scales the pixels inside the model with a Lambda layer: its to_json() carries Python code,
# which the grader never rebuilds.
# cell: build_model
def build_model():
    net = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Lambda(lambda t: t * 1.0, name="scale"),
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
