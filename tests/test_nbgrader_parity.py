"""An assignment written in nbgrader's usual style is graded as plain nbgrader grades it, cell by cell.

The assignment (written here, not copied from nbgrader): two notebooks; autograded functions; a
test that expects an exception; a test that deletes a helper to check it is used (and gives it
back); a test with partial credit; a written answer and a task, both graded by hand; a data file
shipped with the assignment that student code and a test both read; an unlocked set-up cell.
The same submissions go through plain `nbgrader autograde` (a kernel per notebook) and `course
grade`: automatic points must agree cell by cell, and hand-graded cells are pending in both.
"""
import copy
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def plain_nbgrader(root: Path):
    """nbgrader's API with nbgrader's own defaults: tests run in the student's kernel."""
    import os
    import sys

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]  # nbgrader runs alembic
    c = Config()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = "plain"
    c.Exchange.root = str(root / "exchange")
    return NbGraderAPI(coursedir=CourseDirectory(config=c), config=c)

pytestmark = pytest.mark.slow
A = "ps1"


def _meta(gid, *, grade=False, solution=False, locked=False, points=0, task=False):
    meta = {"grade": grade, "grade_id": gid, "locked": locked, "schema_version": 3, "solution": solution}
    if grade or task:
        meta["points"] = points
    if task:
        meta["task"] = True
    return {"nbgrader": meta}


def _answer(gid, source):
    return new_code_cell(source, metadata=_meta(gid, solution=True))


def _test(gid, source, points=1):
    return new_code_cell(source, metadata=_meta(gid, grade=True, locked=True, points=points))


def problem1():
    return new_notebook(cells=[
        new_markdown_cell("# Problem 1\n\nWrite `squares(n)` (use `helper`), `safe_sqrt(x)` and `column_sum(path)`."),
        new_code_cell("import math\nimport numpy as np"),  # unlocked set-up, as nbgrader leaves it
        _answer("squares", "def helper(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION\n\n"
                "def squares(n):\n    ### BEGIN SOLUTION\n    if n < 1:\n        raise ValueError('n must be positive')\n"
                "    return [helper(i) for i in range(1, n + 1)]\n    ### END SOLUTION"),
        _test("test_squares", "assert squares(3) == [1, 4, 9], 'squares(3)'\n### BEGIN HIDDEN TESTS\n"
              "assert squares(5) == [1, 4, 9, 16, 25]\n### END HIDDEN TESTS"),
        _test("test_squares_uses_helper", "_old = helper\ndel helper\ntry:\n    squares(2)\nexcept NameError:\n    pass\n"
              "else:\n    raise AssertionError('squares must call helper')\nfinally:\n    helper = _old\n"
              "assert squares(1) == [1]"),
        _answer("safe_sqrt", "def safe_sqrt(x):\n    ### BEGIN SOLUTION\n    if x < 0:\n        raise ValueError('negative')\n"
                "    return math.sqrt(x)\n    ### END SOLUTION"),
        _test("test_safe_sqrt_raises", "try:\n    safe_sqrt(-1)\nexcept ValueError:\n    pass\nelse:\n"
              "    raise AssertionError('safe_sqrt(-1) must raise ValueError')\nassert np.isclose(safe_sqrt(4), 2)", 2),
        _answer("column_sum", "def column_sum(path):\n    ### BEGIN SOLUTION\n    with open(path) as f:\n"
                "        return sum(float(line.split(',')[1]) for line in f.read().split()[1:])\n    ### END SOLUTION"),
        _test("test_column_sum", "with open('data.csv') as _f:\n    _want = sum(float(l.split(',')[1]) for l in _f.read().split()[1:])\n"
              "assert column_sum('data.csv') == _want, 'column_sum(data.csv)'"),
        new_markdown_cell("Explain in one sentence why `squares` calls `helper`.", metadata=_meta("why_helper_md", locked=True)),
        new_markdown_cell("YOUR ANSWER HERE", metadata=_meta("why_helper", grade=True, solution=True, points=2)),
    ])


