# A student who differentiates L = (a3 - y)^2 without the 1/2: every gradient comes out doubled.
# cell: backward
def backward(x, y, params):
    v = forward(x, params)
    d3 = 2 * (v["a3"] - y) * v["a3"] * (1 - v["a3"])
    d2 = (params["W3"].T @ d3) * v["a2"] * (1 - v["a2"])
    d1 = (params["W2"].T @ d2) * v["a1"] * (1 - v["a1"])
    return {"dW3": np.outer(d3, v["a2"]), "db3": d3,
            "dW2": np.outer(d2, v["a1"]), "db2": d2,
            "dW1": np.outer(d1, x), "db1": d1}
