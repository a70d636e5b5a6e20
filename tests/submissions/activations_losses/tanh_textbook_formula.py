# A student who copies the textbook formula for tanh: (e^z - e^-z) / (e^z + e^-z) is inf / inf = nan for large |z|.
# cell: activations
def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def tanh(z):
    z = np.asarray(z, dtype=float)
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def relu(z):
    return np.maximum(0, z)
