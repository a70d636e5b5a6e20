"""Build the HTML book with jupyter-book, then check the result for leaks."""
import subprocess
import sys
from pathlib import Path

from autograder import REPO


class BuildError(RuntimeError):
    pass


def build_book(output: Path = REPO, *, book: Path = REPO) -> Path:
    """Build book into output/_build/html, warnings as errors; returns the HTML folder.

    Execution results are cached in output/_build/.jupyter_cache (keyed on cell source only:
    after changing dlcourse or data files, delete _build to re-execute).
    """
    from autograder.leaks import find_leaks

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
