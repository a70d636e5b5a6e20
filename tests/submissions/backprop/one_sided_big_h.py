# A student who uses the one-sided difference (f(theta + h) - f(theta)) / h, with a "safe" large step 1e-3
# whatever h is passed.
# cell: numerical
def numerical_gradient(f, theta, h=1e-5):
    h = 1e-3
    theta = np.array(theta, dtype=float)
    f0 = f(theta)
    grad = np.zeros_like(theta)
    for i in range(theta.size):
        t = theta.copy()
        t[i] += h
        grad[i] = (f(t) - f0) / h
    return grad


def numerical_backward(x, y, params, h=1e-5):
    keys = ["W1", "b1", "W2", "b2", "W3", "b3"]
    theta = np.concatenate([params[k].ravel() for k in keys])

    def loss(t):
        p, i = {}, 0
        for k in keys:
            n = params[k].size
            p[k] = t[i:i + n].reshape(params[k].shape)
            i += n
        return 0.5 * np.sum((forward(x, p)["a3"] - y) ** 2)

    g = numerical_gradient(loss, theta, h)
    out, i = {}, 0
    for k in keys:
        n = params[k].size
        out["d" + k] = g[i:i + n].reshape(params[k].shape)
        i += n
    return out
