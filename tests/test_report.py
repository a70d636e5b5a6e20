"""The class report and the term report: numbers checked against values worked out by hand on a
small fixed class, the page as one self-contained file, the commands on a graded class, and the
pages in Chromium at a laptop's and a phone's width."""
from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from autograder.cli import main
from autograder.grading.assignment import Question
from autograder.grading.classbook import ClassResults
from autograder.grading.results import Result
from autograder.report import page, stats
from autograder.site.colab import book_url

TAIPEI = ZoneInfo("Asia/Taipei")
DUE = datetime(2026, 11, 8, 23, 59, tzinfo=TAIPEI)
Q1 = Question("test_q1", "hw", "1. 輸出大小 (Output size)", 2.0, False, "test", "book/convolution.html")
Q2 = Question("test_q2", "hw", "2. 二維卷積 (2-D convolution)", 3.0, False, "test", "book/convolution.html")
Q3 = Question("test_q3", "hw", "3. 最大池化 (Max pooling)", 1.0, False, "test", "book/convolution.html")
FLIPPED = "AssertionError: an asymmetric kernel must not be flipped: output[0, 0] is the sum of window * kernel"


def _graded(sid: str, q1: float, q2: float, q3: float, days_late: float = 0.0, **kw) -> Result:
    handed_in = DUE + timedelta(days=days_late) if days_late else DUE - timedelta(hours=10 - (ord(sid) - ord("A")))
    return Result(sid, f"{sid}.ipynb", "graded", score=q1 + q2 + q3, max_score=6.0,
                  cells={"test_q1": q1, "test_q2": q2, "test_q3": q3}, submitted_at=handed_in.isoformat(),
                  days_late=days_late, **kw)


def small_class(out: Path = Path("/nonexistent")) -> ClassResults:
    """Six graded students (A-F), one missing (G), one invalid file (H). By hand:

    points    q1 q2 q3  score   rest of q1 (q2+q3)   rest of q2 (q1+q3)
      A        2  3  1    6       4                    3
      B        2  0  1    3       1                    3     (1.5 days late: final 2.7)
      C        0  3  1    4       4                    1
      D        2  3  1    6       4                    3
      E        0  0  1    1       1                    1
      F        2  3  1    6       4                    3
    """
    results = [
        _graded("A", 2, 3, 1),
        _graded("B", 2, 0, 1, days_late=1.5, penalty=0.3, failures={"test_q2": FLIPPED}),
        _graded("C", 0, 3, 1, failures={"test_q1": "AssertionError: output_size(n=12, k=3, stride=2, padding=1): "
                                                    "expected 6"}),
        _graded("D", 2, 3, 1),
        _graded("E", 0, 0, 1, failures={"test_q1": "AssertionError: output_size(n=7, k=2, stride=1, padding=0): "
                                                    "expected 6",
                                        "test_q2": FLIPPED}),
        _graded("F", 2, 3, 1),
        Result("G", "", "missing", max_score=6.0, message="no submission", name="林小美"),
        Result("H", "H.ipynb", "invalid", max_score=6.0, message="not a notebook (not JSON)"),
    ]
    return ClassResults("convolution", out, [Q1, Q2, Q3], results, DUE)


def test_item_numbers_match_the_values_worked_out_by_hand():
    q1, q2, q3 = stats.class_stats(small_class()).items
    assert q1.n == q2.n == q3.n == 6  # the missing and the invalid student say nothing about a question
    assert q1.mean == pytest.approx(8 / 6) and q1.difficulty == pytest.approx(2 / 3)
    assert q1.full_share == pytest.approx(4 / 6)
    assert q2.mean == pytest.approx(2.0) and q2.difficulty == pytest.approx(2 / 3)
    assert q3.mean == 1.0 and q3.difficulty == 1.0 and q3.full_share == 1.0


def test_discrimination_is_computed_against_the_rest_of_the_score():
    q1, q2, _ = stats.class_stats(small_class()).items
    # q1 against q2 + q3: both 0/1 patterns, phi = (3/6 - (4/6)(4/6)) / ((4/6)(2/6)) = 0.25
    assert q1.discrimination == pytest.approx(0.25)
    assert q2.discrimination == pytest.approx(0.25)
    # against the total score (q1 included) it would be 0.6875: the cell voting for itself
    total = stats.pearson([2, 2, 0, 2, 0, 2], [6, 3, 4, 6, 1, 6])
    assert total == pytest.approx(0.6875) and not math.isclose(q1.discrimination, total)


