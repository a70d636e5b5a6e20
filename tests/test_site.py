"""The published book as a student meets it: every page in a real browser (headless Chromium driven
by Playwright), served over HTTP from 127.0.0.1 with the rest of the internet cut off.

Checked: pages load with no console error and nothing fetched from elsewhere; math is typeset by
the MathJax the site ships; figures load, and the numbers in them are as large as body text on a
laptop and on a phone; Chinese in figures is drawn with Noto Sans CJK; search finds every glossary
term on the pages that use it, with snippets taken from the article; quiz answers stay hidden until
their toggle opens; the course guide's schedule fits a laptop screen; the Colab and download buttons
lead to the notebooks of the repository; every internal link of the site resolves
(autograder/site/linkcheck.py).

Needs Debian's Chromium (`apt-get install -y chromium fonts-noto-cjk`; the fonts make screenshots
show Chinese text instead of boxes) and the `playwright` package; never `playwright install`.
Screenshots go to $SITE_ARTIFACTS (default: <tmp>/dlcourse-site-artifacts); the browser and
artifacts fixtures are in conftest.py (the reports' browser test uses them too).
SITE_HTML=_build/html checks an already built site instead of building the book (quick iterations).
"""
from __future__ import annotations

import functools
import http.server
import io
import json
import os
import re
import threading
import urllib.request
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from autograder import REPO
from autograder.site import colab
from autograder.site.linkcheck import check_links
from autograder.site.publish import page_source, toc_files

TIMEOUT_MS = 60_000  # the machine is shared: generous waits, each ends as soon as its condition holds
LAPTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}

# Hosts a page may try to reach that are not the site itself. None: a page of the book loads
# nothing from elsewhere, so it works offline (MathJax is shipped in _static/mathjax).
# sphinx-thebe's script names unpkg.com but fetches from it only when a reader starts live code,
# which this book does not offer. Add a host only for a resource the site cannot ship, with why.
ALLOWED_EXTERNAL_HOSTS: frozenset[str] = frozenset()
# The one request the site does not make: Chromium asks every server for /favicon.ico by itself.
# The book declares no icon, and on GitHub Pages the server root is not the book's folder anyway.
BROWSER_OWN_REQUESTS = {"/favicon.ico"}

CJK_CHARS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


# ---------------------------------------------------------------- the site, a server and a browser

@pytest.fixture(scope="module")
def site(request) -> Path:
    """The built book's HTML folder: $SITE_HTML if set, else the session's fresh build."""
    if os.environ.get("SITE_HTML"):
        return Path(os.environ["SITE_HTML"]).resolve()
    return request.getfixturevalue("built_book")


