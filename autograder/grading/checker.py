"""Run a notebook for grading: the submission's cells in a sandbox, the tests in the grader.

Answer cells (and any cells the student added) run in the sandboxed process. Locked set-up cells
(imports) run in both places. Test cells run here, in the grader's own namespace, where each
name they use that the submission defines is a stand-in (RemoteObject) that forwards calls and
brings back plain data. So no test code reaches the submission, and nothing the submission does
to its own process (patched np.allclose, sys.excepthook, tf.nn.conv2d, builtins) reaches the
comparisons, which run on the grader's own, untouched libraries.
"""
import builtins
import contextlib
import io
import re

from nbformat.v4 import new_output

from autograder.limits import DEFAULT
from autograder.sandbox.host import RemoteError, Sandbox, SubmissionCrashed
from autograder.sandbox.zygote import new_sandbox

HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[^\n]*\n?", re.S | re.M)
HIDDEN_NOTE = "# （隱藏測試 hidden tests: run by the grader, not shown）\n"
# NumPy's assertion messages quote the compared values: the hidden expected answers.
_ARRAYS = re.compile(r"\n\s*(x|y|ACTUAL|DESIRED):.*", re.S)  # the arrays at the end
_MISMATCH_LINES = re.compile(r"^(First \d+ mismatch.*|Mismatch at ind.*|.*\((ACTUAL|DESIRED)\).*)$\n?", re.M)  # NumPy 2
MAX_RESTARTS = 3


def cell_kind(cell) -> str:
    """'test', 'answer', 'setup' (locked, not graded) or 'extra' (a cell the student added)."""
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("solution"):
        return "answer"
    return "setup" if meta.get("locked") else "extra"


def setup_imports(nb) -> tuple[str, ...]:
    """Modules the locked set-up cells import (instructor code): worth importing once per grader."""
    import ast

    found = []
    for cell in nb.cells:
        if cell.cell_type != "code" or cell_kind(cell) != "setup":
            continue
        try:
            tree = ast.parse(_python(cell.source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.append(node.module)
    return tuple(dict.fromkeys(found))


def referenced_names(code) -> set[str]:
    """Every global name a piece of code (and the functions it defines) reads."""
    names, stack = set(), [code]
    while stack:
        co = stack.pop()
        names.update(co.co_names)
        stack.extend(c for c in co.co_consts if hasattr(c, "co_names"))
    return names


def _python(source: str) -> str:
    """IPython syntax (magics such as %pip) as plain Python."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _error_output(ename: str, evalue: str):
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _stream(name: str, text: str):
    return [new_output("stream", name=name, text=text)] if text else []


def run_test(source: str, ns: dict, sandbox: Sandbox) -> list:
    """Outputs of one test cell run in the grader: an error output when a check failed."""
    out = io.StringIO()
    try:
        code = compile(_python(source), "<hidden test>", "exec")
        wanted = referenced_names(code) - set(ns) - set(dir(builtins))
        for name in sandbox.names(sorted(wanted)):
            ns[name] = sandbox.get(name)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            exec(code, ns)
        return _stream("stdout", out.getvalue())
    except SubmissionCrashed as err:
        failure = _error_output("SubmissionCrashed", str(err))
    except RemoteError as err:
        failure = _error_output(err.ename, f"your code raised {err.ename}: {err.evalue}")
    except AssertionError as err:
        message = _MISMATCH_LINES.sub("", _ARRAYS.sub("", str(err))).strip() or "a check failed"
        failure = _error_output("AssertionError", message)
    except Exception as err:  # a check that could not run on what the submission returned
        failure = _error_output(type(err).__name__, str(err)[:500])
    return _stream("stdout", out.getvalue()) + [failure]


def _run_in_sandbox(cell, sandbox: Sandbox, timeout: float) -> list:
    result = sandbox.run_cell(cell.source, timeout=timeout)
    outputs = _stream("stdout", result["stdout"]) + _stream("stderr", result["stderr"])
    if result["error"]:
        outputs.append(_error_output(str(result["error"].get("ename")), str(result["error"].get("evalue"))))
    return outputs


def grade_notebook(nb, *, timeout: float = DEFAULT.timeout, memory_mb: int = DEFAULT.memory_mb, uid: int | None = None,
                   files: list = ()):
    """Run every code cell of an nbgrader notebook as described above; set each cell's outputs.

    files (e.g. a trained model submitted with the notebook) are copied into the submission's
    working directory first.

    A crash or timeout fails the cell it happened in; the sandbox then restarts (up to
    MAX_RESTARTS times), replays the earlier submission cells and grading goes on.
    Returns the notebook, with the hidden tests' source replaced by a note.
    """
    ns = {"__name__": "__grader__"}
    done = []  # submission cells run so far, replayed after a restart

    preload = setup_imports(nb)

    def fresh_sandbox():
        box = new_sandbox(preload, timeout=timeout, memory_mb=memory_mb, uid=uid)
        for path in files:
            box.put_file(path)
        return box

    sandbox = fresh_sandbox()
    restarts = 0
    try:
        for cell in (c for c in nb.cells if c.cell_type == "code"):
            kind = cell_kind(cell)
            if not sandbox.alive and restarts < MAX_RESTARTS:
                restarts += 1
                sandbox = fresh_sandbox()
                for earlier in done:
                    with contextlib.suppress(SubmissionCrashed, RemoteError):
                        sandbox.run_cell(earlier.source, timeout=timeout)
            if kind == "test":
                cell.outputs = run_test(cell.source, ns, sandbox)
                cell.source = HIDDEN.sub(HIDDEN_NOTE, cell.source)
                continue
            if kind == "setup":
                with contextlib.suppress(Exception):
                    exec(compile(_python(cell.source), "<setup>", "exec"), ns)
            try:
                cell.outputs = _run_in_sandbox(cell, sandbox, timeout)
                done.append(cell)
            except (SubmissionCrashed, RemoteError) as err:
                cell.outputs = [_error_output("SubmissionCrashed", str(err))]
    finally:
        sandbox.close()
    return nb
