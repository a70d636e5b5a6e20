# A student who computes the weight gradients and leaves the bias gradients at zero.
# cell: backward
def backward(x, y, params):
    v = forward(x, params)
    d3 = (v["a3"] - y) * v["a3"] * (1 - v["a3"])
    d2 = (params["W3"].T @ d3) * v["a2"] * (1 - v["a2"])
    d1 = (params["W2"].T @ d2) * v["a1"] * (1 - v["a1"])
    return {"dW3": np.outer(d3, v["a2"]), "db3": np.zeros(1),
            "dW2": np.outer(d2, v["a1"]), "db2": np.zeros(2),
            "dW1": np.outer(d1, x), "db1": np.zeros(2)}
