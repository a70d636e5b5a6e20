# A student who counts k_h * k_w multiply-adds per output value, forgetting the input channels.
# cell: conv2d_macs
def conv2d_macs(h_out, w_out, k_h, k_w, c_in, c_out):
    return h_out * w_out * c_out * k_h * k_w
