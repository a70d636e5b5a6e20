# A student who remembers the 1/2 of the lecture's squared error L = (a - y)^2 / 2 and puts it into the MSE,
# and who forgets the absolute value in the MAE (positive and negative errors cancel).
# cell: regression_losses
def mse(y_true, y_pred):
    return 0.5 * np.mean((y_true - y_pred) ** 2)


def mae(y_true, y_pred):
    return np.mean(y_true - y_pred)
