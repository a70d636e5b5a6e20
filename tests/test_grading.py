"""Grading keeps its promises: right answers score full marks, wrong ones lose points, bad input is reported."""
import csv

import pytest

from autograder.grading.intake import student_id
from autograder.release import assignments
from conftest import expected_losses, wrong_answers

pytestmark = pytest.mark.slow
ASSIGNMENTS = assignments()


def _by_name(results, name):
    return next(r for stem, r in results.items() if stem.endswith(name))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_solution_scores_full_marks(grade_class, assignment):
    r = _by_name(grade_class(assignment)[0], "reference")
    assert r.status == "graded" and r.score == r.max_score > 0, r
    assert r.cells and all(points > 0 for points in r.cells.values())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_scores_zero_on_every_graded_cell(grade_class, assignment):
    ref = _by_name(grade_class(assignment)[0], "reference")
    r = _by_name(grade_class(assignment)[0], "untouched_release")
    assert r.status == "graded" and r.score == 0
    assert r.cells == dict.fromkeys(ref.cells, 0.0)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_wrong_submission_has_a_stated_expectation(assignment):
    assert len(wrong_answers(assignment)) >= 3
    assert set(wrong_answers(assignment)) == set(expected_losses(assignment))


@pytest.mark.parametrize("assignment, name", [(a, n) for a in ASSIGNMENTS for n in sorted(expected_losses(a))])
def test_plausible_wrong_answer_loses_points_in_the_right_cells(grade_class, assignment, name):
    r = _by_name(grade_class(assignment)[0], name)
    lost = {cell for cell, points in r.cells.items() if points == 0}
    must_lose = expected_losses(assignment)[name]
    assert r.score < r.max_score
    assert must_lose <= lost, f"{assignment}/{name}: expected {sorted(must_lose)} to fail, failed {sorted(lost)}"


def test_stderr_output_does_not_cost_points(graded_pipeline_cases):
    r = _by_name(graded_pipeline_cases[0], "stderr_noise")
    assert r.student == "B10900003" and r.score == r.max_score


def test_submission_that_raises_is_reported_and_graded_for_the_rest(graded_pipeline_cases):
    r = _by_name(graded_pipeline_cases[0], "raises")
    assert r.status == "graded" and 0 < r.score < r.max_score
    assert "conv2d: RuntimeError" in r.message
    assert r.cells["test_output_size"] == 2 and r.cells["test_max_pool2d"] == 2


@pytest.mark.parametrize("name, reason", [("not_json", "not valid JSON"), ("empty", "empty")])
def test_broken_file_is_reported_and_does_not_stop_the_batch(graded_pipeline_cases, name, reason):
    results = graded_pipeline_cases[0]
    r = _by_name(results, name)
    assert r.status == "invalid" and reason in r.message
    assert r.score == 0 and r.max_score == 10
    assert sum(r.status == "graded" for r in results.values()) == 3  # the others were graded


def test_grades_csv_and_feedback_are_written_per_student(graded_pipeline_cases):
    results, out, _ = graded_pipeline_cases
    rows = list(csv.DictReader((out / "grades.csv").open(encoding="utf-8")))
    assert {row["student_id"] for row in rows} == {r.student for r in results.values()}
    ref = next(row for row in rows if row["file"].startswith("B10900001"))
    same = next(col for col in rows[0] if col.endswith("conv2d same (/1)"))
    assert float(ref["score"]) == 10 and float(ref[same]) == 1 and same.endswith("(/1)")
    for r in results.values():
        assert (out / "feedback" / f"{r.student}.html").exists() == (r.status == "graded")


