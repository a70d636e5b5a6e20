"""The weekly schedule and the self-check quizzes, as the course guide and chapters use them."""
import pytest

from autograder import SOLUTIONS
from dlcourse import quiz
from dlcourse.schedule import assignments, load_schedule


def test_weeks_are_consecutive_and_assignments_open_before_they_are_due():
    weeks = load_schedule()
    assert [w.week for w in weeks] == list(range(1, len(weeks) + 1))
    for a in assignments():
        assert a.opens < a.due <= weeks[-1].week, a


def test_every_written_assignment_is_on_the_schedule():
    scheduled = {a.id for a in assignments()}
    written = {p.name for p in SOLUTIONS.iterdir() if p.is_dir()}
    assert written <= scheduled, f"not on the schedule: {written - scheduled}"


def test_quiz_markdown_folds_the_answer_away():
    q = quiz.Question("28×28 影像、3×3 卷積核 (valid)，輸出邊長？", ("26", "28"), 0, "28 − 3 + 1 = 26")
    md = quiz.to_markdown([q])
    assert md.index("(A) 26") < md.index("<details>") < md.index("28 − 3 + 1 = 26")
    quiz.check_key(q, 28 - 3 + 1)
    with pytest.raises(AssertionError, match="disagrees"):
        quiz.check_key(q, 28)


def test_every_scheduled_chapter_and_every_release_is_in_the_book():
    from autograder import EXERCISES, REPO

    from autograder.site.publish import toc_files

    files = set(toc_files())
    for week in load_schedule():
        for chapter in week.chapters:
            assert (REPO / "book" / f"{chapter}.ipynb").exists(), chapter
            assert f"book/{chapter}" in files, f"book/{chapter} is not in _toc.yml"
    for folder in EXERCISES.iterdir():
        assert f"exercises/{folder.name}/{folder.name}" in files, f"{folder.name} is not in _toc.yml"


def test_every_chapter_ends_with_a_self_check_quiz():
    import json

    from autograder import REPO

    for week in load_schedule():
        for chapter in week.chapters:
            cells = json.loads((REPO / "book" / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
            code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
            assert any("quiz.show(" in src for src in code[-3:]), f"{chapter} has no quiz at its end"


def test_release_command_reads_the_schedule():
    from autograder.release import opened_by

    assert opened_by(0) == []
    assert "convolution" in opened_by(8) and "convolution" not in opened_by(7)
    assert set(opened_by(99)) == {p.name for p in SOLUTIONS.iterdir() if p.is_dir()}
