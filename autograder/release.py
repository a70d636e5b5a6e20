"""Generate the student release (exercises/) from the nbgrader sources (solutions/)."""
import shutil
import tempfile
from pathlib import Path

from autograder import EXERCISES, SOLUTIONS
from autograder.grading.course import prepare_course


def assignments(solutions: Path = SOLUTIONS) -> list[str]:
    """Names of the assignments in solutions/, one folder each."""
    return sorted(p.name for p in solutions.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def opened_by(week: int, solutions: Path = SOLUTIONS) -> list[str]:
    """Assignments that dlcourse/schedule.yml opens in or before `week` (and that exist)."""
    from dlcourse.schedule import assignments as scheduled

    written = set(assignments(solutions))
    return [a.id for a in scheduled() if a.opens <= week and a.id in written]


def release(names: list[str] | None = None, *, solutions: Path = SOLUTIONS,
            exercises: Path = EXERCISES) -> list[Path]:
    """Write the student version of each assignment to exercises/<name>/; returns the notebooks written."""
    written = []
    for name in names or assignments(solutions):
        with tempfile.TemporaryDirectory() as tmp:
            prepare_course(Path(tmp), name, solutions)
            target = exercises / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(Path(tmp) / "release" / name, target)
        written += sorted(target.glob("*.ipynb"))
    return written
