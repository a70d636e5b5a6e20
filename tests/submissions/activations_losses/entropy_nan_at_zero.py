# A student who computes -sum(p log2 p) directly: 0 * log2(0) is nan, so any zero probability gives nan.
# cell: entropy
def entropy(p):
    p = np.asarray(p, dtype=float)
    return -np.sum(p * np.log2(p))
