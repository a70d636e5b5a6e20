# A student who returns the number of values, not the bytes they take.
# cell: activation_memory
def activation_memory(shape, bytes_per_value=4):
    return int(np.prod(shape))
