"""The checker: tests run in the grader on names it asked for, a crash costs one cell, set-up
failures are the grader's, regrades draw the same random inputs."""
import sys
import threading

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.grading import checker
from autograder.grading.checker import GraderSetupError, check_setup, grade_notebook, scrub
from autograder.limits import Limits

pytestmark = pytest.mark.slow
LIMITS = Limits(timeout=30)


def _cell(source, kind, gid, points=1):
    meta = {"setup": {"locked": True, "grade": False, "solution": False},
            "answer": {"locked": False, "grade": False, "solution": True},
            "test": {"locked": True, "grade": True, "solution": False, "points": points}}[kind]
    return new_code_cell(source, metadata={"nbgrader": {**meta, "grade_id": gid, "schema_version": 3}})


def _notebook(*cells):
    return new_notebook(cells=[_cell(*c) for c in cells])


def _errors(nb):
    return {c.metadata["nbgrader"]["grade_id"]: [o for o in c.outputs if o.output_type == "error"]
            for c in nb.cells if c.cell_type == "code"}


def test_names_the_grader_did_not_ask_for_are_refused():
    """A submission that patches its runner to also hand back `np` and `range` gets neither bound."""
    patch = (
        "import gc\n"
        "_runner = next(o for o in gc.get_objects() if type(o).__name__ == 'Runner')\n"
        "_handle = _runner.handle\n"
        "def _lying(header, blobs):\n"
        "    if header.get('op') == 'names':\n"
        "        return ['np', 'range'] + _handle(header, blobs)\n"
        "    return _handle(header, blobs)\n"
        "_runner.handle = _lying\n"
        "def double(x):\n    return 2 * x\n")
    nb = grade_notebook(_notebook(("import numpy as np", "setup", "imports"), (patch, "answer", "answer"),
                                  ("assert double(2) == 4\nassert np.allclose(1, 1)", "test", "check")),
                        limits=LIMITS)
    [error] = _errors(nb)["check"]
    assert "names the grader did not ask for" in error.evalue and "'np'" in error.evalue


def test_a_crash_costs_only_the_cell_it_happened_in():
    answer = "import os\ndef double(x):\n    return 2 * x\ndef crash():\n    os._exit(3)\n"
    nb = grade_notebook(_notebook(("import numpy as np", "setup", "imports"), (answer, "answer", "answer"),
                                  ("assert double(1) == 2", "test", "before"), ("crash()", "test", "crash"),
                                  ("assert double(2) == 4", "test", "after")), limits=LIMITS)
    errors = _errors(nb)
    assert errors["before"] == [] and errors["after"] == [], errors["after"]
    assert errors["crash"] and "exited" in errors["crash"][0].evalue


def test_set_up_code_that_fails_in_the_sandbox_is_the_graders_failure():
    """`autograder` imports in the grader but not in the sandbox: every student would fail it."""
    nb = _notebook(("import numpy as np\nimport autograder", "setup", "imports"), ("x = 1", "answer", "answer"))
    with pytest.raises(GraderSetupError, match="imports.*fails in the sandbox"):
        check_setup(nb, limits=LIMITS)


def test_set_up_cells_that_call_the_students_code_are_not_checked_alone():
    nb = _notebook(("import numpy as np", "setup", "imports"),
                   ("def double(x):\n    raise NotImplementedError()", "answer", "answer"),
                   ("print(double(3))  # self-check", "setup", "self_check"))
    check_setup(nb, limits=LIMITS)  # no error: the self-check needs an answer to run


def _random_draws(seed):
    nb = grade_notebook(_notebook(("import numpy as np", "setup", "imports"), ("x = 1", "answer", "answer"),
                                  ("print(np.random.default_rng().integers(0, 10**9), np.random.rand())",
                                   "test", "draw")), limits=LIMITS, seed=seed)
    return nb.cells[2].outputs[0].text


def test_hidden_tests_draw_the_same_inputs_for_the_same_seed():
    first, again, other = _random_draws(1234), _random_draws(1234), _random_draws(99)
    assert first == again and first != other


def test_a_library_drawing_as_it_is_first_imported_does_not_change_the_tests_inputs(tmp_path, monkeypatch):
    """scipy draws from default_rng() on its first import (TensorFlow imports it): which submission
    first imports it in a worker process must not decide the inputs the others' tests draw."""
    (tmp_path / "draws_on_import.py").write_text("import numpy as np\nnp.random.default_rng().random()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "draws_on_import", raising=False)

    def draws():
        nb = grade_notebook(_notebook(("import numpy as np", "setup", "imports"), ("x = 1", "answer", "answer"),
                                      ("import draws_on_import\nprint(np.random.default_rng().integers(0, 10**9))",
                                       "test", "draw")), limits=LIMITS, seed=1234)
        return nb.cells[2].outputs[0].text

    first = draws()
    assert "draws_on_import" in sys.modules
    assert draws() == first


def test_failure_messages_are_cut_before_they_are_processed():
    """24k newlines cost the old regexes 19.5 s; here every message is cut, then read line by line."""
    message = "values differ" + "\n" * 400_000 + "x: [1, 2]"
    done = []
    worker = threading.Thread(target=lambda: done.append(scrub(message)), daemon=True)
    worker.start()
    worker.join(60)  # a hang detector, not a speed target: linear work ends at once
    assert done and done[0] == "values differ"
    assert len(scrub("y" * 10**6)) <= checker.MESSAGE_CHARS


def test_failed_numpy_checks_hide_the_quoted_expected_values():
    message = ("\nNot equal to tolerance rtol=1e-07\nconv2d: values differ\nMismatched elements: 1 / 3\n"
               "First 1 mismatch is at index [2]: 3.0 (ACTUAL), 4.5 (DESIRED)\n x: array([1., 2., 3.])\n"
               " y: array([1. , 2. , 4.5])")
    assert "4.5" not in scrub(message) and "conv2d: values differ" in scrub(message)


def test_grader_namespace_keeps_its_own_numpy():
    """The submission redefines np; the test still compares with the grader's NumPy."""
    cells = [("import numpy as np", "setup", "imports"), ("def half(x):\n    raise NotImplementedError()", "answer", "answer"),
             ("assert np.allclose(half(4), 3), 'half(4) should be 2'", "test", "check")]
    release = _notebook(*cells)
    cells[1] = ("class _Fake:\n    def allclose(self, *a, **k):\n        return True\nnp = _Fake()\n"
                "def half(x):\n    return x / 2", "answer", "answer")
    nb = grade_notebook(_notebook(*cells), release=release, limits=LIMITS)
    [error] = _errors(nb)["check"]
    assert "half(4) should be 2" in error.evalue


def test_a_check_the_grader_cannot_run_is_said_not_scored_silently():
    """Passing a function into the submission's code cannot cross the sandbox: the cell says so."""
    nb = grade_notebook(_notebook(("import numpy as np", "setup", "imports"),
                                  ("def apply(f, x):\n    return f(x)", "answer", "answer"),
                                  ("assert apply(lambda v: v + 1, 1) == 2", "test", "callback"),
                                  ("assert apply.__name__ == 'apply'", "test", "inspect")), limits=LIMITS)
    errors = _errors(nb)
    for gid in ("callback", "inspect"):
        assert errors[gid][0].ename == checker.UNSUPPORTED
        assert "uses a feature the grader cannot run" in errors[gid][0].evalue
