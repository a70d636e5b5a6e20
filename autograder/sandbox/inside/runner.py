"""The student's side of the sandbox: runs the submission's cells and answers the grader's requests.

Started inside the sandbox as `python /opt/dlcourse-sandbox/runner.py` (this folder, mounted
read-only); talks to the grader over two pipes. Everything here is reachable by the submission,
so nothing here decides a grade: the grader only receives plain data (see wire.py) and judges it
in its own process.
"""
import builtins
import contextlib
import io
import itertools
import os
import sys

from wire import check_file_name, decode, encode, read_message, write_message


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # a submission's exception whose __str__ fails
        return "(no message)"


def _error(exc: BaseException, chars: int) -> dict:
    """What the grader learns of an exception: its type's name, the nearest builtin type it
    derives from (so `except ValueError` works for a subclass), its message."""
    builtin = next((c.__name__ for c in type(exc).__mro__ if getattr(builtins, c.__name__, None) is c), None)
    return {"ename": type(exc).__name__, "builtin": builtin, "evalue": _text(exc)[:chars]}


def seed_everything(seed) -> int:
    """Seed Python's random, NumPy and, if imported, TensorFlow and Keras; None: a fresh random seed."""
    import random

    seed = (int.from_bytes(os.urandom(4), "little") if seed is None else int(seed)) % 2**32
    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(seed)
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)  # also TensorFlow's global seed
    elif "tensorflow" in sys.modules:
        sys.modules["tensorflow"].random.set_seed(seed)
    return seed


class Runner:
    def __init__(self):
        from shell import GradingShell

        self.shell = GradingShell.instance(colors="nocolor")
        self.ns = self.shell.user_ns
        self.handles = {}
        self.output_chars, self.message_chars = 20_000, 2_000  # each request says; these only start it

    def to_handle(self, obj) -> int:
        self.handles[id(obj)] = obj
        return id(obj)

    def from_handle(self, key: int):
        if key not in self.handles:
            raise KeyError(f"unknown handle {key}")
        return self.handles[key]

    def run_cell(self, code: str) -> dict:
        result = self.shell.run_cell(code, store_history=False, silent=False)
        err = result.error_before_exec or result.error_in_exec
        return {"error": _error(err, self.message_chars) if err is not None else None}

    def handle(self, header: dict, blobs: list):
        op = header.pop("op")
        f = {key: decode(value, blobs, self.from_handle) for key, value in header.items()}
        if op == "ping":
            return "pong"
        if op == "seed":
            return seed_everything(f["seed"])
        if op == "exec":
            return self.run_cell(f["code"])
        if op == "put":  # a file shipped with the assignment or submitted with the notebook
            name = check_file_name(f["name"])
            if os.path.dirname(name):
                os.makedirs(os.path.dirname(name), exist_ok=True)
            with open(name, "wb") as out:
                out.write(f["data"])
            return name
        if op == "delete":
            found = f["name"] in self.ns
            self.ns.pop(f["name"], None)
            return found
        if op == "bind":  # a test cell restoring a name it deleted: the object is the submission's own
            self.ns[f["name"]] = f["value"]
            return True
        if op == "names":
            return [name for name in f["names"] if name in self.ns]
        if op == "get":
            return self.ns[f["name"]]
        target = self.from_handle(f["handle"])
        if op == "call":
            return target(*f["args"], **f["kwargs"])
        if op == "getattr":
            return getattr(target, f["attr"])
        if op == "getitem":
            return target[f["key"]]
        if op == "len":
            return len(target)
        if op == "iter":  # the whole sequence in one reply, one item more than allowed shows it is too long
            return list(itertools.islice(iter(target), f["max_items"] + 1))
        if op == "array":
            import numpy as np

            array = np.asarray(target)
            if array.dtype.kind not in "biufc":
                raise TypeError(f"cannot make an array of numbers from it (dtype {array.dtype})")
            return array
        raise ValueError(f"unknown request {op!r}")

    def serve(self, requests, replies):
        while True:
            header, blobs, _ = read_message(requests)
            # The grader cuts replies to these sizes itself; cutting here only keeps them small.
            self.output_chars = header.pop("output_chars", self.output_chars)
            self.message_chars = header.pop("message_chars", self.message_chars)
            out, err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    value = self.handle(header, blobs)
                tree, value_blobs = encode(value, self.to_handle)
                reply = {"ok": True, "value": tree}
            except BaseException as exc:  # the submission's errors are data for the grader
                reply, value_blobs = {"ok": False, "error": _error(exc, self.message_chars)}, []
            reply["stdout"] = out.getvalue()[-self.output_chars:]
            reply["stderr"] = err.getvalue()[-self.output_chars:]
            write_message(replies, reply, value_blobs)


def serve(request_fd: int, reply_fd: int, cwd: str) -> None:
    os.chdir(cwd)
    requests, replies = os.fdopen(request_fd, "rb"), os.fdopen(reply_fd, "wb")
    sys.stdin = io.StringIO()
    Runner().serve(requests, replies)


def _preload(names: list) -> None:
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # a library missing here is imported (and fails) in the submission as usual
            pass


def main():
    if "DLCOURSE_RUNNER_UID" in os.environ:  # a plain process started as root: no root for the submission
        from confine import drop_privileges, reach_imports_through_fds

        reach_imports_through_fds()
        drop_privileges(int(os.environ.pop("DLCOURSE_RUNNER_UID")))
    _preload([m for m in os.environ.pop("DLCOURSE_PRELOAD", "").split(",") if m])
    if "DLCOURSE_ZYGOTE_FD" in os.environ:
        from zygote import zygote

        zygote(int(os.environ.pop("DLCOURSE_ZYGOTE_FD")), serve)
        return
    request_fd, reply_fd = (int(fd) for fd in os.environ.pop("DLCOURSE_RUNNER_FDS").split(","))
    serve(request_fd, reply_fd, os.environ.pop("DLCOURSE_RUNNER_CWD"))


if __name__ == "__main__":
    main()
