"""Chinese search that knows the course's vocabulary, with result snippets taken from the article.

Sphinx splits Chinese text with jieba, whose dictionary lacks most of the course's terms:
反向傳播 was indexed as 反向 + 傳播, so searching for 反向傳播 found nothing. Every Chinese
term of dlcourse/glossary.csv, with the other names it lists, goes into a jieba user
dictionary that Sphinx's zh splitter loads (html_search_options["dict"]). jieba still cuts a
term inside a longer word its own way (神經網路 in 卷積神經網路), and Sphinx drops one-character
words (熵): the splitter below also indexes every vocabulary word a text contains, and keeps them all.
"""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

from sphinx.search import languages
from sphinx.search.zh import SearchChinese

GLOSSARY = Path("dlcourse") / "glossary.csv"
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")  # a user-dictionary word has no spaces
STATIC = Path(__file__).parent / "static"


def glossary_names(path: Path) -> list[str]:
    """Every Chinese name in the glossary: each term and the other names listed beside it."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    names = []
    for row in rows:
        names.append(row[0])
        names.extend(n for n in re.split(r"[、,，]", row[2]) if n.strip())
    return [n.strip() for n in names]


def user_dictionary(names: list[str]) -> str:
    """jieba's user-dictionary format: one word a line; without a frequency jieba picks one
    high enough that the word is never split. One-character words (熵) are kept too."""
    words = sorted({w for name in names for w in CJK_RUN.findall(name)})
    return "".join(f"{w}\n" for w in words)


class CourseChinese(SearchChinese):
    """Sphinx's Chinese search, which also indexes each word of the course's vocabulary a text contains."""

    vocabulary: frozenset[str] = frozenset()

    def init(self, options: dict) -> None:
        super().init(options)  # jieba loads the user dictionary
        path = options.get("dict")
        if path and Path(path).is_file():
            self.vocabulary = frozenset(Path(path).read_text(encoding="utf-8").split())

    def split(self, input: str) -> list[str]:
        return super().split(input) + [word for word in self.vocabulary if word in input]

    def word_filter(self, stemmed_word: str) -> bool:
        return super().word_filter(stemmed_word) or stemmed_word in self.vocabulary


def write_user_dictionary(app, config) -> None:
    text = user_dictionary(glossary_names(Path(app.srcdir) / GLOSSARY))
    path = Path(app.doctreedir).parent / "jieba_userdict.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}
    # A changed vocabulary or splitter changes how every page is indexed: Sphinx re-reads all of them.
    config.course_search_vocabulary = hashlib.sha256(text.encode() + Path(__file__).read_bytes()).hexdigest()
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app):
    languages["zh"] = CourseChinese  # html_search_language: zh
    app.add_config_value("course_search_vocabulary", "", "env")
    app.connect("config-inited", write_user_dictionary)
    app.add_js_file("search_snippets.js", loading_method="defer")
    app.add_css_file("figures.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
