"""A student's feedback page, as the student opens it: from disk, offline, on a laptop and a phone."""
import os
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("SITE_ARTIFACTS") or Path(tempfile.gettempdir()) / "dlcourse-site-artifacts")
VIEWPORTS = {"laptop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="module")
def page_of(graded_pipeline_cases):
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (scripts/system-packages)")
    results, out, _ = graded_pipeline_cases
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])

        def open_page(student: str, viewport: str):
            page = browser.new_page(viewport=dict(zip(("width", "height"), VIEWPORTS[viewport])))
            outside = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
            page.goto((out / "feedback" / f"{student}.html").as_uri())
            page.wait_for_function("document.querySelectorAll('mjx-container').length > 0", timeout=60_000)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"feedback-{student}-{viewport}.png"))
            return page, outside

        yield open_page
        browser.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_feedback_names_each_check_says_why_it_failed_and_links_the_book(page_of, viewport):
    page, outside = page_of("B10900004", viewport)  # conv2d raises: its checks fail
    text = page.inner_text("body")
    assert not outside, f"the page fetched {outside[:3]}: it must work offline"
    assert "Test cell" not in text and "google.colab" not in text  # nbgrader's labels, the Colab set-up cell
    assert "2. 二維卷積 (2-D convolution): conv2d examples" in text
    assert "未通過 (failed)" in text and "conv2d is not defined: its answer cell did not run to the end" in text
    links = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
    assert any(link.endswith("book/convolution.html") for link in links)
    assert "得分 (score)" in text and "遲交 (late)" in text  # the fixture's files are past the due date
    assert "$\\lfloor" not in text  # the math is typeset, not raw TeX
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport][0] + 1, f"wider than the screen: {width}px"
    page.close()


def test_feedback_never_shows_the_hidden_tests(page_of):
    page, _ = page_of("B10900001", "phone")
    text = page.inner_text("body")
    assert "BEGIN HIDDEN TESTS" not in text and "隱藏測試 hidden tests" in text
    page.close()