@pytest.fixture(scope="module")
def base_url(site: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def toc_pages() -> list[str]:
    """The home page and every page of the table of contents, as paths of the site."""
    return ["index.html"] + [f"{page}.html" for page in toc_files()]


def _is_local(url: str, base_url: str) -> bool:
    return url.startswith(base_url) or urlsplit(url).scheme in ("data", "blob", "about")


@dataclass
class Visit:
    """What a student's browser met on one page."""
    page: str
    url: str = ""
    problems: list[str] = field(default_factory=list)  # console errors, failed loads, external requests
    math_elements: int = 0
    math_typeset: int = 0
    math_errors: int = 0
    raw_tex: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    colab_links: list[str] = field(default_factory=list)
    download_links: list[str] = field(default_factory=list)
    text: str = ""
    lang: str = ""
    body_font_px: float = 0.0


# Text a reader sees in the article, code and typeset math left out: raw TeX left there is math
# that MathJax did not typeset.
_ARTICLE_TEXT = """() => {
  const root = document.querySelector('main article, article, main') || document.body;
  const copy = root.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .MathJax, mjx-assistive-mml')
      .forEach(e => e.remove());
  return copy.textContent;
}"""

_IMAGES = """async () => {
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = 'eager'; });
  await Promise.all(images.map(img => img.complete ? null : new Promise(done => {
      img.addEventListener('load', done); img.addEventListener('error', done); })));
  return images.map(img => ({src: img.getAttribute('src'), url: img.currentSrc || img.src,
                             width: img.naturalWidth, height: img.naturalHeight,
                             shown: img.getBoundingClientRect().width, drawn: parseFloat(img.style.width) || 0,
                             figure: !!img.closest('.cell_output, figure')}));
}"""


def visit(browser, base_url: str, page: str, viewport: dict = LAPTOP) -> tuple[Visit, object, object]:
    """Open page in a fresh browser context; returns the record, the context and the page."""
    record = Visit(page)
    context = browser.new_context(viewport=viewport, locale="zh-TW")

    def route(r):
        if _is_local(r.request.url, base_url):
            r.continue_()
        else:
            if urlsplit(r.request.url).hostname not in ALLOWED_EXTERNAL_HOSTS:
                record.problems.append(f"requests {r.request.url} from another host (the site must work offline)")
            r.abort("internetdisconnected")

    context.route("**/*", route)
    tab = context.new_page()

    def on_console(msg):
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if where and not _is_local(where, base_url):
            return  # the load was already reported by route() (or its host is allowed)
        if urlsplit(where).path in BROWSER_OWN_REQUESTS:
            return
        record.problems.append(f"console error: {msg.text} ({where})")

    def on_response(response):
        if response.status >= 400 and urlsplit(response.url).path not in BROWSER_OWN_REQUESTS:
            record.problems.append(f"HTTP {response.status} for {response.url}")

    def on_failed(request):
        if _is_local(request.url, base_url):
            record.problems.append(f"failed to load {request.url}: {request.failure}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda err: record.problems.append(f"uncaught JavaScript error: {err}"))
    tab.on("response", on_response)
    tab.on("requestfailed", on_failed)
    response = tab.goto(base_url + page, wait_until="load", timeout=TIMEOUT_MS)
    if response is None or not response.ok:
        record.problems.append(f"{page}: HTTP {response.status if response else 'no response'}")
    if page == "index.html":  # Jupyter Book's home page sends the browser on to the root page
        tab.wait_for_url(lambda url: not url.endswith("/index.html"), timeout=TIMEOUT_MS)
        tab.wait_for_load_state("load", timeout=TIMEOUT_MS)
    record.url = tab.url
    return record, context, tab


def _wait_for_mathjax(tab, record: Visit) -> None:
    record.math_elements = tab.locator(".math").count()
    if not record.math_elements:
        return
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # MathJax's script is deferred: by the page's load event it has run, or failed to load.
    try:
        tab.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                              timeout=10_000)
    except PlaywrightTimeout:
        record.problems.append("MathJax never started: the page's math stays raw TeX")
    else:
        done = tab.evaluate("ms => Promise.race([MathJax.startup.promise.then(() => true),"
                            " new Promise(resolve => setTimeout(() => resolve(false), ms))])", TIMEOUT_MS)
        if not done:
            record.problems.append(f"MathJax did not finish typesetting in {TIMEOUT_MS / 1000:.0f} s")
    record.math_typeset = tab.locator("mjx-container").count()
    record.math_errors = tab.locator("mjx-merror").count()


def inspect(tab, record: Visit) -> Visit:
    _wait_for_mathjax(tab, record)
    record.images = tab.evaluate(_IMAGES)
    record.text = tab.evaluate(_ARTICLE_TEXT)
    record.raw_tex = re.findall(r"\$\$|\\\(|\\\[|\\begin\{|\$[^$\s][^$\n]{0,80}\\[a-zA-Z]+[^$\n]{0,80}\$",
                                record.text)
    record.colab_links = tab.eval_on_selector_all('a[href*="colab.research.google.com"]',
                                                  "els => els.map(a => a.href)")
    record.download_links = tab.eval_on_selector_all("a.btn-download-source-button",
                                                     "els => els.map(a => a.href)")
    record.lang = tab.evaluate("() => document.documentElement.lang")
    record.body_font_px = tab.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('article p') || document.body).fontSize)")
    return record


