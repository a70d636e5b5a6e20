"""Trained accuracy is the grader's measurement: it rebuilds the handed-over model from plain data,
predicts held-out images it prepares itself, flags memorisation, and gives nothing for tampering."""
import io
import json
import re
import zipfile

import numpy as np
import pytest

from autograder.grading import accuracy
from autograder.limits import MEMORISATION_GAP
from dlcourse import load_dataset

SCORE = {"scale": 255, "shift": 2, "max_params": 500_000}


def _cnn(epochs=0):
    import keras

    keras.utils.set_random_seed(0)
    net = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, 3, activation="relu"),
                            keras.layers.MaxPooling2D(2), keras.layers.Flatten(),
                            keras.layers.Dense(10, activation="softmax")])
    net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    if epochs:
        x, y = load_dataset("mnist-subset", "train")
        net.fit(x[..., None] / 255, y, epochs=epochs, verbose=0)
    return net


def exact_lookup(images, labels):
    """The issue's lookup table in Keras's own layers: an image stored byte for byte gets its label, any
    other image class 0. Squared distances |x - t|^2 to every stored t, kept only where below 0.5."""
    import keras

    t = images.reshape(len(images), -1).astype("float32") / 255
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Flatten()(inputs)
    dots = keras.layers.Dense(len(t), name="dots")(x)  # 2 x.t - |t|^2
    norm = keras.layers.Dense(1, use_bias=False, name="norm")(keras.layers.Multiply()([x, x]))  # |x|^2
    spread = keras.layers.Dense(len(t), use_bias=False, name="spread")(norm)
    near = keras.layers.ReLU()(keras.layers.Rescaling(1.0, offset=0.5)(keras.layers.Subtract()([dots, spread])))
    net = keras.Model(inputs, keras.layers.Softmax()(keras.layers.Dense(10, name="vote")(near)))
    net.get_layer("dots").set_weights([2 * t.T, -(t**2).sum(axis=1)])
    net.get_layer("norm").set_weights([np.ones((t.shape[1], 1), "float32")])
    net.get_layer("spread").set_weights([np.ones((1, len(t)), "float32")])
    net.get_layer("vote").set_weights([20 * np.eye(10, dtype="float32")[labels], np.eye(10, dtype="float32")[0]])
    return net


def test_an_exact_lookup_of_heldout_images_is_flagged_not_penalised():
    held_x, held_y = load_dataset("mnist-subset", "heldout")  # a student has them at home
    net = exact_lookup(held_x, held_y)
    with accuracy.grading({"dataset": "mnist-subset"}) as record:
        score = accuracy.heldout_score(net.to_json(), net.get_weights(), scale=255, shift=2)
    assert score.heldout > 0.99 and score.moved < 0.3  # what it scores is left as measured
    assert score.heldout - score.moved > MEMORISATION_GAP
    assert len(record.flags) == 1 and "flagged for the instructor" in record.flags[0]


def test_an_honest_weak_model_is_not_flagged():
    net = _cnn(epochs=1)
    with accuracy.grading({"dataset": "mnist-subset"}) as record:
        score = accuracy.heldout_score(net.to_json(), net.get_weights(), **SCORE)
    assert 0.8 < score.heldout < 1 and record.flags == []


def test_the_score_is_measured_once_per_submission_and_names_its_heldout_set():
    net = _cnn()
    with accuracy.grading({"dataset": "mnist-subset"}) as record:
        first = accuracy.heldout_score(net.to_json(), net.get_weights(), **SCORE)
        assert accuracy.heldout_score(net.to_json(), net.get_weights(), **SCORE) is first
    assert first.n == 1000 and first.about.startswith("mnist-subset held-out part (public) sha256:")
    assert record.report({})["heldout"] == first.about


def _mutated(text, change):
    config = json.loads(text)
    change(config["config"]["layers"])
    return json.dumps(config)


def _insert(layer):
    return lambda layers: layers.insert(1, layer)


@pytest.mark.parametrize("case, expected", [
    ("lambda", "not keras.layers.Lambda"),
    ("custom", "not my_package.Scale"),
    ("registered", "only Keras's own layers"),
    ("huge architecture", "more than the 500,000 allowed"),
    ("input shape", "the grader gives images of shape (28, 28, 1)"),
    ("not json", "not the JSON text"),
    ("wrong count", "returned 3 arrays; the architecture has 4"),
    ("wrong shape", "has shape (1352, 9); the architecture needs (1352, 10)"),
    ("nan", "NaN or infinite"),
    ("not arrays", "not an array of real numbers"),
    ("not a list", "must return a list of arrays"),
    ("huge list", "returned 40,000 arrays"),
])
def test_a_model_the_grader_cannot_measure_fairly_is_rejected_with_the_reason(case, expected):
    import keras

    net = _cnn()
    text, w = net.to_json(), net.get_weights()
    small = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    cases = {
        "lambda": (_mutated(text, _insert({"module": "keras.layers", "class_name": "Lambda", "config": {},
                                           "registered_name": None})), w),
        "custom": (_mutated(text, _insert({"module": "my_package", "class_name": "Scale", "config": {},
                                           "registered_name": "my_package>Scale"})), w),
        "registered": (_mutated(text, _insert({"module": "keras.layers", "class_name": "Dense", "config": {},
                                               "registered_name": "Custom>Dense"})), w),
        "huge architecture": (_mutated(text, lambda layers: layers[-1]["config"].update(units=2_000_000_000)), w),
        "input shape": (small.to_json(), small.get_weights()),
        "not json": ("{", w),
        "wrong count": (text, w[:3]),
        "wrong shape": (text, [w[0], w[1], w[2][:, :9], w[3]]),
        "nan": (text, [w[0], w[1], np.full_like(w[2], np.nan), w[3]]),
        "not arrays": (text, ["a", "b", "c", "d"]),
        "not a list": (text, "weights"),
        "huge list": (text, w * 10_000),
    }
    json_text, weights = cases[case]
    with accuracy.grading({"dataset": "mnist-subset"}), pytest.raises(accuracy.Rejected, match=re.escape(expected)):
        accuracy.heldout_score(json_text, weights, **SCORE)


