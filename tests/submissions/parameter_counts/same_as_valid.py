# A student who ignores the padding argument and always computes the 'valid' size.
# cell: conv_output_shape
def conv2d_output_shape(h, w, k_h, k_w, c_out, stride=1, padding="valid"):
    return ((h - k_h) // stride + 1, (w - k_w) // stride + 1, c_out)
