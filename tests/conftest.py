"""Shared fixtures: a built book and a graded class, each made once per test session."""
import os
from pathlib import Path

import nbformat
import pytest

from autograder import REPO
from autograder.submissions import make_submission, parse_answers, reference_answers

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
WRONG = REPO / "tests" / "submissions"


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The book built from scratch (no execution cache) into a temporary folder: its HTML folder."""
    from autograder.book import build_book

    return build_book(tmp_path_factory.mktemp("book"))


def wrong_answers(assignment: str) -> dict[str, dict[str, str]]:
    """name -> answers of each plausible wrong submission in tests/submissions/<assignment>/."""
    return {p.stem: parse_answers(p.read_text(encoding="utf-8"))
            for p in sorted((WRONG / assignment).glob("*.py"))}


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    """One grading run over a class of sample submissions: (results by file stem, output folder)."""
    from autograder.grade import grade

    subs = tmp_path_factory.mktemp("submissions")
    ref = reference_answers("convolution")

    def save(name, answers):
        nbformat.write(make_submission("convolution", answers), subs / f"{name}.ipynb")

    save("B10900001_reference", ref)
    save("B10900002_untouched_release", {})
    for i, (name, answers) in enumerate(wrong_answers("convolution").items()):
        save(f"B1091{i:04d}_{name}", {**ref, **answers})
    noisy = {gid: "import sys, warnings\nwarnings.warn('a deprecation warning')\n"
                  "print('2026-11-26 I tensorflow/core: log line', file=sys.stderr)\n" + code
             for gid, code in ref.items()}
    noisy["conv2d"] = noisy["conv2d"].replace(
        '"""\n', '"""\n    print("W tensorflow: noisy", file=sys.stderr)\n', 1)
    save("王小明_B10900003_stderr_noise", noisy)
    save("B10900004_raises", {**ref, "conv2d": "raise RuntimeError('half-finished cell')"})
    (subs / "B10900005_not_json.ipynb").write_text("{ this is not json", encoding="utf-8")
    (subs / "B10900006_empty.ipynb").write_bytes(b"")

    out = tmp_path_factory.mktemp("grading")
    results = grade(subs, assignment="convolution", out=out)
    return {Path(r.file).stem: r for r in results}, out
