# A student who averages precision and recall instead of taking their harmonic mean.
# cell: precision_recall_f1
def precision(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = np.sum((y_true == 1) & (y_pred == 1))
    n = np.sum(y_pred == 1)
    return tp / n if n else 0.0


def recall(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = np.sum((y_true == 1) & (y_pred == 1))
    n = np.sum(y_true == 1)
    return tp / n if n else 0.0


def f1(y_true, y_pred):
    return (precision(y_true, y_pred) + recall(y_true, y_pred)) / 2
