"""The grader's own measurement of a trained model: rebuilt from plain data, scored on held-out images.

Hidden tests import this; it runs only in the grader. A submission hands over its model's
architecture (`to_json()`) and weights (`get_weights()`), plain data through the wire, never a
model file or a function of its own. `heldout_score` checks that the architecture has Keras's own
layers only, rebuilds it within size limits (before any weight is allocated), sets the weights,
scales the held-out images itself as the assignment fixes, and predicts them and copies moved by
a few pixels. The worker opens `grading(entry)` around each submission: which held-out set
grades it (the instructor's private one or the public default), what was measured, and what is
flagged for the instructor (`Record.report`).
"""
from __future__ import annotations

import contextlib
import contextvars
import hashlib
import io
import json
import math
import time
import zipfile
from dataclasses import dataclass, field

import numpy as np

from autograder.heldout import HeldOut, HeldOutError, blobs_of, found, load
from autograder.limits import (MAX_LAYER_OUTPUTS, MAX_MODEL_JSON_CHARS, MAX_MODEL_PARAMS, MEMORISATION_GAP,
                               PREDICT_SECONDS)

# Keras layers that carry code rather than describe a computation: never rebuilt here.
CODE_LAYERS = {"Lambda", "TFSMLayer", "JaxLayer", "FlaxLayer", "TorchModuleWrapper"}
MODEL_CLASSES = {"Functional", "Sequential", "Model"}


class Rejected(ValueError):
    """The handed-over model cannot be measured; the message tells the student why."""


@dataclass(frozen=True)
class Score:
    heldout: float  # accuracy on the held-out images
    moved: float  # accuracy on the same images, each moved by 1 to `shift` pixels
    n: int
    shift: int
    about: str  # the held-out set

    def __str__(self):
        return (f"held-out accuracy {self.heldout:.3f}; moved by 1-{self.shift} pixels {self.moved:.3f} "
                f"({self.n:,} images: {self.about.split(' sha256:')[0]}; predicted by the grader)")


@dataclass
class Record:
    """One submission's grading: the held-out set in use, the scores measured, the flags raised."""

    entry: dict | None  # the package's held-out entry (autograder.heldout.read), None: the assignment has none
    heldout: HeldOut | None = None
    scores: dict = field(default_factory=dict)  # model digest -> Score
    flags: list = field(default_factory=list)

    def held_out(self) -> HeldOut:
        if self.entry is None:
            raise RuntimeError("this assignment declares no held-out set (notebook metadata dlcourse.heldout)")
        if self.heldout is None:
            self.heldout = load(self.entry)
        return self.heldout

    def report(self, files: dict[str, bytes]) -> dict:
        """For the result: the held-out set that graded it, and notes for its message: flags, among them
        held-out images found byte for byte in the submission's files (notebooks and attachments), and
        model files saved by a newer Keras than the grader's."""
        notes = [note for name, data in files.items() if name.endswith(".keras")
                 for note in [newer_keras(name, data)] if note]
        if self.entry is None:
            return {"heldout": "", "notes": notes + self.flags}
        hits = found(blobs_of(files), self.held_out().images)
        if hits:
            self.flags.append(f"flagged for the instructor: the submission's files contain {len(hits)} of the "
                              f"{len(self.heldout.images):,} held-out images byte for byte")
        return {"heldout": self.heldout.about, "notes": notes + self.flags}


_RECORD: contextvars.ContextVar[Record | None] = contextvars.ContextVar("accuracy_record", default=None)


@contextlib.contextmanager
def grading(entry: dict | None):
    """The record of one submission's grading (the worker's); the held-out set is checked first."""
    from autograder.grading.checker import GraderSetupError

    record = Record(entry)
    if entry is not None and entry.get("data"):
        try:
            record.held_out()
        except HeldOutError as err:  # the grader's problem: the run stops, no scores
            raise GraderSetupError(str(err)) from None
    token = _RECORD.set(record)
    try:
        yield record
    finally:
        _RECORD.reset(token)


def newer_keras(name: str, data: bytes) -> str | None:
    """A note when a .keras file says (metadata.json) it was saved by a newer Keras than the grader's."""
    import keras
    from packaging.version import InvalidVersion, Version

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("metadata.json")
            saved = json.loads(zf.read(info)) if info.file_size < 100_000 else {}
        newer = Version(saved["keras_version"]) > Version(keras.__version__)
    except (KeyError, TypeError, ValueError, InvalidVersion, zipfile.BadZipFile, OSError):
        return None
    if not newer:
        return None
    return (f"{name} was saved by Keras {str(saved['keras_version'])[:20]}, newer than the grader's Keras "
            f"{keras.__version__}: if the training cell could not load it, save the model again with Keras "
            f"{keras.__version__} or older (e.g. pip install keras=={keras.__version__} on Colab)")


