"""The similarity check: a planted copy is found, independent correct solutions are not flagged,
and the code every student was given never counts.

tests/similarity/convolution/ holds correct solutions written independently (loop-based,
NumPy-vectorised, SciPy-based; the reference in solutions/ is loop-based too) and a planted copy
of the vectorised one with renamed variables, a moved and renamed helper and rewritten comments.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from autograder.cli import main
from autograder.grading.samples import parse_answers, reference_answers, write_graded_layout
from autograder.report.similarity import check, compare, fingerprints

SOLUTIONS = Path(__file__).parent / "similarity" / "convolution"


def independent() -> dict[str, dict[str, str]]:
    """student id -> answer cells: the reference and each correct solution of tests/similarity/."""
    found = {"reference": reference_answers("convolution")}
    found.update({p.stem: parse_answers(p.read_text(encoding="utf-8")) for p in sorted(SOLUTIONS.glob("*.py"))})
    return found


def _functions(answers: dict[str, str]) -> dict:
    namespace = {"np": np}
    for code in answers.values():
        exec(code, namespace)  # our own test solutions, not students' code
    return namespace


def test_the_independent_solutions_are_correct():
    # Not flagging them means something only if they really solve the assignment.
    want = _functions(reference_answers("convolution"))
    rng = np.random.default_rng(0)
    for name, answers in independent().items():
        got = _functions(answers)
        for _ in range(200):
            x = rng.normal(size=tuple(int(v) for v in rng.integers(5, 14, size=2)))
            k = rng.normal(size=tuple(int(v) for v in rng.integers(1, 5, size=2)))
            stride = int(rng.integers(1, 4))
            for padding in ("valid", "same", int(rng.integers(0, 3))):
                np.testing.assert_allclose(got["conv2d"](x, k, stride, padding), want["conv2d"](x, k, stride, padding),
                                           atol=1e-9, err_msg=f"{name}: conv2d")
                n, size = int(rng.integers(4, 40)), int(rng.integers(1, 6))
                want_size = want["output_size"](n, size, stride, padding)
                assert got["output_size"](n, size, stride, padding) == want_size, name
            size, step = int(rng.integers(1, 4)), [None, 1, 2, 3][int(rng.integers(0, 4))]
            np.testing.assert_array_equal(got["max_pool2d"](x, size, step), want["max_pool2d"](x, size, step),
                                          err_msg=f"{name}: max_pool2d")


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[list, Path]:
    """A class of the independent solutions, the planted copy and an untouched release, checked."""
    answers = {**independent(), "untouched_release": {}}
    out = write_graded_layout(tmp_path_factory.mktemp("similarity"), "convolution", answers)
    return check(out)


def test_planted_copy_is_found_and_independent_solutions_are_not_flagged(planted):
    pairs, _ = planted
    assert [(p.a, p.b) for p in pairs] == [("vectorised", "vectorised_copy")]
    assert pairs[0].share_a > 0.9 and pairs[0].share_b > 0.9
    assert [m.slot for m in pairs[0].matches] == ["output_size", "conv2d", "max_pool2d"]


def test_report_shows_the_pair_side_by_side_with_the_matches_marked(planted):
    pairs, path = planted
    html = path.read_text(encoding="utf-8")
    assert "這是給人判斷的證據，不是處分" in html and "never a penalty" in html
    sides = re.findall(r"<pre>(.*?)</pre>", html, re.S)
    assert len(sides) == 2 * len(pairs[0].matches)
    assert all("<mark" in side for side in sides)
    # the copy's renamed helper is marked as matching the original's
    assert re.search(r"<mark[^>]*>[^<]*def padding_amounts", html)
    assert "<script" not in html and re.findall(r'<img src="data:image/png;base64,', html)


def test_given_code_pasted_into_added_cells_makes_no_pair(tmp_path):
    # Two students who answered nothing but pasted the visible tests into cells of their own.
    from autograder.grading.classbook import load_class

    cls = load_class(write_graded_layout(tmp_path, "convolution", {"a": {}, "b": {}}))
    pasted = [part for part in cls.given_code().split("\n\n") if "assert" in part]
    code = {s: {"convolution: added cells": "\n\n".join(pasted)} for s in ("a", "b")}
    unsubtracted, _ = compare(fingerprints(code, given=""), threshold=0.5)
    assert [(p.a, p.b) for p in unsubtracted] == [("a", "b")]  # what the check would say, were it not given code
    subtracted, scores = compare(fingerprints(code, given=cls.given_code()), threshold=0.5)
    assert subtracted == [] and scores[0] < 0.25, scores  # only the seams between the pasted cells are left


def test_added_cells_are_read_from_the_graded_notebooks(tmp_path):
    helper = "def window_sum(patch, kernel):\n    return float((patch * kernel).sum())\n"
    out = write_graded_layout(tmp_path, "convolution", {"a": reference_answers("convolution")}, {"a": [helper]})
    from autograder.grading.classbook import load_class

    cells = load_class(out).answers("a")
    assert list(cells) == ["output_size", "conv2d", "max_pool2d", "convolution: added cells"]
    assert cells["convolution: added cells"] == helper


def test_similarity_command_refuses_a_threshold_that_is_not_a_share(planted, capsys):
    _, path = planted
    assert main(["similarity", str(path.parent), "--threshold", "50"]) == 1
    assert "between 0 and 1" in capsys.readouterr().err


@pytest.mark.slow
def test_similarity_command_on_a_graded_class(grade_class, capsys):
    results, out = grade_class("convolution")
    assert main(["similarity", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"side by side: {out / 'similarity.html'}" in printed and "never a penalty" in printed
    ids = {stem.split("_", 1)[1]: r.student for stem, r in results.items()}
    # the class's wrong answers are the reference with one cell rewritten: copies, to this check
    assert f"{ids['reference']} <-> {ids['off_by_one']}:" in printed
    # whoever handed in the release untouched wrote nothing: in no pair
    assert ids["untouched_release"] not in printed
