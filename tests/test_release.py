"""exercises/ is exactly what nbgrader generates from solutions/, and holds no answers."""
import json
from pathlib import Path

from autograder import EXERCISES
from autograder.release import assignments, release


def _cells(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_exercises_match_a_fresh_release(tmp_path):
    written = release(exercises=tmp_path, handin=tmp_path / "handin")
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


def test_release_by_week_holds_back_what_has_not_opened(tmp_path):
    from autograder.release import release_week
    from dlcourse.schedule import assignments as scheduled

    opened, held = release_week(3, exercises=tmp_path / "ex", handin=tmp_path / "handin")
    assert opened == [] and sorted(held) == assignments()
    opened, held = release_week(8, exercises=tmp_path / "ex", handin=tmp_path / "handin")
    assert opened == [a.id for a in scheduled() if a.opens <= 8] and set(opened) | set(held) == set(assignments())
    assert sorted(p.name for p in (tmp_path / "ex").iterdir()) == sorted(opened)


def test_the_book_and_the_public_tree_list_only_released_assignments(tmp_path):
    import shutil

    from autograder import REPO
    from autograder.site.publish import released_toc, toc_files

    repo = tmp_path / "repo"
    shutil.copytree(REPO / "exercises", repo / "exercises")
    shutil.copy(REPO / "_toc.yml", repo / "_toc.yml")
    assert released_toc(repo / "_toc.yml", repo) is None  # everything released: the TOC as written
    shutil.rmtree(repo / "exercises" / "resnet")
    toc = released_toc(repo / "_toc.yml", repo)
    (repo / "filtered.yml").write_text(__import__("yaml").safe_dump(toc, allow_unicode=True), encoding="utf-8")
    pages = toc_files(repo / "filtered.yml")
    assert "exercises/resnet/resnet" not in pages and "exercises/train_cnn/train_cnn" in pages
    assert "book/convolution" in pages
