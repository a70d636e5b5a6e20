"""The layout shows the architecture: each part imports only what its docstring allows, and the
Python floor pyproject.toml states is the one the code needs."""
import ast
import re
import tomllib
from pathlib import Path

import pytest

from autograder import REPO

# part -> the autograder packages its modules must never import
FORBIDDEN = {
    "autograder/sandbox": ("autograder.grading", "autograder.site", "autograder.release", "autograder.cli"),
    "autograder/site": ("autograder.grading", "autograder.sandbox", "autograder.cli"),
    "autograder/grading": ("autograder.cli", "autograder.report"),
    "dlcourse": ("autograder",),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


@pytest.mark.parametrize("part", FORBIDDEN)
def test_each_part_imports_only_what_it_may(part):
    wrong = [f"{path.relative_to(REPO)} imports {name}" for path in _modules(part) for name in _imports(path)
             if name.startswith(FORBIDDEN[part])]
    assert not wrong, wrong


def test_the_code_inside_the_sandbox_needs_only_the_standard_library_and_numpy():
    """autograder/sandbox/inside/ is all of the grader the submission's process sees (run as files there)."""
    import sys

    allowed = set(sys.stdlib_module_names) | {"numpy", "IPython", "tensorflow", "keras", "wire", "confine", "shell",
                                              "zygote", "autograder"}
    for path in _modules("autograder/sandbox/inside"):
        outside = {name.split(".")[0] for name in _imports(path)} - allowed
        assert not outside, f"{path.name} imports {outside}"
        grader = [n for n in _imports(path) if n.startswith("autograder") and not n.startswith("autograder.sandbox.inside")]
        assert not grader, f"{path.name} imports {grader}: only its own folder is mounted in the sandbox"


@pytest.mark.parametrize("package", ["autograder", "autograder/grading", "autograder/sandbox",
                                     "autograder/sandbox/inside", "autograder/site", "autograder/report", "dlcourse"])
def test_every_package_says_what_it_owns(package):
    init = REPO / package / "__init__.py"
    if not init.exists():
        pytest.skip(f"{package} is not in this tree")
    assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{package}/__init__.py has no docstring"


def test_the_python_floor_is_the_one_the_code_needs():
    floor = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert re.fullmatch(r">=3\.11", floor.split("#")[0].strip()), floor
    for path in _modules("autograder") + _modules("dlcourse") + _modules("tests") + _modules("benchmarks"):
        ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 11))  # 3.12+ syntax fails here
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "(3, 11)" in makefile, "make checks the same floor before creating the venv"


def test_grading_limits_have_one_source_and_no_private_stdlib_attribute_is_touched():
    """limits.py holds the defaults (memory 4096 MB, 120 s per cell); nothing reaches into a standard
    library module's private names (the old grader rewrote multiprocessing.forkserver's)."""
    limits = (REPO / "autograder/limits.py").read_text(encoding="utf-8")
    assert "4096" in limits and "120" in limits
    for path in _modules("autograder"):
        if path.name == "limits.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        numbers = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in (4096, 1800)]
        assert not numbers, f"{path.relative_to(REPO)} repeats a limit of autograder/limits.py: {numbers}"
        private = [f"{ast.unparse(n.value)}.{n.attr}" for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                   and n.attr.startswith("_") and not n.attr.startswith("__")
                   and ast.unparse(n.value).split(".")[0] in ("multiprocessing", "os", "sys", "subprocess", "threading")
                   and n.attr not in ("_exit", "_getframe")]  # documented, despite the underscore
        assert not private, f"{path.relative_to(REPO)} uses private standard-library names: {private}"
