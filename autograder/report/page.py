"""The class report and the term report: one self-contained HTML file each.

Everything a page needs is inside it (figures as PNG data URIs, no scripts, no fonts or styles
from elsewhere), so it opens from disk, offline, and reads on a phone. The numbers come from
`stats`; this module only lays them out and draws them (Matplotlib, the course's CJK font).
"""
from __future__ import annotations

import base64
import io
import os
from datetime import datetime
from pathlib import Path

from autograder.grading.classbook import ClassResults, load_class
from autograder.report import stats
from autograder.report.stats import ClassStats, TermStats
from autograder.site.colab import book_url

FLAGS = {  # flag -> (label, threshold, CSS class); thresholds from stats, so the page says what the code does
    "too_easy": ("太簡單 (too easy)", f"p > {stats.TOO_EASY:g}", "warn"),
    "too_hard": ("太難 (too hard)", f"p < {stats.TOO_HARD:g}", "bad"),
    "not_discriminating": ("鑑別度低 (does not discriminate)", f"r < {stats.LOW_DISCRIMINATION:g}", "bad"),
}
TRENDS = {"rising": "↑ 進步 (rising)", "falling": "↓ 退步 (falling)", "steady": "→ 持平 (steady)", "": ""}
STATUS = {"graded": "已評分 (graded)", "invalid": "檔案無效 (invalid file)", "failed": "評分失敗 (grading failed)",
          "interrupted": "尚未評分 (not graded yet)", "missing": "未繳交 (missing)"}


def render(template: str, **context) -> str:
    """One of templates/ filled in (autoescaped), with the footer every page has."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v, digits=2: "—" if v is None else f"{v:.{digits}f}".rstrip("0").rstrip(".")
    env.filters["fixed"] = lambda v: "—" if v is None else f"{v:.2f}"  # the item statistics, as flagged
    env.filters["pct"] = lambda v: "—" if v is None else f"{100 * v:.0f}%"
    generated = f"產生於 (generated) {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    return env.get_template(template).render(generated=generated, **context)


def new_figure(size=(5.0, 3.3)):
    import dlcourse
    from matplotlib.figure import Figure

    dlcourse.setup_matplotlib()
    fig = Figure(figsize=size, dpi=150, layout="constrained")
    return fig, fig.add_subplot()


def data_uri(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def label_axes(ax, title: str, x: str, y: str) -> None:
    # Sizes for a phone: the figure is shown about as wide as the screen, text near body size.
    ax.set_title(title, fontsize=14)
    ax.set_xlabel(x, fontsize=13)
    ax.set_ylabel(y, fontsize=13)
    ax.tick_params(labelsize=12)


def score_histogram(s: ClassStats) -> str:
    """The graded students' final scores, one bar per point, with the maximum and the pass mark."""
    fig, ax = new_figure()
    top = s.max_score or 1
    if top <= 20:  # one bar per point, centred on it (a late 2.7 counts with the 3s)
        edges = [i - 0.5 for i in range(int(top) + 2)]
    else:  # twenty bars, the last one closed so that full marks fall in it
        edges = [top * i / 20 for i in range(21)]
    ax.hist(s.finals, bins=edges, color="#4c78a8", edgecolor="white")
    ax.axvline(top, color="#333", linestyle="--", label=f"滿分 (maximum) {top:g}")
    if s.pass_mark is not None:
        ax.axvline(s.pass_mark, color="#b42318", label=f"及格 (pass mark) {s.pass_mark:g}")
    fig.legend(fontsize=11, loc="outside lower center", ncols=2, frameon=False)  # below: never over the data
    ax.yaxis.get_major_locator().set_params(integer=True)
    label_axes(ax, "分數分布 (Score distribution)", "最終分數 (final score, after late penalty)", "學生數 (students)")
    return data_uri(fig)


def submissions_over_time(s: ClassStats) -> str | None:
    """How many had handed in by each moment, against the due date (None when no times are known)."""
    if not s.submitted:
        return None
    from matplotlib import dates

    zone = s.due.tzinfo if s.due else s.submitted[0][0].tzinfo
    times = [t for t, _ in s.submitted]
    fig, ax = new_figure()
    ax.step([times[0], *times], range(len(times) + 1), where="post", color="#4c78a8", label="已繳交 (handed in)")
    if s.due:
        ax.axvline(s.due, color="#b42318", label=f"截止 (due) {s.due:%m-%d %H:%M}")
    locator = dates.AutoDateLocator(tz=zone)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator, tz=zone))
    fig.legend(fontsize=11, loc="outside lower center", ncols=2, frameon=False)  # below: never over the data
    label_axes(ax, "繳交時間 (Submissions over time)", f"時間 (time, {zone})", "累計份數 (submissions so far)")
    return data_uri(fig)


