"""The numbers the reports show, computed once, here: the pages only format them.

Item analysis, as in classical test theory, on the graded submissions (an invalid file says
nothing about a question; a cell still waiting for hand grading is left out for that student):

- difficulty index p: the mean points on the cell over its points (high = easy);
- discrimination r: the point-biserial correlation of the cell's points with the rest of the
  score (the score without this cell, so that a cell does not correlate with itself). Autograded
  cells score all or nothing, and for them this Pearson correlation is the point-biserial one;
- upper-lower index D: p among the top 27% minus p among the bottom 27% of students, ranked on
  the same rest of the score (ties broken by student id, so the groups are reproducible).

A cell is flagged too easy when p > 0.9, too hard when p < 0.3, and as not discriminating when
r < 0.2 (or r cannot be computed because everyone scored the same on it or on the rest).
Over a term a student is falling behind with two or more assignments missing or below half.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import datetime

from autograder.grading.assignment import Question
from autograder.grading.classbook import ClassResults
from autograder.grading.results import Result

TOO_EASY = 0.9  # difficulty index above this: nearly everyone earned the cell
TOO_HARD = 0.3  # below this: most of the class did not
LOW_DISCRIMINATION = 0.2  # point-biserial below this: strong and weak students did about as well
EXTREME_GROUP = 0.27  # share of the class in each of the upper and lower groups (Kelley)
BEHIND_AT = 2  # assignments missing or below half that make a student "falling behind"
BELOW = 0.5  # "below half": final score under this share of the maximum
STEADY = 0.05  # a trend under this change of share per assignment is "steady"
NOT_GRADED = ("failed", "interrupted")  # the grader's business, never held against a student

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class Item:
    """One graded cell, as the class did on it."""

    question: Question
    n: int  # students counted
    mean: float | None  # points
    full_share: float | None  # share of students with full marks
    difficulty: float | None
    discrimination: float | None  # point-biserial with the rest of the score
    upper_lower: float | None
    failures: list[tuple[str, int, str]] = field(default_factory=list)  # (what they saw, students, an example)

    @property
    def flags(self) -> list[str]:
        """too_easy, too_hard, not_discriminating: what the thresholds above say about the cell."""
        if not self.n:
            return []
        # on the values as the page shows them (two decimals): an r shown as 0.20 is not "below 0.2"
        p = None if self.difficulty is None else round(self.difficulty, 2)
        r = None if self.discrimination is None else round(self.discrimination, 2)
        found = []
        if p is not None and p > TOO_EASY:
            found.append("too_easy")
        if p is not None and p < TOO_HARD:
            found.append("too_hard")
        if r is None or r < LOW_DISCRIMINATION:
            found.append("not_discriminating")
        return found


@dataclass
class ClassStats:
    assignment: str
    max_score: float
    pass_mark: float | None
    results: list[Result]  # everyone, missing included
    graded: list[Result]
    finals: list[float]  # of the graded, after the late penalty
    mean: float | None
    median: float | None
    stdev: float | None
    passed: int | None  # graded students at or above the pass mark
    missing: list[Result]
    late: list[Result]  # most days late first
    attention: list[Result]  # invalid files, and submissions the grader could not finish
    submitted: list[tuple[datetime, Result]]  # in time order
    due: datetime | None
    items: list[Item]


def failure_kind(message: str) -> str:
    """A failure message with its numbers as "…", so that random test inputs do not split one
    mistake into many (and without the "AssertionError: " every failed check starts with)."""
    return _NUMBER.sub("…", _words(message))


def _words(message: str) -> str:
    return message.removeprefix("AssertionError: ").strip() or message.strip()


def common_failures(question: Question, results: list[Result], top: int = 3) -> list[tuple[str, int, str]]:
    """The most common kinds of failure of one cell: (what students saw, how many, an example).
    What they saw is the message itself when all of that kind read the same, else its kind."""
    seen: dict[str, list[str]] = {}
    for r in results:
        message = r.failures.get(question.grade_id)
        if message:
            seen.setdefault(failure_kind(message), []).append(_words(message))
    ranked = sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
    return [(texts[0] if len(set(texts)) == 1 else kind, len(texts), texts[0]) for kind, texts in ranked]


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's correlation; None when either side does not vary (or fewer than two pairs)."""
    if len(xs) < 2:
        return None
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:
        return None


