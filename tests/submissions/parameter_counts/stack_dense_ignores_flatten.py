# A student who gives the first dense layer after flatten only the channel count as its input size,
# as if flatten did not multiply height, width and channels.
# cell: stack_params
def stack_params(layers, input_shape):
    h, w, c = input_shape
    total = 0
    for spec in layers:
        if spec[0] == "conv":
            k_h, k_w, c_out = spec[1:4]
            stride = spec[4] if len(spec) > 4 else 1
            padding = spec[5] if len(spec) > 5 else "same"
            total += conv2d_params(k_h, k_w, c, c_out)
            h, w, c = conv2d_output_shape(h, w, k_h, k_w, c_out, stride, padding)
        elif spec[0] == "pool":
            stride = spec[2] if len(spec) > 2 else None
            padding = spec[3] if len(spec) > 3 else "valid"
            h, w, c = pool_output_shape(h, w, c, spec[1], stride, padding)
        elif spec[0] == "dense":
            total += dense_params(c, spec[1])
            c = spec[1]
    return total
