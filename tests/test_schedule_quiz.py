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
