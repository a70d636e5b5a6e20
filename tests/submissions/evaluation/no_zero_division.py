# A student who does not handle 0 / 0: NumPy gives nan (with a warning) when nothing is predicted positive.
# cell: precision_recall_f1
def precision(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = np.sum((y_true == 1) & (y_pred == 1))
    return np.float64(tp) / np.sum(y_pred == 1)


def recall(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = np.sum((y_true == 1) & (y_pred == 1))
    return np.float64(tp) / np.sum(y_true == 1)


def f1(y_true, y_pred):
    p, r = precision(y_true, y_pred), recall(y_true, y_pred)
    return 2 * p * r / (p + r)
