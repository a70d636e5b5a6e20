# A student who counts steps from 0 like Keras's `iterations` and adds 1 inside adam_step,
# so the bias correction uses t + 1 when called with t = 1 at the first step.
# cell: adam_step
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    step = t + 1
    alpha = lr * np.sqrt(1 - beta2**step) / (1 - beta1**step)
    return w - alpha * m / (np.sqrt(v) + eps), m, v
