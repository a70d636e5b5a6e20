"""Run a notebook for grading: the submission's cells in a sandbox, the tests in the grader.

Answer cells (and any cells the student added) run in the sandboxed process. Locked set-up cells
(imports, data) run in both places. Test cells run here, in the grader's own namespace: names the
set-up cells and earlier test cells defined are the grader's own (np is the grader's NumPy); a
name a test uses that the submission defines becomes, for that cell only, a stand-in
(RemoteObject) that forwards calls and brings back plain data. So no test code reaches the
submission, and nothing the submission does to its own process (patched np.allclose,
sys.excepthook, tf.nn.conv2d, builtins) reaches the comparisons.
"""
from __future__ import annotations

import ast
import builtins
import contextlib
import hashlib
import io
import random
import re
import sys

from nbformat.v4 import new_output

from autograder.grading.normalize import grade_id, is_given, mark_given, nbgrader_meta
from autograder.limits import DEFAULT, Limits
from autograder.sandbox.budget import Budget
from autograder.sandbox.errors import GraderCannotRun
from autograder.sandbox.host import RemoteError, SubmissionCrashed
from autograder.sandbox.remote import RemoteObject
from autograder.sandbox.zygote import new_sandbox

HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[^\n]*\n?", re.S | re.M)
HIDDEN_NOTE = "# （隱藏測試 hidden tests: run by the grader, not shown）\n"
MAX_RESTARTS = 3
UNSUPPORTED = "GraderCannotRun"  # the error name of a check the grader could not run: grade it by hand
MESSAGE_CHARS = 2000  # of any failure message, cut before it is processed further
OUTPUT_CHARS = 20_000  # of what a test cell prints
# What IPython puts in every user namespace: never the submission's definitions.
_IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "_ih", "_oh", "_dh", "_", "__", "___",
                  "_i", "_ii", "_iii", "__builtin__", "__builtins__", "__name__", "__doc__"}


class GraderSetupError(RuntimeError):
    """A locked set-up cell (instructor code) failed: the grader's problem, never the student's."""


HANDIN_TAG = "handin-check"  # the pre-upload check (dlcourse/handin.py): for the student, not run when grading


def cell_kind(cell) -> str:
    """'test', 'answer', 'setup' (locked, not graded), 'extra' (a cell the student added) or
    'handin' (the locked pre-upload check, skipped)."""
    meta = nbgrader_meta(cell)
    if meta.get("locked") and HANDIN_TAG in cell.get("metadata", {}).get("tags", []):
        return "handin"
    if is_given(cell):
        return "setup"  # instructor code the release left unlocked: the release's own version
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("solution"):
        return "answer"
    return "setup" if meta.get("locked") else "extra"


def _python(source: str) -> str:
    """IPython syntax (magics such as %pip) as plain Python."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def setup_imports(nb) -> tuple[str, ...]:
    """Modules the locked set-up cells import (instructor code): worth importing once per grader."""
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


def defined_names(source: str) -> set[str]:
    """Names a cell binds at its top level: functions, classes, assignments, imports."""
    try:
        tree = ast.parse(_python(source))
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update((a.asname or a.name).split(".")[0] for a in node.names)
    return found


def answer_names(release) -> set[str]:
    """Names the release's answer cells define (the stubs students fill in)."""
    return {n for c in release.cells if c.cell_type == "code" and cell_kind(c) == "answer"
            for n in defined_names(c.source)}


def _global_reads(source: str) -> set[str]:
    """Global names a cell reads: at its top level, or free in the functions it defines (a
    function's own parameters and locals do not count)."""
    import symtable

    found, stack = set(), [symtable.symtable(_python(source), "<cell>", "exec")]
    while stack:
        table = stack.pop()
        for sym in table.get_symbols():
            if sym.is_referenced() and (table.get_type() == "module" or sym.is_global()):
                found.add(sym.get_name())
        stack.extend(table.get_children())
    return found