def test_upper_lower_index_compares_the_top_and_bottom_27_percent_on_the_rest_of_the_score():
    q1, q2, q3 = stats.class_stats(small_class()).items
    # round(0.27 * 6) = 2 students a group. q1's rest: B, E lowest (1), D, F highest (4, ties by id):
    # upper q1 = (2 + 2) / 2, lower q1 = (2 + 0) / 2 -> (2 - 1) / 2 points
    assert q1.upper_lower == pytest.approx(0.5)
    # q2's rest: C, E lowest (1), D, F highest: upper 3, lower (3 + 0) / 2 -> (3 - 1.5) / 3
    assert q2.upper_lower == pytest.approx(0.5)
    assert q3.upper_lower == 0.0


def test_cells_are_flagged_by_the_thresholds_the_page_states():
    q1, q2, q3 = stats.class_stats(small_class()).items
    assert q1.flags == [] and q2.flags == []
    assert q3.discrimination is None  # everyone earned it: no correlation to compute
    assert q3.flags == ["too_easy", "not_discriminating"]
    hard = stats.Item(Q1, 10, 0.4, 0.2, 0.2, 0.15, 0.1)
    assert hard.flags == ["too_hard", "not_discriminating"]
    # flagged as shown: r = 0.197 reads 0.20 on the page, which is not below 0.2
    assert stats.Item(Q1, 10, 1.0, 0.5, 0.5, 0.197, 0.3).flags == []
    assert stats.Item(Q1, 10, 1.0, 0.5, 0.5, 0.194, 0.3).flags == ["not_discriminating"]
    html = page.class_page(small_class())
    assert f"p &gt; {stats.TOO_EASY:g}" in html and f"p &lt; {stats.TOO_HARD:g}" in html
    assert f"r &lt; {stats.LOW_DISCRIMINATION:g}" in html


def test_scores_are_summarised_after_the_late_penalty_with_missing_late_and_invalid_listed():
    s = stats.class_stats(small_class(), pass_mark=3)
    assert s.finals == pytest.approx([6, 2.7, 4, 6, 1, 6])
    assert s.mean == pytest.approx(25.7 / 6) and s.median == pytest.approx(5.0)
    assert s.passed == 4  # B scored 3 but is 0.3 late: 2.7 does not pass
    assert [r.student for r in s.missing] == ["G"]
    assert [r.student for r in s.late] == ["B"]
    assert [r.student for r in s.attention] == ["H"]
    assert [r.student for _, r in s.submitted] == ["A", "C", "D", "E", "F", "B"]


def test_failure_messages_are_counted_per_student_with_random_inputs_merged():
    q1, q2, q3 = stats.class_stats(small_class()).items
    # two students met the same mistake on different random inputs: one kind, numbers as "…"
    assert q1.failures == [("output_size(n=…, k=…, stride=…, padding=…): expected …", 2,
                            "output_size(n=12, k=3, stride=2, padding=1): expected 6")]
    # one message everyone saw word for word is shown as it is
    flipped = FLIPPED.removeprefix("AssertionError: ")
    assert q2.failures == [(flipped, 2, flipped)]
    assert q3.failures == []
    html = page.class_page(small_class())
    assert re.search(r"an asymmetric kernel must not be flipped.*?2 位學生 \(students\)", html)
    assert f'href="{book_url("book/convolution.html")}"' in html


def _term() -> list[ClassResults]:
    """Three assignments of 10 points. Shares by hand:
    A 1.0 1.0 1.0 (steady); B missing twice; C 0.2 0.5 0.8 (rising, one below half);
    D only in the last (no row before: missing twice); E's second could not be graded."""
    q = Question("test", "hw", "q", 10.0, False, "test")

    def cls(name, week, rows):
        results = [Result(sid, f"{sid}.ipynb", status, score=score, max_score=10.0) for sid, status, score in rows]
        return ClassResults(name, Path("/nonexistent"), [q], results, DUE + timedelta(weeks=week))

    return [
        cls("third", 2, [("A", "graded", 10), ("B", "missing", 0), ("C", "graded", 8), ("D", "graded", 9),
                         ("E", "graded", 7)]),
        cls("first", 0, [("A", "graded", 10), ("B", "graded", 9), ("C", "graded", 2), ("E", "graded", 6)]),
        cls("second", 1, [("A", "graded", 10), ("B", "missing", 0), ("C", "graded", 5), ("E", "failed", 0)]),
    ]


