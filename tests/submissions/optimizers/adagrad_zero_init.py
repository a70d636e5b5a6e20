# A student whose run() starts Adagrad's accumulator at 0 instead of Keras's 0.1.
# cell: run
def run(optimizer_name, A, b, w0, steps, **hyper):
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    v = np.zeros_like(w)
    m = np.zeros_like(w)
    acc = np.zeros_like(w)
    for t in range(1, steps + 1):
        g = A @ w - b
        if optimizer_name == "sgd":
            w = sgd_step(w, g, **hyper)
        elif optimizer_name == "momentum":
            w, v = momentum_step(w, g, v, **hyper)
        elif optimizer_name == "adagrad":
            w, acc = adagrad_step(w, g, acc, **hyper)
        elif optimizer_name == "rmsprop":
            w, acc = rmsprop_step(w, g, acc, **hyper)
        else:
            w, m, v = adam_step(w, g, m, v, t, **hyper)
        path.append(w)
    return np.array(path)
