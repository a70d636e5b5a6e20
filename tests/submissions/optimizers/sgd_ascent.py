# A student who adds the gradient instead of subtracting it (gradient ascent).
# cell: sgd_step
def sgd_step(w, g, lr=0.01):
    return w + lr * g
