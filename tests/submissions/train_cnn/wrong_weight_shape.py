# A `model` that hands over the architecture of one network and weights cut to other shapes.
# cell: train_model
class Handed:
    def __init__(self, net):
        self.net = net

    def to_json(self):
        return self.net.to_json()

    def get_weights(self):
        return [w[..., :-1] for w in self.net.get_weights()]


keras.utils.set_random_seed(0)
model = Handed(build_model())
