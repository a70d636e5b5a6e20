"""Generate the student release (exercises/) from the nbgrader sources (solutions/)."""
import json
import shutil
import tempfile
from pathlib import Path

import nbformat

from autograder import EXERCISES, REPO, SOLUTIONS
from autograder.grading.course import prepare_course

HANDIN = REPO / "dlcourse" / "handin"  # what the pre-upload check of each notebook expects


def assignments(solutions: Path = SOLUTIONS) -> list[str]:
    """Names of the assignments in solutions/, one folder each."""
    return sorted(p.name for p in solutions.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def opened_by(week: int, solutions: Path = SOLUTIONS) -> list[str]:
    """Assignments that dlcourse/schedule.yml opens in or before `week` (and that exist)."""
    from dlcourse.schedule import assignments as scheduled

    written = set(assignments(solutions))
    return [a.id for a in scheduled() if a.opens <= week and a.id in written]


def held_back(week: int, solutions: Path = SOLUTIONS) -> list[str]:
    """Assignments the schedule does not open by `week` (written, not yet for students)."""
    opened = set(opened_by(week, solutions))
    return [a for a in assignments(solutions) if a not in opened]


def release_week(week: int, *, solutions: Path = SOLUTIONS, exercises: Path = EXERCISES,
                 handin: Path = None) -> tuple[list[str], list[str]]:
    """exercises/ holds exactly the assignments open by `week`: (released, held back) names."""
    opened, held = opened_by(week, solutions), held_back(week, solutions)
    if opened:
        release(opened, solutions=solutions, exercises=exercises, handin=handin or HANDIN)
    for name in held:
        shutil.rmtree(exercises / name, ignore_errors=True)
    return opened, held


def handin_manifest(release_nb) -> dict:
    """What the pre-upload check (dlcourse/handin.py) compares a student's notebook with."""
    from dlcourse.handin import source_hash

    found = {"graded": [], "answers": [], "tests": [], "locked": {}}
    for cell in release_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if not gid:
            continue
        if meta.get("solution"):
            found["answers"].append(gid)
        elif meta.get("grade"):
            found["graded"].append(gid)
            found["tests"] += [gid] if cell.cell_type == "code" else []
        if meta.get("locked") and not meta.get("solution"):
            found["locked"][gid] = source_hash(cell.source)
    return found


def release(names: list[str] | None = None, *, solutions: Path = SOLUTIONS,
            exercises: Path = EXERCISES, handin: Path = HANDIN) -> list[Path]:
    """Write the student version of each assignment to exercises/<name>/ and its pre-upload check's
    manifest to dlcourse/handin/<notebook>.json; returns the notebooks written."""
    written = []
    unknown = sorted(set(names or ()) - set(assignments(solutions)))
    if unknown:
        raise ValueError(f"no assignment {', '.join(unknown)} in {solutions}; "
                         f"the assignments are: {', '.join(assignments(solutions))}")
    for name in names or assignments(solutions):
        with tempfile.TemporaryDirectory() as tmp:
            prepare_course(Path(tmp), name, solutions)
            target = exercises / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(Path(tmp) / "release" / name, target)
        written += sorted(target.glob("*.ipynb"))
        handin.mkdir(parents=True, exist_ok=True)
        for nb in sorted(target.glob("*.ipynb")):
            manifest = handin_manifest(nbformat.read(nb, as_version=4))
            (handin / f"{nb.stem}.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return written
