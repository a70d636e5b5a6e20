"""Shared fixtures: a built book and graded classes, each made once per test session; the browser."""
import os
import tempfile
from pathlib import Path

import nbformat
import pytest
import yaml

from autograder import REPO
from autograder.grading.samples import make_submission, parse_answers, reference_answers

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
WRONG = REPO / "tests" / "submissions"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(os.environ.get("SITE_ARTIFACTS") or Path(tempfile.gettempdir()) / "dlcourse-site-artifacts")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The book built from scratch (no execution cache) into a temporary folder: its HTML folder."""
    from autograder.site.book import build_book

    return build_book(tmp_path_factory.mktemp("book"))


def wrong_answers(assignment: str) -> dict[str, dict[str, str]]:
    """name -> answers of each plausible wrong submission in tests/submissions/<assignment>/."""
    return {p.stem: parse_answers(p.read_text(encoding="utf-8"))
            for p in sorted((WRONG / assignment).glob("*.py"))}


def expected_losses(assignment: str) -> dict[str, set[str]]:
    """name -> graded cells each wrong submission must lose (tests/submissions/<assignment>/expected.yml)."""
    data = yaml.safe_load((WRONG / assignment / "expected.yml").read_text(encoding="utf-8"))
    return {name: set(cells) for name, cells in data.items()}


def save_submission(folder: Path, assignment: str, name: str, answers: dict[str, str]) -> None:
    nbformat.write(make_submission(assignment, answers), folder / f"{name}.ipynb")


@pytest.fixture(scope="session")
def grade_class(tmp_path_factory):
    """grade_class(assignment) -> (results by file stem, output folder) for the reference solution,
    the untouched release and every wrong submission; each assignment is graded once per session."""
    from autograder.grading.pipeline import grade

    cache = {}

    def run(assignment: str):
        if assignment not in cache:
            subs = tmp_path_factory.mktemp(f"{assignment}_submissions")
            ref = reference_answers(assignment)
            save_submission(subs, assignment, "S0000001_reference", ref)
            save_submission(subs, assignment, "S0000002_untouched_release", {})
            for i, (name, answers) in enumerate(wrong_answers(assignment).items()):
                save_submission(subs, assignment, f"S1{i:06d}_{name}", {**ref, **answers})
            out = tmp_path_factory.mktemp(f"{assignment}_grading")
            results = grade(subs, assignment=assignment, out=out, workers=2)
            cache[assignment] = ({Path(r.file).stem: r for r in results}, out)
        return cache[assignment]

    return run


@pytest.fixture(scope="session")
def graded_pipeline_cases(tmp_path_factory):
    """Submissions that test the grading pipeline itself (on the convolution assignment)."""
    from autograder.grading.pipeline import grade

    subs = tmp_path_factory.mktemp("pipeline_submissions")
    ref = reference_answers("convolution")
    save_submission(subs, "convolution", "B10900001_reference", ref)
    noisy = {gid: "import sys, warnings\nwarnings.warn('a deprecation warning')\n"
                  "print('2026-11-26 I tensorflow/core: log line', file=sys.stderr)\n" + code
             for gid, code in ref.items()}
    noisy["conv2d"] = noisy["conv2d"].replace(
        '"""\n', '"""\n    print("W tensorflow: noisy", file=sys.stderr)\n', 1)
    save_submission(subs, "convolution", "王小明_B10900003_stderr_noise", noisy)
    save_submission(subs, "convolution", "B10900004_raises",
                    {**ref, "conv2d": "raise RuntimeError('half-finished cell')"})
    (subs / "B10900005_not_json.ipynb").write_text("{ this is not json", encoding="utf-8")
    (subs / "B10900006_empty.ipynb").write_bytes(b"")
    out = tmp_path_factory.mktemp("pipeline_grading")
    results = grade(subs, assignment="convolution", out=out, workers=2)
    return {Path(r.file).stem: r for r in results}, out, subs


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium (never `playwright install`), headless, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install -e '.[course]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    """Where browser tests leave their screenshots: $SITE_ARTIFACTS."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
