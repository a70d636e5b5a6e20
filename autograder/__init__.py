"""The instructor's side of the course: release assignments, grade submissions, check for leaks.

Wraps nbgrader (its Python API and preprocessors); students never import this package.
"""
import hashlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"  # nbgrader source: solutions and hidden tests
EXERCISES = REPO / "exercises"  # generated student release, committed


def folder_digest(folder: Path, pattern: str = "*", salt: bytes = b"") -> str:
    """SHA-256 of the names and contents of the files under folder matching pattern (and salt):
    what caches key on when their inputs are files that jupyter-cache or nbgrader do not track."""
    h = hashlib.sha256(salt)
    for path in sorted(folder.rglob(pattern)):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return h.hexdigest()
