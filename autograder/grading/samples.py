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
