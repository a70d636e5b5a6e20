# A correct solution with no Python loop over pixels: NumPy's sliding windows and einsum.
# cell: output_size
def output_size(n, k, stride=1, padding=0):
    """Side length of the output of a k x k kernel sliding over an n x n input."""
    if isinstance(padding, str):
        if padding == "same":
            return int(np.ceil(n / stride))
        padding = 0
    return 1 + (n - k + 2 * padding) // stride

# cell: conv2d
def conv2d(image, kernel, stride=1, padding="valid"):
    """Cross-correlate a 2-D image with a 2-D kernel, as tf.nn.conv2d does."""
    x = np.asarray(image, dtype=np.float64)
    w = np.asarray(kernel, dtype=np.float64)
    x = np.pad(x, pad_widths(x.shape, w.shape, stride, padding))
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape)[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", windows, w)


def pad_widths(shape, kernel_shape, stride, padding):
    # TensorFlow's "same": (ceil(n / s) - 1) * s + k - n zeros, which is k - (n mod s), or k - s when s divides n
    if padding == "same":
        widths = []
        for size, k in zip(shape, kernel_shape):
            need = max(k - (size % stride or stride), 0)
            widths.append((need // 2, need - need // 2))
        return widths
    p = 0 if padding == "valid" else int(padding)
    return [(p, p)] * 2

# cell: max_pool2d
def max_pool2d(image, size=2, stride=None):
    """Max pooling of a 2-D image with a size x size window, no padding."""
    x = np.asarray(image)
    step = stride or size
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size))[::step, ::step]
    return windows.max(axis=(2, 3))
