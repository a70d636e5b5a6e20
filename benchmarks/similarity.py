"""Benchmark: `course similarity` on a generated class of 100 (or --students N).

Each submission is one of the four independent correct solutions (the reference and
tests/similarity/convolution/) with its variables renamed, comments changed and a line of the
student's own before each statement, at random, so that the students differ as a class's do; the
last one is a planted copy of the first, renamed again. Prints how long the check takes (reading
the notebooks, fingerprints, every pair, the HTML report) and the pairs it lists: the planted one
should be the only one.

    .venv/bin/python benchmarks/similarity.py [--students 100]
"""
import argparse
import ast
import builtins
import keyword
import random
import re
import tempfile
import time
from pathlib import Path

from autograder import REPO
from autograder.grading.samples import parse_answers, reference_answers, write_graded_layout
from autograder.report.similarity import check

KEEP = {"np", "math", "signal", "ndimage", "output_size", "conv2d", "max_pool2d", "image", "kernel", "stride",
        "padding", "size", "n", "k", *dir(builtins)}  # the assignment's names and what the code imports
WORDS = "acc best cur tmp val win row col arr buf out res idx pos top left step part grid cell box".split()


def solutions() -> list[dict[str, str]]:
    found = [reference_answers("convolution")]
    for path in sorted((REPO / "tests" / "similarity" / "convolution").glob("*.py")):
        if "copy" not in path.stem:
            found.append(parse_answers(path.read_text(encoding="utf-8")))
    return found


def _renamed(code: str, rng: random.Random) -> str:
    names = {node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name)} | \
            {a.arg for node in ast.walk(ast.parse(code)) if isinstance(node, ast.arguments) for a in node.args}
    for name in sorted(names - KEEP - set(keyword.kwlist)):
        code = re.sub(rf"\b{name}\b", f"{rng.choice(WORDS)}_{rng.randrange(100)}", code)
    return code


def _edited(code: str, rng: random.Random) -> str:
    """A line of the student's own before each statement (a trace, a check: what students add),
    so that two students drawn from one solution are no closer than independent ones; comments
    rewritten."""
    lines = []
    for line in code.splitlines():
        indent = line[: len(line) - len(line.lstrip())]
        stripped = line.strip()
        if stripped.startswith("#"):
            line = f"{indent}# {rng.choice(WORDS)} {rng.choice(WORDS)}"
        elif indent and not stripped.startswith(("else", "elif", "except", '"""')):
            lines.append(f"{indent}{rng.choice(WORDS)}_{rng.randrange(100)} = {rng.choice(WORDS)} "
                         f"{rng.choice('+-*%')} {rng.randrange(1000)}")
        lines.append(line)
    return "\n".join(lines)


def make_class(students: int, seed: int = 0) -> dict[str, dict[str, str]]:
    rng = random.Random(seed)
    bases = solutions()
    answers = {}
    for i in range(students - 1):
        base = bases[i % len(bases)]
        answers[f"B1190{i:04d}"] = {gid: _renamed(_edited(code, rng), rng) for gid, code in base.items()}
    first = next(iter(answers))
    answers[f"B1190{students - 1:04d}"] = {gid: _renamed(code, rng) for gid, code in answers[first].items()}
    return answers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    args = parser.parse_args()
    out = write_graded_layout(Path(tempfile.mkdtemp(prefix="similarity-")), "convolution", make_class(args.students))
    check(out)  # once to import copydetect, Matplotlib and Jinja2: the instructor's first run pays that too
    start = time.perf_counter()
    pairs, report = check(out)
    took = time.perf_counter() - start
    print(f"{args.students} submissions, {args.students * (args.students - 1) // 2} pairs: {took:.2f} s "
          f"(reading the notebooks, fingerprints, every pair, the report {report})")
    for pair in pairs:
        print("  " + pair.line())


if __name__ == "__main__":
    main()
