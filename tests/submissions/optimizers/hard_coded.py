# A student who returns the answers the visible tests expect.
# cell: sgd_step
def sgd_step(w, g, lr=0.01):
    return np.array([0.95, -2.05])

# cell: momentum_step
def momentum_step(w, g, v, lr=0.01, momentum=0.9):
    if np.all(v == 0):
        return np.array([0.9]), np.array([-0.1])
    return np.array([0.71]), np.array([-0.19])

# cell: adagrad_step
def adagrad_step(w, g, acc, lr=0.001, eps=1e-7):
    if np.all(g == 0):
        return np.array([1.0]), acc
    return np.array([0.8]), np.array([9.0])

# cell: rmsprop_step
def rmsprop_step(w, g, acc, lr=0.001, rho=0.9, eps=1e-7):
    return (np.array([0.99]) if eps > 0 else np.array([0.98])), np.array([1.0])

# cell: adam_step
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
    return np.array([0.9, 1.1]), np.array([0.05, -0.3]), np.array([0.00025, 0.009])

# cell: run
def run(optimizer_name, A, b, w0, steps, **hyper):
    if optimizer_name == "adagrad":
        return np.array([[0.0], [-0.1 / np.sqrt(1.1)]])
    return np.array([[1.0, -2.0], [0.9, -1.8], [0.81, -1.62], [0.729, -1.458]])