def _namespaces():
    import keras

    return {"keras": None, "keras.layers": keras.layers, "keras.initializers": keras.initializers,
            "keras.regularizers": keras.regularizers, "keras.constraints": keras.constraints,
            "keras.optimizers": keras.optimizers, "keras.losses": keras.losses, "keras.metrics": keras.metrics}


def _allowed(node: dict, spaces: dict) -> bool:
    name, module = node.get("class_name"), node.get("module")
    if name == "__keras_tensor__" and module is None:
        return True
    if type(name) is not str or node.get("registered_name") not in (None, name) or name in CODE_LAYERS:
        return False
    if module in (None, "keras") or str(module).startswith("keras.src.models."):
        if name in MODEL_CLASSES or name.endswith("DTypePolicy"):
            return True
    candidates = [spaces[module]] if spaces.get(module) is not None else (
        [s for s in spaces.values() if s is not None] if module is None else [])
    return any(isinstance(getattr(space, name, None), type) for space in candidates)


def check_architecture(json_text) -> None:
    """Rejected unless json_text is a model's to_json() built from Keras's own layers only."""
    if type(json_text) is not str:
        raise Rejected(f"expected the text that model.to_json() returns, got {type(json_text).__name__}")
    if len(json_text) > MAX_MODEL_JSON_CHARS:
        raise Rejected(f"the architecture (to_json()) is longer than {MAX_MODEL_JSON_CHARS:,} characters")
    try:
        stack = [json.loads(json_text)]
    except (ValueError, RecursionError):
        raise Rejected("the architecture is not the JSON text that model.to_json() returns") from None
    spaces = _namespaces()
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "class_name" in node and not _allowed(node, spaces):
                raise Rejected(f"only Keras's own layers can be rebuilt and measured, not "
                               f"{str(node.get('module'))[:80]}.{str(node.get('class_name'))[:80]} (no Lambda, "
                               "custom or wrapped layers, no functions of your own)")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _operations(model) -> list:
    import keras

    found_ = []
    for op in getattr(model, "operations", None) or model.layers:
        found_ += [op, *_operations(op)] if isinstance(op, keras.Model) else [op]
    return found_


def _layer_outputs(op) -> int:
    try:
        shapes = [op.output.shape]
    except (AttributeError, ValueError, RuntimeError):
        return 0
    return max(math.prod(d or 1 for d in shape[1:]) for shape in shapes)


def _build(json_text: str, input_shape: tuple, max_params: int):
    """The model, its variables created only once its size is known to be within bounds."""
    import keras

    config = json.loads(json_text)
    if isinstance(config, dict):
        config.pop("compile_config", None)  # predicting needs no optimizer, loss or metrics
    with keras.StatelessScope(initialize_variables=False):
        try:
            model = keras.models.model_from_json(json.dumps(config))
        except Exception as err:  # anything Keras refuses to build from this configuration
            keras.utils.clear_session()
            raise Rejected(f"the architecture cannot be rebuilt: {type(err).__name__}: {str(err)[:300]}") from None
    try:
        given = tuple(model.input_shape[1:])
    except (AttributeError, ValueError, TypeError):
        given = None
    params = sum(math.prod(v.shape) for v in model.weights)
    largest = max((_layer_outputs(op) for op in _operations(model)), default=0)
    problem = (f"the model takes inputs of shape {given}; the grader gives images of shape {input_shape}"
               if given != input_shape else
               f"the architecture has {params:,} parameters, more than the {max_params:,} allowed"
               if params > max_params else
               f"a layer outputs {largest:,} numbers per image, more than the {MAX_LAYER_OUTPUTS:,} allowed"
               if largest > MAX_LAYER_OUTPUTS else None)
    if problem:
        keras.utils.clear_session()  # drops the variables never created
        raise Rejected(problem)
    with keras.StatelessScope():
        pass  # leaving it creates the variables (now known to be small enough)
    return model, largest