@pytest.fixture(scope="module")
def visits(browser, base_url, artifacts) -> dict[str, Visit]:
    """Every page of the book, opened once; a viewport screenshot of each goes to the artifacts."""
    records = {}
    for page in toc_pages():
        record, context, tab = visit(browser, base_url, page)
        try:
            records[page] = inspect(tab, record)
            tab.screenshot(path=str(artifacts / (page.replace("/", "__").removesuffix(".html") + ".png")))
        finally:
            context.close()
    return records


@pytest.fixture(scope="module")
def phone_visits(browser, base_url, artifacts) -> dict[str, Visit]:
    """Every chapter page at a phone's width; a screenshot of each goes to the artifacts."""
    records = {}
    for page in toc_pages()[1:]:
        record, context, tab = visit(browser, base_url, page, PHONE)
        try:
            records[page] = inspect(tab, record)
            tab.screenshot(path=str(artifacts / (page.replace("/", "__").removesuffix(".html") + "_phone.png")))
        finally:
            context.close()
    return records


# ------------------------------------------------------------------------------------ page tests

@pytest.mark.slow
def test_every_page_loads_without_console_errors_or_requests_elsewhere(visits):
    problems = [f"{page}: {p}" for page, v in visits.items() for p in v.problems]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_home_page_leads_to_the_book(visits):
    assert visits["index.html"].url.endswith(f"{toc_files()[0]}.html")
    assert all(v.lang == "zh-TW" for v in visits.values()), {p: v.lang for p, v in visits.items()}


@pytest.mark.slow
def test_pages_open_with_their_title_not_the_colab_setup_cell(site: Path):
    # The set-up cell is tagged remove-cell: in the notebook for Colab, not on the site.
    pages = [f"{page}.html" for page in toc_files()]
    shown = [page for page in pages if "google.colab" in (site / page).read_text(encoding="utf-8")]
    assert not shown, shown


@pytest.mark.slow
def test_math_is_typeset_offline(visits):
    with_math = {p: v for p, v in visits.items() if v.math_elements}
    assert with_math, "no page shows math: the chapters have formulas"
    for page, v in with_math.items():
        assert v.math_typeset >= v.math_elements, f"{page}: {v.math_typeset} of {v.math_elements} typeset"
        assert v.math_errors == 0, f"{page}: {v.math_errors} TeX errors"
    raw = {p: v.raw_tex[:5] for p, v in visits.items() if v.raw_tex}
    assert not raw, f"raw TeX visible on pages: {raw}"


@pytest.mark.slow
def test_figures_load(visits):
    broken = [f"{p}: {img['src']}" for p, v in visits.items() for img in v.images if img["width"] == 0]
    assert not broken, "images that did not load:\n" + "\n".join(broken)
    chapters = [p for p in visits if p.startswith("book/") and page_source(REPO, p[:-5]).suffix == ".ipynb"]
    for page in chapters:
        assert any(img["figure"] for img in visits[page].images), f"{page}: no figure"


@pytest.mark.slow
def test_no_page_shows_a_missing_glyph_warning(visits):
    # Chapters show stderr: a figure drawn without a CJK font would print "Glyph ... missing".
    bad = [p for p, v in visits.items() if re.search(r"Glyph \d+ .*missing from|missing from font", v.text)]
    assert not bad, bad


@pytest.mark.slow
def test_colab_buttons_open_notebooks_of_the_repository(visits):
    notebook_pages = [p for p in visits if p != "index.html" and page_source(REPO, p[:-5]).suffix == ".ipynb"]
    assert notebook_pages
    for page in notebook_pages:
        links = visits[page].colab_links
        assert len(links) == 1, f"{page}: Colab links {links}"
        path = colab.notebook_path(links[0])  # raises for another repository or branch
        assert path == f"{page[:-5]}.ipynb", (page, path)
        assert (REPO / path).is_file(), f"{page}: its Colab button opens {path}, which the repository lacks"
        assert links[0] == colab.colab_url(page)
    for page in set(visits) - set(notebook_pages):
        assert not visits[page].colab_links, f"{page} is no notebook but offers Colab"


