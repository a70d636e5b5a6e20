# A student who forgets the +1 in the output-size formula.
# cell: output_size
def output_size(n, k, stride=1, padding=0):
    if padding == "same":
        return n // stride
    pad = 0 if padding == "valid" else padding
    return (n + 2 * pad - k) // stride
