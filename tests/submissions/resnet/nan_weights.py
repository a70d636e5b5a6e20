# A train_resnet whose training diverged: every weight of the returned ResNet is NaN.
# cell: train_resnet
def train_resnet(x, y):
    keras.utils.set_random_seed(0)
    net = build_resnet(input_shape=x.shape[1:], num_classes=10)
    net.set_weights([np.full(w.shape, np.nan, w.dtype) for w in net.get_weights()])
    return net
