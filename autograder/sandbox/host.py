"""Run a submission's code in a sandboxed process and talk to it in plain data.

Isolation (Linux namespaces via util-linux `unshare`): no network; a root file system of its own
that holds only the system directories, Python and the `dlcourse` helpers (so no repository,
solutions, gradebook or home directory is there to read); a private /tmp and /dev/shm; its own
PID and System V IPC namespaces; another user id when the grader runs as root. Limits: a memory
cgroup where the grader can create one, else a watchdog; processes, file size and CPU rlimits;
and the submission's Budget of time, CPU, requests and reply bytes per cell and in all.

Without namespaces it refuses to start, unless the instructor allows a plain process with no
isolation (`Limits.allow_unisolated`, or DLCOURSE_SANDBOX=plain); as root that process still runs
as another user. `Sandbox.isolation` says which ran.
"""
import dataclasses
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from autograder.limits import DEFAULT, Limits
from autograder.sandbox.budget import Budget
from autograder.sandbox.cgroup import MemoryGroup
from autograder.sandbox.errors import (CannotSend, IsolationUnavailable, LimitExceeded, MalformedReply, RemoteError,
                                       SubmissionCrashed, remote_error)
from autograder.sandbox.inside.confine import apply_limits
from autograder.sandbox.inside.wire import (JSON_COST, TooLarge, WireError, check_file_name, decode, encode,
                                            read_message, write_message)
from autograder.sandbox.namespaces import SCRATCH, TMPFS, namespaces_argv, runner_argv, runner_env
from autograder.sandbox.processes import (cpu_seconds, descendants, kill_group, process_table,
                                          unshared_memory_bytes)
from autograder.sandbox.remote import RemoteObject

__all__ = ["IsolationUnavailable", "LimitExceeded", "MalformedReply", "RemoteError", "RemoteObject", "Sandbox",
           "SubmissionCrashed"]

START_TIMEOUT = 120  # seconds for a fresh sandbox to answer its first request
ISOLATION = {"zygote": "namespaces, pre-warmed (zygote)", "namespaces": "namespaces",
             "plain": "plain process (no isolation)"}
# Errors from decoding a reply that only a tampered runner can cause.
DECODE_ERRORS = (WireError, IndexError, KeyError, TypeError, ValueError, AttributeError, RecursionError,
                 OverflowError, UnicodeError)


class _CannotStart(SubmissionCrashed):
    """The sandbox's process failed before it could answer (e.g. unshare is not allowed here)."""


def _confine(rlimits: dict, group_fd: int | None):
    """What the child does before it execs: its own session, its memory cgroup, its limits."""
    def apply():
        os.setsid()
        if group_fd is not None:
            os.write(group_fd, b"0")  # "0": the writing process itself
        apply_limits(**rlimits)
    return apply


def _text(value, chars: int) -> str:
    """A string from a reply, cut before anything else looks at it (the runner may send anything)."""
    text = value[:chars] if type(value) is str else ""
    return text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates cannot be saved in a notebook


