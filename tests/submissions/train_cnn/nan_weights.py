# A training that diverged: every weight is NaN (a learning rate far too high does this).
# cell: train_model
keras.utils.set_random_seed(0)
model = build_model()
model.set_weights([np.full(w.shape, np.nan, w.dtype) for w in model.get_weights()])