def _uses_submission(cell, answers: set[str]) -> bool:
    """Whether a set-up cell reads a name the students write (a self-check): it runs in the sandbox only."""
    try:
        return bool(_global_reads(cell.source) & answers)
    except SyntaxError:
        return True


def _error_output(ename: str, evalue: str):
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _stream(name: str, text: str):
    return [new_output("stream", name=name, text=text[-OUTPUT_CHARS:])] if text else []


def scrub(message: str) -> str:
    """A failed check's message without the values NumPy quotes (the hidden expected answers).

    Cut to MESSAGE_CHARS first, then handled line by line: linear in its length, whatever it holds.
    """
    kept = []
    for line in str(message)[:MESSAGE_CHARS].split("\n"):
        stripped = line.strip()
        if stripped.startswith(("x:", "y:", "ACTUAL:", "DESIRED:")):
            break  # NumPy prints the compared arrays last
        if stripped.startswith(("First ", "Mismatch at ind")) or "(ACTUAL" in line or "(DESIRED" in line:
            continue  # NumPy 2's quoted mismatches
        kept.append(line)
    return "\n".join(kept).strip() or "a check failed"


class _NoMagics:
    """get_ipython() for set-up cells run in the grader: magics (%matplotlib, %pip) do nothing here."""

    def run_line_magic(self, *args, **kwargs):
        return None

    run_cell_magic = system = getoutput = run_line_magic


class _TestLocals(dict):
    """A test cell's local namespace: writes reach the grader's namespace (so functions a test
    defines see each other); `del name` of a submission's name also deletes it in the sandbox, and
    giving that name back one of the submission's objects (`helper = old_helper`) restores it there."""

    def __init__(self, ns: dict, standins: dict, sandbox):
        super().__init__()
        self.ns, self.standins, self.sandbox = ns, standins, sandbox
        self.deleted: set[str] = set()

    def __getitem__(self, key):
        return self.ns[key]

    def __contains__(self, key):
        return key in self.ns

    def __setitem__(self, key, value):
        if key in self.deleted and isinstance(value, RemoteObject) and value._sandbox is self.sandbox:
            self.sandbox.bind(key, value)
            self.deleted.discard(key)
            self.standins[key] = value
        self.ns[key] = value

    def __delitem__(self, key):
        if key in self.standins and self.ns.get(key) is self.standins[key]:
            self.sandbox.delete(key)
            self.deleted.add(key)
            del self.standins[key]
        del self.ns[key]


@contextlib.contextmanager
def seeded(seed: int | None):
    """Random inputs a test cell draws (np.random.default_rng(), np.random.*, random.*,
    tf.random) come from seed, so a regrade of the same submission checks the same inputs."""
    if seed is None:
        yield
        return
    import numpy as np

    original = np.random.default_rng
    calls: dict = {}

    def default_rng(seed_arg=None, *args, **kwargs):
        if seed_arg is None:
            # Keyed by call site, so a library that draws while the cell imports it (scipy does,
            # on first import in a process) does not shift the test's own draws.
            caller = sys._getframe(1)
            site = f"{caller.f_code.co_filename}:{caller.f_lineno}"
            count = calls[site] = calls.get(site, -1) + 1
            key = int.from_bytes(hashlib.sha256(site.encode()).digest()[:8], "big")
            seed_arg = np.random.SeedSequence(seed, spawn_key=(key, count))
        return original(seed_arg, *args, **kwargs)

    state = np.random.get_state(), random.getstate()
    np.random.default_rng = default_rng
    np.random.seed(seed % 2**32)
    random.seed(seed)
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].random.set_seed(seed % 2**31)
    try:
        yield
    finally:
        np.random.default_rng = original
        np.random.set_state(state[0])
        random.setstate(state[1])


def cell_seed(seed: int | None, label: str) -> int | None:
    """A seed for one cell, derived from the submission's seed and the cell's grade id."""
    if seed is None:
        return None
    return int.from_bytes(hashlib.sha256(f"{seed}:{label}".encode()).digest()[:8], "big")