@pytest.mark.slow
def test_download_buttons_give_the_repository_notebooks(visits):
    for page, v in visits.items():
        if page == "index.html":
            continue
        assert len(v.download_links) == 1, f"{page}: download links {v.download_links}"
        with urllib.request.urlopen(v.download_links[0], timeout=30) as response:
            body = response.read().decode("utf-8")
        source = page_source(REPO, page[:-5])
        if source.suffix != ".ipynb":
            assert body == source.read_text(encoding="utf-8"), page
            continue
        downloaded = json.loads(body)["cells"]
        original = json.loads(source.read_text(encoding="utf-8"))["cells"]
        assert ["".join(c["source"]) for c in downloaded] == ["".join(c["source"]) for c in original], page
        # Assignments: the nbgrader metadata travels, so a downloaded notebook can be submitted.
        assert [c["metadata"].get("nbgrader") for c in downloaded] == \
            [c["metadata"].get("nbgrader") for c in original], page


# ------------------------------------------------------------------------------------ search

@pytest.mark.slow
@pytest.mark.parametrize("word,page", [("卷積", "book/convolution.html"), ("stride", "book/convolution.html")])
def test_search_finds_chinese_words_and_english_terms(browser, base_url, word, page):
    _, context, tab = visit(browser, base_url, f"search.html?q={quote(word)}")
    try:
        tab.wait_for_selector("#search-results ul.search li a", timeout=TIMEOUT_MS)
        # Sphinx adds results one by one, then writes its summary: wait for the summary.
        tab.wait_for_function("() => !document.querySelector('#search-results').classList.contains('loading')"
                              " && document.querySelector('#search-results p.search-summary')"
                              " && document.querySelector('#search-results p.search-summary').textContent.trim()",
                              timeout=TIMEOUT_MS)
        hrefs = tab.eval_on_selector_all("#search-results ul.search li a", "els => els.map(a => a.href)")
    finally:
        context.close()
    assert any(urlsplit(h).path.endswith("/" + page) for h in hrefs), f"{word}: {hrefs}"


# ------------------------------------------------------------------------------------ fonts

def test_chinese_in_figures_is_drawn_with_noto_sans_cjk(artifacts):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    import dlcourse

    family = dlcourse.setup_matplotlib()
    assert family.startswith("Noto Sans CJK"), family
    text = "卷積層 (convolution layer)：步幅 stride、填補 padding、池化 pooling，輸入→輸出"
    # Matplotlib draws each glyph with the first font of its list that has it: that must be Noto.
    prop = font_manager.FontProperties(family=matplotlib.rcParams["font.family"])
    first = font_manager.get_font(font_manager.findfont(prop, fallback_to_default=False))
    assert first.family_name.startswith("Noto Sans CJK"), first.family_name
    missing = [ch for ch in set(text) if first.get_char_index(ord(ch)) == 0]
    assert not missing, f"{first.family_name} lacks {missing}: they would fall back to another font"

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
        ax.plot([-2, -1, 0, 1, 2], [4, 1, 0, 1, 4])
        ax.set_title(text, fontsize=9)
        ax.set_xlabel("輸入 (input) x")
        ax.set_ylabel("損失 (loss)")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
    glyph_warnings = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert not glyph_warnings, glyph_warnings
    (artifacts / "matplotlib_chinese_labels.png").write_bytes(buffer.getvalue())


