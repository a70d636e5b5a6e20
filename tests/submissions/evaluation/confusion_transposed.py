# A student who puts the predicted class in the rows and the true class in the columns.
# cell: confusion_matrix
def confusion_matrix(y_true, y_pred, labels=None):
    if labels is None:
        labels = sorted(set(list(y_true)) | set(list(y_pred)))
    labels = list(labels)
    C = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[labels.index(p), labels.index(t)] += 1
    return C
