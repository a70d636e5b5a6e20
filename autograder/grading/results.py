"""Results: one per student, what the gradebook, the cache and grades.csv are written from."""
import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading.intake import attachments


@dataclass
class Result:
    student: str
    file: str
    status: str  # "graded", "invalid" (not a usable notebook) or "failed" (grading crashed)
    score: float = 0.0
    max_score: float = 0.0  # the assignment's, also for submissions that could not be graded
    cells: dict = field(default_factory=dict)  # grade_id -> points earned
    message: str = ""


def write_csv(results: list[Result], path: Path) -> None:
    cell_ids = sorted({cell for r in results for cell in r.cells})
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "file", "status", "score", "max_score", *cell_ids, "message"])
        for r in results:
            writer.writerow([r.student, r.file, r.status, r.score, r.max_score,
                             *(r.cells.get(c, 0) for c in cell_ids), r.message])


def submission_key(notebook: Path, student: str) -> str:
    h = hashlib.sha256(notebook.read_bytes())
    for extra in attachments(notebook, student):
        h.update(extra.name.encode() + extra.read_bytes())
    return h.hexdigest()


