# A student who trains on raw pixels 0-255: the grader divides by 255 when it predicts, as the assignment says,
# so the images the model sees then are 255 times darker than those it was trained on.
# cell: train_model
MODEL_FILE = "cnn_model.keras"
if os.path.exists(MODEL_FILE):  # trained before (e.g. on Colab) and handed in with the notebook
    model = keras.models.load_model(MODEL_FILE)
    print("loaded the trained model from", MODEL_FILE)
else:
    keras.utils.set_random_seed(0)
    model = build_model()
    model.fit(x_train[..., None], y_train, batch_size=128, epochs=12, verbose=2)
    model.save(MODEL_FILE)
