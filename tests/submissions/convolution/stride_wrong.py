# A student who sizes the output for the stride but moves the window one pixel at a time.
# cell: conv2d
def conv2d(image, kernel, stride=1, padding="valid"):
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    if padding == "same":
        kh, kw = kernel.shape
        image = np.pad(image, (((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2)))
    elif padding != "valid":
        image = np.pad(image, padding)
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out
