# A student who thinks a kernel is only k_h x k_w, forgetting that it spans all c_in input channels.
# cell: layer_params
def conv2d_params(k_h, k_w, c_in, c_out, bias=True):
    return (k_h * k_w + (1 if bias else 0)) * c_out


def dense_params(n_in, n_out, bias=True):
    return (n_in + (1 if bias else 0)) * n_out
