# A student who measures entropy in nats (natural log) instead of bits, and skips zeros correctly.
# cell: entropy
def entropy(p):
    p = np.asarray(p, dtype=float)
    p = p[p > 0]
    return -np.sum(p * np.log(p))
