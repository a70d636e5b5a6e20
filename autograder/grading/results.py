"""Results: one per student, what the gradebook, the cache and grades.csv are written from.

A result is re-used only while everything that decides it is unchanged: the submission's
bytes, the assignment's source (hidden tests), the grader's code, the helper package, the
limits, the held-out set and the seed (`cache_key`). Each submission's seed comes from the assignment, the
student id and a course secret, so a regrade draws the same random test inputs.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

# failed: the grader's problem, never a score; interrupted: not graded yet (Ctrl-C); missing: on the roster only
STATUSES = ("graded", "invalid", "failed", "interrupted", "missing")


@dataclass
class Result:
    student: str
    file: str
    status: str  # see STATUSES: "graded", "invalid" (not a usable notebook), "failed" (grading crashed)
    score: float = 0.0
    max_score: float = 0.0  # the assignment's, also for submissions that could not be graded
    cells: dict = field(default_factory=dict)  # grade_id -> points earned
    message: str = ""
    failures: dict = field(default_factory=dict)  # grade_id -> why the check failed, in words
    pending: list = field(default_factory=list)  # grade_ids that still need hand grading
    seed: int | None = None
    submitted_at: str | None = None  # ISO time the platform received it
    name: str = ""  # from the roster
    days_late: float = 0.0  # past the due date and any extension
    penalty: float = 0.0  # points the late policy takes off
    isolation: str = ""  # the sandbox that ran it, in words
    heldout: str = ""  # the held-out set that graded trained accuracy: its name and SHA-256
    unsupported: list = field(default_factory=list)  # grade_ids of checks the grader could not run: grade by hand

    @property
    def final(self) -> float:
        """The score after the late penalty: what the platform gets."""
        return max(self.score - self.penalty, 0.0)


def course_secret(out: Path) -> str:
    """$DLCOURSE_SECRET, or a secret made once for this grading folder (out/.secret)."""
    if os.environ.get("DLCOURSE_SECRET"):
        return os.environ["DLCOURSE_SECRET"]
    path = out / ".secret"
    if not path.exists():
        out.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def submission_seed(secret: str, assignment: str, student: str) -> int:
    """The seed a submission's random test inputs come from (the same on every regrade)."""
    digest = hashlib.sha256(f"{secret}\0{assignment}\0{student}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def cache_key(files: list[Path], *, assignment_digest: str, settings: dict) -> str:
    """What a result depends on: the submission's files, the assignment and grader, the settings."""
    h = hashlib.sha256(assignment_digest.encode() + json.dumps(settings, sort_keys=True).encode())
    for path in files:
        h.update(path.name.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


class Cache:
    """out/results/<student>.json: each student's last result and the key it was graded under."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, student: str) -> Path:
        return self.folder / f"{student}.json"

    def get(self, student: str, key: str | None = None) -> Result | None:
        """The stored result, if any (and only if it was graded under `key`, when given)."""
        try:
            saved = json.loads(self._path(student).read_text(encoding="utf-8"))
            if key is not None and saved.get("key") != key:
                return None
            return Result(**saved["result"])
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def key(self, student: str) -> str | None:
        """The key the stored result was graded under."""
        try:
            return json.loads(self._path(student).read_text(encoding="utf-8")).get("key")
        except (OSError, ValueError):
            return None

    def put(self, result: Result, key: str) -> None:
        tmp = self._path(result.student).with_suffix(".tmp")
        tmp.write_text(json.dumps({"key": key, "result": asdict(result)}, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self._path(result.student))

    def all(self) -> dict[str, Result]:
        found = {}
        for path in sorted(self.folder.glob("*.json")):
            result = self.get(path.stem)
            if result is not None:
                found[result.student] = result
        return found


def safe_cell(value):
    """A CSV cell a spreadsheet shows as text: one starting with = + - @ (a formula) is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


EXPORTS = ("moodle", "canvas")


def write_export(results: list[Result], path: Path, kind: str, title: str) -> None:
    """The final scores as a course platform imports them.

    moodle: Moodle's grade import (Grades > Import > CSV file): map "ID number" to the user's
    ID number and the grade column to the assignment's grade item; feedback goes with it.
    canvas: the gradebook CSV of Canvas-based platforms (NTU COOL): students matched on
    "SIS User ID", one column for the assignment, after the "Points Possible" row.
    """
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        rows = [r for r in results if r.status != "interrupted"]
        if kind == "moodle":
            writer.writerow(["ID number", "Full name", title, "Feedback"])
            for r in rows:
                writer.writerow([safe_cell(v) for v in [r.student, r.name, round(r.final, 2), r.message]])
        elif kind == "canvas":
            writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title])
            writer.writerow(["Points Possible", "", "", "", "", max((r.max_score for r in rows), default=0)])
            for r in rows:
                writer.writerow([safe_cell(v) for v in [r.name, "", r.student, "", "", round(r.final, 2)]])
        else:
            raise ValueError(f"unknown export {kind!r}; choose one of {', '.join(EXPORTS)}")


def write_csv(results: list[Result], path: Path, questions=None) -> None:
    """grades.csv: one row per student; the graded cells in notebook order, each column with its
    maximum (questions: autograder.grading.assignment.Question list, else the cells seen)."""
    if questions is None:
        ids = sorted({cell for r in results for cell in r.cells})
        columns = [(gid, gid) for gid in ids]
    else:
        columns = [(q.grade_id, q.column) for q in questions]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "name", "status", *(label for _, label in columns), "score", "max_score",
                         "days_late", "late_penalty", "final_score", "needs_hand_grading", "submitted_at", "file",
                         "heldout", "message"])
        for r in results:
            points = [("pending" if gid in r.pending else r.cells.get(gid, 0)) for gid, _ in columns]
            writer.writerow([safe_cell(v) for v in [r.student, r.name, r.status, *points, r.score, r.max_score,
                                                    round(r.days_late, 2), round(r.penalty, 2), round(r.final, 2),
                                                    " ".join(r.pending), r.submitted_at or "", r.file, r.heldout,
                                                    r.message]])
