# A student who, without labels, orders the classes as they first appear instead of sorting them,
# and ignores the order of the labels passed in.
# cell: confusion_matrix
def confusion_matrix(y_true, y_pred, labels=None):
    seen = []
    for v in list(y_true) + list(y_pred) + list(labels or []):
        if v not in seen:
            seen.append(v)
    C = np.zeros((len(seen), len(seen)), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[seen.index(t), seen.index(p)] += 1
    return C