def test_term_report_finds_who_falls_behind_and_each_trend():
    t = stats.term_stats(_term())
    assert t.assignments == ["first", "second", "third"]  # by due date, not by name
    by = {s.student: s for s in t.students}
    assert by["A"].total == 30 and by["A"].trend == pytest.approx(0.0) and not by["A"].falling_behind
    assert by["B"].behind == ["second", "third"] and by["B"].falling_behind
    assert by["C"].trend == pytest.approx(0.3) and stats.trend_word(by["C"].trend) == "rising"
    assert by["C"].behind == ["first"] and not by["C"].falling_behind
    assert by["D"].finals == {"first": None, "second": None, "third": 9} and by["D"].falling_behind
    assert by["E"].status["second"] == "failed" and by["E"].behind == []  # the grader's problem, not theirs
    assert by["E"].trend == pytest.approx(0.1)  # 0.6 then 0.7: the ungraded one left out
    assert [s.student for s in t.falling_behind] == ["B", "D"]


def test_class_report_is_one_file_that_needs_nothing_from_elsewhere(tmp_path):
    html = page.class_page(small_class(tmp_path))
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) == 3 and all(src.startswith("data:image/png;base64,") for src in images)
    assert not re.search(r'<(script|link)\b', html)
    assert not re.search(r'src="(?!data:)', html)  # no image, script or frame from a file or a server
    assert "林小美" in html and "not a notebook (not JSON)" in html


