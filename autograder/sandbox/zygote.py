"""Pre-warmed sandboxes: import TensorFlow once per grader, not once per submission.

A zygote is a sandboxed process (the same namespaces and root file system as any sandbox, see
namespaces.py) that imports the heavy libraries and then only forks: each submission gets a fresh
child, a copy of the zygote's untouched memory, which takes its own IPC namespace, keeps only its
two pipes (not the zygote's log) and drops to the submission's user id and limits before it reads
its first request; the host puts it in the submission's memory cgroup. Before each fork the zygote
kills whatever the previous child left running and empties the folders it could write, so one
submission cannot see another's state.

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

from autograder.sandbox.cgroup import MemoryGroup
from autograder.sandbox.errors import SubmissionCrashed
from autograder.sandbox.host import Sandbox
from autograder.sandbox.namespaces import SCRATCH, namespaces_argv, runner_argv, runner_env
from autograder.sandbox.inside.confine import libc_call
from autograder.sandbox.processes import (descendants, kill_all, kill_group, namespace_pid, process_table,
                                          running)

# What every course notebook imports sooner or later; a setup cell's own imports are added.
PRELOAD = ("numpy", "matplotlib.pyplot", "tensorflow", "keras", "IPython.core.interactiveshell")
START_TIMEOUT = 300  # seconds for the zygote's imports on a loaded machine
FORK_TIMEOUT = 60  # seconds for a fork and the child's first answer
ZYGOTE_SHM_BYTES = 2**20  # the zygote's own IPC namespace needs none; each child gets its own
_PR_SET_PDEATHSIG = 1


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
        # One zygote serves every submission: threads for the default CPU budget.
        env = {**runner_env(), "DLCOURSE_ZYGOTE_FD": str(theirs.fileno()),
               "DLCOURSE_PRELOAD": ",".join(self.preload)}
        self.log = tempfile.TemporaryFile()
        # uid None: the zygote keeps root inside its namespaces; each child drops before running code.
        self.proc = subprocess.Popen(
            namespaces_argv(runner_argv(), uid=None, shm_bytes=ZYGOTE_SHM_BYTES), env=env, cwd="/",
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

    def fork(self, request_fd: int, reply_fd: int, request: dict) -> int:
        """Start a child serving one submission on the two given pipe ends; its pid in the namespace."""
        if not self.alive:
            raise SubmissionCrashed("the pre-warmed sandbox is not running")
        try:
            socket.send_fds(self.control, [json.dumps(request).encode()], [request_fd, reply_fd])
        except OSError as err:
            raise SubmissionCrashed(f"the pre-warmed sandbox did not take the request: {err}") from None
        reply = self._reply(FORK_TIMEOUT)
        if "pid" not in reply:
            raise SubmissionCrashed(f"the pre-warmed sandbox could not fork: {reply.get('error', 'no answer')}")
        return reply["pid"]

    def children(self, table: dict | None = None) -> list[int]:
        """Host pids of every process below the zygote: the current submission's."""
        table = table if table is not None else process_table()
        inits = [pid for pid, proc in table.items() if proc.ppid == self.proc.pid]  # unshare's child
        return [pid for init in inits for pid in descendants(init, table)]

    def kill_children(self) -> None:
        kill_all(self.children())

    def close(self) -> None:
        kill_group(self.proc)
        if getattr(self, "control", None) is not None:
            self.control.close()


class ForkedSandbox(Sandbox):
    """A Sandbox whose process is a fresh child of a zygote instead of a new Python."""

    # What the zygote does to keep one submission from the next (inside/zygote.py); a test
    # switches one off to show what it prevents.
    protect = ("scratch", "ipc", "fds")

    def __init__(self, zygote: Zygote, **settings):
        super().__init__(**settings)
        self.zygote = zygote
        self.closed = False
        self.runner = None  # host pid of the forked child

    def start(self) -> "ForkedSandbox":
        self.problem, self.mode = None, "zygote"
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        self.requests, self.replies = os.fdopen(req_w, "wb"), os.fdopen(rep_r, "rb")
        self.scratch = SCRATCH
        self.group = MemoryGroup.create(self.limits.memory_mb)
        request = {"cwd": str(SCRATCH), "uid": self.uid, "limits": self.rlimits(True), "protect": list(self.protect),
                   "shm_bytes": self.limits.memory_mb * 2**20}
        try:
            inner = self.zygote.fork(req_r, rep_w, request)
        finally:
            os.close(req_r)
            os.close(rep_w)
        self._refresh_pids()
        self.runner = next((pid for pid in self.pids if namespace_pid(pid) == inner), None)
        if self.group:  # the child waits for its first request: nothing of it runs outside the group yet
            for pid in self.pids:
                self.group.add(pid)
        else:  # a fresh copy already maps the zygote's memory: shared pages, not the submission's use
            self.baseline_bytes = self._unshared_bytes()
        self._ping(FORK_TIMEOUT)
        return self

    def _refresh_pids(self, table: dict | None = None) -> None:
        self.pids = self.zygote.children(table)

    @property
    def alive(self) -> bool:
        return not self.closed and self.problem is None and self._exit_code() is None

    def _exit_code(self):
        """None while the child runs (a dead one stays a zombie until the next fork, so its pid is
        not reused before then)."""
        return None if self.runner and running(self.runner) else "unknown"

    def close(self) -> None:
        self.closed = True
        self.zygote.kill_children()
        self._close_streams()
        self._remove_group()


_zygote: Zygote | None = None  # one per grader process: the current assignment's
_disabled = os.environ.get("DLCOURSE_NO_ZYGOTE") == "1"


def usable() -> bool:
    """Whether submissions can be forked from a zygote here (root, namespaces, not switched off)."""
    return (not _disabled and os.geteuid() == 0 and Sandbox.namespaces_failed is None
            and os.environ.get("DLCOURSE_SANDBOX") != "plain")


def new_sandbox(preload: tuple[str, ...] = (), **settings) -> Sandbox:
    """A started sandbox for one submission: forked from this process's zygote when possible.

    settings are Sandbox's: limits=, budget=, seed=, uid= (and single limits such as timeout=).
    """
    global _disabled, _zygote
    if usable():
        warm = tuple(dict.fromkeys((*PRELOAD, *preload)))
        try:
            if _zygote is None or _zygote.preload != warm or not _zygote.alive:
                _close()
                _zygote = Zygote(warm).start()
        except (SubmissionCrashed, OSError) as err:
            print(f"pre-warmed sandboxes unavailable ({err}); starting one per submission", file=sys.stderr)
            _disabled = True
        else:
            box = ForkedSandbox(_zygote, **settings)
            try:
                return box.start()
            except (SubmissionCrashed, OSError):
                box.close()
                _zygote.close()  # the next submission gets a new zygote; this one a fresh sandbox
    return Sandbox(preload=preload, **settings).start()


@atexit.register
def _close():
    if _zygote is not None:
        _zygote.close()
