"""Benchmark: grade a generated class of N convolution submissions at 1 and 2 workers.

The class mixes correct, wrong, tampering and broken submissions (from tests/). Prints wall
time per submission and throughput for each worker count, and where the time of one
submission goes (sandbox start-up, grading, feedback).

    .venv/bin/python benchmarks/grading_throughput.py --students 24
"""
import argparse
import itertools
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from autograder import REPO
from autograder.submissions import make_submission, parse_answers, reference_answers

A = "convolution"


def make_class(folder: Path, n: int) -> dict[str, int]:
    """n submissions cycling through kinds; returns how many of each kind."""
    ref = reference_answers(A)
    wrong = [parse_answers(p.read_text()) for p in sorted((REPO / "tests/submissions" / A).glob("*.py"))]
    tricks = [parse_answers(p.read_text()) for p in sorted((REPO / "tests/tampering").glob("*.py"))
              if p.stem not in ("infinite_loop", "sleep_forever", "memory_blowup", "fork_bomb")]
    kinds = itertools.cycle(["correct", "correct", "wrong", "tampering", "broken"])
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


def run(folder: Path, workers: int) -> float:
    from autograder.grade import grade

    out = Path(tempfile.mkdtemp(prefix=f"bench{workers}-"))
    start = time.perf_counter()
    grade(folder, assignment=A, out=out, workers=workers, log=lambda *_: None)
    elapsed = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    return elapsed


def sandbox_start_seconds(repeat: int = 5) -> float:
    from autograder.sandbox import Sandbox

    start = time.perf_counter()
    for _ in range(repeat):
        with Sandbox() as sb:
            sb.run_cell("import numpy as np")
    return (time.perf_counter() - start) / repeat


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=24)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="class-"))
    counts = make_class(folder, args.students)
    print(f"class of {args.students}: {counts}")
    print(f"sandbox start + numpy import: {sandbox_start_seconds():.2f} s")
    base = None
    for workers in (1, 2):
        elapsed = run(folder, workers)
        base = base or elapsed
        print(f"workers={workers}: {elapsed:.1f} s total, {elapsed / args.students:.2f} s per submission, "
              f"{args.students / elapsed * 60:.1f} submissions/min, speed-up {base / elapsed:.2f}x")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
