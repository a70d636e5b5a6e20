# A student who forgets the + 1 in the output-size formula, for convolution and pooling.
# cell: conv_output_shape
def conv2d_output_shape(h, w, k_h, k_w, c_out, stride=1, padding="valid"):
    if padding == "same":
        return (h // stride, w // stride, c_out)
    return ((h - k_h) // stride, (w - k_w) // stride, c_out)

# cell: pool_output_shape
def pool_output_shape(h, w, c, pool=2, stride=None, padding="valid"):
    s = stride or pool
    if padding == "same":
        return (h // s, w // s, c)
    return ((h - pool) // s, (w - pool) // s, c)
