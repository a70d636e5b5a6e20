"""Grading keeps its promises: right answers score full marks, wrong ones lose points, bad input is reported."""
import csv

import pytest

from autograder.grade import student_id
from conftest import wrong_answers

pytestmark = pytest.mark.slow
FULL = 10.0
GRADED_CELLS = {"test_output_size", "test_conv2d_examples", "test_conv2d_stride_padding",
                "test_conv2d_same", "test_max_pool2d"}
# Which graded cells each plausible wrong submission must lose (at least).
CAUGHT_BY = {
    "forgot_padding": {"test_conv2d_stride_padding", "test_conv2d_same"},
    "stride_wrong": {"test_conv2d_stride_padding", "test_conv2d_same"},
    "flipped_kernel": {"test_conv2d_stride_padding", "test_conv2d_same", "test_conv2d_examples"},
    "off_by_one": {"test_output_size"},
    "pool_ignores_stride": {"test_max_pool2d"},
    "hard_coded": {"test_output_size", "test_max_pool2d"},
}


def _by_name(results, name):
    return next(r for stem, r in results.items() if stem.endswith(name))


def test_reference_solution_scores_full_marks(graded_class):
    r = _by_name(graded_class[0], "reference")
    assert (r.status, r.score, r.max_score) == ("graded", FULL, FULL)
    assert set(r.cells) == GRADED_CELLS


def test_untouched_release_scores_zero_on_every_graded_cell(graded_class):
    r = _by_name(graded_class[0], "untouched_release")
    assert r.status == "graded" and r.score == 0
    assert r.cells == dict.fromkeys(GRADED_CELLS, 0.0)


def test_every_wrong_submission_has_a_stated_expectation():
    assert set(wrong_answers("convolution")) == set(CAUGHT_BY)


@pytest.mark.parametrize("name", sorted(CAUGHT_BY))
def test_plausible_wrong_answer_loses_points_in_the_right_cells(graded_class, name):
    r = _by_name(graded_class[0], name)
    lost = {cell for cell, points in r.cells.items() if points == 0}
    assert r.score < FULL
    assert CAUGHT_BY[name] <= lost, f"{name}: expected {CAUGHT_BY[name]} to fail, failed {lost}"


def test_stderr_output_does_not_cost_points(graded_class):
    r = _by_name(graded_class[0], "stderr_noise")
    assert (r.student, r.score) == ("B10900003", FULL)


def test_submission_that_raises_is_reported_and_graded_for_the_rest(graded_class):
    r = _by_name(graded_class[0], "raises")
    assert r.status == "graded" and 0 < r.score < FULL
    assert "conv2d: RuntimeError" in r.message
    assert r.cells["test_output_size"] == 2 and r.cells["test_max_pool2d"] == 2


@pytest.mark.parametrize("name, reason", [("not_json", "not valid JSON"), ("empty", "empty")])
def test_broken_file_is_reported_and_does_not_stop_the_batch(graded_class, name, reason):
    results, _ = graded_class
    r = _by_name(results, name)
    assert r.status == "invalid" and reason in r.message
    assert (r.score, r.max_score) == (0, FULL)
    assert len(results) == 6 + len(CAUGHT_BY)  # every other submission was graded too


def test_grades_csv_and_feedback_are_written_per_student(graded_class):
    results, out = graded_class
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    assert {row["student_id"] for row in rows} == {r.student for r in results.values()}
    ref = next(row for row in rows if row["file"].startswith("B10900001"))
    assert float(ref["score"]) == FULL and float(ref["test_conv2d_same"]) == 1
    for r in results.values():
        assert (out / "feedback" / f"{r.student}.html").exists() == (r.status == "graded")


@pytest.mark.parametrize("filename, expected", [
    ("B10901234.ipynb", "B10901234"),
    ("王小明_E14081234_convolution.ipynb", "E14081234"),
    ("410123456-hw4.ipynb", "410123456"),
    ("no id here!.ipynb", "no_id_here_"),
])
def test_student_id_comes_from_the_file_name(filename, expected):
    assert student_id(filename) == expected
