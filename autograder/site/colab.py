"""The Colab path: the set-up cell every notebook opens with, and the links that open a page in Colab.

Both come from the `repository:` and `launch_buttons:` sections of _config.yml, so a course that
moves (a fork, a renamed organisation) changes one file. The set-up cell's text is defined here and
nowhere else; `setup_cell_problems` says which notebooks do not open with it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml

from autograder import REPO
from autograder.site.leaks import cell_source

# Folders whose notebooks students open (in Colab, or downloaded from the book).
STUDENT_NOTEBOOK_DIRS = ("book", "exercises")
SETUP_CELL_ID = "colab-setup"
# The set-up cell matters in Colab only: this tag keeps it off the site (it would sit above the title).
SETUP_CELL_TAG = "remove-cell"

# `%pip` installs into the running kernel; in Colab `google.colab` is always imported already.
_SETUP_CELL = """\
# Colab 設定：安裝課程輔助套件（在其他環境什麼都不做）。
# Colab set-up: installs the course helper package; a no-op elsewhere.
import sys

if "google.colab" in sys.modules:
    %pip install -q "{requirement}\""""


@dataclass(frozen=True)
class Repository:
    """Where the public course repository lives, as _config.yml says."""

    url: str  # e.g. https://github.com/dlcourse-tw/dlcourse
    branch: str = "main"
    path_to_book: str = ""  # folder of the book inside the repository ("" = its root)
    colab_url: str = "https://colab.research.google.com"

    def __post_init__(self):  # the forms the book's launch buttons use: no trailing slashes
        object.__setattr__(self, "url", self.url.rstrip("/"))
        object.__setattr__(self, "colab_url", self.colab_url.rstrip("/"))
        object.__setattr__(self, "path_to_book", self.path_to_book.strip("/"))

    @property
    def org_and_name(self) -> tuple[str, str]:
        parts = urlsplit(self.url)
        if parts.netloc != "github.com":
            raise ValueError(f"Colab opens notebooks from GitHub only, not {self.url}")
        org, name = PurePosixPath(parts.path.strip("/")).parts[:2]
        return org, name.removesuffix(".git")


def repository(config: Path = REPO / "_config.yml") -> Repository:
    """The repository of the book configured in config (a Jupyter Book _config.yml)."""
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    repo = data.get("repository") or {}
    if not repo.get("url"):
        raise ValueError(f"{config}: no repository.url, so no Colab links and no set-up cell")
    launch = data.get("launch_buttons") or {}
    return Repository(
        url=str(repo["url"]),
        branch=str(repo.get("branch") or "main"),
        path_to_book=str(repo.get("path_to_book") or ""),
        colab_url=str(launch.get("colab_url") or Repository.colab_url),
    )


def book_url(page: str = "", config: Path = REPO / "_config.yml") -> str:
    """The published book's address of a page (e.g. book/convolution.html#stride): _config.yml's
    html.baseurl, else the repository's GitHub Pages site."""
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    base = ((data.get("html") or {}).get("baseurl") or "").rstrip("/")
    if not base:
        org, name = repository(config).org_and_name
        base = f"https://{org}.github.io/{name}"
    return f"{base}/{page.lstrip('/')}" if page else base + "/"


def requirement(repo: Repository | None = None) -> str:
    """The pip requirement the set-up cell installs: the dlcourse package from the repository."""
    return f"dlcourse @ git+{(repo or repository()).url}"


def setup_cell_source(repo: Repository | None = None) -> str:
    """The exact source of the first cell of every student notebook."""
    return _SETUP_CELL.format(requirement=requirement(repo))


def student_notebooks(root: Path = REPO) -> list[Path]:
    """Every notebook under book/ and exercises/ (checkpoints left out)."""
    return sorted(p for d in STUDENT_NOTEBOOK_DIRS for p in (root / d).rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def setup_cell_problems(paths: list[Path] | None = None, repo: Repository | None = None) -> list[str]:
    """One line for each notebook whose first cell is not exactly the Colab set-up cell."""
    expected = setup_cell_source(repo)
    problems = []
    for path in student_notebooks() if paths is None else paths:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        if not cells:
            problems.append(f"{path}: no cells, so no Colab set-up cell")
        elif cells[0].get("cell_type") != "code" or cell_source(cells[0]) != expected:
            problems.append(f"{path}: the first cell is not the Colab set-up cell "
                            "(copy it from autograder/colab.py: setup_cell_source())")
        elif SETUP_CELL_TAG not in cells[0].get("metadata", {}).get("tags", []):
            problems.append(f"{path}: the Colab set-up cell lacks the tag {SETUP_CELL_TAG!r}, "
                            "so the site shows it above the title")
    return problems


def _page_path(page: str | Path) -> PurePosixPath:
    """book/convolution, book/convolution.ipynb, book/convolution.html -> book/convolution.ipynb."""
    path = PurePosixPath(Path(page).as_posix())
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"{page}: give the page's path inside the book")
    return path.with_suffix(".ipynb")


def colab_url(page: str | Path, repo: Repository | None = None) -> str:
    """The Colab link of a page, as the book's launch button writes it.

    page: the page's path inside the book folder (`path_to_book`), with or without suffix.
    """
    repo = repo or repository()
    org, name = repo.org_and_name
    in_repo = PurePosixPath(repo.path_to_book, _page_path(page)) if repo.path_to_book else _page_path(page)
    return f"{repo.colab_url}/github/{org}/{name}/blob/{repo.branch}/{in_repo}"


def notebook_path(url: str, repo: Repository | None = None) -> str:
    """The notebook a Colab link opens, as a path inside the repository (the inverse of colab_url).

    Raises ValueError for a link to another repository or branch, or one that is not a notebook.
    """
    repo = repo or repository()
    org, name = repo.org_and_name
    prefix = f"{repo.colab_url}/github/{org}/{name}/blob/{repo.branch}/"
    plain = url.split("#")[0].split("?")[0]
    if not plain.startswith(prefix):
        raise ValueError(f"{url} does not open a notebook of {repo.url} ({repo.branch})")
    path = PurePosixPath(unquote(plain[len(prefix):]))
    if path.suffix != ".ipynb" or ".." in path.parts or not path.parts:
        raise ValueError(f"{url} does not open a notebook")
    return str(path)
