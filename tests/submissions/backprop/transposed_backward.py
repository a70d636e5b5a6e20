# A student who sends the error back through W instead of its transpose W^T. The output layer is right, and
# the 1 x 2 matrix W3 only fits transposed; the 2 x 2 matrix W2 fits either way, so the mistake goes unnoticed
# until the first hidden layer.
# cell: backward
def backward(x, y, params):
    v = forward(x, params)
    d3 = (v["a3"] - y) * v["a3"] * (1 - v["a3"])
    d2 = (params["W3"].T @ d3) * v["a2"] * (1 - v["a2"])
    d1 = (params["W2"] @ d2) * v["a1"] * (1 - v["a1"])
    return {"dW3": np.outer(d3, v["a2"]), "db3": d3,
            "dW2": np.outer(d2, v["a1"]), "db2": d2,
            "dW1": np.outer(d1, x), "db1": d1}