def test_rerun_grades_only_new_or_changed_submissions(graded_pipeline_cases):
    from autograder.grading.pipeline import grade

    results, out, subs = graded_pipeline_cases
    changed = next(subs.glob("B10900004*"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    lines = []
    again = grade(subs, assignment="convolution", out=out, workers=1, log=lines.append)
    assert any(line.startswith(f"{len(results) - 3} submissions unchanged") for line in lines), lines
    assert [line.split(":")[0] for line in lines if line.startswith("[")] == ["[1/1] B10900004"]
    assert {r.student: r.score for r in again} == {r.student: r.score for r in results.values()}


def test_zip_export_with_big5_names_is_graded(tmp_path):
    import zipfile

    import nbformat
    from autograder.grading.pipeline import grade
    from autograder.grading.samples import make_submission, reference_answers

    archive = tmp_path / "export.zip"
    folder = "王小明_B10912345_assignsubmission_file_/作業.ipynb"
    class Big5Name(zipfile.ZipInfo):  # Big5 bytes and no UTF-8 flag, as Windows tools write
        def _encodeFilenameFlags(self):
            return self.filename.encode("cp950"), self.flag_bits

    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(Big5Name(folder), nbformat.writes(make_submission("convolution", reference_answers("convolution"))))
        zf.writestr("__MACOSX/._junk.ipynb", "junk")
    results = grade(archive, assignment="convolution", out=tmp_path / "out", workers=1)
    assert [(r.student, r.score) for r in results] == [("B10912345", 10)]
    assert (tmp_path / "out" / "submissions" / "王小明_B10912345_assignsubmission_file__作業.ipynb").exists()


def test_file_name_that_is_not_utf8_is_graded_and_reported(tmp_path):
    import os

    import nbformat
    from autograder.grading.pipeline import grade
    from autograder.grading.samples import make_submission, reference_answers

    folder = tmp_path / "subs"
    folder.mkdir()
    name = "陳大文_B10955555".encode("cp950") + b".ipynb"  # Big5 bytes on a UTF-8 file system
    with open(os.path.join(os.fsencode(folder), name), "w", encoding="utf-8") as f:
        f.write(nbformat.writes(make_submission("convolution", reference_answers("convolution"))))
    results = grade(folder, assignment="convolution", out=tmp_path / "out", workers=1)
    assert [(r.student, r.score) for r in results] == [("B10955555", 10)]
    assert "B10955555" in (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("filename, expected", [
    ("B10901234.ipynb", "B10901234"),
    ("王小明_E14081234_convolution.ipynb", "E14081234"),
    ("410123456-hw4.ipynb", "410123456"),
    ("no id here!.ipynb", None),
    ("20261126_B15000021_conv.ipynb", "B15000021"),
    ("homework_final.ipynb", None),
])
def test_student_id_comes_from_the_file_name(filename, expected):
    assert student_id(filename) == expected


def _solutions_copy(tmp_path, edit=None):
    """A copy of the convolution assignment's source (to change its hidden tests or set-up)."""
    import shutil

    from autograder import SOLUTIONS

    folder = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS / "convolution", folder / "convolution")
    if edit:
        path = folder / "convolution" / "convolution.ipynb"
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def _one_submission(folder):
    import nbformat

    from autograder.grading.samples import make_submission, reference_answers

    folder.mkdir()
    nbformat.write(make_submission("convolution", reference_answers("convolution")), folder / "B10900001.ipynb")
    return folder


def test_a_result_is_reused_only_while_hidden_tests_and_grader_are_unchanged(tmp_path, monkeypatch):
    from autograder.grading import assignment
    from autograder.grading.pipeline import grade

    subs, out = _one_submission(tmp_path / "subs"), tmp_path / "out"
    solutions = _solutions_copy(tmp_path)
    kept = lambda lines: any("unchanged since the last run" in line for line in lines)
    lines = []
    grade(subs, assignment="convolution", out=out, solutions=solutions, workers=1, log=lines.append)
    lines.clear()
    grade(subs, assignment="convolution", out=out, solutions=solutions, workers=1, log=lines.append)
    assert kept(lines), "nothing changed: the result is reused"
    path = solutions / "convolution" / "convolution.ipynb"
    path.write_text(path.read_text(encoding="utf-8").replace("for _ in range(50):", "for _ in range(51):"),
                    encoding="utf-8")  # a hidden test changed
    lines.clear()
    grade(subs, assignment="convolution", out=out, solutions=solutions, workers=1, log=lines.append)
    assert not kept(lines) and any(line.startswith("[1/1] B10900001") for line in lines)
    monkeypatch.setattr(assignment, "_grader_digest", lambda: "another grader")  # the grader's code changed
    lines.clear()
    grade(subs, assignment="convolution", out=out, solutions=solutions, workers=1, log=lines.append)
    assert not kept(lines)


def test_set_up_code_that_fails_for_everyone_stops_grading_and_records_no_scores(tmp_path):
    from autograder.grading.checker import GraderSetupError
    from autograder.grading.pipeline import grade

    # `autograder` imports in the grader but not in the sandbox: every student's set-up cell would fail.
    solutions = _solutions_copy(tmp_path, lambda text: text.replace('"import numpy as np"', '"import numpy as np\\nimport autograder"', 1))
    with pytest.raises(GraderSetupError, match="fails in the sandbox before any student code"):
        grade(_one_submission(tmp_path / "subs"), assignment="convolution", out=tmp_path / "out",
              solutions=solutions, workers=1, log=lambda *_: None)
    assert not (tmp_path / "out" / "grades.csv").exists()
    assert not list((tmp_path / "out" / "results").glob("*.json"))


def _zip_class(path, students: dict):
    """A platform's zip: student id -> (answers, the time the platform received the file)."""
    import zipfile

    import nbformat

    from autograder.grading.samples import make_submission

    with zipfile.ZipFile(path, "w") as zf:
        for sid, (answers, when) in students.items():
            info = zipfile.ZipInfo(f"{sid}_assignsubmission_file_/convolution.ipynb", date_time=when)
            zf.writestr(info, nbformat.writes(make_submission("convolution", answers)))
    return path


def test_each_run_grades_what_it_was_given_and_keeps_the_others_grades(tmp_path):
    from autograder.grading.pipeline import grade
    from autograder.grading.samples import reference_answers

    ref, on_time = reference_answers("convolution"), (2026, 11, 7, 12, 0, 0)
    first = _zip_class(tmp_path / "a.zip", {"B10900001": (ref, on_time), "B10900002": ({}, on_time)})
    second = _zip_class(tmp_path / "b.zip", {"B10900003": (ref, on_time)})
    out, lines = tmp_path / "out", []
    grade(first, assignment="convolution", out=out, workers=1, log=lambda *_: None)
    grade(second, assignment="convolution", out=out, workers=1, log=lines.append)
    assert any(line.startswith("1 submissions: 1 graded") for line in lines), lines  # this run: b.zip only
    assert sorted(p.name for p in (out / "submissions").iterdir()) == [
        "B10900003_assignsubmission_file__convolution.ipynb"]  # a.zip's files did not join
    rows = {r["student_id"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8"))}
    assert sorted(rows) == ["B10900001", "B10900002", "B10900003"]  # earlier students kept
    lines.clear()
    again = grade(first, assignment="convolution", out=out, workers=1, students=["B10900002"], log=lines.append)
    assert [line.split(":")[0] for line in lines if line.startswith("[")] == [] and len(again) == 3


def test_late_work_costs_the_schedules_penalty_unless_extended(tmp_path):
    from autograder.grading.late import due_date
    from autograder.grading.pipeline import grade
    from autograder.grading.samples import reference_answers
    from dlcourse.schedule import load_term

    due = due_date("convolution")
    ref = reference_answers("convolution")
    late = (due.year, due.month, due.day + 1, 10, 0, 0)  # the next morning: one started day late
    archive = _zip_class(tmp_path / "c.zip", {"B10900001": (ref, late), "B10900002": (ref, (2026, 11, 1, 9, 0, 0))})
    results = {r.student: r for r in grade(archive, assignment="convolution", out=tmp_path / "out", workers=1,
                                           log=lambda *_: None)}
    percent = load_term().penalty_percent(86400 * 0.5)
    assert results["B10900001"].penalty == pytest.approx(10 * percent / 100) and 0 < results["B10900001"].days_late < 1
    assert results["B10900002"].days_late == 0 and results["B10900002"].final == 10
    (tmp_path / "ext.csv").write_text("student_id,days\nB10900001,2\n", encoding="utf-8")
    extended = {r.student: r for r in grade(archive, assignment="convolution", out=tmp_path / "out", workers=1,
                                            extensions=tmp_path / "ext.csv", log=lambda *_: None)}
    assert extended["B10900001"].penalty == 0 and extended["B10900001"].final == 10


def test_a_roster_names_students_lists_who_did_not_submit_and_flags_who_is_not_on_it(tmp_path):
    from autograder.grading.pipeline import grade
    from autograder.grading.samples import reference_answers

    when = (2026, 11, 7, 12, 0, 0)
    archive = _zip_class(tmp_path / "c.zip", {"B10900001": (reference_answers("convolution"), when),
                                               "B10900009": ({}, when)})
    (tmp_path / "roster.csv").write_text("學號,姓名\nB10900001,王小明\nB10900002,陳大文\n", encoding="utf-8")
    results = {r.student: r for r in grade(archive, assignment="convolution", out=tmp_path / "out", workers=1,
                                           roster=tmp_path / "roster.csv", log=lambda *_: None)}
    assert results["B10900001"].name == "王小明" and results["B10900002"].status == "missing"
    assert "B10900009 is not on the roster" in results["B10900009"].message


def test_a_seed_is_the_same_for_the_same_submission_and_differs_with_secret_assignment_or_student():
    from autograder.grading.results import submission_seed

    seed = submission_seed("course secret", "convolution", "B10900001")
    assert seed == submission_seed("course secret", "convolution", "B10900001")
    assert len({seed, submission_seed("another secret", "convolution", "B10900001"),
                submission_seed("course secret", "train_cnn", "B10900001"),
                submission_seed("course secret", "convolution", "B10900002")}) == 4


def test_the_summary_says_what_awaits_hand_grading_and_what_the_grader_cannot_run():
    from autograder.grading.results import Result
    from autograder.grading.summary import summary

    results = [Result("B1", "B1_ps1.ipynb", "graded", score=3, max_score=10, pending=["essay"]),
               Result("B2", "B2_ps1.ipynb", "graded", score=5, max_score=10, unsupported=["test_plot"]),
               Result("B3", "B3_ps1.ipynb", "graded", score=10, max_score=10)]
    text = summary(results)
    assert "1 submissions need hand grading (essay): open nbgrader's formgrader" in text
    assert "1 submissions have checks the grader cannot run (test_plot): they scored 0 there" in text


def test_a_new_gradebook_is_the_one_nbgrader_would_create(tmp_path, monkeypatch):
    """Made without nbgrader's `alembic heads` subprocess: the same tables and the same alembic stamp."""
    import os
    import sys
    from pathlib import Path

    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")  # nbgrader's `alembic`
    from nbgrader.api import Gradebook, get_alembic_version
    from sqlalchemy import create_engine, inspect, text

    from autograder.grading.course import new_gradebook

    ours, theirs = f"sqlite:///{tmp_path / 'ours.db'}", f"sqlite:///{tmp_path / 'theirs.db'}"
    new_gradebook(ours)
    Gradebook(theirs).close()
    books = {}
    for url in (ours, theirs):
        engine = create_engine(url)
        with engine.connect() as db:
            books[url] = (sorted(inspect(engine).get_table_names()),
                          db.execute(text("SELECT version_num FROM alembic_version")).scalars().all())
        engine.dispose()
    assert books[ours] == books[theirs] and books[ours][1] == [get_alembic_version()]
    new_gradebook(ours)  # an existing gradebook is left as it is
    with Gradebook(ours) as gb:
        assert gb.assignments == []


def test_a_generated_course_is_copied_for_a_new_output_folder_and_made_anew_when_its_source_changes(
        tmp_path, monkeypatch):
    """The cache of nbgrader's generated course directories: a copy is what nbgrader made (release
    and gradebook), grading from it needs no nbgrader import first, and an edited source is regenerated."""
    import os
    import shutil
    import subprocess
    import sys

    from autograder import SOLUTIONS
    from autograder.grading.assignment import prepare

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made = prepare(tmp_path / "first", "convolution")
    assert list((tmp_path / "cache" / "dlcourse" / "generated").iterdir()), "nothing was kept"
    code = ("import sys; from pathlib import Path; from autograder.grading.assignment import prepare; "
            f"a = prepare(Path({str(tmp_path / 'second')!r}), 'convolution'); "
            "print('nbgrader' in sys.modules, a.questions == a.questions)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert run.stdout.split() == ["False", "True"], run.stdout + run.stderr
    copied = prepare(tmp_path / "second", "convolution")
    assert copied.releases == made.releases and copied.questions == made.questions

    def cells(a):
        from nbgrader.api import Gradebook

        with Gradebook(a.api.coursedir.db_url, "dlcourse") as gb:
            return sorted((c.name, c.cell_type, c.max_score, c.notebook.name)
                          for nb in gb.find_assignment("convolution").notebooks for c in nb.grade_cells)

    assert cells(copied) == cells(made) and len(cells(made)) == len(made.questions)
    assert copied.api.coursedir.root == str(copied.root)  # nbgrader opens the copy as its own

    edited = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS / "convolution", edited / "convolution")
    nb = edited / "convolution" / "convolution.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("7x7 input", "7 x 7 input"), encoding="utf-8")
    again = prepare(tmp_path / "third", "convolution", edited)
    assert "7 x 7 input" in str(again.sources["convolution"]) and again.digest != made.digest
    assert len(list((tmp_path / "cache" / "dlcourse" / "generated").iterdir())) == 2


def test_ctrl_c_during_an_nbgrader_step_is_not_swallowed():
    """nbgrader's capture_log catches everything, KeyboardInterrupt included: the pipeline raises it again."""
    import os
    import signal

    from autograder.grading.course import keeping_ctrl_c

    def swallowing_step():  # what nbgrader.utils.capture_log does around each converter
        try:
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(10**6):
                pass
        except:  # noqa: E722
            return {"success": False}
        return {"success": True}

    assert swallowing_step() == {"success": False}  # the KeyboardInterrupt was caught...
    with pytest.raises(KeyboardInterrupt):
        with keeping_ctrl_c():
            swallowing_step()  # ...and comes back once the step returns
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
