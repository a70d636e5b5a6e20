"""What the grader makes of the sandbox's replies: a submission that writes its own replies (as a
tampered runner would) fails only its cell, in words, and the grader's exceptions keep their type.

The attacks write raw messages onto the reply pipe from inside the submission, so nothing the
runner does (its own cutting or checks) stands between them and the grader.
"""
import io
import json

import numpy as np
import pytest

from autograder.limits import Limits
from autograder.sandbox.errors import MalformedReply, RemoteError, SubmissionCrashed
from autograder.sandbox.zygote import new_sandbox

# Defines forge(header, blobs, after): the runner's reply `after` replies from now is replaced by
# this raw message, as a submission that patched its own runner would send it.
FORGE = """
import gc as _gc, struct as _struct
def forge(header: bytes, blobs=(), after=0):
    runner = next(o for o in _gc.get_objects() if type(o).__name__ == 'Runner')
    globals_, real, left = type(runner).serve.__globals__, type(runner).serve.__globals__['write_message'], [after]
    def write(stream, *args):
        if left[0]:
            left[0] -= 1
            return real(stream, *args)
        globals_['write_message'] = real
        stream.write(_struct.pack('>II', len(header), len(blobs)) + header
                     + b''.join(_struct.pack('>Q', len(b)) + b for b in blobs))
        stream.flush()
    globals_['write_message'] = write
"""


def _deep(depth: int) -> str:
    """A reply whose value is lists in lists, depth deep, as JSON text (json.dumps would refuse)."""
    return '{"ok": true, "value": ' + '{"__list__": [' * depth + "1" + "]}" * depth + "}"


def _npy_claiming(shape: str) -> bytes:
    """A .npy file of three numbers whose header claims another shape."""
    buf = io.BytesIO()
    np.save(buf, np.zeros(3))
    data = buf.getvalue()
    end = data.index(b"\n")
    grown = data[:end].replace(b"(3,)", shape.encode())
    return grown[:end] if len(grown) > end else grown.ljust(end) + data[end:]


MALFORMED = {  # name -> (reply header, blobs)
    "blob index out of range": ({"ok": True, "value": {"__ndarray__": 7}}, []),
    "nesting deeper than the decoder": (_deep(900), []),
    "nesting deeper than the JSON parser": (_deep(5000), []),
    "unknown tag": ({"ok": True, "value": {"__frob__": 1}}, []),
    "list that is not a list": ({"ok": True, "value": {"__list__": 5}}, []),
    "dict that is not a dict": ({"ok": True, "value": {"__dict__": [1, 2]}}, []),
    "handle that is not a number": ({"ok": True, "value": {"__handle__": "x"}}, []),
    "array that is not an array": ({"ok": True, "value": {"__ndarray__": 0}}, [b"not an npy file"]),
    "array shorter than its header": ({"ok": True, "value": {"__ndarray__": 0}}, [_npy_claiming("(10**10,)")]),
    "error that is not a dict": ({"ok": False, "error": "boom"}, []),
    "header that is not a dict": ([1, 2, 3], []),
}


def _forging(header, blobs=(), after=0, indent="") -> str:
    """Source that forges a reply (see FORGE), indented to sit in a function body."""
    text = header if isinstance(header, str) else json.dumps(header)
    call = f"forge({text!r}.encode(), {list(blobs)!r}, {after})"
    return "\n".join(indent + line for line in (FORGE + call).splitlines())


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_reply_fails_only_its_cell_in_words(case):
    box = new_sandbox(limits=Limits(timeout=20))
    try:
        with pytest.raises(MalformedReply, match="cannot read"):
            box.run_cell(_forging(*MALFORMED[case]))
        assert not box.alive  # a runner that lies is not asked again; the checker restarts it
    finally:
        box.close()


