# A student who writes dL/dW as outer(a_prev, delta) instead of outer(delta, a_prev): the gradient of W is
# transposed (W3's comes out 2 x 1).
# cell: backward
def backward(x, y, params):
    v = forward(x, params)
    d3 = (v["a3"] - y) * v["a3"] * (1 - v["a3"])
    d2 = (params["W3"].T @ d3) * v["a2"] * (1 - v["a2"])
    d1 = (params["W2"].T @ d2) * v["a1"] * (1 - v["a1"])
    return {"dW3": np.outer(v["a2"], d3), "db3": d3,
            "dW2": np.outer(v["a1"], d2), "db2": d2,
            "dW1": np.outer(x, d1), "db1": d1}
