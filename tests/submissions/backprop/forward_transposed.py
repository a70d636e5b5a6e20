# A student who reads w_ij as "from unit i to unit j" and multiplies by W transposed in the hidden layers
# (W3 is 1 x 2, so there the shapes force the right product).
# cell: forward
def forward(x, params):
    z1 = params["W1"].T @ x + params["b1"]
    a1 = sigmoid(z1)
    z2 = params["W2"].T @ a1 + params["b2"]
    a2 = sigmoid(z2)
    z3 = params["W3"] @ a2 + params["b3"]
    a3 = sigmoid(z3)
    return {"z1": z1, "a1": a1, "z2": z2, "a2": a2, "z3": z3, "a3": a3}