class Sandbox:
    """One sandboxed Python process holding one submission's namespace.

    limits: what grading may cost (autograder.limits); budget: the submission's allowances, shared
    by the sandboxes of one submission (a fresh one when not given, and then every run_cell and
    names() call starts a cell); seed: for random, NumPy and TensorFlow (None: fresh randomness);
    preload: modules imported before the submission's code runs. Keywords such as timeout= or
    memory_mb= override single limits.
    """

    namespaces_failed: str | None = None  # why namespaces could not start here, once they have failed

    def __init__(self, *, limits: Limits | None = None, budget: Budget | None = None, seed: int | None = None,
                 preload: tuple[str, ...] = (), uid: int | None = None, **overrides):
        limits = limits or (budget.limits if budget else DEFAULT)
        self.limits = dataclasses.replace(limits, **{k: v for k, v in overrides.items() if v is not None})
        self.implicit_cells = budget is None
        self.budget = budget or Budget(self.limits)
        self.seed, self.preload = seed, tuple(preload)
        # As root, each grader process gives its submissions their own user id, so that
        # per-user limits (processes) of one submission do not touch another's.
        self.uid = uid if uid is not None else (60000 + os.getpid() % 30000 if os.geteuid() == 0 else None)
        self.proc = self.group = None
        self.mode = None
        self.problem = None  # why the process ended, in words, once it has
        self.pids: list[int] = []  # the submission's processes, as last seen
        self.baseline_bytes = 0  # what the watchdog counts that is not the submission's (see ForkedSandbox)
        self.memory_words = ""  # how memory is limited, in words, once started

    @property
    def timeout(self) -> float:
        return self.limits.timeout

    @property
    def memory_mb(self) -> int:
        return self.limits.memory_mb

    @property
    def isolation(self) -> str:
        """The isolation this sandbox runs with, in words, e.g. for the grading log."""
        return f"{ISOLATION.get(self.mode, 'not started')}; {self.memory_words or 'memory not yet limited'}"

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> "Sandbox":
        forced = os.environ.get("DLCOURSE_SANDBOX") == "plain"  # CI's or an instructor's explicit choice
        allowed = forced or self.limits.allow_unisolated
        why = Sandbox.namespaces_failed
        if not forced and why is None:
            try:
                return self._start("namespaces")
            except _CannotStart as err:
                why = Sandbox.namespaces_failed = str(err)
        if not allowed:
            raise IsolationUnavailable(
                f"cannot isolate submissions on this machine ({why}). Grade as root or where unprivileged "
                "user namespaces are allowed; or, accepting that submissions then run in a plain process "
                "that can read what this machine's users can, set allow_unisolated=True in the limits "
                "(or DLCOURSE_SANDBOX=plain).")
        return self._start("plain")

    def _start(self, mode: str) -> "Sandbox":
        """Started in mode; _CannotStart where mode cannot work here, SubmissionCrashed where it was
        only too slow to answer (a loaded machine)."""
        try:
            self._spawn(mode)
            self._ping(START_TIMEOUT)
            return self
        except (SubmissionCrashed, OSError) as err:
            log = self._log_tail()
            self.close()
            kind = SubmissionCrashed if isinstance(err, LimitExceeded) else _CannotStart
            raise kind(f"could not start the sandbox: {err}" + (f" ({log})" if log else "")) from None

    def _ping(self, timeout: float) -> None:
        """First request: the runner answers; then how memory is limited, and the seed."""
        if self.ask("ping", charged=False, timeout=timeout)[0] != "pong":
            self._end("the sandbox did not answer")
        if not self.pids:
            self._refresh_pids()
        self.memory_words = f"memory limited by {self.group.words}" if self.group else "memory watched by polling"
        self.ask("seed", charged=False, seed=self.seed)

    def _spawn(self, mode: str) -> None:
        self.problem, self.mode = None, mode
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        as_root = os.geteuid() == 0
        if mode == "namespaces":
            self.scratch = SCRATCH
            argv = namespaces_argv(runner_argv(), self.uid if as_root else None, self.limits.memory_mb * 2**20)
            cwd, env = "/", runner_env(self.limits)
        else:
            self.scratch = Path(tempfile.mkdtemp(prefix="submission-"))
            argv, cwd, env = runner_argv(isolated=False), self.scratch, runner_env(self.limits, self.scratch)
            if as_root:  # the runner drops to this user before it reads a request (see runner.py)
                os.chown(self.scratch, self.uid, self.uid)
                env["DLCOURSE_RUNNER_UID"] = str(self.uid)
        env.update(DLCOURSE_RUNNER_FDS=f"{req_r},{rep_w}", DLCOURSE_RUNNER_CWD=str(self.scratch),
                   DLCOURSE_PRELOAD=",".join(self.preload))
        self.group = MemoryGroup.create(self.limits.memory_mb)
        group_fd = self.group.procs_fd() if self.group else None
        self.log = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                pass_fds=(req_r, rep_w), preexec_fn=_confine(self.rlimits(as_root), group_fd))
        finally:
            for fd in (req_r, rep_w, group_fd):
                if fd is not None:
                    os.close(fd)
        self.requests, self.replies = os.fdopen(req_w, "wb"), os.fdopen(rep_r, "rb")

    def rlimits(self, per_user: bool) -> dict:
        """The resource limits of the submission's process (confine.apply_limits' arguments);
        a limit on processes only where the submission has a user id of its own."""
        return {"file_bytes": self.limits.max_file_mb * 2**20, "cpu_seconds": self.limits.submission_cpu_seconds,
                "procs": self.limits.max_procs if per_user else None}

    def _log_tail(self) -> str:
        try:
            self.log.seek(0)
            return " ".join(self.log.read(4000).decode(errors="replace").split())[-300:]
        except (AttributeError, OSError, ValueError):
            return ""

    def close(self) -> None:
        kill_group(self.proc)
        self._close_streams()
        self._remove_group()
        if self.mode == "plain":
            shutil.rmtree(self.scratch, ignore_errors=True)

    def _remove_group(self) -> None:
        if self.group is not None:
            self.group.remove()
            self.group = None

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

    def _exit_code(self):
        return self.proc.poll()

    # -- what the submission's processes use ------------------------------------------------------
    def _refresh_pids(self, table: dict | None = None) -> None:
        table = table if table is not None else process_table()
        found = descendants(self.proc.pid, table)
        self.pids = [self.proc.pid, *found] if self.mode == "plain" else found

    def _tmpfs(self) -> list[str]:
        """The sandbox's own tmpfs folders, seen from the host through one of its processes."""
        if self.mode == "plain" or not self.pids:
            return []
        return [f"/proc/{self.pids[-1]}/root{folder}" for folder in TMPFS]

    def _unshared_bytes(self) -> int:
        return unshared_memory_bytes(self.pids, self._tmpfs())

    def _memory_bytes(self) -> int:
        """What the memory limit counts: the cgroup's own count, else the watchdog's."""
        if self.group:
            return self.group.used_bytes()
        return self._unshared_bytes() - self.baseline_bytes

    def _cpu(self) -> dict[int, float]:
        return cpu_seconds(self.pids)

    # -- requests ------------------------------------------------------------------------------
    def request(self, header: dict, blobs=(), timeout: float | None = None, charged: bool = True):
        """Send one request and wait for its reply (header, blobs), policing time, CPU and memory;
        charged requests count against the budget."""
        if not self.alive:
            raise SubmissionCrashed(self.problem or "the submission's process is not running")
        seconds, seconds_words = timeout or START_TIMEOUT, f"did not finish within {timeout or START_TIMEOUT:g} s (timeout)"
        cpu_left, cpu_words = float("inf"), ""
        reply_limit, reply_words = self.budget.limits.reply_mb * 2**20, ""
        if charged:
            self.budget.check()
            self.budget.count_request()
            left, words = self.budget.seconds_left()
            if timeout is None or left <= timeout:
                seconds, seconds_words = left, words
            cpu_left, cpu_words = self.budget.cpu_left()
            reply_limit, reply_words = self.budget.reply_bytes_left()
        box = {}

        def read():
            try:
                box["reply"] = read_message(self.replies, reply_limit, JSON_COST)
            except BaseException as exc:  # EOF, malformed or oversized reply
                box["error"] = exc

        reader = threading.Thread(target=read, daemon=True)
        start, cpu_start = time.monotonic(), self._cpu()
        try:
            write_message(self.requests, header, blobs)
        except OSError:
            self._end("the submission's process closed its input (it crashed or exited)")
        reader.start()
        try:
            while reader.is_alive():
                reader.join(0.2)
                if not reader.is_alive():
                    break
                self._refresh_pids()
                if time.monotonic() - start > seconds:
                    self._end(seconds_words, LimitExceeded)
                if self._cpu_used(cpu_start) > cpu_left:
                    self._end(cpu_words, LimitExceeded)
                self._police_memory()
        finally:
            if charged:
                self.budget.charge(time.monotonic() - start, self._cpu_used(cpu_start), box.get("reply", (0, 0, 0))[2])
        if "error" in box:
            self._failed_read(box["error"], reply_words)
        return box["reply"][:2]

    def _cpu_used(self, start: dict[int, float]) -> float:
        return sum(max(0.0, used - start.get(pid, 0.0)) for pid, used in self._cpu().items())

    def _police_memory(self) -> None:
        if self._memory_bytes() > self.limits.memory_mb * 2**20:
            self._end(f"used more than {self.limits.memory_mb} MB of memory", LimitExceeded)

    def _failed_read(self, error: BaseException, reply_words: str):
        if isinstance(error, TooLarge):
            self._end(reply_words or "the reply was too large", LimitExceeded)
        deadline = time.monotonic() + 1
        while isinstance(error, EOFError) and self._exit_code() is None and time.monotonic() < deadline:
            time.sleep(0.01)  # the channel closes a moment before the process is gone
        if self.group is not None and self.group.hit_limit():
            self._end(f"used more than {self.limits.memory_mb} MB of memory", LimitExceeded)
        code = self._exit_code()
        if code is not None:
            self._end(f"the submission's process exited (code {code})")
        self._end(f"the submission sent a reply the grader cannot read ({error})", MalformedReply)

    def _end(self, why: str, kind: type = SubmissionCrashed):
        self.problem = why
        self.close()
        raise kind(why)

    def ask(self, op: str, timeout: float | None = None, charged: bool = True, **fields):
        """(value, reply) for one request; RemoteError if the submission's code raised."""
        tree, blobs = encode(fields, self._handle_id)
        caps = {"output_chars": self.limits.max_output_chars, "message_chars": self.limits.max_message_chars}
        reply, reply_blobs = self.request({"op": op, **caps, **tree["__dict__"]}, blobs, timeout, charged)
        try:
            for stream in ("stdout", "stderr"):
                reply[stream] = _text(reply.get(stream), self.limits.max_output_chars)
            ok = reply.get("ok") is True
            error = None if ok else self._remote_error(reply.get("error"))
            value = decode(reply.get("value"), reply_blobs, lambda key: RemoteObject(self, key)) if ok else None
        except DECODE_ERRORS as err:
            why = str(err)[:200] if isinstance(err, WireError) else type(err).__name__
            self._end(f"the submission sent a reply the grader cannot read ({why})", MalformedReply)
        if error is not None:
            raise error
        return value, reply

    def _remote_error(self, error) -> RemoteError:
        if type(error) is not dict:
            raise WireError("an error without a description")
        chars = self.limits.max_message_chars
        return remote_error(_text(error.get("ename"), chars) or "Error", _text(error.get("evalue"), chars),
                            _text(error.get("builtin"), chars))

    def value(self, op: str, **fields):
        return self.ask(op, **fields)[0]

    @staticmethod
    def _handle_id(obj):
        if isinstance(obj, RemoteObject):
            return obj._key
        raise CannotSend(f"it passes a {type(obj).__name__} to the submission's code, and only plain data "
                         "(numbers, strings, containers, arrays) crosses into the sandbox")

    # -- what the checker calls ------------------------------------------------------------------
    def run_cell(self, code: str, timeout: float | None = None) -> dict:
        """Run one cell: {"stdout", "stderr", "error"} where error is None or {ename, evalue}."""
        if self.implicit_cells:
            self.budget.begin_cell()
        value, reply = self.ask("exec", timeout=timeout, code=code)
        error = value.get("error") if type(value) is dict else None
        chars = self.limits.max_message_chars
        if type(error) is dict:
            error = {"ename": _text(error.get("ename"), chars) or "Error", "evalue": _text(error.get("evalue"), chars)}
        return {"stdout": reply["stdout"], "stderr": reply["stderr"], "error": error if error else None}

    def put_file(self, path: Path, name: str | None = None) -> None:
        """Copy a file into the submission's working directory, as name (a relative path such as
        data/img.png; default: the file's own name)."""
        name = check_file_name(name or Path(path).name)
        self.ask("put", charged=False, name=name, data=Path(path).read_bytes())

    def names(self, names: list[str]) -> list[str]:
        """Those of names that the submission's namespace defines."""
        if self.implicit_cells:
            self.budget.begin_cell()
        asked = [n for n in names if isinstance(n, str)]
        found, wanted = self.value("names", names=asked), set(asked)
        if type(found) is not list:
            raise MalformedReply("the submission sent a reply the grader cannot read (names: not a list)")
        unasked = [n for n in found if type(n) is not str or n not in wanted]
        if unasked:  # a runner patched to supply names of its choosing, e.g. np or range
            raise SubmissionCrashed("the submission's process answered with names the grader did not ask for "
                                    f"({', '.join(repr(n)[:40] for n in unasked[:5])}): tampering with the grader's "
                                    "requests")
        return found

    def get(self, name: str):
        return self.value("get", name=name)

    def delete(self, name: str) -> bool:
        """Remove name from the submission's namespace (a test cell's `del`); whether it was there."""
        return self.value("delete", name=name) is True

    def bind(self, name: str, value) -> None:
        """Give name (back) to one of the submission's own objects, e.g. `helper = old_helper` after `del helper`."""
        self.value("bind", name=name, value=value)

    def items(self, key: int) -> list:
        """Every item of the submission's object key, in one request (RemoteObject.__iter__)."""
        most = self.limits.max_items
        found = self.value("iter", handle=key, max_items=most)
        if type(found) is not list:
            self._end("the submission sent a reply the grader cannot read (not a list)", MalformedReply)
        if len(found) > most:
            raise LimitExceeded(f"iterating an object from the submission gave more than {most} items")
        return found

    def array(self, key: int):
        """The submission's object key as a NumPy array of numbers, in one request (__array__)."""
        import numpy as np

        found = self.value("array", handle=key)
        if not isinstance(found, np.ndarray):
            self._end("the submission sent a reply the grader cannot read (not an array)", MalformedReply)
        return found
