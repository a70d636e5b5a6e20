"""The similarity check: every pair of students' answer cells compared, offline, for a human to judge.

The comparison is copydetect's (https://github.com/blingenf/copydetect, MIT, on PyPI since 2020):
it tokenizes code with Pygments, turns every name into one letter (so renamed variables do not
hide a copy) and drops comments and spacing (so rewritten comments do not either), then
fingerprints the token text with winnowing, the algorithm of MOSS (Schleimer, Wilkerson and Aiken,
SIGMOD 2003). Fingerprints are a set, so reordered functions still match. It runs on the
instructor's machine with nothing sent anywhere (MOSS itself is a web service; JPlag needs Java),
its dependencies are already the course's (NumPy, Pygments, Jinja2, Matplotlib), and it has
boilerplate removal built in, which subtracting the starter code needs. Used here: its
`CodeFingerprint`, `compare_files` and `highlight_overlap`.

What is compared: each student's answer cells, one slot per cell (its grade id), and the cells
they added as one more slot. Slots are fingerprinted apart, so a match never spans two cells
(the short starter code between cells would otherwise glue everyone's endings and beginnings
into shared runs). Every code cell of the release (the starter code in the answer cells, the
set-up, the visible tests) is boilerplate: its fingerprints never count.

A side's share is how much of that student's token text (all their slots, given code included)
matches the other's own code; a pair is listed when the larger share reaches the threshold.
Matches shorter than NOISE characters of token text are ignored: array code turns into runs such
as `V=(V.V[0]-V)//V+1` that independent solutions share. On tests/similarity/ (measured): at
copydetect's default of 25 two independent loop-based solutions share 42%, at 35 they share 24%
and no other independent pair more than 10%, while the renamed and reordered copy stays at 100%.
"""
from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grading.classbook import load_class
from autograder.report import SIMILARITY_THRESHOLD as THRESHOLD

NOISE = 35  # the shortest match that counts, in characters of tokenized code


@dataclass
class Match:
    slot: str  # the answer cell's grade id, or "<notebook>: added cells"
    a_html: str  # each side's code, HTML-escaped, the matching parts in <mark>
    b_html: str


@dataclass
class Pair:
    a: str
    b: str
    share_a: float  # of a's token text, the share that matches b's own code
    share_b: float
    matches: list[Match] = field(default_factory=list)  # filled in for listed pairs only
    names: tuple[str, str] = ("", "")  # from the roster

    @property
    def score(self) -> float:
        return max(self.share_a, self.share_b)

    def line(self) -> str:
        """The pair in one line, for the terminal."""
        a, b = (f"{sid} {name}".strip() for sid, name in zip((self.a, self.b), self.names))
        slots = ", ".join(m.slot for m in self.matches)
        return f"{a} <-> {b}: {self.share_a:.0%} / {self.share_b:.0%} in common ({slots})"


def fingerprints(code: dict[str, dict[str, str]], given: str, noise: int = NOISE) -> dict[str, dict]:
    """student -> slot -> copydetect fingerprint of that cell, the given code subtracted."""
    import numpy as np
    from copydetect import CodeFingerprint

    def fingerprint(text: str, boilerplate=None):
        # window 1: every k-gram is kept (no winnowing loss); notebook answers are small
        return CodeFingerprint("cell.py", noise, 1, boilerplate=boilerplate, language="python",
                               fp=io.StringIO(text))

    boilerplate = np.array(sorted(fingerprint(given).hashes), dtype=np.int64)
    return {student: {slot: fingerprint(text, boilerplate) for slot, text in cells.items()}
            for student, cells in code.items()}


def _share(overlap: float, prints: dict) -> float:
    # Of all the student's token text, given code included: a student whose cells are mostly
    # pasted given code has little of their own, and the seams between pasted cells (the only
    # k-grams left after subtracting) must not make that little look like a copy.
    length = sum(len(p.filtered_code) for p in prints.values())
    return float(overlap / length) if length else 0.0