def run_test(source: str, ns: dict, owned: set, sandbox, *, seed: int | None = None, label: str = "",
             answers: set = frozenset()) -> list:
    """Outputs of one test cell run in the grader: an error output when a check failed.

    ns: the grader's namespace; owned: the names in it that are the grader's own (set-up cells,
    earlier tests), which the submission never supplies; names this cell defines join them.
    answers: the names the release's answer cells define (for a plainer message when one is missing).
    """
    out = io.StringIO()
    standins: dict = {}
    shown = []  # the value of a last expression, as a kernel shows it (nbgrader's partial credit)
    try:
        body, last = _split_last_expression(source, f"<test {label}>")
        wanted = referenced_names(body) | (referenced_names(last) if last else set())
        wanted -= owned | set(dir(builtins)) | _IPYTHON_NAMES
        found = sandbox.names(sorted(wanted))  # only names asked for: anything else is refused there
        standins.update({name: sandbox.get(name) for name in found})
        ns.update(standins)
        local = _TestLocals(ns, standins, sandbox)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), seeded(cell_seed(seed, label)):
            exec(body, ns, local)
            value = eval(last, ns, local) if last else None
        if value is not None:
            shown = [new_output("execute_result", data={"text/plain": repr(value)[:MESSAGE_CHARS]},
                                execution_count=1)]
        failure = None
    except SubmissionCrashed as err:
        failure = _error_output("SubmissionCrashed", str(err)[:MESSAGE_CHARS])
    except GraderCannotRun as err:  # said, so that the instructor grades the cell by hand
        failure = _error_output(UNSUPPORTED, f"this check uses a feature the grader cannot run: {err}")
    except RemoteError as err:
        failure = _error_output(err.ename[:100], f"your code raised {err.ename[:100]}: {str(err.evalue)[:MESSAGE_CHARS]}")
    except AssertionError as err:
        failure = _error_output("AssertionError", scrub(str(err)))
    except NameError as err:
        why = (f"{err.name} is not defined: its answer cell did not run to the end (see the error there)"
               if err.name in answers else str(err)[:MESSAGE_CHARS])
        failure = _error_output("NameError", why)
    except Exception as err:  # a check that could not run on what the submission returned
        failure = _error_output(type(err).__name__, str(err)[:MESSAGE_CHARS])
    finally:
        for name, standin in standins.items():  # stand-ins never outlive their cell
            if ns.get(name) is standin:
                del ns[name]
    owned.update(n for n in ns if n not in standins)
    return _stream("stdout", out.getvalue()) + shown + ([failure] if failure else [])


def _split_last_expression(source: str, filename: str):
    """(code for all but a last bare expression, that expression to evaluate or None), as IPython
    runs a cell (a trailing `;` hides the value)."""
    python = _python(source)
    tree = ast.parse(python, filename)
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not python.rstrip().endswith(";"):
        last = ast.Expression(tree.body.pop().value)
        return compile(tree, filename, "exec"), compile(last, filename, "eval")
    return compile(tree, filename, "exec"), None


def _run_in_sandbox(cell, sandbox) -> list:
    result = sandbox.run_cell(cell.source)
    outputs = _stream("stdout", str(result["stdout"])) + _stream("stderr", str(result["stderr"]))
    if result["error"]:
        outputs.append(_error_output(str(result["error"].get("ename"))[:100],
                                     str(result["error"].get("evalue"))[:MESSAGE_CHARS]))
    return outputs


def _setup_in_grader(cell, ns: dict) -> None:
    try:
        exec(compile(_python(cell.source), f"<set-up {grade_id(cell)}>", "exec"), ns)
    except Exception as err:
        raise GraderSetupError(f"the set-up cell {grade_id(cell) or '(no id)'} failed in the grader: "
                               f"{type(err).__name__}: {err}") from None


def _start(preload, limits: Limits, files: dict, budget: Budget | None = None, seed: int | None = None):
    box = new_sandbox(preload, limits=limits, budget=budget, seed=seed)
    for name, path in files.items():
        box.put_file(path, name)
    return box


