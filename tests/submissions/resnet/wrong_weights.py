# A train_resnet that returns an object handing over the ResNet's architecture with weights of the wrong shapes.
# cell: train_resnet
def train_resnet(x, y):
    class Handed:
        def __init__(self, net):
            self.net = net

        def to_json(self):
            return self.net.to_json()

        def get_weights(self):
            return [w[..., :1] for w in self.net.get_weights()]

    keras.utils.set_random_seed(0)
    return Handed(build_resnet(input_shape=x.shape[1:], num_classes=10))
