"""Held-out sets: the images that grade trained accuracy, and finding them where they must not be.

The public default is the held-out part of an offline dataset (`dlcourse.data`); students have
it too. An instructor's private set is a `.npz` file (`images`, `labels`) read once by the client
and sent to the grading workers as data, with its SHA-256. `found` tells which of a set's images
appear byte for byte in some bytes (a submission's files; a published tree). Shared by grading
and the leak check; imports only NumPy and `dlcourse`.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder import REPO
from autograder.limits import MAX_HELDOUT_MB, MAX_UNPACKED_MB

STUDENT_FACING = ("solutions", "exercises", "book", "dlcourse", "_build")  # folders whose files students get
REGISTRY = "heldout.json"  # in a grading folder: the private set it was graded on (for the leak check)
KEY_BYTES = 8  # an image is looked for by 8 of its bytes, then compared whole


class HeldOutError(ValueError):
    """A held-out file that cannot grade this assignment; the message says how to fix it."""


@dataclass(frozen=True)
class HeldOut:
    images: np.ndarray  # (N, H, W), the dataset's values (e.g. uint8 0-255)
    labels: np.ndarray  # (N,) integers
    about: str  # what grades.csv records: the set's name and SHA-256

    @property
    def digest(self) -> str:
        return self.about.rsplit("sha256:", 1)[-1]


def public(dataset: str) -> HeldOut:
    """The held-out part of an offline dataset (the default; students can load it at home)."""
    from dlcourse.data import array_sha256, load_dataset

    images, labels = load_dataset(dataset, "heldout")
    return HeldOut(images, labels, f"{dataset} held-out part (public) sha256:{array_sha256(images, labels)}")


def arrays(data: bytes, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The images and labels of a held-out .npz file's bytes; HeldOutError says what is wrong."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return npz["images"], npz["labels"]
    except KeyError:
        raise HeldOutError(f"{name}: expected arrays named images and labels (np.savez(path, images=..., "
                           "labels=...))") from None
    except (OSError, ValueError, zipfile.BadZipFile) as err:
        raise HeldOutError(f"{name}: not a NumPy .npz file of numbers ({err})") from None


def read(path: Path, dataset: str) -> dict:
    """An instructor's held-out file, checked against the assignment's dataset, as the plain data
    a worker receives: {"dataset", "name", "sha256", "data"}. HeldOutError says what is wrong."""
    from dlcourse.data import load_dataset

    path = Path(path)
    if not path.is_file():
        raise HeldOutError(f"{path} does not exist: give the .npz file of held-out images and labels")
    if any(path.resolve().is_relative_to(REPO / folder) for folder in STUDENT_FACING):
        raise HeldOutError(f"{path} is in a folder that reaches students or the sandbox ({', '.join(STUDENT_FACING)}): "
                           "keep the held-out set outside the repository")
    if path.stat().st_size > MAX_HELDOUT_MB * 2**20:
        raise HeldOutError(f"{path} is larger than {MAX_HELDOUT_MB} MB")
    data = path.read_bytes()
    images, labels = arrays(data, path.name)
    train_x, _ = load_dataset(dataset, "train")
    shape, top = train_x.shape[1:], int(load_dataset(dataset)[0].max())
    if images.ndim != 3 or images.shape[1:] != shape or not np.issubdtype(images.dtype, np.integer):
        raise HeldOutError(f"{path.name}: images must be integers of shape (N, {shape[0]}, {shape[1]}) like "
                           f"{dataset}'s, got {images.dtype} {images.shape}")
    if labels.shape != images.shape[:1] or not np.issubdtype(labels.dtype, np.integer):
        raise HeldOutError(f"{path.name}: labels must be N integers, one per image, got {labels.dtype} {labels.shape}")
    if len(images) < 10 or images.min() < 0 or images.max() > top or labels.min() < 0 or labels.max() > 9:
        raise HeldOutError(f"{path.name}: expected at least 10 images with values 0-{top} and labels 0-9")
    seen = found([train_x.astype(np.uint8).tobytes()], images.astype(np.uint8))
    if seen:
        raise HeldOutError(f"{path.name}: {len(seen)} of its images are in {dataset}'s public training part, "
                           "which students train on")
    return {"dataset": dataset, "name": path.name, "sha256": hashlib.sha256(data).hexdigest(), "data": data}


def load(entry: dict) -> HeldOut:
    """The set a package entry names: the private file it carries (checksum verified) or the public default."""
    if not entry.get("data"):
        return public(entry["dataset"])
    digest = hashlib.sha256(entry["data"]).hexdigest()
    if digest != entry["sha256"]:
        raise HeldOutError(f"the held-out set {entry['name']} arrived with SHA-256 {digest}, not {entry['sha256']}")
    images, labels = arrays(entry["data"], entry["name"])
    return HeldOut(images, labels, f"{entry['name']} sha256:{digest}")


def describe(path: Path) -> dict:
    """What the leak check needs to know of a held-out file: {"name", "sha256", "path"}."""
    path = Path(path)
    return {"name": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "path": str(path.resolve())}


def register(out: Path, path: Path) -> None:
    """Note in the grading folder which private set graded it, so that the leak check looks for it."""
    (Path(out) / REGISTRY).write_text(json.dumps(describe(path)), encoding="utf-8")


def registered(root: Path) -> list[dict]:
    """The private sets recorded in the grading folders under root ({"name", "sha256", "path"})."""
    found_ = []
    for path in sorted(Path(root).glob(f"*/{REGISTRY}")):
        try:
            found_.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return found_


# -- finding images in bytes ---------------------------------------------------------------------
_BASE64 = re.compile(rb"[A-Za-z0-9+/]{64,}={0,2}")
_BASE64_BREAK = re.compile(rb"(?<=[A-Za-z0-9+/])(?:[\"'\s]|\\n)+(?=[A-Za-z0-9+/])")  # a string split across lines
_INTEGER = re.compile(rb"\d+")


def _keys(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per image, the offset of its 8 bytes with the fewest zeros, and those bytes as one number."""
    windows = np.lib.stride_tricks.sliding_window_view(flat, KEY_BYTES, axis=1)
    offsets = np.argmax(np.count_nonzero(windows, axis=2), axis=1)
    keys = np.ascontiguousarray(windows[np.arange(len(flat)), offsets]).view("<u8").ravel()
    return offsets, keys


