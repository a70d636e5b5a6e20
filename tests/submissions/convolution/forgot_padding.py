# A student who reads `padding` but never pads the image.
# cell: conv2d
def conv2d(image, kernel, stride=1, padding="valid"):
    image, kernel = np.asarray(image, float), np.asarray(kernel, float)
    kh, kw = kernel.shape
    out = np.zeros(((image.shape[0] - kh) // stride + 1, (image.shape[1] - kw) // stride + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i * stride:i * stride + kh, j * stride:j * stride + kw] * kernel)
    return out
