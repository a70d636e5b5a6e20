"""Pre-warmed sandboxes: import TensorFlow once per grader, not once per submission.

A zygote is a sandboxed process (the same namespaces and root file system as any sandbox, see
host.py) that imports the heavy libraries and then only forks: each submission gets a fresh
child, a copy of the zygote's untouched memory, which drops to the submission's user id and
limits before it reads its first request. Before each fork the zygote kills whatever the previous
child left running and empties its /tmp, so one submission cannot see another's state.

The zygote runs no submission code, but as its children share its PID namespace it is used only
where they can run as another user than the zygote (a grader running as root); elsewhere every
submission gets a fresh sandbox as before (`new_sandbox` decides).
"""
import atexit
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile

from autograder.sandbox.inside.runner import libc_call
from autograder.sandbox.host import (SCRATCH, Sandbox, SubmissionCrashed, _namespaces_argv, _runner_env, kill_group,
                                process_table, runner_argv)

# What every course notebook imports sooner or later; a setup cell's own imports are added.
PRELOAD = ("numpy", "matplotlib.pyplot", "tensorflow", "keras", "IPython.core.interactiveshell")
START_TIMEOUT = 300  # seconds for the zygote's imports on a loaded machine
_PR_SET_PDEATHSIG = 1


def _descendants(root: int, table: dict) -> list[int]:
    """Live (not zombie) processes below root."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        if table[pid][2] != "Z":
            found.append(pid)
    return found


def _die_with_parent():
    os.setsid()
    libc_call("prctl", _PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Zygote:
    """One pre-warmed sandbox process that forks a child per submission."""

    def __init__(self, preload: tuple[str, ...]):
        self.preload = preload
        self.proc = None

    def start(self) -> "Zygote":
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {**_runner_env(), "DLCOURSE_ZYGOTE_FD": str(theirs.fileno()),
               "DLCOURSE_PRELOAD": ",".join(self.preload)}
        self.log = tempfile.TemporaryFile()
        # uid None: the zygote keeps root inside its namespaces; each child drops before running code.
        self.proc = subprocess.Popen(
            _namespaces_argv(runner_argv(), uid=None), env=env, cwd="/",
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            pass_fds=(theirs.fileno(),), preexec_fn=_die_with_parent)
        theirs.close()
        self.control = ours
        if self._reply(START_TIMEOUT).get("ready") is not True:
            self.close()
            raise SubmissionCrashed("the pre-warmed sandbox did not start")
        return self

    def _reply(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.control], [], [], timeout)
        message = self.control.recv(65536) if ready else b""
        try:
            return json.loads(message) if message else {}
        except json.JSONDecodeError:
            return {}

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def fork(self, request_fd: int, reply_fd: int, request: dict) -> None:
        """Start a child serving one submission on the two given pipe ends."""
        if not self.alive:
            raise SubmissionCrashed("the pre-warmed sandbox is not running")
        try:
            socket.send_fds(self.control, [json.dumps(request).encode()], [request_fd, reply_fd])
        except OSError as err:
            raise SubmissionCrashed(f"the pre-warmed sandbox did not take the request: {err}") from None
        reply = self._reply(60)
        if "pid" not in reply:
            raise SubmissionCrashed(f"the pre-warmed sandbox could not fork: {reply.get('error', 'no answer')}")

    def children(self, table: dict | None = None) -> list[int]:
        """Host pids of every process below the zygote: the current submission's."""
        table = table if table is not None else process_table()
        inits = [pid for pid, (ppid, *_) in table.items() if ppid == self.proc.pid]  # unshare's child
        return [pid for init in inits for pid in _descendants(init, table)]

    def rss_mb(self) -> float:
        table = process_table()
        return sum(table[pid][3] for pid in self.children(table)) / 2**20

    def kill_children(self) -> None:
        for pid in self.children():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self) -> None:
        kill_group(self.proc)
        if getattr(self, "control", None) is not None:
            self.control.close()


class ForkedSandbox(Sandbox):
    """A Sandbox whose process is a fresh child of a zygote instead of a new Python."""

    def __init__(self, zygote: Zygote, **limits):
        super().__init__(**limits)
        self.zygote = zygote
        self.closed = False
        self.baseline_mb = 0.0  # set at start: what a fresh copy maps of the zygote's libraries

    def start(self) -> "ForkedSandbox":
        self.problem = None
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        self.requests, self.replies = os.fdopen(req_w, "wb"), os.fdopen(rep_r, "rb")
        self.scratch, self.mode = SCRATCH, "zygote"
        try:
            self.zygote.fork(req_r, rep_w, {"cwd": str(SCRATCH), "uid": self.uid, "limits": self.limits(self.max_procs)})
        finally:
            os.close(req_r)
            os.close(rep_w)
        # A fresh copy already maps the zygote's libraries: shared pages, not the submission's use.
        self.baseline_mb = self.zygote.rss_mb()
        if self.value("ping") != "pong":
            self._end("the sandbox did not answer")
        return self

    @property
    def alive(self) -> bool:
        return not self.closed and self.problem is None and bool(self.zygote.children())

    def _rss_mb(self) -> float:
        return self.zygote.rss_mb() - self.baseline_mb

    def _exit_code(self):
        return None if self.zygote.children() else "unknown"

    def close(self) -> None:
        self.closed = True
        self.zygote.kill_children()
        self._close_streams()


_zygote: Zygote | None = None  # one per grader process: the current assignment's
_disabled = os.environ.get("DLCOURSE_NO_ZYGOTE") == "1"


def usable() -> bool:
    """Whether submissions can be forked from a zygote here (root, namespaces, not switched off)."""
    return not _disabled and os.geteuid() == 0 and Sandbox.mode_in_use != "plain"


def new_sandbox(preload: tuple[str, ...] = (), **limits) -> Sandbox:
    """A started sandbox for one submission: forked from this process's zygote when possible."""
    global _disabled, _zygote
    preload = tuple(dict.fromkeys((*PRELOAD, *preload)))
    if usable():
        try:
            if _zygote is None or _zygote.preload != preload or not _zygote.alive:
                _close()
                _zygote = Zygote(preload).start()
        except (SubmissionCrashed, OSError) as err:
            print(f"pre-warmed sandboxes unavailable ({err}); starting one per submission", file=sys.stderr)
            _disabled = True
        else:
            try:
                return ForkedSandbox(_zygote, **limits).start()
            except (SubmissionCrashed, OSError):
                _zygote.close()  # the next submission gets a new zygote; this one a fresh sandbox
    return Sandbox(**limits).start()


@atexit.register
def _close():
    if _zygote is not None:
        _zygote.close()
