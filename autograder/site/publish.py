"""The student-facing tree of the course, for its public repository.

The public repository is the one the book's Colab buttons open and the set-up cell installs
`dlcourse` from, so it holds what a student needs to read, run and rebuild the book: the chapters,
the assignment releases, the helper package and the book's configuration. It holds no solutions,
no grader, and no tests with their plausible wrong answers. Makefile, pyproject.toml, README.md and
CONTRIBUTING.md are written for it (they name the grader here); everything else is copied as is.

    student_tree(Path("../dlcourse-public"))   # then commit and push that folder
"""
from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import yaml

from autograder import REPO
from autograder.site.leaks import cell_source, find_leaks

PUBLIC_FOLDERS = ("book", "exercises", "dlcourse")
PUBLIC_FILES = ("_config.yml", "_toc.yml", "environment.yml", ".gitignore")
# What never leaves the instructors' repository.
INSTRUCTOR_ONLY = ("solutions", "autograder", "tests", "grading", ".ci", ".github")
# Packages of the `course` extra that only grading and the instructors' tests use.
INSTRUCTOR_PACKAGES = {"nbgrader", "pytest", "playwright", "psycopg"}
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "_build", ".DS_Store",
                                  "Thumbs.db", "*.egg-info")
_IMPORTS_GRADER = re.compile(r"^\s*(import\s+autograder|from\s+autograder[\s.])", re.MULTILINE)
# A path into a folder the public tree lacks, in code: ../solutions/x, "tests/submissions", ...
_INSTRUCTOR_PATH = re.compile(r"""["'/](?:\.\./)*(?:solutions|autograder|tests|grading)/""")

MAKEFILE = """\
# `make book` builds the HTML book into _build/html (executing every chapter); the first run
# creates the virtual environment .venv and installs everything. Versions live in pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: book clean

$(BIN)/jupyter-book: pyproject.toml
\t$(PYTHON) -m venv $(VENV)
\t$(BIN)/python -m pip install --upgrade pip
\t$(BIN)/python -m pip install -e ".[course]"
\ttouch $@

book: $(BIN)/jupyter-book
\t$(BIN)/jupyter-book build . --warningiserror --keep-going

clean:
\trm -rf _build
"""

README_SETUP = """\
## Set-up

On a machine with Python 3.11+ and `make`, `make book` builds the HTML book into `_build/html`
(the first run creates `.venv` and installs everything); open `_build/html/index.html`.
Conda users: `conda env create -f environment.yml && conda activate dlcourse`, then
`make book VENV=$CONDA_PREFIX`. Execution results are cached in `_build/.jupyter_cache`;
`make clean` drops them.

| folder | what it is |
| --- | --- |
| `book/` | the chapters, as notebooks without outputs (executed when the book is built) |
| `exercises/` | the weekly assignments: fill in the cells marked `YOUR CODE HERE` |
| `dlcourse/` | the helper package the notebooks import (`pip install` this repository to get it) |
| `_config.yml`, `_toc.yml` | Jupyter Book configuration and table of contents |
"""


class PublishError(RuntimeError):
    pass


def toc_files(toc: Path = REPO / "_toc.yml") -> list[str]:
    """Every page the table of contents lists (root first), as paths without suffix."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8")) or {}
    files = [data["root"]] if data.get("root") else []

    def walk(entries):
        for entry in entries or []:
            if entry.get("file"):
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in data.get("parts") or []:
        walk(part.get("chapters"))
    walk(data.get("chapters"))
    walk(data.get("sections"))
    return [str(Path(f).with_suffix("")) if Path(f).suffix in (".md", ".ipynb") else f for f in files]


def released_toc(toc: Path, root: Path) -> dict | None:
    """The table of contents without the assignments that are not released (their notebook is
    missing under exercises/, e.g. after `course release --week N`); None when nothing is missing."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8")) or {}
    dropped = False

    def keep(entries):
        nonlocal dropped
        kept = []
        for entry in entries or []:
            page = str(entry.get("file", ""))
            if page.startswith("exercises/") and page_source(root, str(Path(page).with_suffix(""))) is None:
                dropped = True
                continue
            kept.append(entry)
        return kept

    for part in data.get("parts") or []:
        part["chapters"] = keep(part.get("chapters"))
    data["parts"] = [p for p in data.get("parts") or [] if p.get("chapters")] or None
    if data["parts"] is None:
        data.pop("parts")
    return data if dropped else None


def page_source(root: Path, page: str) -> Path | None:
    """The file a TOC entry is built from (.ipynb or .md), or None."""
    return next((p for p in (root / f"{page}.ipynb", root / f"{page}.md") if p.is_file()), None)


def _local_extension_folders(config: Path) -> list[str]:
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return sorted(set(((data.get("sphinx") or {}).get("local_extensions") or {}).values()))


