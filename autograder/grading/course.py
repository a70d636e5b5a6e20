"""nbgrader's side: the configuration every course command uses and the course directory it works in.

One place, no nbgrader_config.py to drift.
"""
import os
import shutil
import sys
from pathlib import Path

from traitlets.config import Config

from autograder import SOLUTIONS



def nbgrader_config(course_root: Path, *, db_url: str | None = None) -> Config:
    """Config for an nbgrader course directory at course_root.

    db_url: the gradebook; by default a SQLite file in course_root. Several graders at once
    share a PostgreSQL gradebook, e.g. postgresql+psycopg://user@host/gradebook.
    """
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, IgnorePattern

    from autograder.grading.preprocessors import ApplyGradedOutputs

    c = Config()
    course_root = Path(course_root).resolve()  # nbgrader and SQLite need absolute paths
    c.CourseDirectory.root = str(course_root)
    c.CourseDirectory.course_id = "dlcourse"
    # Parallel graders share the SQLite gradebook: wait for its lock instead of failing.
    c.CourseDirectory.db_url = db_url or f"sqlite:///{course_root / 'gradebook.db'}?timeout=60"
    # nbgrader's own list, with the workers' outputs in place of its in-kernel Execute; its
    # stderr filter goes too, since test cells' outputs now come from the grader itself.
    c.Autograde.autograde_preprocessors = [
        ApplyGradedOutputs if pp is Execute else pp
        for pp in Autograde.autograde_preprocessors.default() if pp is not IgnorePattern
    ]
    c.Exchange.root = str(course_root / "exchange")  # never the system-wide /srv/nbgrader
    c.AssignLatePenalties.plugin_class = "autograder.grading.late.PercentPerDay"  # dlcourse/schedule.yml's policy
    # Feedback pages in the course's template (autograder/grading/feedback.py).
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from autograder.grading.feedback import TEMPLATES, DecorateFeedback

    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, DecorateFeedback]
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES)]
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


def new_gradebook(db_url: str) -> None:
    """Create a gradebook that does not exist yet as nbgrader does (its tables, stamped with its
    alembic head), reading the head in this process: nbgrader runs the `alembic heads` command for
    that, about 3 s of a first run's start-up. A gradebook that has tables is left alone."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory
    from nbgrader.api import Base
    from nbgrader.dbutil import ALEMBIC_DIR
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(db_url, future=True)
    try:
        if inspect(engine).get_table_names():
            return
        config = AlembicConfig()
        config.set_main_option("script_location", ALEMBIC_DIR)
        head = ScriptDirectory.from_config(config).get_current_head()
        try:
            with engine.begin() as db:
                if db.dialect.name == "postgresql":  # graders started together take turns; DDL is transactional
                    db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _GRADEBOOK_LOCK})
                    if inspect(db).get_table_names():
                        return
                Base.metadata.create_all(bind=db)
                db.execute(text("CREATE TABLE IF NOT EXISTS alembic_version "
                                "(version_num VARCHAR(32) NOT NULL)"))
                db.execute(text("INSERT INTO alembic_version (version_num) SELECT :v WHERE NOT EXISTS "
                                "(SELECT 1 FROM alembic_version)"), {"v": head})
        except DBAPIError:
            # Elsewhere a racing grader may have made the tables first; anything else is a real error.
            if "alembic_version" not in inspect(engine).get_table_names():
                raise
    finally:
        engine.dispose()


_GRADEBOOK_LOCK = 0x6E62677262  # any fixed key: only graders creating a gradebook take this lock


def write_formgrader_config(course_root: Path, db_url: str | None = None) -> Path:
    """nbgrader_config.py in the course directory, so that nbgrader's formgrader (started there)
    opens the same gradebook for hand grading. Autograding stays with `course grade`."""
    c = nbgrader_config(course_root, db_url=db_url)
    path = Path(course_root) / "nbgrader_config.py"
    path.write_text(
        "# Written by `course grade` for nbgrader's formgrader (hand grading): start Jupyter in this folder.\n"
        "# Grade only by hand here; `course grade` autogrades (it runs submissions in a sandbox).\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {c.CourseDirectory.root!r}\n"
        f"c.CourseDirectory.course_id = {c.CourseDirectory.course_id!r}\n"
        f"c.CourseDirectory.db_url = {c.CourseDirectory.db_url!r}\n"
        f"c.Exchange.root = {c.Exchange.root!r}\n", encoding="utf-8")
    return path


class CourseError(RuntimeError):
    pass


def prepare_course(course_root: Path, assignment: str, solutions: Path = SOLUTIONS, **settings):
    """An nbgrader course directory holding one assignment's source, generated; returns its API.

    settings go to the grading configuration (see autograder.config.nbgrader_config).
    """
    shutil.copytree(solutions / assignment, course_root / "source" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    api = nbgrader_api(course_root, **settings)
    new_gradebook(api.coursedir.db_url)
    for attempt in range(3):  # graders sharing one gradebook may race to create the assignment
        result = api.generate_assignment(assignment)
        if result["success"]:
            break
    if not result["success"]:
        raise CourseError(f"nbgrader could not generate {assignment!r}:\n{result.get('log', '')}")
    return api


