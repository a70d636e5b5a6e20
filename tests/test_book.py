"""The book builds cleanly from scratch and shows what its chapters promise."""
import json
import re
from pathlib import Path

import pytest

from autograder import REPO

NOTEBOOK_DIRS = ["book", "exercises", "solutions"]


def committed_notebooks():
    return sorted(p for d in NOTEBOOK_DIRS for p in (REPO / d).rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("path", committed_notebooks(), ids=lambda p: str(p.relative_to(REPO)))
def test_committed_notebook_has_no_outputs(path: Path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.slow
def test_book_builds_with_every_chapter(built_book: Path):
    # build_book runs jupyter-book with --warningiserror: a failing cell or warning raises.
    for page in ["book/intro.html", "book/convolution.html", "exercises/convolution/convolution.html"]:
        assert (built_book / page).exists(), page


@pytest.mark.slow
def test_convolution_chapter_shows_its_figures(built_book: Path):
    html = (built_book / "book" / "convolution.html").read_text(encoding="utf-8")
    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    figures = [src for src in images if "_images/" in src]
    assert len(figures) >= 4, f"expected the chapter's figures, found {figures}"
    for src in figures:
        assert (built_book / "book" / src).resolve().is_file(), src
    assert "Traceback" not in html


@pytest.mark.slow
def test_chapter_pages_offer_colab(built_book: Path):
    html = (built_book / "book" / "convolution.html").read_text(encoding="utf-8")
    assert "colab.research.google.com/github/dlcourse-tw/dlcourse/blob/main/book/convolution.ipynb" in html


def test_changed_helper_package_invalidates_the_execution_cache(tmp_path):
    from autograder.site.book import _invalidate_stale_cache

    book, build = tmp_path / "repo", tmp_path / "_build"
    (book / "dlcourse").mkdir(parents=True)
    helper = book / "dlcourse" / "data.py"
    helper.write_text("X = 1\n")
    _invalidate_stale_cache(build, book)
    (build / ".jupyter_cache").mkdir()
    _invalidate_stale_cache(build, book)
    assert (build / ".jupyter_cache").exists(), "unchanged helpers keep the cache"
    helper.write_text("X = 2\n")
    _invalidate_stale_cache(build, book)
    assert not (build / ".jupyter_cache").exists(), "changed helpers drop the cache"


def _search_terms(html_dir: Path) -> dict:
    text = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])["terms"]


@pytest.mark.slow
def test_search_finds_chinese_words_and_english_terms(built_book: Path):
    terms = _search_terms(built_book)
    for word in ["卷積", "池化", "步長", "反向傳播", "損失函數", "stride", "kernel"]:  # English terms are indexed stemmed
        assert word in terms, f"search index lacks {word!r}"


@pytest.mark.slow
def test_glossary_and_references_pages_are_built_from_their_data(built_book: Path):
    glossary = (built_book / "book" / "glossary.html").read_text(encoding="utf-8")
    for zh, en in [("卷積核", "kernel (filter)"), ("遷移學習", "transfer learning")]:
        assert zh in glossary and en in glossary
    refs = (built_book / "book" / "references.html").read_text(encoding="utf-8").lower()
    for title in ["deep learning", "deep residual learning for image recognition", "adam"]:
        assert title in refs  # the bibliography style may change the titles' case


# ------------------------------------------------------------------------------------ terms

GLOSSARY = REPO / "dlcourse" / "glossary.csv"


def glossary_rows() -> list[dict]:
    import csv

    with GLOSSARY.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    return [{"term": r[0], "english": r[1], "others": [n.strip() for n in re.split(r"[、,，]", r[2]) if n.strip()],
             "chapter": r[3]} for r in rows]


