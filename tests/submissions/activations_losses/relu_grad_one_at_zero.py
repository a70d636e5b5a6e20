# A student who takes the ReLU derivative to be 1 at z = 0 (z >= 0), unlike TensorFlow's convention.
# cell: derivatives
def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh_grad(z):
    return 1 - tanh(z) ** 2


def relu_grad(z):
    return np.where(np.asarray(z) >= 0, 1.0, 0.0)
