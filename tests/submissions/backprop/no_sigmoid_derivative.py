# A student who back-propagates the error through the weights but forgets the sigmoid derivative factor
# sigma'(z) = a (1 - a) at every layer.
# cell: backward
def backward(x, y, params):
    v = forward(x, params)
    d3 = v["a3"] - y
    d2 = params["W3"].T @ d3
    d1 = params["W2"].T @ d2
    return {"dW3": np.outer(d3, v["a2"]), "db3": d3,
            "dW2": np.outer(d2, v["a1"]), "db2": d2,
            "dW1": np.outer(d1, x), "db1": d1}
