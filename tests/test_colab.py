"""The Colab path, offline: the set-up cell every student notebook opens with, what it does in Colab
and elsewhere, the CJK font it brings, and the Colab links the book's pages carry."""
import json
import os
import shlex
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from autograder import REPO
from autograder.site import colab

NOTEBOOKS = colab.student_notebooks()


def test_there_are_student_notebooks():
    assert any(p.is_relative_to(REPO / "book") for p in NOTEBOOKS)
    assert any(p.is_relative_to(REPO / "exercises") for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_opens_with_the_colab_setup_cell(path: Path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = cells[0]
    source = "".join(first["source"]) if isinstance(first["source"], list) else first["source"]
    assert first["cell_type"] == "code"
    assert source == colab.setup_cell_source(), (
        f"{path.name}: the first cell must be the Colab set-up cell, exactly:\n{colab.setup_cell_source()}")
    assert colab.setup_cell_problems([path]) == []


def test_setup_cell_is_rendered_from_the_configured_repository(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/some-uni/dl-fork/\n  branch: spring\n",
                      encoding="utf-8")
    repo = colab.repository(config)
    assert repo == colab.Repository(url="https://github.com/some-uni/dl-fork", branch="spring")
    source = colab.setup_cell_source(repo)
    assert '%pip install -q "dlcourse @ git+https://github.com/some-uni/dl-fork"' in source
    assert colab.setup_cell_source() != source
    assert colab.repository().url in colab.setup_cell_source()


def test_a_notebook_without_the_setup_cell_is_reported(tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# 標題 (Title)"}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert len(colab.setup_cell_problems([path])) == 1


def test_a_setup_cell_the_site_would_show_is_reported(tmp_path):
    cell = {"cell_type": "code", "metadata": {}, "source": colab.setup_cell_source(), "outputs": [],
            "execution_count": None}
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert "remove-cell" in colab.setup_cell_problems([path])[0]
    cell["metadata"]["tags"] = [colab.SETUP_CELL_TAG]
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert colab.setup_cell_problems([path]) == []


# Runs the set-up cell as a notebook would: in a fresh Python process, through IPython (which turns
# `%pip` into get_ipython().run_line_magic). run_line_magic is recorded, not run, so nothing installs.
_RUN_CELL = textwrap.dedent("""
    import importlib.util, json, sys, types
    from IPython.core.interactiveshell import InteractiveShell

    colab = sys.argv[2] == "colab"
    if colab:  # Colab imports its own module before any cell runs
        google = types.ModuleType("google"); google.__path__ = []
        sys.modules["google"] = google
        sys.modules["google.colab"] = google.colab = types.ModuleType("google.colab")
    else:
        try:
            assert importlib.util.find_spec("google.colab") is None
        except ModuleNotFoundError:
            pass  # not even a `google` package
    shell = InteractiveShell.instance()
    calls = []
    shell.run_line_magic = lambda name, line, *rest: calls.append([name, line])
    shell.system = lambda cmd: calls.append(["!", cmd])
    result = shell.run_cell(open(sys.argv[1], encoding="utf-8").read())
    print(json.dumps({"success": result.success, "calls": calls}))
""")


def run_setup_cell(tmp_path: Path, where: str) -> dict:
    cell = tmp_path / "cell.ipy"
    cell.write_text(colab.setup_cell_source(), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _RUN_CELL, str(cell), where], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_setup_cell_does_nothing_outside_colab(tmp_path):
    ran = run_setup_cell(tmp_path, "local")
    assert ran == {"success": True, "calls": []}


def test_setup_cell_as_plain_python_skips_the_install():
    # Outside Colab the magic line is never reached: plain Python (no IPython, no get_ipython) runs it.
    from IPython.core.inputtransformer2 import TransformerManager

    code = TransformerManager().transform_cell(colab.setup_cell_source())
    assert "run_line_magic('pip'" in code
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done.stderr


def test_setup_cell_installs_dlcourse_from_the_repository_in_colab(tmp_path):
    ran = run_setup_cell(tmp_path, "colab")
    assert ran["success"]
    assert len(ran["calls"]) == 1, ran["calls"]
    magic, line = ran["calls"][0]
    assert magic == "pip"
    args = shlex.split(line)
    assert args[:2] == ["install", "-q"] and len(args) == 3
    req = Requirement(args[2])
    assert req.name == "dlcourse"
    assert req.url == f"git+{colab.repository().url}"
    assert args[2] == colab.requirement()


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_installing_dlcourse_brings_a_cjk_font():
    # Colab has no CJK font: `pip install dlcourse` must bring one, or figures show boxes for Chinese.
    project = _pyproject()["project"]
    assert project["name"] == "dlcourse"
    names = {Requirement(r).name.lower() for r in project["dependencies"]}
    assert "noto-cjk-sans-otc" in names
    assert {"numpy", "matplotlib"} <= names


def test_the_bundled_font_draws_chinese_where_the_system_has_no_cjk_font(tmp_path):
    # As on Colab: no CJK font among the system's; setup_matplotlib must register the bundled one.
    script = textwrap.dedent("""
        import json
        import matplotlib
        matplotlib.use("Agg")
        from matplotlib import font_manager
        fm = font_manager.fontManager
        fm.ttflist = [f for f in fm.ttflist if "CJK" not in f.name]
        font_manager.fontManager._findfont_cached.cache_clear()
        from noto_cjk_sans_otc import FONT_PATH
        import dlcourse
        family = dlcourse.setup_matplotlib()
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        font = font_manager.get_font(path)
        missing = [ch for ch in "卷積層池化步幅填補輸入輸出" if font.get_char_index(ord(ch)) == 0]
        print(json.dumps([family, path == str(FONT_PATH), missing]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path, env={**os.environ, "MPLCONFIGDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    family, bundled, missing = json.loads(done.stdout.strip().splitlines()[-1])
    assert family.startswith("Noto Sans CJK") and bundled and missing == [], done.stdout


def test_colab_links_follow_the_repository_configuration():
    repo = colab.Repository(url="https://github.com/dlcourse-tw/dlcourse", branch="main")
    base = "https://colab.research.google.com/github/dlcourse-tw/dlcourse/blob/main/"
    cases = {
        "book/convolution": "book/convolution.ipynb",
        "book/convolution.ipynb": "book/convolution.ipynb",
        "book/convolution.html": "book/convolution.ipynb",
        "exercises/convolution/convolution": "exercises/convolution/convolution.ipynb",
    }
    for page, in_repo in cases.items():
        url = colab.colab_url(page, repo)
        assert url == base + in_repo
        assert colab.notebook_path(url, repo) == in_repo


def test_colab_links_for_a_book_in_a_subfolder_on_another_branch():
    repo = colab.Repository(url="https://github.com/some-uni/dl-fork", branch="fall-2026",
                            path_to_book="site", colab_url="https://colab.research.google.com/")
    url = colab.colab_url("exercises/backprop/backprop", repo)
    assert url == ("https://colab.research.google.com/github/some-uni/dl-fork/blob/fall-2026/"
                   "site/exercises/backprop/backprop.ipynb")
    assert colab.notebook_path(url, repo) == "site/exercises/backprop/backprop.ipynb"


def test_colab_links_match_the_configured_repository():
    # What the book's launch buttons write (see tests/test_site.py) is what colab_url computes.
    repo = colab.repository()
    for nb in NOTEBOOKS:
        page = nb.relative_to(REPO / repo.path_to_book if repo.path_to_book else REPO)
        assert colab.notebook_path(colab.colab_url(page)) == nb.relative_to(REPO).as_posix()


@pytest.mark.parametrize("url", [
    "https://colab.research.google.com/github/someone-else/dlcourse/blob/main/book/convolution.ipynb",
    "https://colab.research.google.com/github/dlcourse-tw/dlcourse/blob/dev/book/convolution.ipynb",
    "https://colab.research.google.com/github/dlcourse-tw/dlcourse/blob/main/book/intro.md",
    "https://colab.research.google.com/github/dlcourse-tw/dlcourse/blob/main/../secret.ipynb",
])
def test_links_to_other_repositories_or_files_are_refused(url):
    with pytest.raises(ValueError):
        colab.notebook_path(url, colab.Repository(url="https://github.com/dlcourse-tw/dlcourse"))


def test_pages_outside_the_book_are_refused():
    with pytest.raises(ValueError):
        colab.colab_url("../solutions/convolution/convolution")
