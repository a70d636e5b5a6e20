"""Benchmark: grade a generated class of N submissions at 1 and 2 workers.

The class mixes correct, wrong, tampering and broken submissions (from tests/). Prints the
sandbox start-up (fresh process + TensorFlow import vs a copy forked from a pre-warmed zygote),
the student's own compute (the reference answers run in a warm sandbox), and for each worker
count: wall time per submission, the steady-state time per submission once the workers have
started, the grading overhead beyond the student's compute, throughput and speed-up.

    .venv/bin/python benchmarks/grading_throughput.py --students 24 [--assignment parameter_counts]
"""
import argparse
import itertools
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from autograder import REPO
from autograder.grading.samples import make_submission, parse_answers, reference_answers

def make_class(folder: Path, n: int, A: str) -> dict[str, int]:
    """n submissions cycling through kinds; returns how many of each kind."""
    ref = reference_answers(A)
    wrong = [parse_answers(p.read_text()) for p in sorted((REPO / "tests/submissions" / A).glob("*.py"))]
    tricks = [parse_answers(p.read_text()) for p in sorted((REPO / "tests/tampering").glob("*.py"))
              if p.stem not in ("infinite_loop", "sleep_forever", "memory_blowup", "fork_bomb")]
    # The tampering submissions in tests/tampering/ are written for the convolution assignment.
    kinds = itertools.cycle(["correct", "correct", "wrong", "tampering" if A == "convolution" else "wrong", "broken"])
    counts = {}
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


def run(folder: Path, workers: int, A: str) -> tuple[float, list[float]]:
    """(total seconds, the moments each submission finished) for grading the class."""
    from autograder.grading.pipeline import grade

    out = Path(tempfile.mkdtemp(prefix=f"bench{workers}-"))
    finished = []
    start = time.perf_counter()
    grade(folder, assignment=A, out=out, workers=workers, log=lambda *_: finished.append(time.perf_counter()))
    elapsed = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    return elapsed, [t - start for t in finished[:-1]]  # the last log line is the summary


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--assignment", default="convolution")
    args = parser.parse_args()
    A, n = args.assignment, args.students
    folder = Path(tempfile.mkdtemp(prefix="class-"))
    counts = make_class(folder, n, A)
    print(f"{A}: class of {n}: {counts}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
    fresh, forked = sandbox_start_seconds()
    print(f"sandbox start + import tensorflow: fresh process {fresh:.2f} s, forked from the zygote {forked:.3f} s")
    compute = student_compute_seconds(A)
    print(f"student's own compute (reference answers, warm sandbox): {compute:.2f} s")
    base = None
    for workers in (1, 2):
        elapsed, done = run(folder, workers, A)
        base = base or elapsed
        # Steady state: from the first finished submission on each worker to the last one.
        steady = (done[-1] - done[workers - 1]) / max(1, len(done) - workers) * workers if len(done) > workers else elapsed
        print(f"workers={workers}: {elapsed:.1f} s total ({elapsed / n:.2f} s per submission, "
              f"{n / elapsed * 60:.1f}/min, speed-up {base / elapsed:.2f}x); steady state "
              f"{steady / workers:.2f} s per submission, {steady:.2f} s per submission per worker, "
              f"overhead beyond the student's compute {steady - compute:.2f} s")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
