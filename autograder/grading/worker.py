"""What a grading worker runs: one student's notebooks, each graded in a sandbox, from data alone.

A task brings everything as data (the notebooks to grade with their hidden tests, the student's
attachments, the assignment's package: its shipped files and limits) and returns the graded
notebooks; the worker reads no course folder and writes no gradebook. It keeps its imports, its
pre-warmed sandbox and each assignment package it has unpacked for as long as it lives.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if os.environ.get("DLCOURSE_WORKER_LOG"):  # a local cluster's worker: TensorFlow's C++ start-up noise
    # goes to a log file, not the instructor's terminal (it writes to fd 2 whatever Python says).
    _log = os.open(os.environ["DLCOURSE_WORKER_LOG"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(_log, 2)

_UNPACKED: dict[str, Path] = {}  # package digest -> folder holding the assignment's shipped files
_CHECKED: dict[str, str] = {}  # packages whose set-up cells ran cleanly here -> the sandbox's isolation


def _unpack(package: dict) -> Path:
    digest = package["digest"]
    if digest not in _UNPACKED:
        folder = Path(tempfile.mkdtemp(prefix=f"assignment-{package['assignment']}-"))
        for rel, data in package["files"].items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _UNPACKED[digest] = folder
    return _UNPACKED[digest]


def _shipped(folder: Path) -> dict[str, Path]:
    """The assignment's files by the name the submission sees them under (e.g. data/img.png)."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def prepare(package: dict) -> str:
    """Unpack the package and check its set-up cells on this worker (once); returns the isolation used."""
    import nbformat

    from autograder.grading.checker import check_setup
    from autograder.limits import Limits
    folder = _unpack(package)
    if package["digest"] not in _CHECKED:
        limits = Limits.from_dict(package["limits"])
        for text in package["releases"].values():
            isolation = check_setup(nbformat.reads(text, as_version=4), limits=limits, files=_shipped(folder))
        _CHECKED[package["digest"]] = isolation
    return _CHECKED[package["digest"]]


def grade_student(package: dict, job: dict) -> dict:
    """Grade one student's notebooks: {"notebooks": {name: graded notebook JSON}, "seconds": ..., "heldout":
    the held-out set that graded trained accuracy, "notes": for the result's message (grading/accuracy.py)}."""
    import nbformat

    from autograder.grading.accuracy import grading
    from autograder.grading.checker import grade_notebook
    from autograder.limits import Limits

    start = time.perf_counter()
    isolation = prepare(package)
    folder = _unpack(package)
    limits = Limits.from_dict(package["limits"])
    graded = {}
    with tempfile.TemporaryDirectory(prefix="grading-") as tmp, grading(package.get("heldout")) as record:
        workdir = Path(tmp) / "assignment"  # the tests' own copy of the shipped files
        shutil.copytree(folder, workdir)
        files = _shipped(folder)
        for name, data in job["attachments"].items():
            (Path(tmp) / name).write_bytes(data)
            files[name] = Path(tmp) / name
        for name, text in job["notebooks"].items():
            release = nbformat.reads(package["releases"][name], as_version=4)
            nb = grade_notebook(nbformat.reads(text, as_version=4), release=release, limits=limits, files=files,
                                seed=job["seed"], workdir=workdir)
            graded[name] = nbformat.writes(nb)
        notes = record.report({**job.get("submitted", {}), **job["attachments"]})  # held-out set used, notes
    return {"notebooks": graded, "isolation": isolation, "seconds": time.perf_counter() - start, **notes}
