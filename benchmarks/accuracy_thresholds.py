"""Benchmark: what the accuracy thresholds rest on, measured on this machine's CPU over several seeds.

Trains each kind of model the thresholds must tell apart, on the training part only, and scores
it as the grader does (`autograder.grading.accuracy.heldout_score`: rebuilt from `to_json()` and
`get_weights()`, predicted by the grader on the public held-out part and on copies moved by a
few pixels). Prints, per model and seed, held-out and moved accuracy, their gap (the memorisation
flag fires above `MEMORISATION_GAP`) and the training time; then each model's range.

    .venv/bin/python benchmarks/accuracy_thresholds.py [--seeds 5] [train_cnn] [resnet]
"""
import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
import numpy as np

from autograder import REPO
from autograder.grading import accuracy
from autograder.grading.samples import parse_answers, reference_answers
from autograder.limits import MEMORISATION_GAP
from dlcourse import load_dataset


def _define(*sources: str) -> dict:
    ns = {"keras": keras, "np": np}
    for source in sources:
        exec(source, ns)
    return ns


def template_model(images, labels, per_class=60):
    """A lookup table in Keras's own layers: the nearest of some stored images decides (no training)."""
    keep = np.concatenate([np.flatnonzero(labels == d)[:per_class] for d in range(10)])
    t = images[keep].reshape(len(keep), -1).astype("float32") / 255
    net = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(len(keep)),
                            keras.layers.Softmax(), keras.layers.Dense(10, use_bias=False)])
    sharp = 50.0  # softmax of -sharp * squared distance (up to a constant): the nearest image wins
    net.set_weights([2 * sharp * t.T, -sharp * (t**2).sum(axis=1), np.eye(10, dtype="float32")[labels[keep]]])
    return net


def train_cnn_models():
    ref = _define(reference_answers("train_cnn")["build_model"])["build_model"]
    dense = _define(parse_answers((REPO / "tests/submissions/train_cnn/dense_only.py").read_text())["build_model"])
    x, y = load_dataset("mnist-subset", "train")
    xs = x[..., None].astype("float32") / 255

    def book_cnn():
        net = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(16, 3, activation="relu"),
                                keras.layers.MaxPooling2D(2), keras.layers.Conv2D(32, 3, activation="relu"),
                                keras.layers.MaxPooling2D(2), keras.layers.Flatten(), keras.layers.Dropout(0.5),
                                keras.layers.Dense(10, activation="softmax")])
        net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return net

    def fit(build, epochs, batch, n=None):
        def run(seed):
            keras.utils.set_random_seed(seed)
            net = build()
            pick = np.random.default_rng(seed).permutation(len(y))[:n] if n else slice(None)
            net.fit(xs[pick], y[pick], batch_size=batch, epochs=epochs, verbose=0)
            return net
        return run

    return "mnist-subset", 255, 2, {
        "reference CNN (12 epochs)": fit(ref, 12, 128),
        "week 9 book's small CNN (5 epochs)": fit(book_cnn, 5, 64),
        "dense only (12 epochs)": fit(dense["build_model"], 12, 128),
        "reference CNN, 1 epoch on 256 images": fit(ref, 1, 128, 256),
        "lookup: nearest of 600 training images": lambda seed: template_model(x, y),
        "lookup: nearest of 600 held-out images": lambda seed: template_model(*load_dataset("mnist-subset", "heldout")),
    }


def resnet_models():
    answers = reference_answers("resnet")
    ns = _define(answers["residual_block"], answers["build_resnet"])
    x, y = load_dataset("digits", "train")
    xs = (x / 16).astype("float32")[..., None]

    def fit(epochs):
        def run(seed):
            keras.utils.set_random_seed(seed)
            net = ns["build_resnet"](input_shape=xs.shape[1:], num_classes=10)
            net.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy")
            net.fit(xs, y, batch_size=32, epochs=epochs, verbose=0)
            return net
        return run

    return "digits", 16, 1, {"reference ResNet (20 epochs)": fit(20), "reference ResNet, 10 epochs": fit(10)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("assignments", nargs="*", default=["train_cnn", "resnet"])
    args = parser.parse_args()
    for name in args.assignments:
        dataset, scale, shift, models = {"train_cnn": train_cnn_models, "resnet": resnet_models}[name]()
        print(f"\n{name}: held-out part of {dataset}, pixels / {scale}, moved by 1-{shift} pixels; "
              f"flag above a gap of {MEMORISATION_GAP:.0%}")
        for label, make in models.items():
            seen = []
            for seed in range(args.seeds if not label.startswith("lookup") else 1):
                start = time.perf_counter()
                net = make(seed)
                seconds = time.perf_counter() - start
                with accuracy.grading({"dataset": dataset}) as record:
                    s = accuracy.heldout_score(net.to_json(), net.get_weights(), scale=scale, shift=shift)
                seen.append((s.heldout, s.moved))
                print(f"  {label:<42} seed {seed}: held-out {s.heldout:.3f}, moved {s.moved:.3f}, gap "
                      f"{s.heldout - s.moved:+.3f}, trained in {seconds:.1f} s{' FLAGGED' if record.flags else ''}",
                      flush=True)
            held, moved = np.array(seen).T
            print(f"  {label:<42} range: held-out {held.min():.3f}-{held.max():.3f}, moved {moved.min():.3f}-"
                  f"{moved.max():.3f}, gap at most {np.max(held - moved):+.3f}", flush=True)


if __name__ == "__main__":
    main()
