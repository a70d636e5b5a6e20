# A student who follows the Adam paper instead of Keras: bias-corrected m_hat and v_hat with
# epsilon added to sqrt(v_hat), which differs from Keras when epsilon is not tiny.
# cell: adam_step
def adam_step(w, g, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
