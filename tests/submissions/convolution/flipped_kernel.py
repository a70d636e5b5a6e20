# A student who implements mathematical convolution: the kernel is flipped.
# cell: conv2d
def conv2d(image, kernel, stride=1, padding="valid"):
    from scipy.signal import convolve2d

    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    if padding == "same":
        pads = []
        for n, k in zip(image.shape, kernel.shape):
            total = max((-(-n // stride) - 1) * stride + k - n, 0)
            pads.append((total // 2, total - total // 2))
        image = np.pad(image, pads)
    elif padding != "valid":
        image = np.pad(image, padding)
    return convolve2d(image, kernel, mode="valid")[::stride, ::stride]