def check_setup(nb, *, limits: Limits = DEFAULT, files: dict = {}) -> str:
    """Run the release notebook's set-up cells alone, in the grader and in a fresh sandbox: GraderSetupError
    if any fails. Set-up cells that fail there fail for every student: grade nobody.
    Returns the sandbox's isolation, in words."""
    ns = {"__name__": "__grader__", "get_ipython": _NoMagics}
    nb = mark_given(nb)
    answers = answer_names(nb)
    budget = Budget(limits)
    box = _start(setup_imports(nb), limits, files, budget)
    try:
        for cell in (c for c in nb.cells if c.cell_type == "code" and cell_kind(c) == "setup"):
            if _uses_submission(cell, answers):
                continue
            budget.begin_cell(grade_id(cell) or "set-up")
            _setup_in_grader(cell, ns)
            try:
                result = box.run_cell(cell.source)
            except (SubmissionCrashed, RemoteError) as err:
                result = {"error": {"ename": type(err).__name__, "evalue": str(err)}}
            if result["error"]:
                raise GraderSetupError(
                    f"the set-up cell {grade_id(cell) or '(no id)'} fails in the sandbox before any student code: "
                    f"{result['error'].get('ename')}: {str(result['error'].get('evalue'))[:300]}. Every submission "
                    "would fail it: check that the sandbox's Python has what the cell imports (the course "
                    "installed with `make`), then grade again")
        return box.isolation
    finally:
        box.close()


def grade_notebook(nb, *, release=None, limits: Limits = DEFAULT, files: dict = {}, seed: int | None = None,
                   workdir=None):
    """Run every code cell of an nbgrader notebook as described above; set each cell's outputs.

    files (name in the sandbox -> path: the files shipped with the assignment, a trained model
    submitted with the notebook) are copied into the submission's working directory first; workdir is where test cells run (the files shipped with the assignment).
    release: the release notebook, whose answer stubs tell which set-up cells call student code
    (never the submission's own cells, which could claim any name); default nb itself.

    A crash or timeout fails the cell it happened in; the sandbox then restarts (up to
    MAX_RESTARTS times), replays the earlier submission cells and grading goes on.
    Returns the notebook, with the hidden tests' source replaced by a note.
    """
    ns = {"__name__": "__grader__", "get_ipython": _NoMagics}
    owned = set(ns)
    answers = answer_names(release if release is not None else nb)
    done = []  # submission cells run so far, replayed after a restart
    preload = setup_imports(nb)
    budget = Budget(limits)  # the submission's time and requests, over every sandbox it gets
    sandbox = _start(preload, limits, files, budget, seed)
    restarts = 0
    where = contextlib.chdir(workdir) if workdir else contextlib.nullcontext()
    try:
        for cell in (c for c in nb.cells if c.cell_type == "code"):
            kind = cell_kind(cell)
            if kind == "handin":
                continue
            label = grade_id(cell) or "an added cell"
            if not sandbox.alive and restarts < MAX_RESTARTS:
                restarts += 1
                sandbox.close()
                sandbox = _start(preload, limits, files, budget, seed)
                for earlier in done:
                    budget.begin_cell(f"replay of {grade_id(earlier) or 'a cell'}")
                    with contextlib.suppress(SubmissionCrashed, RemoteError):
                        sandbox.run_cell(earlier.source)
            budget.begin_cell(label)
            if kind == "test":
                with where:
                    cell.outputs = run_test(cell.source, ns, owned, sandbox, seed=seed, label=label, answers=answers)
                cell.source = HIDDEN.sub(HIDDEN_NOTE, cell.source)
                continue
            if kind == "setup" and not _uses_submission(cell, answers):
                with where:
                    _setup_in_grader(cell, ns)
                owned.update(ns)
            try:
                cell.outputs = _run_in_sandbox(cell, sandbox)
                done.append(cell)
            except (SubmissionCrashed, RemoteError) as err:
                cell.outputs = [_error_output("SubmissionCrashed", str(err)[:MESSAGE_CHARS])]
    finally:
        sandbox.close()
    return nb
