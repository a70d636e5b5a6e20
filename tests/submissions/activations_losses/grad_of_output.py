# A student who applies the "a (1 - a)" and "1 - a^2" formulas to z itself, forgetting that they take the
# activation's output a = f(z), while the functions receive its input z.
# cell: derivatives
def sigmoid_grad(z):
    return z * (1 - z)


def tanh_grad(z):
    return 1 - np.asarray(z, dtype=float) ** 2


def relu_grad(z):
    return (np.asarray(z) > 0).astype(float)