def problem2():
    return new_notebook(cells=[
        new_markdown_cell("# Problem 2"),
        _answer("cube", "def cube(x):\n    ### BEGIN SOLUTION\n    return x ** 3\n    ### END SOLUTION"),
        _test("test_cube_partial", "_score = 0.0\nif cube(2) == 8:\n    _score += 0.5\nif cube(3) == 27:\n    _score += 0.5\n_score"),
        new_markdown_cell("Plot `cube` from -2 to 2 in the cells below this one.", metadata=_meta("plot_cube", task=True,
                                                                                               locked=True, points=1)),
    ])


CORRECT = {"squares": "def helper(x):\n    return x * x\n\ndef squares(n):\n    if n < 1:\n        raise ValueError('n')\n"
                      "    return [helper(i) for i in range(1, n + 1)]",
           "safe_sqrt": "def safe_sqrt(x):\n    if x < 0:\n        raise ValueError('negative')\n    return math.sqrt(x)",
           "column_sum": "def column_sum(path):\n    with open(path) as f:\n"
                         "        return sum(float(line.split(',')[1]) for line in f.read().split()[1:])",
           "why_helper": "Because the test deletes `helper` to check that `squares` uses it.",
           "cube": "def cube(x):\n    return x ** 3"}
WRONG = {"squares": "def helper(x):\n    return x * x\n\ndef squares(n):\n    return [i * i for i in range(1, n + 1)]",
         "safe_sqrt": "def safe_sqrt(x):\n    return math.sqrt(abs(x))",
         "cube": "def cube(x):\n    return x * 4"}


def _filled(release, answers: dict, added_below_task=False):
    nb = copy.deepcopy(release)
    cells = []
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
        cells.append(cell)
        if gid == "plot_cube" and added_below_task:
            cells += [new_code_cell("import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
                                    "plt.plot(range(-2, 3), [cube(x) for x in range(-2, 3)])"),
                      new_markdown_cell("The plot rises steeply on both sides.")]
    nb.cells = cells
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("parity")
    source = root / "solutions" / A
    source.mkdir(parents=True)
    nbformat.write(problem1(), source / "problem1.ipynb")
    nbformat.write(problem2(), source / "problem2.ipynb")
    (source / "data.csv").write_text("name,value\na,1\nb,2\nc,3.5\n", encoding="utf-8")

    plain = root / "plain"
    shutil.copytree(root / "solutions", plain / "source")
    api = plain_nbgrader(plain)
    assert api.generate_assignment(A)["success"]
    releases = {n: nbformat.read(plain / "release" / A / f"{n}.ipynb", as_version=4) for n in ("problem1", "problem2")}
    students = {
        "B10901001": {"problem1": _filled(releases["problem1"], CORRECT),
                      "problem2": _filled(releases["problem2"], CORRECT, added_below_task=True)},
        "B10901002": {"problem1": _filled(releases["problem1"], {**CORRECT, **WRONG, "why_helper": "YOUR ANSWER HERE"})},
        "B10901003": {"problem1": _filled(releases["problem1"], CORRECT),
                      "problem2": _filled(releases["problem2"], {**CORRECT, "cube": WRONG["cube"]})},
    }
    ours = root / "class"
    ours.mkdir()
    for student, notebooks in students.items():
        for name, nb in notebooks.items():
            folder = plain / "submitted" / student / A
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / f"{name}.ipynb")
            file = f"{student}_{name}.ipynb"
            if student == "B10901003" and name == "problem2":  # renamed by the platform, saved without cell ids
                file = f"{student}_hw_part_two.ipynb"
                nb = copy.deepcopy(nb)
                nb.cells.insert(0, new_markdown_cell("林小美 B10901003"))
                (ours / file).write_text(_strip_ids(nbformat.writes(nb)), encoding="utf-8")
                continue
            nbformat.write(nb, ours / file)
        assert api.autograde(A, student)["success"]

    from nbgrader.api import Gradebook

    plain_cells = {}
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        for student in students:
            sub = gb.find_submission(A, student)
            plain_cells[student] = {g.name: ("pending" if g.needs_manual_grade else g.auto_score)
                                    for nb in sub.notebooks for g in nb.grades}

    from autograder.grading.pipeline import grade

    results = grade(ours, assignment=A, out=root / "out", solutions=root / "solutions", workers=1, log=lambda *_: None)
    our_cells = {r.student: {g: ("pending" if g in r.pending else p) for g, p in r.cells.items()} for r in results}
    return plain_cells, our_cells, {r.student: r for r in results}, (ours, root)


