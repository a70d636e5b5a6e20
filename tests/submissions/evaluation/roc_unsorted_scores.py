# A student who accumulates true and false positives in the order the samples come,
# forgetting to sort by score first.
# cell: roc_curve
def roc_curve(y_true, scores):
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    tps = np.cumsum(y_true == 1)
    fps = np.cumsum(y_true != 1)
    tpr = np.concatenate([[0], tps / tps[-1]])
    fpr = np.concatenate([[0], fps / fps[-1]])
    return fpr, tpr, np.concatenate([[np.inf], scores])
