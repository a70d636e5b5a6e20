"""The nbgrader configuration every course command uses (one place, no nbgrader_config.py to drift)."""
import os
import sys
from pathlib import Path

from traitlets.config import Config

# Seconds per cell (or per test cell's calls into the submission) when grading.
CELL_TIMEOUT = 120


def nbgrader_config(course_root: Path, *, timeout: int = CELL_TIMEOUT, memory_mb: int = 4096,
                    db_url: str | None = None) -> Config:
    """Config for an nbgrader course directory at course_root.

    timeout: seconds a submission's cell (or a test cell's calls into it) may run;
    memory_mb: memory its process may use;
    db_url: the gradebook; by default a SQLite file in course_root. Several graders at once
    share a PostgreSQL gradebook, e.g. postgresql+psycopg://user@host/gradebook.
    """
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, IgnorePattern

    from autograder.preprocessors import SandboxedExecute

    c = Config()
    c.CourseDirectory.root = str(course_root)
    c.CourseDirectory.course_id = "dlcourse"
    # Parallel graders share the SQLite gradebook: wait for its lock instead of failing.
    c.CourseDirectory.db_url = db_url or f"sqlite:///{course_root / 'gradebook.db'}?timeout=60"
    c.SandboxedExecute.timeout = timeout
    c.SandboxedExecute.memory_mb = memory_mb
    # nbgrader's own list, with our sandboxed run in place of its in-kernel Execute; its
    # stderr filter goes too, since test cells' outputs now come from the grader itself.
    c.Autograde.autograde_preprocessors = [
        SandboxedExecute if pp is Execute else pp
        for pp in Autograde.autograde_preprocessors.default() if pp is not IgnorePattern
    ]
    c.Exchange.root = str(course_root / "exchange")  # never the system-wide /srv/nbgrader
    return c


def nbgrader_api(course_root: Path, **settings):
    """An NbGraderAPI bound to the course directory at course_root (settings: see nbgrader_config)."""
    import warnings

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from sqlalchemy.exc import SAWarning

    # nbgrader 0.9's own session warnings (one per graded notebook): noise in an instructor's log.
    warnings.filterwarnings("ignore", category=SAWarning)

    # nbgrader runs the `alembic` command: find it beside this interpreter even if no venv is active.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    config = nbgrader_config(course_root, **settings)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