def test_texts_in_a_reply_are_cut_by_the_grader_whatever_the_runner_sends():
    box = new_sandbox(limits=Limits(timeout=20, max_output_chars=1000, max_message_chars=100))
    try:
        huge = {"ok": True, "value": {"__dict__": {"error": None}}, "stdout": "x" * 10**6, "stderr": "\n" * 10**6}
        result = box.run_cell(_forging(huge))
        assert len(result["stdout"]) == 1000 and len(result["stderr"]) == 1000
        error = {"ok": False, "error": {"ename": "E" * 10**5, "evalue": "\n" * 10**5, "builtin": "V" * 10**5}}
        box.run_cell("def f():\n" + _forging(error, indent="    "))
        with pytest.raises(RemoteError) as raised:
            box.get("f")()
        assert len(raised.value.ename) == 100 and len(raised.value.evalue) == 100
        box.run_cell("g = 1\n" + _forging({"ok": True, "value": {"__list__": ["x" * 10**5, 5, "f", "np"]}}, after=1))
        with pytest.raises(SubmissionCrashed, match="did not ask for") as refused:  # only names asked for
            box.names(["f", "g"])
        assert len(str(refused.value)) < 1000
    finally:
        box.close()


@pytest.mark.parametrize("ename", ["SystemExit", "os.system", "__import__", "print", "SubmissionCrashed"])
def test_only_real_builtin_exception_names_become_types(ename):
    box = new_sandbox(limits=Limits(timeout=20))
    try:
        forged = {"ok": False, "error": {"ename": ename, "builtin": ename, "evalue": "forged"}}
        box.run_cell("def f():\n" + _forging(forged, indent="    "))
        with pytest.raises(RemoteError) as error:
            box.get("f")()
        assert type(error.value) is RemoteError and not isinstance(error.value, SubmissionCrashed)
        assert error.value.ename == ename
    finally:
        box.close()


@pytest.fixture(scope="module")
def box():
    sandbox = new_sandbox(limits=Limits(timeout=20))
    yield sandbox
    sandbox.close()


@pytest.mark.parametrize("raised, caught", [
    ("ValueError('bad input')", ValueError), ("TypeError('t')", TypeError), ("IndexError('i')", IndexError),
    ("KeyError('k')", KeyError), ("ZeroDivisionError('z')", ZeroDivisionError),
    ("AssertionError('a')", AssertionError), ("ArithmeticError('a')", ArithmeticError),
    ("LookupError('l')", LookupError), ("NotImplementedError('n')", NotImplementedError),
    ("RuntimeError('r')", RuntimeError), ("StopIteration('s')", StopIteration),
    ("OverflowError('o')", OverflowError), ("AttributeError('a')", AttributeError), ("NameError('n')", NameError),
    ("UnicodeDecodeError('utf-8', b'x', 0, 1, 'bad')", UnicodeError), ("FileNotFoundError('f')", OSError),
])
def test_builtin_exceptions_reach_the_tests_as_their_own_type(box, raised, caught):
    box.run_cell(f"def fails():\n    raise {raised}")
    with pytest.raises(caught) as error:
        box.get("fails")()
    assert isinstance(error.value, RemoteError) and error.value.ename == raised.split("(")[0]


def test_a_test_that_expects_an_exception_catches_it(box):
    box.run_cell("def positive(x):\n    if x < 0:\n        raise ValueError('x must be positive')\n    return x")
    positive = box.get("positive")
    try:
        positive(-1)
    except ValueError as err:
        assert "x must be positive" in str(err)
    else:
        raise AssertionError("positive(-1) did not raise")


def test_other_exceptions_arrive_named_and_subclasses_of_builtins_keep_their_base(box):
    box.run_cell("class MyError(ValueError):\n    pass\nclass Odd(Exception):\n    pass\n"
                 "def mine():\n    raise MyError('mine')\ndef odd():\n    raise Odd('odd')")
    with pytest.raises(ValueError) as mine:
        box.get("mine")()
    assert mine.value.ename == "MyError"
    with pytest.raises(RemoteError) as odd:
        box.get("odd")()
    assert type(odd.value) is RemoteError and odd.value.ename == "Odd"


@pytest.mark.parametrize("raised", ["SystemExit(3)", "KeyboardInterrupt()", "GeneratorExit()"])
def test_exceptions_that_would_stop_the_grader_arrive_as_plain_remote_errors(box, raised):
    box.run_cell(f"def stop():\n    raise {raised}")
    with pytest.raises(RemoteError) as error:
        box.get("stop")()
    assert type(error.value) is RemoteError


def test_honest_data_nested_too_deeply_is_refused_by_the_runner_not_a_crash(box):
    box.run_cell("def deep():\n    v = 1\n    for _ in range(500):\n        v = [v]\n    return v")
    with pytest.raises(ValueError, match="nested deeper"):
        box.get("deep")()
    assert box.alive
