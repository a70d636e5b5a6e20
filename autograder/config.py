"""The nbgrader configuration every course command uses (one place, no nbgrader_config.py to drift)."""
import os
import sys
from pathlib import Path

from traitlets.config import Config

# Seconds per cell when grading; hidden tests import TensorFlow (about 5-10 s on 2 cores).
CELL_TIMEOUT = 120


def nbgrader_config(course_root: Path) -> Config:
    """Config for an nbgrader course directory at course_root, with its own SQLite gradebook."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import IgnorePattern

    from autograder.preprocessors import StderrIsNotFailure

    c = Config()
    c.CourseDirectory.root = str(course_root)
    c.CourseDirectory.course_id = "dlcourse"
    c.CourseDirectory.db_url = f"sqlite:///{course_root / 'gradebook.db'}"
    c.Execute.timeout = CELL_TIMEOUT
    # nbgrader's own default list, with stderr kept visible but not scored.
    c.Autograde.autograde_preprocessors = [
        StderrIsNotFailure if pp is IgnorePattern else pp
        for pp in Autograde.autograde_preprocessors.default()
    ]
    c.Exchange.root = str(course_root / "exchange")  # never the system-wide /srv/nbgrader
    return c


def nbgrader_api(course_root: Path):
    """An NbGraderAPI bound to the course directory at course_root."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    # nbgrader runs the `alembic` command: find it beside this interpreter even if no venv is active.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    config = nbgrader_config(course_root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