def _term_sources() -> dict[str, str]:
    """Where the book names terms: every chapter cell, the book's pages, the schedule and the
    assignments' instructions (their code cells are checked by the graders, not here)."""
    sources = {}
    for path in sorted((REPO / "book").glob("*.ipynb")):
        sources[str(path.relative_to(REPO))] = "\n".join("".join(c["source"]) for c in json.loads(
            path.read_text(encoding="utf-8"))["cells"])
    for path in sorted((REPO / "book").glob("*.md")):
        if path.name != "glossary.md":  # the one page that lists the other names
            sources[str(path.relative_to(REPO))] = path.read_text(encoding="utf-8")
    for path in sorted((REPO / "solutions").rglob("*.ipynb")):
        sources[str(path.relative_to(REPO))] = "\n".join("".join(c["source"]) for c in json.loads(
            path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown")
    sources["dlcourse/schedule.yml"] = (REPO / "dlcourse" / "schedule.yml").read_text(encoding="utf-8")
    return sources


def test_book_assignments_and_schedule_use_one_name_per_glossary_term():
    rows = glossary_rows()
    terms = [r["term"] for r in rows]
    assert not {o for r in rows for o in r["others"]} & set(terms), "a name is both a term and another's alternative"
    found = []
    for where, text in _term_sources().items():
        for row in rows:
            for other in row["others"]:
                # An occurrence inside a longer glossary term is that term (函式 in 函式庫, the library).
                longer = [t for t in terms if other in t and t != other]
                for m in re.finditer(re.escape(other), text):
                    if not any(text.find(t, max(0, m.start() - len(t)), m.end() + len(t)) != -1 for t in longer):
                        found.append(f"{where}: {other!r} (the book says {row['term']!r}): ...{text[m.start() - 15:m.end() + 15]}...")
    assert not found, "\n".join(found)


def test_every_glossary_term_is_used_in_the_chapter_that_introduces_it():
    missing = []
    for row in glossary_rows():
        path = REPO / "book" / f"{row['chapter']}.ipynb"
        assert path.exists(), row
        if row["term"] not in path.read_text(encoding="utf-8"):
            missing.append(f"{row['term']} in {row['chapter']}")
    assert not missing, missing


# ------------------------------------------------------------------------------------ quizzes

def _scheduled_chapters():
    from dlcourse.schedule import load_schedule

    return [c for w in load_schedule() for c in w.chapters]


@pytest.mark.parametrize("chapter", _scheduled_chapters())
def test_quiz_cells_show_the_quiz_not_its_answer_key(chapter):
    cells = json.loads((REPO / "book" / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    quizzes = [c for c in cells if c["cell_type"] == "code" and "quiz.Question(" in "".join(c["source"])]
    assert quizzes, f"{chapter} has no quiz"
    for c in quizzes:  # its source holds the answer index and the explanation
        assert "remove-input" in c["metadata"].get("tags", []), f"{chapter}: cell {c.get('id')} shows its answers"


# ------------------------------------------------------------------------------------ typography

def page_text(html: str) -> str:
    """The text a reader sees: scripts, styles, code, typeset math and notebook inputs left out."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "pre", "code", "math"]):
        tag.decompose()
    for tag in soup.select(".math, .cell_input, .highlight"):
        tag.decompose()
    return soup.get_text(" ")


# zh-TW smart quotes turn ASCII ' and " into corner brackets: σ'(z) -> σ』(z), "Convolution" -> 「Convolution」.
CORNER_NEXT_TO_LATIN = re.compile(r"[A-Za-z\u0370-\u03ff][』「]|[』「][A-Za-z\u0370-\u03ff]")
LITERAL_BOLD = re.compile(r"\*\*")  # Markdown bold that did not render


def test_typography_check_catches_the_bugs_it_is_for():
    html = "<p>σ』(z) and 「Convolution」, **粗體**。</p><pre>x ** 2</pre><code>'a'</code>"
    text = page_text(html)
    assert CORNER_NEXT_TO_LATIN.findall(text) == ["σ』", "「C"] and LITERAL_BOLD.findall(text) == ["**", "**"]
    assert not CORNER_NEXT_TO_LATIN.search(page_text("<p>「卷積」與『池化』</p>"))


@pytest.mark.slow
def test_no_built_page_shows_corner_quotes_in_latin_text_or_literal_bold_markers(built_book: Path):
    bad = []
    for page in sorted(built_book.rglob("*.html")):
        if "_static" in page.parts:
            continue
        text = page_text(page.read_text(encoding="utf-8"))
        for m in [*CORNER_NEXT_TO_LATIN.finditer(text), *LITERAL_BOLD.finditer(text)]:
            bad.append(f"{page.relative_to(built_book)}: ...{text[max(0, m.start() - 20):m.end() + 20]!r}...")
    assert not bad, "\n".join(bad)
