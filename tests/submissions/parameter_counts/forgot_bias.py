# A student who counts only the weights and forgets the bias of each filter and unit.
# cell: layer_params
def conv2d_params(k_h, k_w, c_in, c_out, bias=True):
    return k_h * k_w * c_in * c_out


def dense_params(n_in, n_out, bias=True):
    return n_in * n_out