def compare(prints: dict[str, dict], threshold: float = THRESHOLD) -> tuple[list[Pair], list[float]]:
    """The pairs at or above the threshold (most similar first, with their matches marked), and
    every pair's score (for the distribution)."""
    from copydetect import compare_files
    from copydetect.utils import highlight_overlap

    listed, scores = [], []
    for a, b in itertools.combinations(sorted(prints), 2):
        over_a = over_b = 0.0
        found = []
        for slot in (s for s in prints[a] if s in prints[b]):  # in notebook order
            fa, fb = prints[a][slot], prints[b][slot]
            overlap, (_, share_b), slices = compare_files(fa, fb)
            if overlap:
                over_a += overlap
                over_b += share_b * fb.token_coverage
                found.append((slot, fa, fb, slices))
        pair = Pair(a, b, _share(over_a, prints[a]), _share(over_b, prints[b]))
        scores.append(pair.score)
        if pair.score >= threshold:
            for slot, fa, fb, (slices_a, slices_b) in found:
                pair.matches.append(Match(slot, highlight_overlap(fa.raw_code, slices_a, "<mark>", "</mark>",
                                                                  escape_html=True)[0],
                                          highlight_overlap(fb.raw_code, slices_b, '<mark class="b">', "</mark>",
                                                            escape_html=True)[0]))
            listed.append(pair)
    return sorted(listed, key=lambda p: (-p.score, p.a, p.b)), scores


def score_distribution(scores: list[float], threshold: float) -> str | None:
    """Every pair's similarity as a histogram, the threshold marked: a copy stands apart."""
    from autograder.report.page import data_uri, label_axes, new_figure

    if not scores:
        return None
    fig, ax = new_figure()
    _, _, bars = ax.hist([100 * s for s in scores], bins=[5 * i for i in range(21)], color="#4c78a8",
                         edgecolor="white")
    ax.bar_label(bars, labels=[f"{b.get_height():.0f}" if b.get_height() else "" for b in bars], fontsize=10)
    ax.axvline(100 * threshold, color="#b42318", label=f"門檻 (threshold) {100 * threshold:.0f}%")
    ax.margins(y=0.15)  # room for the counts: one pair among thousands still shows its "1"
    fig.legend(fontsize=11, loc="outside lower center", frameon=False)
    label_axes(ax, "相似度分布 (Similarity of all pairs)", "相似度 % (similarity)", "配對數 (pairs)")
    return data_uri(fig)


def check(folder: Path, *, threshold: float = THRESHOLD, output: Path | None = None) -> tuple[list[Pair], Path]:
    """Compare every pair of graded students of the grading folder `folder`; write the pairs at or
    above the threshold, side by side, to its similarity.html (or `output`)."""
    from markupsafe import Markup

    from autograder.report.page import render

    if not 0 < threshold <= 1:
        raise ValueError(f"threshold {threshold:g} must be a share between 0 and 1, e.g. 0.5")
    cls = load_class(Path(folder))
    code = {r.student: cls.answers(r.student) for r in cls.results if r.status == "graded"}
    code = {student: cells for student, cells in code.items() if cells}
    pairs, scores = compare(fingerprints(code, cls.given_code()), threshold)
    names = {r.student: r.name for r in cls.results}
    for pair in pairs:
        pair.names = (names.get(pair.a, ""), names.get(pair.b, ""))
        for m in pair.matches:
            m.a_html, m.b_html = Markup(m.a_html), Markup(m.b_html)
    output = Path(output or Path(folder) / "similarity.html")
    output.write_text(render("similarity.html", cls=cls, pairs=pairs, compared=len(code), n_pairs=len(scores),
                             threshold=threshold, noise=NOISE,
                             distribution=score_distribution(scores, threshold)), encoding="utf-8")
    return pairs, output