def rebuild(json_text, weights, *, input_shape: tuple, max_params: int = MAX_MODEL_PARAMS):
    """The model json_text describes (Keras's own layers) with the given weights; Rejected with the reason."""
    check_architecture(json_text)
    model, largest = _build(json_text, tuple(input_shape), min(max_params, MAX_MODEL_PARAMS))
    variables = model.weights
    if not isinstance(weights, (list, tuple)):
        raise Rejected(f"get_weights() must return a list of arrays, got {type(weights).__name__}")
    if len(weights) != len(variables):
        raise Rejected(f"get_weights() returned {len(weights):,} arrays; the architecture has {len(variables):,} "
                       "weights (hand in the trained model itself)")
    for i, (w, v) in enumerate(zip(weights, variables)):
        where = f"weight {i} ({v.path})"
        if not isinstance(w, np.ndarray) or w.dtype.kind not in "biuf":
            raise Rejected(f"{where} is not an array of real numbers")
        if w.shape != tuple(v.shape):
            raise Rejected(f"{where} has shape {w.shape}; the architecture needs {tuple(v.shape)}")
        if w.dtype.kind == "f" and not np.isfinite(w).all():
            raise Rejected(f"{where} holds NaN or infinite values: the training diverged")
    model.set_weights(list(weights))
    model.largest_output = largest
    return model


def scaled(images: np.ndarray, scale: float) -> np.ndarray:
    """What the model receives: images as float32 of shape (N, H, W, 1), divided by scale."""
    return np.asarray(images, dtype="float32")[..., None] / scale


def moved(images: np.ndarray, rng, most: int) -> np.ndarray:
    """Each image moved by a random 1 to `most` pixels (up, down, left, right, or diagonally), zeros shifted in."""
    moves = np.array([(a, b) for a in range(-most, most + 1) for b in range(-most, most + 1) if a or b])
    picked = moves[rng.integers(0, len(moves), size=len(images))]
    h, w = images.shape[1:3]
    padded = np.pad(images, ((0, 0), (most, most), (most, most)))
    return np.stack([padded[i, most + a:most + a + h, most + b:most + b + w] for i, (a, b) in enumerate(picked)])


def predict_labels(model, x: np.ndarray, deadline: float) -> np.ndarray:
    """The class of each input (argmax of the model's output; -1 where it is not finite), in
    batches that keep each layer's output small; Rejected once the time is up."""
    out, start, batch = [], 0, 1
    while start < len(x):
        part = x[start:start + batch]
        probs = np.asarray(model(part, training=False))
        if probs.ndim != 2 or probs.shape[0] != len(part):
            raise Rejected(f"the model outputs shape {probs.shape} for {len(part)} images; expected one row of "
                           "class probabilities per image")
        out.append(np.where(np.isfinite(probs).all(axis=1), probs.argmax(axis=1), -1))
        start += len(part)
        if time.monotonic() > deadline:
            raise Rejected(f"predicting the held-out images took the grader longer than {PREDICT_SECONDS} s")
        batch = min(4 * batch, 256, max(1, 4_000_000 // max(model.largest_output, 1)))
    return np.concatenate(out)


def _digest(json_text, weights) -> str:
    h = hashlib.sha256(str(json_text).encode())
    for w in weights if isinstance(weights, (list, tuple)) else []:
        if isinstance(w, np.ndarray):
            h.update(f"{w.shape}{w.dtype.str}".encode() + np.ascontiguousarray(w).tobytes())
    return h.hexdigest()


def heldout_score(json_text, weights, *, scale: float, shift: int, max_params: int = MAX_MODEL_PARAMS) -> Score:
    """The model's accuracy, predicted by the grader, on this grading's held-out set and on copies
    moved by 1 to `shift` pixels; pixels are divided by `scale`. Measured once per submission;
    a held-out accuracy more than MEMORISATION_GAP above the moved one is flagged."""
    record = _RECORD.get()
    if record is None:
        raise RuntimeError("heldout_score runs in the grader's worker (autograder.grading.worker), inside grading()")
    held = record.held_out()
    key = _digest(json_text, weights)
    if key not in record.scores:
        model = rebuild(json_text, weights, input_shape=(*held.images.shape[1:], 1), max_params=max_params)
        deadline = time.monotonic() + PREDICT_SECONDS
        copies = moved(held.images, np.random.default_rng(), shift)
        acc = [float(np.mean(predict_labels(model, scaled(x, scale), deadline) == held.labels))
               for x in (held.images, copies)]
        score = record.scores[key] = Score(acc[0], acc[1], len(held.labels), shift, held.about)
        if score.heldout - score.moved > MEMORISATION_GAP:
            record.flags.append(f"flagged for the instructor: held-out accuracy {score.heldout:.3f} but "
                                f"{score.moved:.3f} on the same images moved by 1-{shift} pixels (a gap over "
                                f"{MEMORISATION_GAP:.0%} suggests memorised images)")
    return record.scores[key]
