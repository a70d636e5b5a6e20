# A `model` whose get_weights() sends far more data than any model of the assignment holds: 512 MB.
# cell: train_model
class Handed:
    def __init__(self, net):
        self.net = net

    def to_json(self):
        return self.net.to_json()

    def get_weights(self):
        return [np.ones(2**26, "float32")] * 2


keras.utils.set_random_seed(0)
model = Handed(build_model())
