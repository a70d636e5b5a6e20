"""The sandbox a submission runs in: isolated, limited, and speaking only plain data."""
import io

import numpy as np
import pytest

from autograder import REPO
from autograder.sandbox.host import RemoteError, RemoteObject, Sandbox, SubmissionCrashed
from autograder.sandbox.inside.wire import WireError, decode, encode, read_message, write_message


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(timeout=20) as sb:
        yield sb


def test_plain_data_round_trips_and_objects_become_handles():
    value = {"a": [1, 2.5, None, "x"], "b": (np.arange(6).reshape(2, 3), np.float32(1.5)), "c": True,
             "d": np.array(3.0), "e": np.arange(10)[::3], "f": b"raw"}
    tree, blobs = encode({**value, "obj": object()}, lambda obj: 7)
    back = decode(tree, blobs, lambda key: ("handle", key))
    np.testing.assert_array_equal(back["b"][0], value["b"][0])
    assert back["a"] == value["a"] and back["b"][1] == 1.5 and back["obj"] == ("handle", 7)
    assert back["d"].shape == () and back["f"] == b"raw"  # 0-d arrays stay 0-d
    np.testing.assert_array_equal(back["e"], [0, 3, 6, 9])


def test_oversized_messages_are_refused():
    buf = io.BytesIO()
    write_message(buf, {"x": 1}, [b"0" * 1000])
    buf.seek(0)
    with pytest.raises(WireError):
        read_message(buf, limit=100)


def test_submission_cannot_see_the_repository_or_the_network(sandbox):
    sandbox.run_cell("import os, socket\nrepo = sorted(os.listdir(%r))" % str(REPO))
    assert sandbox.get("repo") == sorted(["dlcourse", ".venv"])
    result = sandbox.run_cell("socket.create_connection(('1.1.1.1', 80), timeout=2)")
    assert result["error"]["ename"] in ("OSError", "TimeoutError")


def test_functions_come_back_as_remote_objects_that_return_plain_data(sandbox):
    sandbox.run_cell("import numpy as np\ndef double(x):\n    return np.asarray(x) * 2")
    double = sandbox.get("double")
    assert isinstance(double, RemoteObject)
    np.testing.assert_array_equal(double([1, 2]), [2, 4])
    with pytest.raises(TypeError):
        bool(double)
    assert double != double


def test_errors_in_submission_code_are_reported_not_raised_in_the_grader(sandbox):
    sandbox.run_cell("def broken():\n    raise ValueError('nope')")
    with pytest.raises(RemoteError, match="ValueError: nope"):
        sandbox.get("broken")()


def test_a_runaway_cell_is_stopped_with_a_reason():
    with Sandbox(timeout=2) as sb:
        with pytest.raises(SubmissionCrashed, match="timeout"):
            sb.run_cell("while True: pass")
        assert not sb.alive


def test_failed_numpy_checks_do_not_show_the_expected_values():
    from autograder.grading.checker import run_test

    class NoSubmission:
        def names(self, names):
            return []

    ns = {"np": np}
    outputs = run_test("np.testing.assert_allclose([1.0, 2.0, 3.0], [1.0, 2.0, 4.5], err_msg='conv2d: values differ')",
                       ns, set(ns), NoSubmission())
    message = outputs[-1]["evalue"]
    assert "conv2d: values differ" in message and "4.5" not in message


def test_a_test_cell_can_delete_a_name_where_the_submission_runs(sandbox):
    sandbox.run_cell("def helper(x):\n    return x + 1\ndef uses_helper(x):\n    return helper(x) * 2")
    assert sandbox.get("uses_helper")(1) == 4
    assert sandbox.delete("helper") is True and sandbox.names(["helper", "uses_helper"]) == ["uses_helper"]
    with pytest.raises(NameError, match="helper"):
        sandbox.get("uses_helper")(1)
    assert sandbox.delete("helper") is False


def test_files_shipped_with_an_assignment_reach_the_submission_under_safe_names(sandbox, tmp_path):
    (tmp_path / "img.png").write_bytes(b"\x89PNG fake")
    sandbox.put_file(tmp_path / "img.png")
    sandbox.put_file(tmp_path / "img.png", "data/images/img.png")
    sandbox.run_cell("shipped = [open(p, 'rb').read() for p in ('img.png', 'data/images/img.png')]")
    assert sandbox.get("shipped") == [b"\x89PNG fake"] * 2
    for unsafe in ("/etc/passwd", "../img.png", "data/../../img.png", "data//img.png", "./img.png"):
        with pytest.raises(ValueError, match="safe"):
            sandbox.put_file(tmp_path / "img.png", unsafe)


COLAB_CELL = """%matplotlib inline
%config InlineBackend.figure_format = 'retina'
!pip install -q some-package
%pip install another-package
%time total = sum(range(10))
%timeit -n1 -r1 sum(range(10))
!echo shell commands still run
import matplotlib.pyplot as plt
plt.plot([1, 2])
answer = total * 2"""


def test_notebook_syntax_from_colab_runs_or_is_skipped_with_a_note(sandbox):
    result = sandbox.run_cell(COLAB_CELL)
    assert result["error"] is None, result
    assert sandbox.get("answer") == 90
    out = result["stdout"]
    assert "skipped `%matplotlib inline`" in out and "skipped `!pip install -q some-package`" in out
    assert "skipped `%pip install another-package`" in out and "shell commands still run" in out
    assert "Collecting" not in out and "Wall time" in out
    timed = sandbox.run_cell("%%time\nlater = answer + 1")
    assert timed["error"] is None and sandbox.get("later") == 91


def _draws(seed) -> list[float]:
    from autograder.limits import Limits
    from autograder.sandbox.zygote import new_sandbox

    box = new_sandbox(("numpy", "tensorflow"), limits=Limits(timeout=60), seed=seed)
    try:
        box.run_cell("import random, numpy as np, tensorflow as tf\n"
                     "draws = [random.random(), float(np.random.rand()), float(tf.random.uniform(()))]")
        return box.get("draws")
    finally:
        box.close()


def test_a_seed_makes_a_regrade_draw_the_same_numbers_and_no_seed_fresh_ones():
    assert _draws(7) == _draws(7)
    assert all(a != b for a, b in zip(_draws(7), _draws(8)))
    assert all(a != b for a, b in zip(_draws(None), _draws(None)))
