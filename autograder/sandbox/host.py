"""Run a submission's code in a sandboxed process and talk to it in plain data.

Isolation, where the machine allows it (Linux namespaces via util-linux `unshare`):
no network; a root file system of its own that holds only the system directories, Python and
the `dlcourse` helpers (so no repository, solutions, gradebook or home directory is there to
read); a private /tmp; its own PID namespace; another user id when the grader runs as root;
and resource limits (memory watchdog, processes, file size, CPU time). Elsewhere it falls
back to a plain child process with resource limits, and says so.
"""
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from autograder.limits import DEFAULT
from autograder.sandbox.inside.runner import apply_limits
from autograder.sandbox.inside.wire import decode, encode, read_message, write_message

INSIDE = Path(__file__).resolve().parent / "inside"  # the runner's files, the only grader code in the sandbox
RUNNER_MOUNT = Path("/opt/dlcourse-sandbox")  # where the sandbox sees them (read-only)


class SubmissionCrashed(RuntimeError):
    """The submission's process died, ran out of time or memory, or broke the channel."""


class RemoteError(RuntimeError):
    """The submission's code raised; ename and evalue describe it."""

    def __init__(self, ename: str, evalue: str):
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue = ename, evalue


def runner_argv(isolated: bool = True) -> list[str]:
    """The command that starts the runner: a real file, so its tracebacks name files and lines."""
    folder = RUNNER_MOUNT if isolated else INSIDE
    return [sys.executable, str(folder / "runner.py")]


# What the submission's file system holds: the system, Python and the helper package.
SYSTEM_DIRS = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
NEW_ROOT = "/mnt"
START_TIMEOUT = 120  # seconds for a fresh sandbox to answer its first request


def _keep_paths() -> list[Path]:
    import importlib.util

    helpers = Path(importlib.util.find_spec("dlcourse").origin).parent  # where this Python imports it from
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent.parent, helpers}
    return sorted(paths)


def _isolation_script(keep: list[Path], scratch: Path, uid: int | None) -> str:
    """Shell run as root in new namespaces: build a root file system that holds only the system
    directories, Python and dlcourse (read-only), a private /tmp and /proc; chroot into it."""
    new = NEW_ROOT
    lines = ["set -e", f"mount -t tmpfs -o size=16m tmpfs {new}",
             f"mkdir -p {new}/tmp {new}/proc {new}/dev",
             f"mount -t tmpfs -o size=256m,mode=1777 tmpfs {new}/tmp",
             f"mount -t proc proc {new}/proc",
             f"mount --rbind /dev {new}/dev",
             f"mount -t tmpfs -o size=64m,mode=1777 tmpfs {new}/dev/shm"]
    for path in SYSTEM_DIRS:
        if os.path.islink(path):  # /bin -> usr/bin on merged-/usr systems
            lines.append(f"ln -s {shlex.quote(os.readlink(path))} {new}{path}")
        elif os.path.isdir(path):
            keep = [path, *keep]
    for path in keep:
        q, target = shlex.quote(str(path)), shlex.quote(f"{new}{path}")
        lines += [f"mkdir -p {target}", f"mount --rbind {q} {target}",
                  f"mount -o remount,bind,ro {target} || true"]
    runner = shlex.quote(f"{new}{RUNNER_MOUNT}")
    lines += [f"mkdir -p {runner}", f"mount --bind {shlex.quote(str(INSIDE))} {runner}",
              f"mount -o remount,bind,ro {runner}"]
    s = shlex.quote(f"{new}{scratch}")
    lines += [f"mkdir -p {s}", f"chmod 1777 {s}"]
    drop = (f"/usr/bin/setpriv --reuid={uid} --regid={uid} --clear-groups --no-new-privs "
            "--inh-caps=-all --bounding-set=-all -- " if uid is not None else "")
    lines.append(f'exec chroot {new} {drop}"$@"')
    return "\n".join(lines)


SCRATCH = Path(tempfile.gettempdir()) / "submission"  # the submission's working folder, in its own /tmp


def _runner_env() -> dict:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
            "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONDONTWRITEBYTECODE": "1",
            "HOME": str(SCRATCH), "TMPDIR": str(SCRATCH)}