def found(blobs, images: np.ndarray) -> set[int]:
    """Indices of the images (uint8, (N, H, W)) whose bytes appear whole in any of blobs."""
    flat = np.ascontiguousarray(images, dtype=np.uint8).reshape(len(images), -1)
    size = flat.shape[1]
    if size < KEY_BYTES or not len(flat):
        return set()
    offsets, keys = _keys(flat)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    wanted = {row.tobytes(): i for i, row in enumerate(flat)}
    hits: set[int] = set()
    for blob in blobs:
        if len(blob) < size:
            continue
        step = 1 << 22
        for start in range(0, len(blob) - KEY_BYTES + 1, step):
            count = min(step, len(blob) - KEY_BYTES + 1 - start)
            windows = np.ndarray((count,), "<u8", buffer=blob, offset=start, strides=(1,))
            at = np.minimum(np.searchsorted(sorted_keys, windows), len(keys) - 1)
            for pos in np.flatnonzero(sorted_keys[at] == windows):
                lo = np.searchsorted(sorted_keys, windows[pos])
                for j in order[lo:np.searchsorted(sorted_keys, windows[pos], "right")]:
                    begin = start + int(pos) - int(offsets[j])
                    if begin >= 0 and wanted.get(blob[begin:begin + size]) == j:
                        hits.add(int(j))
    return hits


def _unzipped(data: bytes, budget: list[int]):
    """The members of a zip file (a .keras model, a .npz), read within budget[0] bytes in all."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if info.file_size > budget[0]:
                    continue
                with zf.open(info) as member:
                    content = member.read(budget[0] + 1)
                budget[0] -= len(content)
                yield content
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return


def _decoded(text: bytes):
    """What text can hold images as: base64 strings, and runs of small integers (a pasted array)."""
    for match in _BASE64.finditer(_BASE64_BREAK.sub(b"", text)):
        run = match.group(0)
        for cut in range(4):  # a run may start inside a base64 quartet
            try:
                yield base64.b64decode(run[cut:len(run) - (len(run) - cut) % 4], validate=False)
            except (binascii.Error, ValueError):
                continue
    tokens = _INTEGER.findall(text)
    if tokens:
        values = np.array([t if len(t) <= 3 else b"999" for t in tokens]).astype(np.int64)
        for run in np.split(values, np.flatnonzero(values > 255)):  # a larger number ends a run
            run = run[1:] if len(run) and run[0] > 255 else run
            if len(run) >= KEY_BYTES:
                yield run.astype(np.uint8).tobytes()


def _notebook_text(data: bytes) -> bytes:
    """A notebook's strings (sources, outputs) joined, as its cells show them; b"" if it is not JSON."""
    try:
        tree = json.loads(data)
    except (ValueError, RecursionError):
        return b""
    strings, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            strings.append(node)
        elif isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return "".join(strings).encode("utf-8", "replace")


def blobs_of(files: dict[str, bytes]) -> list[bytes]:
    """Every form in which files (name -> bytes) may hold images: the bytes, zip members, a notebook's
    text, and what text decodes to."""
    budget = [MAX_UNPACKED_MB * 2**20]
    out = []
    for name, data in files.items():
        out.append(data)
        inner = list(_unzipped(data, budget)) if zipfile.is_zipfile(io.BytesIO(data)) else []
        text = [_notebook_text(data)] if name.endswith(".ipynb") else []
        out += inner + text
        for blob in [data, *inner, *text]:
            out += list(_decoded(blob))
    return out
