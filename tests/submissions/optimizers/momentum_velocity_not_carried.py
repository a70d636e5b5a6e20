# A student who computes the new velocity but returns the old one, so the velocity never builds up.
# cell: momentum_step
def momentum_step(w, g, v, lr=0.01, momentum=0.9):
    v_new = momentum * v - lr * g
    return w + v_new, v
