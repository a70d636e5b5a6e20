"""The instructor's side of the course: release assignments, grade submissions, check for leaks.

Wraps nbgrader (its Python API and preprocessors); students never import this package.
"""
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"  # nbgrader source: solutions and hidden tests
EXERCISES = REPO / "exercises"  # generated student release, committed
