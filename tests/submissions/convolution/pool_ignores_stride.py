# A student whose max pooling always steps by the window size.
# cell: max_pool2d
def max_pool2d(image, size=2, stride=None):
    image = np.asarray(image)
    rows, cols = image.shape[0] // size, image.shape[1] // size
    return image[:rows * size, :cols * size].reshape(rows, size, cols, size).max(axis=(1, 3))
