"""Build the HTML book with jupyter-book, then check the result for leaks."""
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from autograder import REPO


class BuildError(RuntimeError):
    pass


def _helper_digest(book: Path) -> str:
    """Hash of the helper package the chapters import (the notebooks' hidden inputs)."""
    h = hashlib.sha256()
    for path in sorted((book / "dlcourse").rglob("*.py")):
        h.update(path.relative_to(book).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def _invalidate_stale_cache(build: Path, book: Path) -> None:
    """Drop cached execution results when dlcourse changed: jupyter-cache keys on cell source only."""
    stamp, digest = build / ".dlcourse.sha256", _helper_digest(book)
    if stamp.exists() and stamp.read_text() != digest:
        shutil.rmtree(build / ".jupyter_cache", ignore_errors=True)
    build.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def build_book(output: Path = REPO, *, book: Path = REPO) -> Path:
    """Build book into output/_build/html, warnings as errors; returns the HTML folder.

    Execution results are cached in output/_build/.jupyter_cache and re-used while the
    code cells and the dlcourse package are unchanged.
    """
    from autograder.leaks import find_leaks

    _invalidate_stale_cache(output / "_build", book)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", str(book), "--path-output", str(output),
           "--warningiserror", "--keep-going"]
    if subprocess.run(cmd).returncode != 0:
        raise BuildError("jupyter-book build failed: see the warnings above (run `make book` to retry)")
    html = output / "_build" / "html"
    leaks = find_leaks([html])
    if leaks:
        raise BuildError("the built site shows solutions or hidden tests:\n" + "\n".join(map(str, leaks)))
    return html
