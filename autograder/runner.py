"""The student's side of the sandbox: runs the submission's cells and answers the grader's requests.

Started inside the sandbox as `python -c <wire.py + this file>`; talks to the grader over two
pipes. Everything here is reachable by the submission, so nothing here decides a grade: the
grader only receives plain data (see wire.py) and judges it in its own process.
"""
import contextlib
import io
import os
import sys

try:
    from autograder.wire import decode, encode, read_message, write_message
except ImportError:  # in the sandbox this file runs after wire.py's source, which defines them
    pass

OUTPUT_LIMIT = 20_000  # characters of captured output kept per request


def _error(exc: BaseException) -> dict:
    return {"ename": type(exc).__name__, "evalue": str(exc)[:2000]}


class Runner:
    def __init__(self):
        from IPython.core.interactiveshell import InteractiveShell

        self.shell = InteractiveShell.instance(colors="nocolor")
        self.ns = self.shell.user_ns
        self.handles = {}

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
        return {"error": _error(err) if err is not None else None}

    def handle(self, header: dict, blobs: list):
        op = header.pop("op")
        f = {key: decode(value, blobs, self.from_handle) for key, value in header.items()}
        if op == "ping":
            return "pong"
        if op == "exec":
            return self.run_cell(f["code"])
        if op == "put":  # a file submitted with the notebook, e.g. a trained model
            name = os.path.basename(f["name"])
            with open(name, "wb") as out:
                out.write(f["data"])
            return name
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
        raise ValueError(f"unknown request {op!r}")

    def serve(self, requests, replies):
        while True:
            header, blobs = read_message(requests)
            out, err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    value = self.handle(header, blobs)
                tree, value_blobs = encode(value, self.to_handle)
                reply = {"ok": True, "value": tree}
            except BaseException as exc:  # the submission's errors are data for the grader
                reply, value_blobs = {"ok": False, "error": _error(exc)}, []
            reply["stdout"] = out.getvalue()[-OUTPUT_LIMIT:]
            reply["stderr"] = err.getvalue()[-OUTPUT_LIMIT:]
            write_message(replies, reply, value_blobs)


def main():
    request_fd, reply_fd = (int(fd) for fd in os.environ.pop("DLCOURSE_RUNNER_FDS").split(","))
    os.chdir(os.environ.pop("DLCOURSE_RUNNER_CWD", "."))
    requests, replies = os.fdopen(request_fd, "rb"), os.fdopen(reply_fd, "wb")
    sys.stdin = io.StringIO()
    Runner().serve(requests, replies)


if __name__ == "__main__":
    main()