def test_report_command_refuses_what_it_cannot_report(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 1
    assert "is not a grading folder" in capsys.readouterr().err
    assert main(["report", "--all", str(tmp_path)]) == 1
    assert "no graded assignments" in capsys.readouterr().err


@pytest.mark.slow
def test_report_commands_on_a_graded_class(grade_class, tmp_path, capsys):
    results, out = grade_class("convolution")
    assert main(["report", str(out), "--pass-mark", "6"]) == 0
    assert f"class report: {out / 'report.html'}" in capsys.readouterr().out
    html = (out / "report.html").read_text(encoding="utf-8")
    for q in ["test_output_size", "test_conv2d_examples", "test_conv2d_stride_padding", "test_conv2d_same",
              "test_max_pool2d"]:
        assert q in html
    # the flipped-kernel submission fails the slides' scoreboard example (an asymmetric kernel)
    assert re.search(r"scoreboard example, first row.*?1 位學生", html)
    assert f'href="{book_url("book/convolution.html")}"' in html
    assert main(["report", str(out), "--pass-mark", "11"]) == 1
    assert "outside 0 to 10" in capsys.readouterr().err

    term = tmp_path / "grading"
    term.mkdir()
    (term / "convolution").symlink_to(out)
    assert main(["report", "--all", str(term)]) == 0
    assert f"term report: {term / 'term_report.html'}" in capsys.readouterr().out
    assert results["S0000002_untouched_release"].student in (term / "term_report.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------ in a browser

def big_class(out: Path, name: str = "convolution", week: int = 0) -> ClassResults:
    """A class of 60 for the screenshots: seeded, with late, missing and invalid students; the
    same students in every assignment (week: its due date that many weeks after convolution's)."""
    import random

    rng = random.Random(f"{name}{week}")
    names = "陳怡君 林志明 黃淑芬 張家豪 李雅婷 王建宏 吳佩珊 劉冠宇 蔡宜蓁 楊承翰".split()
    questions = [Question(gid, "convolution", t, p, False, "test", "book/convolution.html") for gid, t, p in [
        ("test_output_size", "1. 輸出大小 (Output size)", 2), ("test_conv2d_examples", "2. 二維卷積 (2-D convolution)", 2),
        ("test_conv2d_stride_padding", "2. 二維卷積 (2-D convolution)", 3),
        ("test_conv2d_same", "2. 二維卷積 (2-D convolution)", 1), ("test_max_pool2d", "3. 最大池化 (Max pooling)", 2)]]
    messages = ["AssertionError: output_size(n=12, k=3, stride=2, padding=1): expected 6", FLIPPED,
                "AssertionError: conv2d(image of shape (7, 10), kernel of shape (4, 4), stride=2, padding='same'): "
                "expected shape (4, 5), got (3, 5)", "AssertionError: padding=\"same\": a corner sees 4 pixels",
                "AssertionError: max_pool2d(image of shape (6, 13), size=3, stride=1): expected shape (4, 11)"]
    results = []
    for n in range(60):
        sid, student_name = f"B1190{n:04d}", names[n % len(names)]
        if n % 17 == 5 + week:
            results.append(Result(sid, "", "missing", max_score=10, name=student_name, message="no submission"))
            continue
        ability = random.Random(n).random() * 0.7 + rng.random() * 0.3
        cells = {q.grade_id: (q.points if rng.random() < 0.35 + 0.6 * ability - 0.25 * (i == 3) else 0.0)
                 for i, q in enumerate(questions)}
        late = max(0.0, rng.gauss(-2, 1.5))
        results.append(Result(sid, f"{sid}.ipynb", "graded", score=sum(cells.values()), max_score=10, cells=cells,
                              failures={q.grade_id: messages[i] for i, q in enumerate(questions)
                                        if not cells[q.grade_id]},
                              submitted_at=(DUE + timedelta(weeks=week, days=late or -rng.uniform(0, 5))).isoformat(),
                              name=student_name, days_late=late, penalty=float(min(5, math.ceil(late)))))
    results.append(Result("B11900099", "B11900099.ipynb", "invalid", max_score=10, name="周美玲",
                          message="B11900099.ipynb: not a notebook (not JSON)"))
    return ClassResults(name, out, questions, results, DUE + timedelta(weeks=week))


_PAGE_CHECK = """async () => {
  await Promise.all(Array.from(document.images).map(img => img.complete ? null : new Promise(done => {
      img.addEventListener('load', done); img.addEventListener('error', done); })));
  return {images: Array.from(document.images).map(img => img.naturalWidth),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.mark.slow
def test_reports_render_in_chromium_on_a_laptop_and_a_phone(browser, artifacts, tmp_path):
    from autograder.grading.samples import parse_answers, reference_answers, write_graded_layout
    from autograder.report.similarity import check

    pages = {"class_report": tmp_path / "report.html", "term_report": tmp_path / "term_report.html"}
    pages["class_report"].write_text(page.class_page(big_class(tmp_path), pass_mark=6), encoding="utf-8")
    term = [big_class(tmp_path, name, week) for week, name in enumerate(["convolution", "parameter_counts",
                                                                          "train_cnn", "resnet"])]
    pages["term_report"].write_text(page.term_page(term), encoding="utf-8")
    folder = Path(__file__).parent / "similarity" / "convolution"
    layout = write_graded_layout(tmp_path / "similar", "convolution",
                                 {"S1": reference_answers("convolution"),
                                  **{p.stem: parse_answers(p.read_text(encoding="utf-8"))
                                     for p in sorted(folder.glob("*.py"))}})
    pages["similarity_report"] = check(layout)[1]
    for name, path in pages.items():
        for width, height, device in [(1280, 900, "laptop"), (390, 844, "phone")]:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-TW")
            problems = []
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
                          else (problems.append(f"requests {r.request.url}"), r.abort())[-1])
            tab = context.new_page()
            tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            tab.on("pageerror", lambda err: problems.append(f"JavaScript error: {err}"))
            try:
                tab.goto(path.as_uri(), wait_until="load")
                seen = tab.evaluate(_PAGE_CHECK)
                tab.screenshot(path=str(artifacts / f"{name}_{device}.png"), full_page=True)
            finally:
                context.close()
            assert not problems, (name, device, problems)
            assert seen["images"] and all(w > 0 for w in seen["images"]), (name, device, seen)
            assert seen["overflow"] <= 0, f"{name} is {seen['overflow']} px wider than a {width} px screen"
