# A `model` that hands over fewer weight arrays than its architecture has (the last layer's left out).
# cell: train_model
class Handed:
    def __init__(self, net):
        self.net = net

    def to_json(self):
        return self.net.to_json()

    def get_weights(self):
        return self.net.get_weights()[:-2]


keras.utils.set_random_seed(0)
model = Handed(build_model())
