"""Grading on Dask: a local cluster by default, a real `dask scheduler` + `dask worker` cluster on
request; a worker that dies costs only a retry of its submission, and nothing is lost."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from autograder.grading.engine import WORKER_DIED, Engine
from autograder.grading.samples import make_submission, parse_answers, reference_answers
from conftest import WRONG

pytestmark = pytest.mark.slow
A = "convolution"


def slow_square(shared, job):
    time.sleep(job["sleep"])
    return {"value": job["x"] ** 2 + shared["offset"]}


def kill_own_worker(shared, job):
    if job["x"] == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
    return {"value": job["x"] ** 2 + shared["offset"]}


def _pids(client) -> dict:
    return client.run(os.getpid)


def _kill_a_busy_worker(client, prefix="grade-", timeout=120) -> int:
    """SIGKILL the process of a worker that is running a task whose key starts with prefix."""
    deadline = time.monotonic() + timeout
    pids = _pids(client)
    while time.monotonic() < deadline:
        for address, keys in client.processing().items():
            if any(str(k).startswith(prefix) for k in keys) and address in pids:
                os.kill(pids[address], signal.SIGKILL)
                return pids[address]
        time.sleep(0.05)
    raise AssertionError("no worker was busy")


def test_a_killed_worker_costs_only_a_retry_of_the_task_it_held():
    with Engine(workers=2) as engine:
        shared = engine.share({"offset": 1})
        jobs = {f"s{x}": {"x": x, "sleep": 1.5} for x in range(6)}
        killer = threading.Thread(target=_kill_a_busy_worker, args=(engine.client,), daemon=True)
        killer.start()
        outcomes = {o.key: o for o in engine.run(slow_square, shared, jobs)}
        killer.join()
    assert {k: o.value["value"] for k, o in outcomes.items()} == {f"s{x}": x * x + 1 for x in range(6)}


def test_a_task_that_kills_workers_again_is_reported_and_the_rest_go_on():
    with Engine(workers=2) as engine:
        shared = engine.share({"offset": 0})
        outcomes = {o.key: o for o in engine.run(kill_own_worker, shared, {f"s{x}": {"x": x} for x in range(5)})}
    assert outcomes["s3"].value is None and outcomes["s3"].error == WORKER_DIED
    assert {k: (o.value or {}).get("value", o.error) for k, o in outcomes.items() if k != "s3"} == {"s0": 0, "s1": 1, "s2": 4, "s4": 16}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A scheduler and two workers started with Dask's own commands, as the README documents."""
    bin_dir = Path(sys.executable).parent
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    log = tmp_path_factory.mktemp("dask") / "cluster.log"
    with log.open("wb") as out:
        procs = [subprocess.Popen([bin_dir / "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                   "--no-dashboard"], stdout=out, stderr=out, env=env)]
        time.sleep(2)
        procs += [subprocess.Popen([bin_dir / "dask", "worker", address, "--nthreads", "1", "--nworkers", "1",
                                    "--no-dashboard", "--name", f"w{i}"], stdout=out, stderr=out, env=env)
                  for i in range(2)]
    try:
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in procs[::-1]:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _class(folder: Path) -> Path:
    folder.mkdir()
    ref = reference_answers(A)
    nbformat.write(make_submission(A, ref), folder / "B10900001_reference.ipynb")
    nbformat.write(make_submission(A, {}), folder / "B10900002_release.ipynb")
    for i, path in enumerate(sorted((WRONG / A).glob("*.py"))):
        nbformat.write(make_submission(A, {**ref, **parse_answers(path.read_text())}), folder / f"B1090001{i}_{path.stem}.ipynb")
    return folder


def _summary(results):
    return {r.student: (r.status, r.score, r.cells, r.failures, r.seed) for r in results}


def test_a_dask_cluster_grades_as_the_local_one_does_and_loses_nothing_when_a_worker_dies(
        dask_cluster, tmp_path, monkeypatch):
    from distributed import Client

    from autograder.grading.pipeline import grade

    monkeypatch.setenv("DLCOURSE_SECRET", "same seeds for both runs")
    subs = _class(tmp_path / "subs")
    local = grade(subs, assignment=A, out=tmp_path / "local", workers=2, log=lambda *_: None)

    with Client(dask_cluster, timeout="30s") as watcher:
        killed = []
        killer = threading.Thread(target=lambda: killed.append(_kill_a_busy_worker(watcher)), daemon=True)
        killer.start()
        remote = grade(subs, assignment=A, out=tmp_path / "cluster", scheduler=dask_cluster, log=lambda *_: None)
        killer.join(timeout=5)
    assert killed, "a worker was killed while it graded"
    assert _summary(remote) == _summary(local)
    assert all(r.status == "graded" for r in remote)
    shutil.rmtree(tmp_path / "local")