@pytest.mark.slow
def test_screenshot_of_a_chapter_with_a_chinese_labelled_figure(browser, base_url, artifacts):
    page = "book/convolution.html"
    _, context, tab = visit(browser, base_url, page)
    try:
        figure = tab.locator(".cell_output img").first
        figure.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
        tab.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=figure.element_handle(),
                              timeout=TIMEOUT_MS)
        tab.screenshot(path=str(artifacts / "chapter_with_figure.png"))
        figure.screenshot(path=str(artifacts / "chapter_figure.png"))
        # Which fonts drew the chapter's title: Chinese text needs a CJK font on the reader's
        # machine (fonts-noto-cjk here), or the screenshots show boxes.
        session = context.new_cdp_session(tab)
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        h1 = session.send("DOM.querySelector", {"nodeId": root, "selector": "article h1"})["nodeId"]
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": h1})["fonts"]
        title = tab.locator("article h1").first.inner_text()
    finally:
        context.close()
    assert CJK_CHARS.search(title), title
    cjk_glyphs = sum(f["glyphCount"] for f in fonts if "CJK" in f["familyName"] + f.get("postScriptName", ""))
    assert cjk_glyphs >= len(CJK_CHARS.findall(title)), (
        f"the title {title!r} was drawn with {fonts}: install fonts-noto-cjk")
    assert (artifacts / "chapter_figure.png").stat().st_size > 1000


# ------------------------------------------------------------------------------------ links

@pytest.mark.slow
def test_every_internal_link_of_the_site_resolves(site: Path):
    report = check_links(site)
    assert report.pages >= len(toc_pages()), report.pages
    assert not report.broken, "\n".join(map(str, report.broken))
    hosts = {urlsplit(url).hostname for url in report.external}
    assert "colab.research.google.com" in hosts and "github.com" in hosts, hosts
    assert not hosts & {"localhost", "127.0.0.1"}, hosts


def _mini_site(root: Path) -> Path:
    (root / "book").mkdir(parents=True)
    (root / "_static").mkdir()
    (root / "_static" / "app.js").write_text("", encoding="utf-8")
    (root / "_static" / "macros.html").write_text('<a href="{{ pathto(x) }}">', encoding="utf-8")
    (root / "index.html").write_text('<meta http-equiv="refresh" content="0; url=book/a.html">', encoding="utf-8")
    (root / "book" / "a.html").write_text(
        '<h1 id="top">A</h1><a name="old-anchor"></a><script src="../_static/app.js"></script>'
        '<a href="b.html#part">ok</a> <a href="#top">ok</a> <a href="#old-anchor">ok</a>'
        '<a href="b.html#nowhere">bad fragment</a> <a href="missing.html">bad file</a>'
        '<a href="../../outside.html">outside</a> <a href="/book/b.html">root-relative</a>'
        '<a href="https://example.org/x">external</a> <a href="mailto:a@b.c">mail</a>'
        '<img src="../_images/gone.png"> <a href="https://org.github.io/course/book/b.html#part">same site</a>',
        encoding="utf-8")
    (root / "book" / "b.html").write_text('<section id="part"><a href="a.html?x=1">ok</a></section>',
                                          encoding="utf-8")
    return root


def test_link_check_finds_broken_links_and_lists_external_ones(tmp_path):
    report = check_links(_mini_site(tmp_path), site_url="https://org.github.io/course")
    broken = {(b.page, b.url) for b in report.broken}
    assert broken == {
        ("book/a.html", "b.html#nowhere"), ("book/a.html", "missing.html"),
        ("book/a.html", "../../outside.html"), ("book/a.html", "/book/b.html"),
        ("book/a.html", "../_images/gone.png"),
    }, report.broken
    assert set(report.external) == {"https://example.org/x"}
    assert report.pages == 3  # _static/macros.html is a theme's template, not a page


# ------------------------------------------------------------------------------------ figures

def smallest_font_px(site: Path, img: dict, page: str) -> float:
    """The smallest text a figure was drawn with, in pixels at its drawn size (dlcourse.plotting records it)."""
    from PIL import Image

    from dlcourse.plotting import FONT_PX_KEY

    path = (site / page).parent / img["src"]
    with Image.open(path) as png:
        assert FONT_PX_KEY in png.text, f"{page}: {img['src']} was not drawn through dlcourse.setup_matplotlib()"
        return float(png.text[FONT_PX_KEY])


