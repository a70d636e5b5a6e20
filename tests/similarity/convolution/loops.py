# A correct solution another student wrote with plain loops (the reference solution is loop-based too).
# cell: output_size
def output_size(n, k, stride=1, padding=0):
    """Side length of the output of a k x k kernel sliding over an n x n input."""
    if padding == "same":
        out = n // stride
        if n % stride:
            out += 1
        return out
    if padding == "valid":
        padding = 0
    return (n - k + 2 * padding) // stride + 1

# cell: conv2d
def conv2d(image, kernel, stride=1, padding="valid"):
    """Cross-correlate a 2-D image with a 2-D kernel, as tf.nn.conv2d does."""
    img = np.array(image, dtype=float)
    ker = np.array(kernel, dtype=float)
    H, W = img.shape
    kh, kw = ker.shape
    if padding == "same":
        ph = max((output_size(H, kh, stride, "same") - 1) * stride + kh - H, 0)
        pw = max((output_size(W, kw, stride, "same") - 1) * stride + kw - W, 0)
        top, left = ph // 2, pw // 2
    else:
        p = 0 if padding == "valid" else padding
        ph, pw, top, left = 2 * p, 2 * p, p, p
    padded = np.zeros((H + ph, W + pw))
    padded[top:top + H, left:left + W] = img
    oh = (padded.shape[0] - kh) // stride + 1
    ow = (padded.shape[1] - kw) // stride + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            total = 0.0
            for a in range(kh):
                for b in range(kw):
                    total += padded[i * stride + a, j * stride + b] * ker[a, b]
            out[i, j] = total
    return out

# cell: max_pool2d
def max_pool2d(image, size=2, stride=None):
    """Max pooling of a 2-D image with a size x size window, no padding."""
    if stride is None:
        stride = size
    img = np.asarray(image)
    rows = []
    r = 0
    while r + size <= img.shape[0]:
        row = []
        c = 0
        while c + size <= img.shape[1]:
            row.append(img[r:r + size, c:c + size].max())
            c += stride
        rows.append(row)
        r += stride
    return np.array(rows)
