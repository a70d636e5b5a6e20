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
    for word in ["卷積", "池化", "步幅", "stride", "kernel"]:  # English terms are indexed stemmed
        assert word in terms, f"search index lacks {word!r}"


@pytest.mark.slow
def test_glossary_and_references_pages_are_built_from_their_data(built_book: Path):
    glossary = (built_book / "book" / "glossary.html").read_text(encoding="utf-8")
    for zh, en in [("卷積核", "kernel (filter)"), ("遷移學習", "transfer learning")]:
        assert zh in glossary and en in glossary
    refs = (built_book / "book" / "references.html").read_text(encoding="utf-8").lower()
    for title in ["deep learning", "deep residual learning for image recognition", "adam"]:
        assert title in refs  # the bibliography style may change the titles' case
