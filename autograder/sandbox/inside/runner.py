"""The student's side of the sandbox: runs the submission's cells and answers the grader's requests.

Started inside the sandbox as `python /opt/dlcourse-sandbox/runner.py` (this folder, mounted
read-only); talks to the grader over two pipes. Everything here is reachable by the submission,
so nothing here decides a grade: the grader only receives plain data (see wire.py) and judges it
in its own process.
"""
import contextlib
import io
import os
import sys

if __package__:  # imported by the grader (its limits and libc helpers)
    from autograder.sandbox.inside.wire import decode, encode, read_message, write_message
else:  # run as a script in the sandbox: wire.py sits beside this file
    from wire import decode, encode, read_message, write_message

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


def serve(request_fd: int, reply_fd: int, cwd: str) -> None:
    os.chdir(cwd)
    requests, replies = os.fdopen(request_fd, "rb"), os.fdopen(reply_fd, "wb")
    sys.stdin = io.StringIO()
    Runner().serve(requests, replies)


# -- the zygote: libraries imported once, a fresh forked copy for each submission ------------------

def libc_call(name: str, *args) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if getattr(libc, name)(*args) != 0:
        raise OSError(ctypes.get_errno(), f"{name} failed")


def _drop_privileges(uid) -> None:
    """Become uid with no capabilities and no way to regain any (what setpriv does for a fresh sandbox)."""
    if uid is None:
        return
    pr_capbset_drop, pr_set_no_new_privs = 24, 38
    for cap in range(64):
        try:
            libc_call("prctl", pr_capbset_drop, cap, 0, 0, 0)
        except OSError:
            break  # past the last capability this kernel knows
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    libc_call("prctl", pr_set_no_new_privs, 1, 0, 0, 0)


def apply_limits(file_bytes: int, cpu_seconds: int, procs) -> None:
    """A submission's resource limits, for this process and what it starts (procs None: no limit)."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if procs is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (procs, procs))


def _child(request: dict, request_fd: int, reply_fd: int) -> None:
    os.setsid()
    _drop_privileges(request.get("uid"))
    apply_limits(**request["limits"])
    if "numpy" in sys.modules:  # a forked copy inherits the zygote's random state: give it its own
        sys.modules["numpy"].random.seed()
    serve(request_fd, reply_fd, request["cwd"])


def _fresh_scratch(cwd: str) -> None:
    """Kill what the previous submission left running and empty the file systems it could write."""
    import shutil
    import signal
    import time

    if os.getpid() != 1:  # only as init of the sandbox's own PID namespace, in its own /tmp
        raise RuntimeError("the zygote runs only inside the sandbox's namespaces")
    while True:  # until every process the previous submission started is gone and reaped
        try:
            os.kill(-1, signal.SIGKILL)  # from init, -1 reaches every other process of the namespace
        except ProcessLookupError:
            pass
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                time.sleep(0.01)
        except ChildProcessError:
            break
    for folder in {"/tmp", "/dev/shm", cwd}:  # the sandbox's own tmpfs mounts (see host.py)
        for entry in os.listdir(folder) if os.path.isdir(folder) else []:
            path = os.path.join(folder, entry)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.unlink(path)
                except OSError:
                    pass
    os.makedirs(cwd, exist_ok=True)
    os.chmod(cwd, 0o1777)


def zygote(control_fd: int, preload: list) -> None:
    """Import preload once, then fork one child per request; a child serves one submission.

    The zygote runs no submission code: each child drops to the submission's user and limits
    before it reads its first request, and starts from the zygote's untouched memory.
    """
    import importlib
    import json
    import signal
    import socket

    control = socket.socket(fileno=control_fd)
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:  # a library missing here is imported (and fails) in the child as usual
            pass
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    control.send(b'{"ready": true}')
    while True:
        message, fds, _, _ = socket.recv_fds(control, 65536, 2)
        if not message:  # the grader closed the channel
            os._exit(0)
        request = json.loads(message)
        if len(fds) != 2:
            control.send(json.dumps({"error": "expected two pipe ends"}).encode())
            continue
        _fresh_scratch(request["cwd"])
        pid = os.fork()
        if pid == 0:
            control.close()
            try:
                _child(request, *fds)
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())


def main():
    if "DLCOURSE_ZYGOTE_FD" in os.environ:
        zygote(int(os.environ.pop("DLCOURSE_ZYGOTE_FD")),
               [m for m in os.environ.pop("DLCOURSE_PRELOAD", "").split(",") if m])
        return
    request_fd, reply_fd = (int(fd) for fd in os.environ.pop("DLCOURSE_RUNNER_FDS").split(","))
    serve(request_fd, reply_fd, os.environ.pop("DLCOURSE_RUNNER_CWD", "."))


if __name__ == "__main__":
    main()
