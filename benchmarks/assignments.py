"""Benchmark: grade the reference and the wrong submissions of every assignment.

Prints, per assignment, the grading wall time per submission on this machine and each
submission's score, so a reader sees at once that references get full marks and every
wrong answer loses points.

    .venv/bin/python benchmarks/assignments.py [--workers 1]
"""
import argparse
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from autograder import REPO
from autograder.release import assignments
from autograder.grading.samples import make_submission, parse_answers, reference_answers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("assignments", nargs="*", default=None)
    args = parser.parse_args()
    from autograder.grading.pipeline import grade

    for a in args.assignments or assignments():
        folder, out = Path(tempfile.mkdtemp(prefix=f"{a}-")), Path(tempfile.mkdtemp(prefix=f"{a}-out-"))
        ref = reference_answers(a)
        nbformat.write(make_submission(a, ref), folder / "S0000001_reference.ipynb")
        nbformat.write(make_submission(a, {}), folder / "S0000002_release.ipynb")
        for i, p in enumerate(sorted((REPO / "tests/submissions" / a).glob("*.py"))):
            nbformat.write(make_submission(a, {**ref, **parse_answers(p.read_text())}), folder / f"S1{i:06d}_{p.stem}.ipynb")
        start = time.perf_counter()
        results = grade(folder, assignment=a, out=out, workers=args.workers, log=lambda *_: None)
        per = (time.perf_counter() - start) / len(results)
        print(f"\n{a}: {len(results)} submissions, {per:.1f} s per submission (workers={args.workers})")
        for r in results:
            print(f"  {r.file.split('_', 1)[1].removesuffix('.ipynb'):<34} {r.score:>4g}/{r.max_score:g}")
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