def item_map(s: ClassStats) -> str | None:
    """Each graded cell by difficulty and discrimination, the flagged regions shaded."""
    placed = [(i, it) for i, it in enumerate(s.items, 1) if it.difficulty is not None]
    if not placed:
        return None
    fig, ax = new_figure((5.0, 4.0))
    ax.axvspan(-0.05, stats.TOO_HARD, color="#fde2e1", zorder=0)
    ax.axvspan(stats.TOO_EASY, 1.05, color="#fff1d6", zorder=0)
    ax.axhspan(-1.05, stats.LOW_DISCRIMINATION, color="#f0f0f0", zorder=0)
    for i, it in placed:
        y = it.discrimination if it.discrimination is not None else 0.0
        ax.scatter(it.difficulty, y, color="#4c78a8" if not it.flags else "#b42318", zorder=2,
                   marker="o" if it.discrimination is not None else "x")
        ax.annotate(f"Q{i}", (it.difficulty, y), xytext=(4, 4), textcoords="offset points", fontsize=12)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    label_axes(ax, "題目分析 (Item analysis)", "難度指數 p (difficulty: share of points earned)",
               "鑑別度 r (discrimination)")
    return data_uri(fig)


def term_boxplot(t: TermStats) -> str | None:
    """Each assignment's final scores as a share of its maximum, graded students only."""
    shares = [[s.finals[a] / t.max_scores[a] * 100 for s in t.students if s.status[a] == "graded"
               and s.finals[a] is not None and t.max_scores[a]] for a in t.assignments]
    if not any(shares):
        return None
    fig, ax = new_figure((5.0, 3.6))
    ax.boxplot([v or [float("nan")] for v in shares], tick_labels=t.assignments)
    ax.axhline(stats.BELOW * 100, color="#b42318", linestyle="--", label="一半 (half)")
    ax.set_ylim(-5, 105)
    ax.tick_params(axis="x", labelrotation=30)
    fig.legend(fontsize=11, loc="outside lower center", ncols=2, frameon=False)  # below: never over the data
    label_axes(ax, "各次作業成績 (Scores per assignment)", "作業 (assignment)", "最終分數 % (final score)")
    return data_uri(fig)


def _feedback_link(cls: ClassResults, student: str, page: Path) -> str | None:
    target = cls.out / "feedback" / f"{student}.html"
    return os.path.relpath(target, page.parent) if target.exists() else None


def class_page(cls: ClassResults, pass_mark: float | None = None, page: Path | None = None) -> str:
    """The class report of one graded assignment, as HTML (page: where it will be written, for links)."""
    s = stats.class_stats(cls, pass_mark)
    page = page or cls.out / "report.html"
    return render("class.html", s=s, cls=cls, flags=FLAGS, status=STATUS, thresholds=stats,
                  histogram=score_histogram(s), timeline=submissions_over_time(s), item_map=item_map(s),
                  book=lambda q: book_url(q.teaches) if q.teaches else None,
                  feedback=lambda sid: _feedback_link(cls, sid, page))


def term_page(classes: list[ClassResults]) -> str:
    """The term report: every student across the graded assignments."""
    t = stats.term_stats(classes)
    return render("term.html", t=t, trends=TRENDS, trend_word=stats.trend_word, status=STATUS, thresholds=stats,
                  boxplot=term_boxplot(t))


def graded_classes(folder: Path) -> list[ClassResults]:
    """Every grading folder directly in `folder` (as `course grade` writes grading/<assignment>)."""
    if not Path(folder).is_dir():
        raise ValueError(f"{folder} does not exist: give the folder that holds the grading folders (e.g. grading/)")
    found = [load_class(p) for p in sorted(Path(folder).iterdir()) if (p / "results").is_dir()]
    if not found:
        raise ValueError(f"no graded assignments in {folder}: give the folder that holds grading/<assignment> "
                         "folders (e.g. grading/), or one of them without --all")
    return found


def report(folder: Path, *, term: bool = False, pass_mark: float | None = None, output: Path | None = None) -> Path:
    """Write the class report of the grading folder `folder` (its report.html), or with term=True
    the term report of every grading folder in it (its term_report.html); returns the file."""
    folder = Path(folder)
    if term and pass_mark is not None:
        raise ValueError("a pass mark is set for one assignment: leave out --pass-mark with --all")
    if term:
        output = Path(output or folder / "term_report.html")
        html = term_page(graded_classes(folder))
    else:
        cls = load_class(folder)
        if pass_mark is not None and not 0 <= pass_mark <= cls.max_score:
            raise ValueError(f"pass mark {pass_mark:g} is outside 0 to {cls.max_score:g}, the maximum of "
                             f"{cls.assignment}")
        output = Path(output or folder / "report.html")
        html = class_page(cls, pass_mark, output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return output
