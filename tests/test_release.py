"""exercises/ is exactly what nbgrader generates from solutions/, and holds no answers."""
import json
from pathlib import Path

from autograder import EXERCISES
from autograder.release import assignments, release


def _cells(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_exercises_match_a_fresh_release(tmp_path):
    written = release(exercises=tmp_path)
    assert written, "no assignments found in solutions/"
    committed = sorted(p.relative_to(EXERCISES) for p in EXERCISES.rglob("*.ipynb"))
    generated = sorted(p.relative_to(tmp_path) for p in written)
    assert committed == generated
    for rel in generated:
        assert _cells(EXERCISES / rel) == _cells(tmp_path / rel), (
            f"exercises/{rel} drifted from solutions/: run `make release` and commit")


def test_every_assignment_is_released():
    assert assignments() == sorted(p.name for p in EXERCISES.iterdir() if p.is_dir())


def test_release_replaces_answers_with_stubs():
    for nb in EXERCISES.rglob("*.ipynb"):
        answers = [c for c in _cells(nb) if c["metadata"].get("nbgrader", {}).get("solution")]
        assert answers
        for cell in answers:
            assert "raise NotImplementedError()" in "".join(cell["source"])
