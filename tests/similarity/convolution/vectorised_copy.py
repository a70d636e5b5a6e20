# Planted copy of vectorised.py: variables and the helper renamed, the helper moved above conv2d,
# comments rewritten. The similarity check must pair it with vectorised.py.
# cell: output_size
def output_size(n, k, stride=1, padding=0):
    """Side length of the output of a k x k kernel sliding over an n x n input."""
    if isinstance(padding, str):
        # same keeps ceil(n / stride) outputs
        if padding == "same":
            return int(np.ceil(n / stride))
        padding = 0
    return 1 + (n - k + 2 * padding) // stride

# cell: conv2d
def padding_amounts(img_shape, ker_shape, s, mode):
    # how many zeros go before and after, per axis
    if mode == "same":
        result = []
        for length, kk in zip(img_shape, ker_shape):
            extra = max(kk - (length % s or s), 0)
            result.append((extra // 2, extra - extra // 2))
        return result
    amount = 0 if mode == "valid" else int(mode)
    return [(amount, amount)] * 2


def conv2d(image, kernel, stride=1, padding="valid"):
    """Cross-correlate a 2-D image with a 2-D kernel, as tf.nn.conv2d does."""
    img = np.asarray(image, dtype=np.float64)
    ker = np.asarray(kernel, dtype=np.float64)
    img = np.pad(img, padding_amounts(img.shape, ker.shape, stride, padding))
    patches = np.lib.stride_tricks.sliding_window_view(img, ker.shape)[::stride, ::stride]
    return np.einsum("abcd,cd->ab", patches, ker)  # multiply each patch by the kernel and sum

# cell: max_pool2d
def max_pool2d(image, size=2, stride=None):
    """Max pooling of a 2-D image with a size x size window, no padding."""
    arr = np.asarray(image)
    hop = stride or size
    views = np.lib.stride_tricks.sliding_window_view(arr, (size, size))[::hop, ::hop]
    return views.max(axis=(2, 3))
