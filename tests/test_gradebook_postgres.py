"""Several graders at once, one PostgreSQL gradebook: nothing is lost.

Starts a throwaway PostgreSQL server (Debian's postgresql package, run as the postgres user)
on a Unix socket; skipped where the server binaries are missing.
"""
import glob
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.grading.samples import make_submission, parse_answers, reference_answers

pytestmark = pytest.mark.slow
BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    if not BIN or os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs Debian's postgresql package and root (to run it as the postgres user)")
    root = Path(tempfile.mkdtemp(prefix="pg-"))  # pytest's own tmp is closed to other users
    os.chmod(root, 0o755)
    data, sock = root / "data", root / "sock"
    for folder in (data, sock):
        folder.mkdir()
        shutil.chown(folder, "postgres")
    as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_pg, f"{BIN[-1]}/initdb", "-D", str(data), "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)
    server = subprocess.Popen([*as_pg, f"{BIN[-1]}/postgres", "-D", str(data), "-k", str(sock),
                               "-c", "listen_addresses=", "-p", "5433"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if (sock / ".s.PGSQL.5433").exists():
            break
        time.sleep(0.1)
    subprocess.run([*as_pg, "createdb", "-h", str(sock), "-p", "5433", "gradebook"], check=True)
    yield f"postgresql+psycopg://postgres@/gradebook?host={sock}&port=5433"
    server.terminate()
    server.wait(30)
    shutil.rmtree(root, ignore_errors=True)


def _grade(args):
    from autograder.grading.pipeline import grade

    folder, out, db_url = args
    return [(r.student, r.score) for r in grade(Path(folder), assignment="convolution", out=Path(out),
                                                 workers=2, db_url=db_url, log=lambda *_: None)]


def test_two_graders_share_one_postgres_gradebook_without_loss(postgres, tmp_path):
    from nbgrader.api import Gradebook

    ref = reference_answers("convolution")
    wrong = parse_answers(Path("tests/submissions/convolution/off_by_one.py").read_text())
    batches = []
    for b in range(2):
        folder = tmp_path / f"batch{b}"
        folder.mkdir()
        for i in range(3):
            answers = ref if i % 2 == 0 else {**ref, **wrong}
            nbformat.write(make_submission("convolution", answers), folder / f"B1{b}{i:05d}.ipynb")
        batches.append((str(folder), str(tmp_path / f"out{b}"), postgres))
    # Spawned, not forked: a fork of this process would inherit its Dask clients' threads, stuck.
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        graded = dict(pair for result in pool.map(_grade, batches) for pair in result)
    assert len(graded) == 6 and max(graded.values()) == 10 and min(graded.values()) < 10
    with Gradebook(postgres, "dlcourse") as gb:
        stored = {s.student.id: s.score for s in gb.assignment_submissions("convolution")}
    assert stored == graded


def test_graders_creating_one_new_gradebook_at_once_all_succeed(postgres):
    """Graders started together on an empty database race to create its tables: one creates them,
    the others find them; none fails on the other's half-made schema."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from nbgrader.api import Gradebook
    from sqlalchemy import create_engine, text

    from autograder.grading.course import new_gradebook

    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    for round_ in range(3):
        name = f"race{round_}"
        with admin.connect() as db:
            db.execute(text(f"CREATE DATABASE {name}"))
        url = postgres.replace("/gradebook?", f"/{name}?")
        start = threading.Barrier(4)

        def create():
            start.wait()
            new_gradebook(url)

        with ThreadPoolExecutor(4) as pool:
            for future in [pool.submit(create) for _ in range(4)]:
                future.result()
        with Gradebook(url, "dlcourse") as gb:  # nbgrader finds it current: no upgrade asked for
            assert gb.assignments == []
        check = create_engine(url)
        with check.connect() as db:
            assert db.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        check.dispose()
    admin.dispose()
