"""A model trained with Colab's software (Keras 3.13, TensorFlow 2.20) and handed in as cnn_model.keras earns its
marks from the grader's own measurement; a file from a newer Keras than the grader's is said so.

The side environment is a virtual environment in a temporary folder, installed from PyPI (about 80 s
on this machine, most of it downloading TensorFlow); the training there runs as a student's notebook would.
"""
import io
import json
import subprocess
import sys
import time
import zipfile

import nbformat
import numpy as np
import pytest

from autograder.grading.samples import make_submission, reference_answers
from dlcourse import load_dataset

pytestmark = pytest.mark.slow
COLAB = ["keras==3.13.*", "tensorflow-cpu==2.20.*"]  # Colab, late 2026 (with Python 3.13)
TRAIN = """
import os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
import numpy as np

data, answer, target = sys.argv[1:]
x_train, y_train = np.load(data)["x"], np.load(data)["y"]
exec(open(answer).read())  # build_model, as the student wrote it
keras.utils.set_random_seed(0)
model = build_model()
model.fit(x_train[..., None].astype("float32") / 255, y_train, batch_size=128, epochs=12, verbose=0)
model.save(target)
"""


@pytest.fixture(scope="module")
def colab_python(tmp_path_factory):
    folder = tmp_path_factory.mktemp("colab-env")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    subprocess.run([str(folder / "venv/bin/python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    *COLAB], check=True)
    print(f"\nside environment ({', '.join(COLAB)}) built in {time.perf_counter() - start:.0f} s")
    return folder / "venv/bin/python"


def _saved_by(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return json.loads(zf.read("metadata.json"))["keras_version"]


def _as_if_saved_by(data: bytes, version: str) -> bytes:
    """The same .keras file, its metadata saying another Keras version saved it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "metadata.json":
                content = json.dumps({**json.loads(content), "keras_version": version}).encode()
            dst.writestr(info, content)
    return out.getvalue()


def test_a_model_trained_with_colabs_keras_gets_full_marks(colab_python, tmp_path):
    from autograder.grading.pipeline import grade

    x, y = load_dataset("mnist-subset", "train")
    np.savez(tmp_path / "train.npz", x=x, y=y)
    answers = reference_answers("train_cnn")
    (tmp_path / "build_model.py").write_text(answers["build_model"], encoding="utf-8")
    model = tmp_path / "cnn_model.keras"
    start = time.perf_counter()
    subprocess.run([str(colab_python), "-c", TRAIN, str(tmp_path / "train.npz"), str(tmp_path / "build_model.py"),
                    str(model)], check=True)
    print(f"trained with Keras {_saved_by(model.read_bytes())} in {time.perf_counter() - start:.0f} s")
    assert _saved_by(model.read_bytes()).startswith("3.13.")
    subs = tmp_path / "subs"
    subs.mkdir()
    for student, data in [("B10900001", model.read_bytes()), ("B10900002", _as_if_saved_by(model.read_bytes(), "99.0.0"))]:
        nbformat.write(make_submission("train_cnn", answers), subs / f"{student}_train_cnn.ipynb")
        (subs / f"{student}_cnn_model.keras").write_bytes(data)
    results = {r.student: r for r in grade(subs, assignment="train_cnn", out=tmp_path / "out", workers=1)}
    colab, newer = results["B10900001"], results["B10900002"]
    assert colab.score == colab.max_score == 10, (colab.cells, colab.failures, colab.message)
    assert "newer than the grader's" not in colab.message
    assert "cnn_model.keras was saved by Keras 99.0.0, newer than the grader's Keras" in newer.message
