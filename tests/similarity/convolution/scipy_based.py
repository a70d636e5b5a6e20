# A correct solution built on SciPy: signal.correlate2d (no kernel flip) and ndimage.maximum_filter.
# cell: output_size
import math


def output_size(n, k, stride=1, padding=0):
    """Side length of the output of a k x k kernel sliding over an n x n input."""
    if padding == "same":
        return math.ceil(n / stride)
    if padding == "valid":
        padding = 0
    return math.floor((n + 2 * padding - k) / stride) + 1

# cell: conv2d
from scipy import signal


def conv2d(image, kernel, stride=1, padding="valid"):
    """Cross-correlate a 2-D image with a 2-D kernel, as tf.nn.conv2d does."""
    image = np.asarray(image, float)
    kernel = np.asarray(kernel, float)
    if padding == "same":
        before_after = []
        for axis in range(2):
            n, k = image.shape[axis], kernel.shape[axis]
            total = max((math.ceil(n / stride) - 1) * stride + k - n, 0)
            before_after.append((total // 2, total - total // 2))
        image = np.pad(image, before_after)
    elif padding != "valid":
        image = np.pad(image, padding)
    return signal.correlate2d(image, kernel, mode="valid")[::stride, ::stride]

# cell: max_pool2d
from scipy import ndimage


def max_pool2d(image, size=2, stride=None):
    """Max pooling of a 2-D image with a size x size window, no padding."""
    image = np.asarray(image)
    stride = stride or size
    # maximum_filter centres its window; the origin moves it so that row r covers rows r .. r + size - 1
    biggest = ndimage.maximum_filter(image, size=size, mode="nearest", origin=-(size // 2))
    rows = (image.shape[0] - size) // stride + 1
    cols = (image.shape[1] - size) // stride + 1
    return biggest[: rows * stride : stride, : cols * stride : stride]
