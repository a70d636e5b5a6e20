# A student who does not clip p: log(0) makes the loss inf (or nan from 0 * log 0) when p is exactly 0 or 1.
# cell: cross_entropies
def binary_cross_entropy(y_true, p):
    return -np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def categorical_cross_entropy(y_true_onehot, p):
    return -np.mean(np.sum(y_true_onehot * np.log(p), axis=1))
