"""What a submission cannot reach: the network, anything the previous submission left behind, and,
without namespaces, a grade at all unless the instructor accepts a plain process (never as root).

Each protection test runs the attack once against a sandbox with that protection removed and
sees it succeed, then against the real sandbox and sees it fail; it asserts only on what the
grader observes, never on text the attacking code prints.
"""
import ctypes
import os
import socket

import pytest

from autograder import REPO
from autograder.limits import Limits
from autograder.sandbox import cgroup, namespaces, zygote
from autograder.sandbox.errors import IsolationUnavailable
from autograder.sandbox.host import Sandbox
from autograder.sandbox.zygote import ForkedSandbox, new_sandbox

LIMITS = Limits(timeout=30)


def _connect_cell(port: int) -> str:
    return ("import socket\ntry:\n"
            f"    with socket.create_connection(('127.0.0.1', {port}), timeout=2) as s:\n"
            "        s.sendall(b'sent from a submission')\nexcept OSError:\n    pass")


def received(server: socket.socket) -> bytes:
    """What a submission sent to the grader's server (the kernel queues connections unaccepted)."""
    server.settimeout(0.5)
    try:
        conn, _ = server.accept()
    except TimeoutError:
        return b""
    with conn:
        conn.settimeout(2)
        return conn.recv(100)


def test_a_submission_cannot_reach_a_server_on_the_grader_machine(monkeypatch):
    with socket.create_server(("127.0.0.1", 0)) as server:
        cell = _connect_cell(server.getsockname()[1])
        with monkeypatch.context() as weak:
            weak.setattr(namespaces, "NAMESPACES", [n for n in namespaces.NAMESPACES if n != "--net"])
            with Sandbox(limits=LIMITS) as box:
                box.run_cell(cell)
        assert received(server) == b"sent from a submission"
        with Sandbox(limits=LIMITS) as box:
            box.run_cell(cell)
        assert received(server) == b""


MARK = "left-by-the-previous-student"
SHM_KEY = 0x5EED
_LIBC = "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nlibc.shmat.restype = ctypes.c_void_p\n"
# The first submission leaves its mark wherever it can write: files (its folder, /tmp, /dev/shm,
# the sandbox's root), System V shared memory, its standard output and error, its environment,
# and a process that keeps running.
LEAVE = _LIBC + f"""
import os, subprocess
for path in ('left.txt', '/tmp/left.txt', '/dev/shm/left.txt', '/left.txt', '/dev/mqueue/left'):
    try:
        with open(path, 'w') as f:
            f.write({MARK!r})
    except OSError:
        pass
address = libc.shmat(libc.shmget({SHM_KEY}, 4096, 0o1666), None, 0)
ctypes.memmove(address, {MARK!r}.encode(), {len(MARK)})
os.write(1, {MARK!r}.encode())
os.write(2, {MARK!r}.encode())
os.environ['DLCOURSE_MARK'] = {MARK!r}
sleeper = subprocess.Popen(['sleep', '300'], start_new_session=True)
"""
# The next one looks for it: `seen` names each way the mark came through.
FIND = _LIBC + f"""
import glob, os, stat, subprocess
seen, mark = set(), {MARK!r}.encode()
for path in ['left.txt', *glob.glob('/tmp/*'), *glob.glob('/dev/shm/*'), *glob.glob('/*.txt'), *glob.glob('/dev/mqueue/*')]:
    try:
        if mark in open(path, 'rb').read():
            seen.add('files')
    except OSError:
        pass
segment = libc.shmget({SHM_KEY}, 0, 0)
if segment >= 0:
    address = libc.shmat(segment, None, 0o10000)
    if address not in (None, ctypes.c_void_p(-1).value) and ctypes.string_at(address, len(mark)) == mark:
        seen.add('System V shared memory')
for fd in os.listdir('/proc/self/fd'):
    try:
        if stat.S_ISREG(os.fstat(int(fd)).st_mode) and mark in os.pread(int(fd), 1 << 20, 0):
            seen.add('file descriptors')
    except OSError:
        pass
environs = subprocess.run('cat /proc/[0-9]*/environ', shell=True, capture_output=True).stdout  # as a new process
if mark in environs or mark.decode() in os.environ.get('DLCOURSE_MARK', ''):
    seen.add('environment')
processes = subprocess.run(['ps', '-eo', 'stat=,comm='], capture_output=True, text=True).stdout.splitlines()
if any(p.split()[1:] == ['sleep'] and not p.startswith('Z') for p in processes):  # a zombie holds nothing
    seen.add('processes')
seen = sorted(seen)
"""
EVERY_WAY = ["System V shared memory", "environment", "file descriptors", "files", "processes"]


