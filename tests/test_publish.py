"""Publishing: the public repository's tree holds no solutions or grader and still builds the book;
the GitHub Actions workflow checks for leaks before it uploads the site."""
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from autograder import REPO
from autograder.site import colab
from autograder.site.leaks import find_leaks, secret_lines
from autograder.site.publish import (INSTRUCTOR_ONLY, PublishError, page_source, student_tree, toc_files,
                                tree_problems)

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    return student_tree(tmp_path_factory.mktemp("public") / "dlcourse")


def test_public_tree_holds_what_students_need_and_nothing_of_the_grader(public: Path):
    top = {p.name for p in public.iterdir()}
    assert {"book", "exercises", "dlcourse", "_config.yml", "_toc.yml", "README.md", "pyproject.toml",
            "environment.yml", "Makefile"} <= top
    assert not top & set(INSTRUCTOR_ONLY), top & set(INSTRUCTOR_ONLY)
    assert not list(public.rglob("__pycache__")) and not list(public.rglob(".ipynb_checkpoints"))
    # Every notebook of book/ and exercises/ travels, byte for byte.
    for nb in colab.student_notebooks():
        copy = public / nb.relative_to(REPO)
        assert copy.read_bytes() == nb.read_bytes(), copy


def test_public_tree_shows_no_solution_or_hidden_test(public: Path):
    assert find_leaks([public]) == []
    assert tree_problems(public, toc_files(public / "_toc.yml")) == []


def test_every_page_and_colab_link_of_the_book_exists_in_the_public_tree(public: Path):
    # The Colab buttons open notebooks of the public repository: they must be there.
    for page in toc_files(public / "_toc.yml"):
        source = page_source(public, page)
        assert source is not None, page
        if source.suffix == ".ipynb":
            assert (public / colab.notebook_path(colab.colab_url(page))).is_file()


def test_public_pyproject_installs_dlcourse_alone(public: Path):
    data = tomllib.loads((public / "pyproject.toml").read_text(encoding="utf-8"))
    original = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    assert project["name"] == "dlcourse"
    assert project["dependencies"] == original["project"]["dependencies"]
    assert "noto-cjk-sans-otc" in {Requirement(r).name for r in project["dependencies"]}
    assert "scripts" not in project
    assert data["tool"]["setuptools"]["packages"] == ["dlcourse"]
    assert "pytest" not in data["tool"]
    book_extra = {Requirement(r).name for r in project["optional-dependencies"]["course"]}
    assert "jupyter-book" in book_extra and not book_extra & {"nbgrader", "pytest", "playwright", "psycopg"}
    assert "autograder" not in (public / "pyproject.toml").read_text(encoding="utf-8")


def test_public_makefile_and_readme_build_the_book_without_the_grader(public: Path):
    makefile = (public / "Makefile").read_text(encoding="utf-8")
    assert "autograder" not in makefile and "course " not in makefile
    assert re.search(r"^book:", makefile, re.MULTILINE) and "jupyter-book build ." in makefile
    readme = (public / "README.md").read_text(encoding="utf-8")
    assert "make book" in readme and "Colab" in readme
    assert "course grade" not in readme and "solutions/" not in readme


def test_student_tree_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("x", encoding="utf-8")
    with pytest.raises(PublishError, match="not empty"):
        student_tree(tmp_path)


def _copy_of_repo(dst: Path) -> Path:
    for name in ["book", "exercises", "dlcourse", "solutions"]:
        shutil.copytree(REPO / name, dst / name, ignore=shutil.ignore_patterns("__pycache__", "_build"))
    for name in ["_config.yml", "_toc.yml", "README.md", "CONTRIBUTING.md", "pyproject.toml", "environment.yml"]:
        shutil.copy2(REPO / name, dst / name)
    return dst


def _a_solution_line() -> str:
    secrets = secret_lines()
    for nb in sorted((REPO / "solutions").rglob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for line in "".join(cell["source"]).splitlines():
                if re.sub(r"\s+", "", line) in secrets:
                    return line.strip()
    raise AssertionError("no solution line found")


def test_student_tree_fails_when_a_solution_would_be_published(tmp_path):
    repo = _copy_of_repo(tmp_path / "repo")
    (repo / "dlcourse" / "helpers_extra.py").write_text(
        f"def helper(x):\n    {_a_solution_line()}\n", encoding="utf-8")
    with pytest.raises(PublishError, match="solution"):
        student_tree(tmp_path / "public", repo=repo)


def test_student_tree_fails_when_a_notebook_imports_the_grader(tmp_path):
    repo = _copy_of_repo(tmp_path / "repo")
    nb_path = next((repo / "book").glob("*.ipynb"))
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "grader", "metadata": {},
                        "outputs": [], "source": "from autograder.site.leaks import find_leaks"})
    nb_path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PublishError, match="grader"):
        student_tree(tmp_path / "public", repo=repo)


def test_publish_workflow_checks_for_leaks_before_it_uploads():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "main" in triggers["push"]["branches"]
    assert data["permissions"]["pages"] == "write" and data["permissions"]["id-token"] == "write"
    build = data["jobs"]["build"]
    steps = [json.dumps(step) for step in build["steps"]]

    def index(fragment):
        found = [i for i, s in enumerate(steps) if fragment in s]
        assert found, f"no step with {fragment!r}"
        return found[0]

    assert index("setup-python") < index("make book") < index("check-leaks _build/html exercises") \
        < index("actions/upload-pages-artifact")
    assert '"3.11"' in steps[index("setup-python")]
    deploy = data["jobs"]["deploy"]
    assert deploy["needs"] == "build" or "build" in deploy["needs"]
    assert any("actions/deploy-pages" in json.dumps(s) for s in deploy["steps"])


@pytest.mark.slow
def test_public_tree_installs_as_the_dlcourse_package(public: Path, tmp_path):
    # What the Colab set-up cell does: pip builds the public repository into a dlcourse wheel.
    out = tmp_path / "wheel"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(public)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = out.glob("dlcourse-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "dlcourse/__init__.py" in names and "dlcourse/schedule.yml" in names
    assert not [n for n in names if n.startswith(("autograder/", "solutions/", "tests/"))]
    assert "Requires-Dist: noto-cjk-sans-otc" in metadata


@pytest.mark.slow
def test_book_builds_from_the_public_tree(public: Path, request):
    # As a student or a fork would build it: jupyter-book itself, warnings as errors, no grader.
    # PYTHONPATH puts the public tree's dlcourse ahead of the one installed from this repository.
    # The chapters' execution results are reused from the session's book build (jupyter-cache
    # matches notebooks by their code, not their path), so this costs minutes, not a second
    # execution of every chapter; PUBLIC_BOOK_FRESH=1 executes them all again.
    if not os.environ.get("PUBLIC_BOOK_FRESH"):
        cache = request.getfixturevalue("built_book").parent / ".jupyter_cache"
        if cache.is_dir():
            shutil.copytree(cache, public / "_build" / ".jupyter_cache")
    env = {**os.environ, "PYTHONPATH": str(public), "TF_CPP_MIN_LOG_LEVEL": "2"}
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    done = subprocess.run([str(jupyter_book), "build", str(public), "--warningiserror", "--keep-going"],
                          cwd=public, env=env, capture_output=True, text=True, timeout=3600)
    assert done.returncode == 0, (done.stdout + done.stderr)[-6000:]
    html = public / "_build" / "html"
    for page in toc_files(public / "_toc.yml"):
        assert (html / f"{page}.html").is_file(), page
    assert find_leaks([html]) == []
