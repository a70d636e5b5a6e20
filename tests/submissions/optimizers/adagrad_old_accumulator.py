# A student who updates the weights with the accumulator from before this step's gradient is added.
# cell: adagrad_step
def adagrad_step(w, g, acc, lr=0.001, eps=1e-7):
    w_new = w - lr * g / np.sqrt(acc + eps)
    return w_new, acc + g**2
