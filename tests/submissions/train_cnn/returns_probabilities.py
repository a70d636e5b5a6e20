# A student whose predict_digits returns the model's probabilities, shape (N, 10), instead of labels.
# cell: predict_digits
def predict_digits(images):
    batch = np.asarray(images, dtype="float32")[..., None] / 255
    return model.predict(batch, verbose=0)