def _strip_ids(text: str) -> str:
    import json

    data = json.loads(text)
    data["nbformat_minor"] = 4
    for cell in data["cells"]:
        cell.pop("id", None)
    return json.dumps(data)


def test_automatic_points_agree_with_plain_nbgrader_cell_by_cell(graded):
    plain, ours, _, _ = graded
    for student in plain:
        assert ours[student] == plain[student], student


def test_the_comparison_covers_every_kind_of_cell(graded):
    plain, _, _, _ = graded
    assert plain["B10901001"] == {"test_squares": 1, "test_squares_uses_helper": 1, "test_safe_sqrt_raises": 2,
                                  "test_column_sum": 1, "why_helper": "pending", "test_cube_partial": 1,
                                  "plot_cube": "pending"}
    assert plain["B10901002"]["test_squares_uses_helper"] == 0 and plain["B10901002"]["test_safe_sqrt_raises"] == 0
    assert plain["B10901002"]["why_helper"] == 0  # left as released: no answer, nothing to grade by hand
    assert plain["B10901002"]["test_cube_partial"] == 0  # its problem2 is missing
    assert plain["B10901003"]["test_cube_partial"] == 0.5  # partial credit


def test_hand_graded_cells_are_said_to_need_hand_grading(graded):
    _, _, results, _ = graded
    assert "needs hand grading: why_helper, plot_cube" in results["B10901001"].message
    assert results["B10901001"].pending == ["why_helper", "plot_cube"]


def test_a_missing_notebook_and_a_renamed_one_are_reported(graded):
    _, _, results, _ = graded
    assert "missing notebook(s) problem2.ipynb" in results["B10901002"].message
    assert results["B10901003"].status == "graded" and results["B10901003"].cells["test_cube_partial"] == 0.5


def test_scores_entered_in_formgrader_reach_grades_csv(graded):
    """The formgrader saves a hand-entered score through the gradebook (Grade.manual_score); the
    next `course grade` run takes it into grades.csv and the total."""
    import csv

    from nbgrader.api import Gradebook

    from autograder.grading.pipeline import grade

    _, _, results, (ours, root) = graded
    config = (root / "out" / "course" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "c.CourseDirectory.db_url" in config  # what formgrader opens, started in the course folder
    with Gradebook(f"sqlite:///{root / 'out' / 'course' / 'gradebook.db'}", "dlcourse") as gb:
        for gid, points in (("why_helper", 2), ("plot_cube", 0.5)):
            cell = gb.find_grade(gid, "problem1" if gid == "why_helper" else "problem2", A, "B10901001")
            # What formgrader's grade API does (nbgrader/server_extensions/formgrader/apihandlers.py, GradeHandler.put)
            cell.manual_score, cell.extra_credit = points, None
            cell.needs_manual_grade = cell.manual_score is None and cell.auto_score is None
        gb.db.commit()
    again = {r.student: r for r in grade(ours, assignment=A, out=root / "out", solutions=root / "solutions",
                                         workers=1, log=lambda *_: None)}
    assert again["B10901001"].pending == [] and again["B10901001"].score == results["B10901001"].score + 2.5
    row = next(r for r in csv.DictReader((root / "out" / "grades.csv").open(encoding="utf-8"))
               if r["student_id"] == "B10901001")
    assert float(row["score"]) == 5 + 1 + 2 + 0.5 and row["needs_hand_grading"] == ""
    cells = {k: v for k, v in row.items() if re.search(r"\(/[\d.]+\)$", k)}  # a column per graded cell, both notebooks
    assert len(cells) == 7, list(cells)
    assert [float(v) for k, v in cells.items() if "why helper" in k or "plot cube" in k] == [2, 0.5]
