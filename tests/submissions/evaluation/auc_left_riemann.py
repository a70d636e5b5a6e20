# A student who sums rectangles whose height is the left point's tpr (a left Riemann sum) instead of trapezoids.
# cell: auc
def auc(fpr, tpr):
    fpr, tpr = np.asarray(fpr, dtype=float), np.asarray(tpr, dtype=float)
    return float(np.sum(np.diff(fpr) * tpr[:-1]))
