# A student who takes a missing pooling stride to mean 1 instead of the pool size.
# cell: pool_output_shape
def pool_output_shape(h, w, c, pool=2, stride=None, padding="valid"):
    s = 1 if stride is None else stride
    if padding == "same":
        return (-(-h // s), -(-w // s), c)
    return ((h - pool) // s + 1, (w - pool) // s + 1, c)
