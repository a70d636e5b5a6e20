"""Build the HTML book with jupyter-book, then check the result for leaks."""
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from autograder import REPO, folder_digest
from autograder.site.publish import released_toc


class BuildError(RuntimeError):
    pass


def _invalidate_stale_cache(build: Path, book: Path) -> None:
    """Drop cached execution results when dlcourse changed: jupyter-cache keys on cell source only."""
    # The helper package the chapters import: the notebooks' inputs that jupyter-cache does not see.
    stamp, digest = build / ".dlcourse.sha256", folder_digest(book / "dlcourse", "*.py")
    if stamp.exists() and stamp.read_text() != digest:
        shutil.rmtree(build / ".jupyter_cache", ignore_errors=True)
    build.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def build_book(output: Path = REPO, *, book: Path = REPO) -> Path:
    """Build book into output/_build/html, warnings as errors; returns the HTML folder.

    Execution results are cached in output/_build/.jupyter_cache and re-used while the
    code cells and the dlcourse package are unchanged.
    """
    from autograder.site.leaks import find_leaks

    _invalidate_stale_cache(output / "_build", book)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", str(book), "--path-output", str(output),
           "--warningiserror", "--keep-going"]
    toc = released_toc(book / "_toc.yml", book)
    if toc is not None:  # assignments not yet released (course release --week N) are left out
        path = output / "_build" / "_toc.released.yml"
        path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        cmd += ["--toc", str(path)]
    if subprocess.run(cmd).returncode != 0:
        raise BuildError("jupyter-book build failed: see the warnings above (run `make book` to retry)")
    html = output / "_build" / "html"
    leaks = find_leaks([html])
    if leaks:
        raise BuildError("the built site shows solutions or hidden tests:\n" + "\n".join(map(str, leaks)))
    return html