def _section(markdown: str, heading_start: str) -> str:
    """The `## ...` section whose heading starts with heading_start, heading included."""
    match = re.search(rf"^## {re.escape(heading_start)}.*?(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    if not match:
        raise PublishError(f"no section '## {heading_start}...' to copy")
    return match.group(0).rstrip() + "\n"


def student_readme(readme: str) -> str:
    """README.md for the public repository: the course's title and intro, set-up, the Colab section."""
    intro = readme.split("\n## ", 1)[0].rstrip() + "\n"
    return "\n".join([intro, README_SETUP, _section(readme, "Students")])


def student_contributing(contributing: str) -> str:
    """CONTRIBUTING.md for the public repository: how chapters are written (assignments are not public)."""
    title = contributing.split("\n", 1)[0]
    return "\n".join([title + "\n", _section(contributing, "A chapter")])


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "".join(f"    {_toml_value(v)},\n" for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise PublishError(f"cannot write {value!r} as TOML")


def dump_toml(data: dict) -> str:
    """TOML for the plain data pyproject.toml holds (tables, strings, numbers, lists)."""
    out: list[str] = []

    def table(name: str, body: dict):
        scalars = {k: v for k, v in body.items() if not isinstance(v, dict)}
        tables = {k: v for k, v in body.items() if isinstance(v, dict)}
        if name and (scalars or not tables):
            out.append(f"\n[{name}]")
        out.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in scalars.items())
        for key, sub in tables.items():
            table(f"{name}.{_toml_key(key)}" if name else _toml_key(key), sub)

    table("", data)
    text = "\n".join(out).lstrip("\n") + "\n"
    if tomllib.loads(text) != data:
        raise PublishError("pyproject.toml did not survive the round trip to TOML")
    return text


def student_pyproject(pyproject: str) -> str:
    """pyproject.toml for the public repository: the dlcourse package only, no grader, no `course` command."""
    from packaging.requirements import Requirement

    data = tomllib.loads(pyproject)
    project = data["project"]
    project["description"] = "Deep-learning course: the helper package the book's notebooks and the assignments import."
    extras = project.get("optional-dependencies") or {}
    for name, reqs in extras.items():
        extras[name] = [r for r in reqs if Requirement(r).name.lower() not in INSTRUCTOR_PACKAGES]
    project.pop("scripts", None)
    setuptools = data.setdefault("tool", {}).setdefault("setuptools", {})
    setuptools["packages"] = [p for p in setuptools.get("packages", []) if p in PUBLIC_FOLDERS]
    package_data = setuptools.get("package-data") or {}
    for pkg in list(package_data):
        if pkg not in setuptools["packages"]:
            del package_data[pkg]
    data["tool"].pop("pytest", None)
    header = ("# The course's helper package `dlcourse` (what the notebooks import, on Colab too) and,\n"
              "# in the `course` extra, what building the book needs: `pip install -e \".[course]\"`.\n")
    return header + dump_toml(data)


def _copy(src: Path, dst: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dst, ignore=_IGNORED)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)


def tree_problems(target: Path, toc: list[str]) -> list[str]:
    """What is wrong with a public tree: instructor files, imports of the grader, missing pages."""
    problems = [f"{target / name}: instructors only" for name in INSTRUCTOR_ONLY if (target / name).exists()]
    for path in sorted(target.rglob("*")):
        if not path.is_file() or "_build" in path.relative_to(target).parts:
            continue
        if path.suffix in (".py", ".ipynb") or path.name in ("Makefile", "pyproject.toml", "environment.yml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".ipynb":
                cells = json.loads(text).get("cells", [])
                text = "\n".join(cell_source(c) for c in cells if c.get("cell_type") == "code")
            if _IMPORTS_GRADER.search(text) or (path.suffix != ".py" and path.suffix != ".ipynb"
                                                and "autograder" in text):
                problems.append(f"{path}: uses the grader (autograder), which the public tree lacks")
            elif path.suffix in (".py", ".ipynb") and _INSTRUCTOR_PATH.search(text):
                problems.append(f"{path}: reads {_INSTRUCTOR_PATH.search(text).group(0)}..., "
                                "a folder the public tree lacks")
    problems += [f"{target / page}: the table of contents lists it, the tree lacks it"
                 for page in toc if page_source(target, page) is None]
    return problems


def student_tree(target: Path, repo: Path = REPO) -> Path:
    """Write the public repository's files into target (a new or empty folder) and check them.

    Raises PublishError when target is not empty, when something the table of contents lists is
    missing, when a file uses the grader, or when any solution or hidden-test line shows.
    """
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise PublishError(f"{target} is not empty: give a new folder (the tree is written whole)")
    target.mkdir(parents=True, exist_ok=True)
    for name in (*PUBLIC_FOLDERS, *PUBLIC_FILES, *_local_extension_folders(repo / "_config.yml")):
        if (repo / name).exists():
            _copy(repo / name, target / name)
    toc = released_toc(repo / "_toc.yml", repo)
    if toc is not None:  # only what is released is listed (course release --week N)
        (target / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (target / "Makefile").write_text(MAKEFILE, encoding="utf-8")
    (target / "pyproject.toml").write_text(
        student_pyproject((repo / "pyproject.toml").read_text(encoding="utf-8")), encoding="utf-8")
    (target / "README.md").write_text(
        student_readme((repo / "README.md").read_text(encoding="utf-8")), encoding="utf-8")
    (target / "CONTRIBUTING.md").write_text(
        student_contributing((repo / "CONTRIBUTING.md").read_text(encoding="utf-8")), encoding="utf-8")

    problems = tree_problems(target, toc_files(target / "_toc.yml"))
    if problems:
        raise PublishError("the public tree is not right:\n" + "\n".join(problems))
    leaks = find_leaks([target], solutions=repo / "solutions")
    if leaks:
        raise PublishError("the public tree shows solutions or hidden tests:\n" + "\n".join(map(str, leaks)))
    return target