def _seen_by_the_next(start) -> list[str]:
    first = start()
    first.run_cell(LEAVE)
    first.close()
    second = start()
    try:
        second.run_cell(FIND)
        return second.get("seen")
    finally:
        second.close()


@pytest.mark.skipif(not zygote.usable(), reason="pre-warmed sandboxes need root and namespaces")
def test_nothing_one_forked_submission_leaves_reaches_the_next(monkeypatch):
    with monkeypatch.context() as weak:
        weak.setattr(ForkedSandbox, "protect", ())  # the zygote neither cleans up nor isolates the next child
        weak.setattr(zygote.Zygote, "kill_children", lambda self: None)  # nor does closing a sandbox kill
        weak.setattr(cgroup.MemoryGroup, "kill", lambda self: None)
        assert _seen_by_the_next(lambda: new_sandbox(limits=LIMITS)) == EVERY_WAY
    assert _seen_by_the_next(lambda: new_sandbox(limits=LIMITS)) == []


def _remove_segment() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    segment = libc.shmget(SHM_KEY, 0, 0)
    if segment >= 0:
        libc.shmctl(segment, 0, None)  # IPC_RMID


def test_system_v_shared_memory_dies_with_its_sandbox(monkeypatch):
    with monkeypatch.context() as weak:
        weak.setattr(namespaces, "NAMESPACES", [n for n in namespaces.NAMESPACES if n != "--ipc"])
        try:
            assert "System V shared memory" in _seen_by_the_next(lambda: Sandbox(limits=LIMITS).start())
        finally:
            _remove_segment()  # it lived in the grader's own IPC namespace
    assert _seen_by_the_next(lambda: Sandbox(limits=LIMITS).start()) == []


def test_without_namespaces_grading_refuses_unless_the_instructor_allows_a_plain_process(monkeypatch):
    monkeypatch.setattr(namespaces, "NAMESPACES", ["--no-such-namespace"])  # a machine where unshare fails
    monkeypatch.setattr(Sandbox, "namespaces_failed", None)
    monkeypatch.setattr(zygote, "_zygote", None)  # this process's warm one started before
    monkeypatch.setattr(zygote, "_disabled", False)
    with pytest.raises(IsolationUnavailable, match="allow_unisolated=True"):
        new_sandbox(limits=LIMITS)
    box = new_sandbox(limits=Limits(timeout=30, allow_unisolated=True))
    try:
        assert box.isolation.startswith("plain process (no isolation)")
        box.run_cell("x = 6 * 7")
        assert box.get("x") == 42
    finally:
        box.close()


def test_a_forced_plain_process_grades_but_never_as_root(monkeypatch, tmp_path):
    monkeypatch.setenv("DLCOURSE_SANDBOX", "plain")
    (tmp_path / "img.txt").write_text("shipped with the assignment")
    box = new_sandbox(limits=LIMITS)
    try:
        assert type(box) is Sandbox and box.isolation.startswith("plain process (no isolation)")
        box.put_file(tmp_path / "img.txt", "data/img.txt")
        box.run_cell("import os, json, numpy as np, matplotlib.pyplot as plt\n"
                     "uid, shipped = os.getuid(), open('data/img.txt').read()\n"
                     f"try:\n    open({str(REPO / 'planted.txt')!r}, 'w')\n    wrote = True\n"
                     "except OSError:\n    wrote = False")
        assert box.get("shipped") == "shipped with the assignment"
        if os.geteuid() == 0:
            assert box.get("uid") != 0 and box.get("wrote") is False
    finally:
        box.close()
    assert not (REPO / "planted.txt").exists()