def _namespaces_argv(python: list, uid: int | None) -> list:
    """The command that runs python in new namespaces and a root file system of its own."""
    if not shutil.which("unshare"):
        raise OSError("util-linux unshare is not installed")
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    return ["unshare", *user, "--mount", "--net", "--pid", "--fork", "--kill-child", "--",
            "sh", "-c", _isolation_script(_keep_paths(), SCRATCH, uid), "sandbox", *python]


def _limits(limits: dict):
    def apply():
        os.setsid()
        apply_limits(**limits)
    return apply


def kill_group(proc) -> None:
    """Kill a started process and its process group (it called setsid), and reap it."""
    if proc is not None and proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def process_table() -> dict[int, tuple[int, int, str, int]]:
    """pid -> (parent pid, process group, state, resident bytes) of every process."""
    table = {}
    page = resource.getpagesize()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            table[int(entry)] = (int(fields[1]), int(fields[2]), fields[0], int(fields[21]) * page)
        except (OSError, IndexError, ValueError):
            continue
    return table


def _group_rss_mb(pgid: int) -> float:
    """Resident memory of every process in a process group, in MB."""
    return sum(rss for _, group, _, rss in process_table().values() if group == pgid) / 2**20


class Sandbox:
    """One sandboxed Python process holding one submission's namespace."""

    mode_in_use: str | None = None  # "namespaces" or "plain", decided on first start

    def __init__(self, *, uid: int | None = None, memory_mb: int = DEFAULT.memory_mb, timeout: float = DEFAULT.timeout,
                 max_procs: int = DEFAULT.max_procs, max_file_mb: int = DEFAULT.max_file_mb,
                 cpu_seconds: float = DEFAULT.submission_cpu_seconds):
        # As root, each grader process gives its submissions their own user id, so that
        # per-user limits (processes) of one submission do not touch another's.
        self.uid = uid if uid is not None else (60000 + os.getpid() % 30000 if os.geteuid() == 0 else None)
        self.memory_mb, self.timeout = memory_mb, timeout
        self.max_procs, self.max_file_mb, self.cpu_seconds = max_procs, max_file_mb, cpu_seconds
        self.proc = None
        self.problem = None  # why the process ended, in words, once it has

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> "Sandbox":
        modes = [Sandbox.mode_in_use] if Sandbox.mode_in_use else ["namespaces", "plain"]
        for mode in modes:
            try:
                self._spawn(mode)
                if self.value("ping", timeout=START_TIMEOUT) != "pong":
                    raise SubmissionCrashed("the sandbox did not answer")
                Sandbox.mode_in_use = mode
                return self
            except (SubmissionCrashed, OSError) as err:
                last = err
                self.close()
        raise SubmissionCrashed(f"could not start the sandbox: {last}")

    def _spawn(self, mode: str) -> None:
        self.problem = None
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        self.scratch = SCRATCH
        env = {**_runner_env(), "DLCOURSE_RUNNER_FDS": f"{req_r},{rep_w}",
               "DLCOURSE_RUNNER_CWD": str(self.scratch)}
        python = runner_argv(isolated=mode == "namespaces")
        if mode == "namespaces":
            uid = self.uid if os.geteuid() == 0 else None
            argv = _namespaces_argv(python, uid)
            max_procs = self.max_procs if uid is not None else None
        else:
            self.scratch = Path(tempfile.mkdtemp(prefix="submission-"))
            argv, max_procs = python, None
            env.update(HOME=str(self.scratch), TMPDIR=str(self.scratch))
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=env,
            cwd=self.scratch if mode == "plain" else "/", pass_fds=(req_r, rep_w),
            preexec_fn=_limits(self.limits(max_procs)))
        os.close(req_r)
        os.close(rep_w)
        self.requests, self.replies = os.fdopen(req_w, "wb"), os.fdopen(rep_r, "rb")
        self.mode = mode

    def close(self) -> None:
        kill_group(self.proc)
        self._close_streams()
        if getattr(self, "mode", None) == "plain":
            shutil.rmtree(self.scratch, ignore_errors=True)

    def limits(self, procs: int | None) -> dict:
        """The resource limits of the submission's process (runner.apply_limits' arguments)."""
        return {"file_bytes": self.max_file_mb * 2**20, "cpu_seconds": self.cpu_seconds, "procs": procs}

    def _close_streams(self) -> None:
        for stream in ("requests", "replies"):
            try:
                getattr(self, stream).close()
            except (AttributeError, OSError):
                pass

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and self.problem is None

    def _rss_mb(self) -> float:
        return _group_rss_mb(self.proc.pid)

    def _exit_code(self):
        return self.proc.poll()

    # -- requests ------------------------------------------------------------------------------
    def request(self, header: dict, blobs=(), timeout: float | None = None):
        """Send one request and wait for its reply (header, blobs), policing time and memory."""
        if not self.alive:
            raise SubmissionCrashed(self.problem or "the submission's process is not running")
        box = {}

        def read():
            try:
                box["reply"] = read_message(self.replies)
            except BaseException as exc:  # EOF, malformed or oversized reply
                box["error"] = exc

        reader = threading.Thread(target=read, daemon=True)
        try:
            write_message(self.requests, header, blobs)
        except OSError:
            self._end("the submission's process closed its input (it crashed or exited)")
        reader.start()
        deadline = time.monotonic() + (timeout or self.timeout)
        while reader.is_alive():
            reader.join(0.2)
            if time.monotonic() > deadline:
                self._end(f"did not finish within {timeout or self.timeout:g} s (timeout)")
            if self._rss_mb() > self.memory_mb:
                self._end(f"used more than {self.memory_mb} MB of memory")
        if "error" in box:
            code = self._exit_code()
            why = (f"the submission's process exited (code {code})" if code is not None
                   else f"the submission broke the grader's channel ({box['error']})")
            self._end(why)
        return box["reply"]

    def _end(self, why: str):
        self.problem = why
        self.close()
        raise SubmissionCrashed(why)

    def ask(self, op: str, timeout: float | None = None, **fields):
        """(value, reply) for one request; RemoteError if the submission's code raised."""
        tree, blobs = encode(fields, self._handle_id)
        reply, reply_blobs = self.request({"op": op, **tree["__dict__"]}, blobs, timeout)
        if not reply.get("ok"):
            err = reply.get("error") if isinstance(reply.get("error"), dict) else {}
            raise RemoteError(str(err.get("ename", "Error")), str(err.get("evalue", "")))
        return decode(reply.get("value"), reply_blobs, lambda key: RemoteObject(self, key)), reply

    def value(self, op: str, **fields):
        return self.ask(op, **fields)[0]

    @staticmethod
    def _handle_id(obj):
        if isinstance(obj, RemoteObject):
            return obj._key
        raise TypeError(f"cannot send {type(obj).__name__} to the submission")

    def run_cell(self, code: str, timeout: float | None = None) -> dict:
        """Run one cell: {"stdout", "stderr", "error"} where error is None or {ename, evalue}."""
        value, reply = self.ask("exec", timeout=timeout, code=code)
        error = value.get("error") if isinstance(value, dict) else None
        return {"stdout": str(reply.get("stdout", "")), "stderr": str(reply.get("stderr", "")),
                "error": error if isinstance(error, dict) else None}

    def put_file(self, path: Path) -> None:
        """Copy a file into the submission's working directory."""
        self.value("put", name=path.name, data=path.read_bytes())

    def names(self, names: list[str]) -> list[str]:
        found = self.value("names", names=list(names))
        return [n for n in found if isinstance(n, str)] if isinstance(found, list) else []

    def get(self, name: str):
        return self.value("get", name=name)


class RemoteObject:
    """Stands in, in the grader, for an object that lives in the submission's process.

    Calling it or reading its attributes asks the submission; what comes back is plain data or
    another RemoteObject. It has no truth value and equals nothing, so it can never pass a check.
    """

    def __init__(self, sandbox: Sandbox, key: int):
        self._sandbox, self._key = sandbox, key

    def __call__(self, *args, **kwargs):
        return self._sandbox.value("call", handle=self._key, args=list(args), kwargs=kwargs)

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return self._sandbox.value("getattr", handle=self._key, attr=attr)

    def __getitem__(self, key):
        return self._sandbox.value("getitem", handle=self._key, key=key)

    def __len__(self):
        return self._sandbox.value("len", handle=self._key)

    def __bool__(self):
        raise TypeError("the submission returned an object where plain data was expected")

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__

    def __repr__(self):
        return "<object from the submission>"