def _small_figure_text(site: Path, visits: dict[str, Visit]) -> list[str]:
    small = []
    for page, v in visits.items():
        for img in v.images:
            if not (img["figure"] and img["drawn"]):
                continue  # not a matplotlib figure of a chapter
            shown_px = smallest_font_px(site, img, page) * img["shown"] / img["drawn"]
            if shown_px < v.body_font_px:
                small.append(f"{page}: {img['src']} shows text {shown_px:.1f} px tall, body text is {v.body_font_px:g} px "
                             f"(drawn {img['drawn']:.0f} px wide, shown {img['shown']:.0f} px)")
    return small


@pytest.mark.slow
def test_numbers_in_figures_are_as_large_as_body_text_on_a_laptop(site, visits):
    figures = [img for v in visits.values() for img in v.images if img["figure"] and img["drawn"]]
    assert len(figures) > 50, len(figures)
    small = _small_figure_text(site, visits)
    assert not small, "\n".join(small)


@pytest.mark.slow
def test_numbers_in_figures_are_as_large_as_body_text_on_a_phone(site, phone_visits):
    # A phone does not shrink figures: they keep their drawn size and scroll sideways (_ext/static/figures.css).
    small = _small_figure_text(site, phone_visits)
    assert not small, "\n".join(small)


# ------------------------------------------------------------------------------------ quizzes

_QUIZ = r"""() => {
  const norm = t => t.replace(/\s+/g, ' ').trim();
  const answers = [...document.querySelectorAll('article details')].filter(d => d.querySelector('summary')
      && d.querySelector('summary').textContent.includes('答案'));
  return {answers: answers.map(d => ({text: norm([...d.childNodes].filter(n => n.nodeName !== 'SUMMARY')
                                                 .map(n => n.textContent).join(' ')),
                                      math: !!d.querySelector('mjx-container, .math')})),
          visible: norm(document.querySelector('article').innerText)};
}"""


def _explanation(answer: str) -> str:
    """The part of an answer that the choices do not show: what follows '(B) key。'."""
    return answer.split("。", 1)[-1].strip() or answer


@pytest.mark.slow
def test_quiz_answers_stay_hidden_until_their_toggle_opens(browser, base_url):
    from dlcourse.schedule import load_schedule

    for page in [f"book/{c}.html" for w in load_schedule() for c in w.chapters]:
        _, context, tab = visit(browser, base_url, page)
        try:
            closed = tab.evaluate(_QUIZ)
            assert closed["answers"], f"{page}: no quiz answers behind a 答案 toggle"
            assert "quiz.Question" not in closed["visible"], f"{page} shows the quiz's code, answers included"
            for answer in closed["answers"]:
                assert _explanation(answer["text"]) not in closed["visible"], f"{page}: {answer['text']!r} is visible"
            # Open the first answer without a formula (MathJax changes how a formula reads) and find it.
            i = next(i for i, a in enumerate(closed["answers"]) if not a["math"])
            tab.locator("article details:has(summary:has-text(\"答案\")) > summary").nth(i).click()
            opened = tab.evaluate(_QUIZ)
        finally:
            context.close()
        assert _explanation(closed["answers"][i]["text"]) in opened["visible"], f"{page}: the toggle does not open"


# ------------------------------------------------------------------------------------ the course guide

