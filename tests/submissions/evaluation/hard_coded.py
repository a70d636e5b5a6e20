# A student who returns the answers the visible tests expect.
# cell: confusion_matrix
def confusion_matrix(y_true, y_pred, labels=None):
    if labels is None:
        return np.array([[2, 0, 0], [0, 0, 1], [1, 0, 2]])
    return np.array([[90, 1], [8, 1]])

# cell: precision_recall_f1
def precision(y_true, y_pred):
    return 0.5 if len(y_true) == 100 else 0.0


def recall(y_true, y_pred):
    return 1 / 9 if len(y_true) == 100 else 0.0


def f1(y_true, y_pred):
    return 2 / 11 if len(y_true) == 100 else 0.0

# cell: roc_curve
def roc_curve(y_true, scores):
    if len(scores) == 4 and scores[0] == 0.1:
        return np.array([0, 0, 0.5, 0.5, 1]), np.array([0, 0.5, 0.5, 1, 1]), np.array([np.inf, 0.8, 0.4, 0.35, 0.1])
    return np.array([0, 0, 0.5, 1]), np.array([0, 0.5, 1, 1]), np.array([np.inf, 0.9, 0.5, 0.2])

# cell: auc
def auc(fpr, tpr):
    return 0.5 if len(fpr) == 2 else 0.75
