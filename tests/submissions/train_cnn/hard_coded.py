# A student who skips training and writes the old predict_digits as a lookup table of the dataset, labels
# included. The grader no longer calls any function of the student's: it predicts with the model handed over
# (here untrained), so the lookup table earns nothing.
# cell: train_model
model = build_model()


def predict_digits(images):
    x_all, y_all = load_dataset("mnist-subset")
    known = {image.tobytes(): label for image, label in zip(x_all, y_all)}
    return np.array([known.get(np.asarray(image, np.uint8).tobytes(), 0) for image in images], dtype=np.int64)
