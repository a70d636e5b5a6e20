# A student who writes the sigmoid as exp(z) / (1 + exp(z)): at z = 1000 this is inf / inf = nan.
# cell: activations
def sigmoid(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / (1 + e)


def tanh(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-2.0 * np.abs(z))
    return np.sign(z) * (1.0 - e) / (1.0 + e)


def relu(z):
    return np.maximum(0, z)
