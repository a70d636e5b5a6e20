# A student who builds and saves the model but never calls fit: the weights stay random.
# cell: train_model
MODEL_FILE = "cnn_model.keras"
if os.path.exists(MODEL_FILE):  # trained before (e.g. on Colab) and handed in with the notebook
    model = keras.models.load_model(MODEL_FILE)
    print("loaded the trained model from", MODEL_FILE)
else:
    keras.utils.set_random_seed(0)
    model = build_model()
    scaled = x_train[..., None].astype("float32") / 255
    model.save(MODEL_FILE)
