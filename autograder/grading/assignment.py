"""An assignment as the grader sees it: its nbgrader course directory, notebooks and questions.

`prepare` makes (or re-uses) the nbgrader course directory for one assignment in the output
folder, and returns what grading needs from it: the release and source notebooks, the graded
cells in notebook order with their points and readable names, the files shipped with it, the
attachments students may hand in, and the package of data the grading workers receive.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path

import nbformat

from autograder import REPO, SOLUTIONS, folder_digest
from autograder.grading.course import nbgrader_api, prepare_course, write_formgrader_config
from autograder.grading.late import as_utc_naive, due_date
from autograder.grading.normalize import grade_id, nbgrader_meta
from autograder.limits import Limits

_HEADING = re.compile(r"^#{1,4}\s+(.+?)\s*$", re.M)


class AssignmentError(ValueError):
    """The assignment named does not exist or cannot be graded."""


@dataclass(frozen=True)
class Question:
    """One graded cell: what grades.csv, the summary and the feedback call it."""

    grade_id: str
    notebook: str
    title: str  # the section heading above the cell, e.g. "1. 輸出大小 (Output size)"
    points: float
    manual: bool  # graded by hand (written answers, tasks)
    kind: str  # "test" (autograded), "answer" (graded by hand) or "task"
    teaches: str = ""  # the book page that teaches it (path in the book, e.g. book/convolution.html)

    @property
    def label(self) -> str:
        """e.g. "2. 二維卷積 (2-D convolution): conv2d same" for the cell test_conv2d_same."""
        return f"{self.title}: {self.grade_id.removeprefix('test_').replace('_', ' ')}"

    @property
    def column(self) -> str:
        return f"{self.label} (/{self.points:g})"


@dataclass
class Assignment:
    name: str
    root: Path  # the nbgrader course directory
    db_url: str | None  # the gradebook, None for the course directory's own SQLite file
    releases: dict[str, nbformat.NotebookNode]  # notebook name (no suffix) -> release notebook
    sources: dict[str, nbformat.NotebookNode]  # the same notebooks with hidden tests
    questions: list[Question]
    shipped: dict[str, bytes]  # files shipped with the assignment: relative path -> bytes
    attachments: tuple[str, ...] = ()  # file names students may hand in beside the notebook
    digest: str = ""  # of the assignment's source folder and the grader
    due: datetime | None = None  # from dlcourse/schedule.yml
    heldout: str = ""  # the dataset whose held-out part grades trained accuracy (notebook metadata dlcourse.heldout)

    @cached_property
    def api(self):
        """nbgrader's API on the course directory, its gradebook set up (formgrader's config, the due
        date); made on first use, since importing nbgrader takes about 0.6 s (see `open`)."""
        api = nbgrader_api(self.root, db_url=self.db_url)
        write_formgrader_config(self.root, self.db_url)
        if self.due is not None:
            from nbgrader.api import Gradebook

            with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
                gb.update_or_create_assignment(self.name, duedate=as_utc_naive(self.due))
        return api

    def open(self):
        """Make `api` now: the pipeline does it while the workers grade the first submissions."""
        return self.api

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)

    def package(self, limits: Limits, heldout: dict | None = None) -> dict:
        """What every grading worker needs, as plain data; heldout: an instructor's set (autograder.heldout.read)."""
        return {"assignment": self.name, "digest": self.digest, "limits": limits.as_dict(),
                "files": self.shipped, "releases": {n: nbformat.writes(nb) for n, nb in self.releases.items()},
                "heldout": (heldout or {"dataset": self.heldout}) if self.heldout else None}


def available(solutions: Path = SOLUTIONS) -> list[str]:
    return sorted(p.name for p in solutions.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def check_name(assignment: str, solutions: Path = SOLUTIONS) -> None:
    """AssignmentError naming the valid assignments when `assignment` is not one of them."""
    if not (solutions / assignment).is_dir() or not any((solutions / assignment).glob("*.ipynb")):
        names = ", ".join(available(solutions)) or "none"
        raise AssignmentError(f"no assignment {assignment!r} in {solutions}; the assignments are: {names}")


def questions_of(name: str, nb) -> list[Question]:
    """The graded cells of one notebook, in order, each titled by the section heading above it."""
    found, title = [], name
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        graded = meta.get("task") or meta.get("grade")
        if cell.cell_type == "markdown" and not graded:
            headings = _HEADING.findall(cell.source)
            title = headings[-1] if headings else title
            continue
        if graded:
            kind = "task" if meta.get("task") else ("answer" if meta.get("solution") else "test")
            manual = kind != "test"
            found.append(Question(grade_id(cell), name, title.replace("*", "").strip(), float(meta.get("points") or 0),
                                  manual, kind))
    return found


def teaching_page(name: str) -> str:
    """The chapter read in the week the assignment opens (dlcourse/schedule.yml), as a book page."""
    from dlcourse.schedule import assignments, load_schedule

    entry = next((a for a in assignments() if a.id == name), None)
    week = next((w for w in load_schedule() if entry and w.week == entry.opens), None)
    return f"book/{week.chapters[-1]}.html" if week and week.chapters else ""


def attachments_of(name: str) -> tuple[str, ...]:
    """The files an assignment accepts beside the notebook (dlcourse/schedule.yml `attachments`)."""
    from dlcourse.schedule import assignments

    return next((tuple(a.attachments) for a in assignments() if a.id == name), ())


def _grader_digest() -> str:
    """The grader's code and the helper package: a result is re-used only while both are unchanged."""
    return hashlib.sha256((folder_digest(REPO / "autograder", "*.py") + folder_digest(REPO / "dlcourse")).encode()
                          ).hexdigest()


def prepare(out: Path, name: str, solutions: Path = SOLUTIONS, *, db_url: str | None = None) -> Assignment:
    """The nbgrader course directory out/course for the assignment, re-made when its source changed."""
    check_name(name, solutions)
    root = out / "course"
    digest = folder_digest(solutions / name, salt=(db_url or "").encode())
    stamp = root / ".source.sha256"
    if not stamp.exists() or stamp.read_text() != digest:
        shutil.rmtree(root, ignore_errors=True)
        prepare_course(root, name, solutions, db_url=db_url)
        stamp.write_text(digest)
    release_dir, source_dir = root / "release" / name, root / "source" / name
    releases = {p.stem: nbformat.read(p, as_version=4) for p in sorted(release_dir.glob("*.ipynb"))}
    sources = {p.stem: nbformat.read(p, as_version=4) for p in sorted(source_dir.glob("*.ipynb"))}
    page = teaching_page(name)
    questions = [replace(q, teaches=page) for n, nb in sources.items() for q in questions_of(n, nb)]
    shipped = {p.relative_to(source_dir).as_posix(): p.read_bytes() for p in sorted(source_dir.rglob("*"))
               if p.is_file() and p.suffix != ".ipynb" and ".ipynb_checkpoints" not in p.parts
               and p.name != "__pycache__"}
    heldout = next((nb.metadata["dlcourse"]["heldout"] for nb in sources.values()
                    if isinstance(nb.metadata.get("dlcourse"), dict) and nb.metadata["dlcourse"].get("heldout")), "")
    return Assignment(name, root.resolve(), db_url, releases, sources, questions, shipped, attachments_of(name),
                      hashlib.sha256((digest + _grader_digest()).encode()).hexdigest(), due_date(name), heldout)

