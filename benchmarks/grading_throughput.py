"""Benchmark: grade a generated class with `course grade`, as an instructor runs it.

The class mixes correct, wrong, tampering and broken submissions (from tests/). Prints the
sandbox start-up (fresh process + TensorFlow import vs a copy forked from a pre-warmed zygote),
the student's own compute (the reference answers in a warm sandbox), then for the local cluster
at 1 and 2 workers and (with --cluster) for a `dask scheduler` with two `dask worker` processes,
cold and warm: wall time, submissions per minute, the time from the command to its first graded
submission (target on a warm cluster: under 3 s), and the steady-state time per submission once
the workers are up. It starts with an empty cache of generated course directories (the first
run makes the assignment's with nbgrader; later runs, into new output folders, copy it).

    .venv/bin/python benchmarks/grading_throughput.py --students 16 [--assignment parameter_counts] [--cluster]
"""
from __future__ import annotations

import argparse
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder import REPO
from autograder.grading.samples import make_submission, parse_answers, reference_answers

BIN = Path(sys.executable).parent


def make_class(folder: Path, n: int, A: str) -> dict[str, int]:
    """n submissions cycling through kinds; returns how many of each kind."""
    ref = reference_answers(A)
    wrong = [parse_answers(p.read_text()) for p in sorted((REPO / "tests/submissions" / A).glob("*.py"))]
    tricks = [parse_answers(p.read_text()) for p in sorted((REPO / "tests/tampering").glob("*.py"))
              if p.stem not in ("infinite_loop", "sleep_forever", "memory_blowup", "fork_bomb", "slow_correct",
                               "shared_memory_hog")]
    # The tampering submissions in tests/tampering/ are written for the convolution assignment.
    kinds = itertools.cycle(["correct", "correct", "wrong", "tampering" if A == "convolution" else "wrong", "broken"])
    counts: dict[str, int] = {}
    for i in range(n):
        kind = next(kinds)
        counts[kind] = counts.get(kind, 0) + 1
        path = folder / f"B{10900000 + i}_{kind}.ipynb"
        if kind == "broken":
            path.write_text("{ not a notebook", encoding="utf-8")
            continue
        answers = {"correct": ref, "wrong": {**ref, **wrong[i % len(wrong)]},
                   "tampering": {**ref, **tricks[i % len(tricks)]}}[kind]
        nbformat.write(make_submission(A, answers), path)
    return counts


def course_grade(folder: Path, A: str, *extra: str) -> dict:
    """Run `course grade` once; the time to its first graded line, to its last, and in all."""
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    start = time.perf_counter()
    proc = subprocess.Popen([BIN / "course", "grade", str(folder), "--assignment", A, "--out", str(out), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    graded = []
    for line in proc.stdout:
        if line.startswith("["):
            graded.append(time.perf_counter() - start)
    proc.wait()
    total = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"course grade failed ({proc.returncode})")
    return {"total": total, "first": graded[0] if graded else float("nan"), "graded": graded}


def report(label: str, n: int, run: dict, workers: int) -> None:
    done = run["graded"]
    steady = (done[-1] - done[workers - 1]) / max(1, len(done) - workers) if len(done) > workers else float("nan")
    print(f"{label}: {run['total']:.1f} s for {n} ({n / run['total'] * 60:.1f}/min); first graded after "
          f"{run['first']:.1f} s; steady state {steady:.2f} s per submission ({60 / steady:.1f}/min)")


def sandbox_start_seconds(repeat: int = 3) -> tuple[float, float]:
    """(fresh sandbox + `import tensorflow`, sandbox forked from a warm zygote) in seconds."""
    from autograder.sandbox.host import Sandbox
    from autograder.sandbox.zygote import new_sandbox

    start = time.perf_counter()
    for _ in range(repeat):
        with Sandbox() as sb:
            sb.run_cell("import numpy as np, tensorflow as tf")
    fresh = (time.perf_counter() - start) / repeat
    new_sandbox().close()  # pays for the zygote once
    start = time.perf_counter()
    for _ in range(repeat):
        sb = new_sandbox()
        sb.run_cell("import numpy as np, tensorflow as tf")
        sb.close()
    return fresh, (time.perf_counter() - start) / repeat


def student_compute_seconds(A: str) -> float:
    """The reference answers' own run time: every non-test cell in an already started sandbox."""
    from autograder.grading.checker import cell_kind
    from autograder.sandbox.zygote import new_sandbox

    nb = make_submission(A, reference_answers(A))
    sb = new_sandbox()
    start = time.perf_counter()
    for cell in nb.cells:
        if cell.cell_type == "code" and cell_kind(cell) != "test":
            sb.run_cell(cell.source)
    elapsed = time.perf_counter() - start
    sb.close()
    return elapsed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster(workers: int = 2) -> tuple[str, list]:
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
           "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0", "TF_CPP_MIN_LOG_LEVEL": "3"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    procs = [subprocess.Popen([BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                               "--no-dashboard"], **quiet)]
    time.sleep(2)
    procs += [subprocess.Popen([BIN / "dask", "worker", address, "--nthreads", "1", "--no-dashboard"], **quiet)
              for _ in range(workers)]
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(workers, timeout=120)
    return address, procs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--assignment", default="convolution")
    parser.add_argument("--cluster", action="store_true", help="also grade on a dask scheduler + 2 workers")
    args = parser.parse_args()
    A, n = args.assignment, args.students
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="bench-cache-")  # cold: nothing generated yet
    folder = Path(tempfile.mkdtemp(prefix="class-"))
    counts = make_class(folder, n, A)
    print(f"{A}: class of {n}: {counts}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    fresh, forked = sandbox_start_seconds()
    print(f"sandbox start + import tensorflow: fresh process {fresh:.2f} s, forked from the zygote {forked:.3f} s")
    compute = student_compute_seconds(A)
    print(f"student's own compute (reference answers, warm sandbox): {compute:.2f} s per submission")
    for workers in (1, 2):
        report(f"local cluster, {workers} worker{'s' * (workers > 1)}", n,
               course_grade(folder, A, "--workers", str(workers)), workers)
    if args.cluster:
        address, procs = start_cluster(2)
        try:
            report("dask cluster (2 workers), cold", n, course_grade(folder, A, "--scheduler", address), 2)
            warm = course_grade(folder, A, "--scheduler", address)
            report("dask cluster (2 workers), warm", n, warm, 2)
            print(f"warm cluster, command to first graded submission: {warm['first']:.2f} s (target: under 3 s)")
        finally:
            for proc in procs[::-1]:
                proc.terminate()
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(os.environ["XDG_CACHE_HOME"], ignore_errors=True)


if __name__ == "__main__":
    main()