def test_a_rejected_architecture_leaves_no_variables_behind():
    import keras

    big = _mutated(_cnn().to_json(), lambda layers: layers[-1]["config"].update(units=2_000_000_000))
    with pytest.raises(accuracy.Rejected):
        accuracy.rebuild(big, [], input_shape=(28, 28, 1))
    with keras.StatelessScope():  # leaving a scope creates pending variables: none of the 10^12 numbers
        pass
    assert _cnn()(np.zeros((1, 28, 28, 1))).shape == (1, 10)


def _keras_file(version: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": version, "date_saved": "2026-11-20@10:00:00"}))
        zf.writestr("config.json", "{}")
    return buf.getvalue()


def test_a_model_file_from_a_newer_keras_gets_a_note():
    import keras

    note = accuracy.newer_keras("B10901234_cnn_model.keras", _keras_file("99.0.0"))
    assert note and "Keras 99.0.0, newer than the grader's Keras " + keras.__version__ in note
    assert accuracy.newer_keras("cnn_model.keras", _keras_file(keras.__version__)) is None
    assert accuracy.newer_keras("cnn_model.keras", b"not a zip") is None


def test_heldout_images_in_a_submission_are_flagged_whatever_their_encoding():
    import base64

    held, _ = load_dataset("mnist-subset", "heldout")
    train, _ = load_dataset("mnist-subset", "train")
    b64 = base64.b64encode(held[3].tobytes()).decode()
    pasted = json.dumps({"cells": [{"source": ["x = ('", b64[:600], "'\n", "     '", b64[600:], "')\n"]},
                                   {"source": str(held[7].tolist())}]}).encode()
    npz = io.BytesIO()
    np.savez_compressed(npz, memory=held[10:13])
    clean = json.dumps({"cells": [{"source": str(train[:3].tolist())}]}).encode()
    for files, count in [({"a.ipynb": pasted}, 2), ({"cnn_model.keras": npz.getvalue()}, 3),
                         ({"a.ipynb": clean, "cnn_model.keras": _keras_file("3.0.0")}, 0)]:
        with accuracy.grading({"dataset": "mnist-subset"}) as record:
            notes = record.report(files)["notes"]
        assert [n for n in notes if f"contain {count} of the 1,000 held-out images" in n] == ([notes[0]] if count else [])
        assert bool(notes) == bool(count)


# -- the graded classes (tests/submissions): what the grader's measurement gives each attack ---------------
ATTACKS = {
    "train_cnn": {"lambda_layer": "not keras.layers.Lambda", "custom_layer": "only Keras's own layers",
                  "wrong_weight_shape": "is not compatible with provided weight shape",
                  "wrong_weight_count": "with a weight list of length 6", "nan_weights": "NaN or infinite",
                  "huge_weight_list": "reply size limit", "lookup_table": "", "train_on_heldout": "",
                  "hard_coded": ""},
    "resnet": {"lambda_layer": "not keras.layers.Lambda", "wrong_weights": "is not compatible with provided weight",
               "nan_weights": "", "train_on_heldout": ""},
}


def _result(results, name):
    return next(r for stem, r in results.items() if stem.endswith(name))


@pytest.mark.slow
@pytest.mark.parametrize("assignment, name", [(a, n) for a, names in ATTACKS.items() for n in names])
def test_an_attack_on_trained_accuracy_gets_no_more_than_an_honest_weak_model(grade_class, assignment, name):
    results = grade_class(assignment)[0]
    if assignment == "train_cnn":
        weak = _result(results, "no_training").score  # untrained: the architecture's points only
    else:
        weak = _result(results, "reference").max_score - 2  # a ResNet trained too briefly: no training points
    r = _result(results, name)
    assert r.status == "graded" and r.score <= weak, (r.score, r.cells, r.failures)
    lost = [gid for gid, points in r.cells.items() if points == 0]
    assert lost and all(ATTACKS[assignment][name] in r.failures[gid] for gid in lost[:1]), r.failures


@pytest.mark.slow
@pytest.mark.parametrize("assignment, dataset", [("train_cnn", "mnist-subset"), ("resnet", "digits")])
def test_each_result_says_which_heldout_set_graded_it(grade_class, assignment, dataset):
    import csv

    results, out = grade_class(assignment)
    graded = [r for r in results.values() if r.status == "graded"]
    assert graded and all(r.heldout.startswith(f"{dataset} held-out part (public) sha256:") for r in graded)
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    assert {row["heldout"] for row in rows} == {r.heldout for r in graded}


@pytest.mark.slow
def test_heldout_images_pasted_into_a_notebook_are_flagged_in_the_result(grade_class):
    results = grade_class("train_cnn")[0]
    flagged = {stem.split("_", 1)[1] for stem, r in results.items() if "flagged for the instructor" in r.message}
    assert flagged == {"embedded_heldout"}
    assert "5 of the 1,000 held-out images byte for byte" in _result(results, "embedded_heldout").message
