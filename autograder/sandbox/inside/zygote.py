"""The zygote: libraries imported once, a fresh forked copy for each submission.

Runs as init of the sandbox's own PID namespace and runs no submission code: each child confines
itself (its own IPC namespace, only its two pipes, the submission's user and limits) before it
reads its first request, and starts from the zygote's untouched memory.
"""
import os
import shutil
import signal
import sys
import time

from confine import apply_limits, drop_privileges, keep_only_fds, own_ipc_namespace

# What a child does to keep one submission from the next; the host may switch one off only to
# show, in a test, what it prevents.
PROTECTIONS = ("scratch", "ipc", "fds")
# Every folder a submission can write that outlives it: the sandbox's own tmpfs mounts (see host.py).
WRITABLE = ("/tmp", "/dev/shm", "/dev/mqueue")


def _child(serve, request: dict, request_fd: int, reply_fd: int) -> None:
    os.setsid()
    protect = request.get("protect", PROTECTIONS)
    if "ipc" in protect:
        own_ipc_namespace(request["shm_bytes"])
    if "fds" in protect:
        keep_only_fds(request_fd, reply_fd)
    drop_privileges(request.get("uid"))
    apply_limits(**request["limits"])
    if "numpy" in sys.modules:  # a forked copy inherits the zygote's random state: give it its own
        sys.modules["numpy"].random.seed()
    serve(request_fd, reply_fd, request["cwd"])


def _empty(folder: str) -> None:
    for entry in os.listdir(folder) if os.path.isdir(folder) else []:
        path = os.path.join(folder, entry)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def _fresh_scratch(cwd: str) -> None:
    """Kill what the previous submission left running and empty the file systems it could write."""
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
    for folder in {*WRITABLE, cwd}:
        _empty(folder)


def zygote(control_fd: int, serve) -> None:
    """Fork one child per request (the libraries are already imported); a child serves one
    submission with serve(request_fd, reply_fd, cwd) (see runner.py)."""
    import json
    import socket

    control = socket.socket(fileno=control_fd)
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
        if "scratch" in request.get("protect", PROTECTIONS):
            _fresh_scratch(request["cwd"])
        os.makedirs(request["cwd"], exist_ok=True)
        os.chmod(request["cwd"], 0o1777)
        pid = os.fork()
        if pid == 0:
            control.close()
            try:
                _child(serve, request, *fds)
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())
