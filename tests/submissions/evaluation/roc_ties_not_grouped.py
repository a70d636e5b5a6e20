# A student who sorts by score but makes one ROC point per sample, so tied scores give several points.
# cell: roc_curve
def roc_curve(y_true, scores):
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    y, s = y_true[order], scores[order]
    tps = np.cumsum(y == 1)
    fps = np.cumsum(y != 1)
    tpr = np.concatenate([[0], tps / tps[-1]])
    fpr = np.concatenate([[0], fps / fps[-1]])
    return fpr, tpr, np.concatenate([[np.inf], s])
