"""Solutions and hidden tests never reach what students see."""
import shutil

import pytest

from autograder import EXERCISES, REPO, SOLUTIONS
from autograder.site.leaks import find_leaks, secret_lines


def test_solutions_have_secrets_to_protect():
    kinds = set(secret_lines().values())
    assert kinds == {"solution", "hidden test"}


def test_exercises_and_helper_package_leak_nothing():
    assert find_leaks([EXERCISES, REPO / "book", REPO / "dlcourse"]) == []


@pytest.mark.slow
def test_built_site_and_downloadable_notebooks_leak_nothing(built_book):
    assert list(built_book.rglob("*.ipynb")), "the site offers notebooks to download"
    assert find_leaks([built_book]) == []


def test_leak_check_catches_a_copied_solution_line(tmp_path):
    page = tmp_path / "page.html"
    line = max((n for n, kind in secret_lines().items() if kind == "solution"), key=len)
    # Highlighted code is split into spans and escaped: the check must see through both.
    page.write_text("<pre>" + "".join(f"<span>{c}</span>" for c in line.replace('"', "&quot;")) + "</pre>")
    assert {leak.kind for leak in find_leaks([page])} == {"solution"}


def test_generic_lines_alone_are_not_leaks(tmp_path):
    page = tmp_path / "chapter.py"
    page.write_text("for t in range(1, steps + 1):\n    return out\n", encoding="utf-8")
    assert find_leaks([page]) == []


def test_leak_check_catches_markers_and_hidden_tests_in_notebooks(tmp_path):
    for nb in SOLUTIONS.rglob("*.ipynb"):
        shutil.copy(nb, tmp_path / nb.name)
    kinds = {leak.kind for leak in find_leaks([tmp_path])}
    assert kinds == {"solution", "hidden test", "marker"}
