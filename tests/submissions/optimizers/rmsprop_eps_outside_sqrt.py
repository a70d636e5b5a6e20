# A student who writes RMSprop as in many textbooks, sqrt(acc) + eps, instead of Keras's sqrt(acc + eps).
# cell: rmsprop_step
def rmsprop_step(w, g, acc, lr=0.001, rho=0.9, eps=1e-7):
    acc = rho * acc + (1 - rho) * g**2
    return w - lr * g / (np.sqrt(acc) + eps), acc
