"""Build submissions from the release notebook: the reference solution, or given answers.

Used to check that hidden tests discriminate: the reference must score full marks, and
plausible wrong answers must lose points.
"""
import re
from pathlib import Path

import nbformat

from autograder import EXERCISES, SOLUTIONS

_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
_CELL_HEADER = re.compile(r"^# cell: (\S+)\s*$", re.MULTILINE)


def _notebook(folder: Path) -> Path:
    return next(folder.glob("*.ipynb"))


def reference_answers(assignment: str, solutions: Path = SOLUTIONS) -> dict[str, str]:
    """grade_id -> the reference solution's source for each answer cell, markers removed."""
    nb = nbformat.read(_notebook(solutions / assignment), as_version=4)
    return {
        cell.metadata["nbgrader"]["grade_id"]: "\n".join(
            line for line in cell.source.splitlines() if not _MARKER.match(line))
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def parse_answers(text: str) -> dict[str, str]:
    """Answers written as one file: each cell's code follows a `# cell: <grade_id>` line."""
    parts = _CELL_HEADER.split(text)
    return {gid: code.strip("\n") for gid, code in zip(parts[1::2], parts[2::2])}


def make_submission(assignment: str, answers: dict[str, str], *, exercises: Path = EXERCISES):
    """The release notebook with the given answer cells filled in (others left as released)."""
    nb = nbformat.read(_notebook(exercises / assignment), as_version=4)
    unknown = set(answers) - {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    if unknown:
        raise KeyError(f"no answer cells {sorted(unknown)} in {assignment}")
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def write_graded_layout(out: Path, assignment: str, answers: dict[str, dict[str, str]],
                        added: dict[str, list[str]] | None = None) -> Path:
    """A grading folder laid out as `course grade` leaves one, without grading (every student
    `graded`, no scores): for tests and benchmarks of what reads students' code from it.

    answers: student id -> their answer cells (grade id -> code); added: student id -> code cells
    they added at the end of the notebook."""
    from nbformat.v4 import new_code_cell

    from autograder.grading.results import Cache, Result

    course = Path(out) / "course"
    for kind, folder in (("source", SOLUTIONS), ("release", EXERCISES)):
        (course / kind / assignment).mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.read(_notebook(folder / assignment), as_version=4),
                       course / kind / assignment / f"{assignment}.ipynb")
    cache = Cache(Path(out) / "results")
    for student, cells in answers.items():
        nb = make_submission(assignment, cells)
        nb.cells += [new_code_cell(code) for code in (added or {}).get(student, [])]
        folder = course / "autograded" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{assignment}.ipynb")
        cache.put(Result(student, f"{student}.ipynb", "graded"), key="layout")
    return Path(out)
