"""nbgrader's side: the configuration every course command uses and the course directory it works in.

One place, no nbgrader_config.py to drift.
"""
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
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
    c.AssignLatePenalties.plugin_class = "autograder.grading.preprocessors.PercentPerDay"  # dlcourse/schedule.yml's policy
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


@contextlib.contextmanager
def keeping_ctrl_c():
    """Around a call to nbgrader's API, which catches every exception, Ctrl-C's KeyboardInterrupt
    too (a bare `except` in its capture_log), and reports a failed step: note the Ctrl-C and raise
    it again once the call returns."""
    pressed = []
    previous = signal.getsignal(signal.SIGINT) if threading.current_thread() is threading.main_thread() else None
    replace = previous not in (signal.SIG_IGN, None)  # signals are set in the main thread; Ctrl-C may be ignored

    def note(signum, frame):
        pressed.append(signum)
        raise KeyboardInterrupt

    if replace:
        signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        if replace:
            signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt


def prepare_course(course_root: Path, assignment: str, solutions: Path = SOLUTIONS, *, db_url: str | None = None,
                   cache: Path | None = None) -> None:
    """An nbgrader course directory holding one assignment's source, generated by nbgrader.

    With the default SQLite gradebook, a course directory nbgrader generated before from the same
    source, grader and versions is copied from the cache (default: ~/.cache/dlcourse): nbgrader
    is not even imported then, so grading starts sooner. A shared gradebook (db_url) is always
    generated into.
    """
    source = course_root / "source" / assignment
    shutil.copytree(solutions / assignment, source,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    kept = None if db_url else (cache or default_cache()) / "generated" / f"{assignment}-{_generated_key(source)}"
    if kept is not None and (kept / "gradebook.db").is_file():
        shutil.copytree(kept / "release", course_root / "release")
        shutil.copyfile(kept / "gradebook.db", course_root / "gradebook.db")
        return
    api = nbgrader_api(course_root, db_url=db_url)
    new_gradebook(api.coursedir.db_url)
    for attempt in range(3):  # graders sharing one gradebook may race to create the assignment
        with keeping_ctrl_c():
            result = api.generate_assignment(assignment)
        if result["success"]:
            break
    if not result["success"]:
        raise CourseError(f"nbgrader could not generate {assignment!r}:\n{result.get('log', '')}")
    if kept is not None:
        _keep(course_root, kept, assignment)


def default_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dlcourse"


def _generated_key(source: Path) -> str:
    """What nbgrader's generated release and gradebook depend on: the source, this grader, the versions."""
    from importlib.metadata import version

    from autograder import REPO, folder_digest

    versions = " ".join(version(p) for p in ("nbgrader", "nbconvert", "nbformat", "sqlalchemy"))
    return folder_digest(source, salt=(folder_digest(REPO / "autograder", "*.py") + versions).encode())


def _keep(course_root: Path, kept: Path, assignment: str) -> None:
    """Copy a freshly generated course into the cache, whole or not at all (graders may race), and
    drop all but the newest few of the assignment's earlier ones."""
    kept.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # the gradebook holds the solutions
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=kept.parent))
    try:
        shutil.copytree(course_root / "release", staging / "release")
        shutil.copyfile(course_root / "gradebook.db", staging / "gradebook.db")
        os.rename(staging, kept)
    except OSError:  # another grader kept the same course first, or the cache is not writable
        shutil.rmtree(staging, ignore_errors=True)
    versions = [p for p in kept.parent.iterdir() if p.name.rsplit("-", 1)[0] == assignment]
    for old in sorted(versions, key=lambda p: p.stat().st_mtime)[:-KEEP_GENERATED]:
        shutil.rmtree(old, ignore_errors=True)


KEEP_GENERATED = 4  # generated course directories kept per assignment