def item(question: Question, graded: list[Result]) -> Item:
    """The item analysis of one cell (see the module docstring for the definitions)."""
    counted = sorted((r for r in graded if question.grade_id not in r.pending), key=lambda r: r.student)
    if not counted or not question.points:
        return Item(question, len(counted), None, None, None, None, None, common_failures(question, counted))
    points = [float(r.cells.get(question.grade_id, 0.0)) for r in counted]
    rest = [r.score - p for r, p in zip(counted, points)]
    mean = statistics.fmean(points)
    full = sum(p >= question.points for p in points) / len(points)
    ranked = [p for _, _, p in sorted(zip(rest, [r.student for r in counted], points))]
    size = max(1, round(EXTREME_GROUP * len(ranked)))
    upper_lower = None
    if len(ranked) >= 2:
        size = min(size, len(ranked) // 2)
        upper_lower = (statistics.fmean(ranked[-size:]) - statistics.fmean(ranked[:size])) / question.points
    return Item(question, len(counted), mean, full, mean / question.points, pearson(points, rest), upper_lower,
                common_failures(question, counted))


def class_stats(cls: ClassResults, pass_mark: float | None = None) -> ClassStats:
    """Everything the class report shows about one assignment."""
    graded = [r for r in cls.results if r.status == "graded"]
    finals = [r.final for r in graded]
    submitted = sorted(((datetime.fromisoformat(r.submitted_at), r) for r in cls.results if r.submitted_at),
                       key=lambda tr: (tr[0], tr[1].student))
    return ClassStats(
        assignment=cls.assignment, max_score=cls.max_score, pass_mark=pass_mark, results=cls.results,
        graded=graded, finals=finals,
        mean=statistics.fmean(finals) if finals else None,
        median=statistics.median(finals) if finals else None,
        stdev=statistics.stdev(finals) if len(finals) > 1 else None,
        passed=sum(f >= pass_mark for f in finals) if pass_mark is not None else None,
        missing=[r for r in cls.results if r.status == "missing"],
        late=sorted((r for r in cls.results if r.days_late > 0), key=lambda r: (-r.days_late, r.student)),
        attention=[r for r in cls.results if r.status in ("invalid", *NOT_GRADED)],
        submitted=submitted, due=cls.due,
        items=[item(q, graded) for q in cls.questions])


# ------------------------------------------------------------------------------------ the term

@dataclass
class StudentTerm:
    student: str
    name: str
    finals: dict[str, float | None]  # assignment -> final score; None: nothing graded (missing, or not yet)
    status: dict[str, str]  # assignment -> the result's status ("missing" when the class has no row)
    total: float
    trend: float | None  # change of the share of the maximum per assignment (least squares)
    behind: list[str]  # assignments missing or below half

    @property
    def falling_behind(self) -> bool:
        return len(self.behind) >= BEHIND_AT


@dataclass
class TermStats:
    assignments: list[str]  # in due order
    max_scores: dict[str, float]
    students: list[StudentTerm]

    @property
    def max_total(self) -> float:
        return sum(self.max_scores.values())

    @property
    def falling_behind(self) -> list[StudentTerm]:
        """Those falling behind, the furthest behind first."""
        return sorted((s for s in self.students if s.falling_behind), key=lambda s: (-len(s.behind), s.student))


def slope(ys: list[float]) -> float | None:
    """The least-squares slope of ys against 0, 1, 2, ... (None for fewer than two values)."""
    if len(ys) < 2:
        return None
    xs = range(len(ys))
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def term_stats(classes: list[ClassResults]) -> TermStats:
    """Each student across the term's graded assignments: scores, total, trend, who falls behind.

    A student with no row in an assignment's results counts as missing there; failed or
    interrupted grading counts as not graded yet (left out of the trend, never "behind")."""
    classes = sorted(classes, key=lambda c: (c.due is None, c.due.timestamp() if c.due else 0, c.assignment))
    names, rows = {}, {}
    for cls in classes:
        for r in cls.results:
            rows[(cls.assignment, r.student)] = r
            if r.name:
                names[r.student] = r.name
            names.setdefault(r.student, "")
    students = []
    for sid in sorted(names):
        finals, status, shares, behind = {}, {}, [], []
        for cls in classes:
            r = rows.get((cls.assignment, sid))
            status[cls.assignment] = r.status if r else "missing"
            if r is not None and r.status in NOT_GRADED:
                finals[cls.assignment] = None
                continue
            final = r.final if r is not None and r.status != "missing" else None
            finals[cls.assignment] = final
            share = (final or 0.0) / cls.max_score if cls.max_score else 0.0
            shares.append(share)
            if final is None or share < BELOW:
                behind.append(cls.assignment)
        students.append(StudentTerm(sid, names[sid], finals, status, sum(f or 0.0 for f in finals.values()),
                                    slope(shares), behind))
    return TermStats([c.assignment for c in classes], {c.assignment: c.max_score for c in classes}, students)


def trend_word(trend: float | None) -> str:
    """rising, falling, steady, or "" when there is no trend yet."""
    if trend is None:
        return ""
    return "rising" if trend > STEADY else "falling" if trend < -STEADY else "steady"