@pytest.mark.slow
def test_course_guide_shows_its_schedule_not_the_code_and_fits_a_laptop_screen(browser, base_url, artifacts):
    _, context, tab = visit(browser, base_url, "book/guide.html")
    try:
        tab.locator("article table").first.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
        tab.screenshot(path=str(artifacts / "guide_schedule.png"))
        fits = tab.evaluate("""() => {
            const t = document.querySelector('article table');
            return {right: t.getBoundingClientRect().right, window: window.innerWidth,
                    article: document.querySelector('article').getBoundingClientRect().right,
                    scroll: t.scrollWidth, width: t.clientWidth};
        }""")
        visible = tab.evaluate("() => document.querySelector('article table').closest('section').innerText")
    finally:
        context.close()
    assert fits["right"] <= fits["article"] + 1 and fits["scroll"] <= fits["width"] + 1, fits
    for plumbing in ("load_schedule", "assert ", "display(Markdown"):
        assert plumbing not in visible, f"the guide shows its plumbing: {plumbing!r}"
    assert "卷積與池化" in visible and "14" in visible  # the schedule itself is there


# ------------------------------------------------------------------------------------ search: the glossary

def glossary_terms() -> list[tuple[str, str]]:
    import csv

    with (REPO / "dlcourse" / "glossary.csv").open(encoding="utf-8") as f:
        return [(row[0], row[3]) for row in list(csv.reader(f))[1:]]


def article_texts(site: Path) -> dict[str, str]:
    """docname -> the article text of every page of the table of contents, white space collapsed."""
    from bs4 import BeautifulSoup

    texts = {}
    for page in toc_files():
        soup = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select(".headerlink, script, style"):
            tag.decompose()
        article = soup.select_one("article.bd-article")
        texts[page] = re.sub(r"\s+", " ", article.get_text()) if article else ""
    return texts


_SEARCH = """q => {
  const [query, terms, excluded, highlight, objects] = Search._parseQuery(q);
  return Search._performSearch(query, terms, excluded, highlight, objects).map(r => r[0]);
}"""


@pytest.mark.slow
def test_search_finds_every_glossary_term_on_the_pages_that_use_it(browser, base_url, site):
    # Sphinx's own search code in the browser, on the built index: what the search box runs.
    texts = article_texts(site)
    _, context, tab = visit(browser, base_url, "search.html")
    try:
        tab.wait_for_function("() => typeof Search !== 'undefined' && Search._index", timeout=TIMEOUT_MS)
        missing = []
        for term, chapter in glossary_terms():
            found = set(tab.evaluate(_SEARCH, term))
            using = {page for page, text in texts.items() if term in text}
            assert f"book/{chapter}" in using, f"{term} is not used in {chapter}"
            if using - found:
                missing.append(f"{term}: not found on {sorted(using - found)}")
    finally:
        context.close()
    assert not missing, "\n".join(missing)


@pytest.mark.slow
@pytest.mark.parametrize("word", ["卷積", "反向傳播", "記分板", "stride"])
def test_search_snippets_are_text_of_the_page_they_come_from(browser, base_url, site, word):
    texts = article_texts(site)
    _, context, tab = visit(browser, base_url, f"search.html?q={quote(word)}")
    try:
        tab.wait_for_function("() => !document.querySelector('#search-results').classList.contains('loading')"
                              " && document.querySelector('#search-results p.search-summary')"
                              " && document.querySelector('#search-results p.search-summary').textContent.trim()",
                              timeout=TIMEOUT_MS)
        tab.wait_for_function("() => [...document.querySelectorAll('#search-results ul.search li')]"
                              ".every(li => li.querySelector('p.context'))", timeout=TIMEOUT_MS)
        results = tab.eval_on_selector_all(
            "#search-results ul.search li",
            "els => els.map(li => [li.querySelector('a').href, li.querySelector('p.context').textContent])")
    finally:
        context.close()
    assert results, word
    for href, snippet in results:
        page = urlsplit(href).path.lstrip("/").removesuffix(".html")
        body = re.sub(r"^\.\.\.|\.\.\.$", "", snippet.strip()).strip()
        assert not re.search(r"\.(pdf|ipynb)\b", snippet[:12]), (word, href, snippet[:60])
        assert body[:60] in texts.get(page, ""), (word, href, snippet[:80])
