"""The submission's processes as the grader sees them in /proc: which they are, the CPU time they
used, and the memory they hold (the watchdog's measure where no memory cgroup is available)."""
import os
import resource
import signal
from pathlib import Path
from typing import NamedTuple

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = resource.getpagesize()


class Proc(NamedTuple):
    ppid: int
    pgid: int
    state: str
    rss: int  # resident bytes
    cpu: float  # seconds of CPU, its own and its waited-for children's


def _stat(pid: int) -> Proc:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = sum(int(f) for f in fields[11:15]) / TICKS  # utime, stime, cutime, cstime
    return Proc(int(fields[1]), int(fields[2]), fields[0], int(fields[21]) * PAGE, cpu)


def process_table() -> dict[int, Proc]:
    """pid -> Proc of every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                table[int(entry)] = _stat(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return table


def descendants(root: int, table: dict) -> list[int]:
    """Live (not zombie) processes below root."""
    children: dict[int, list[int]] = {}
    for pid, proc in table.items():
        children.setdefault(proc.ppid, []).append(pid)
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        if table[pid].state != "Z":
            found.append(pid)
    return found


def running(pid: int) -> bool:
    """Whether pid is a live process (not a zombie)."""
    try:
        return _stat(pid).state != "Z"
    except (OSError, IndexError, ValueError):
        return False


def namespace_pid(pid: int) -> int | None:
    """The pid that process pid has in its own (innermost) PID namespace."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("NSpid:"):
                return int(line.split()[-1])
    except (OSError, ValueError):
        pass
    return None


def cpu_seconds(pids) -> dict[int, float]:
    """pid -> CPU seconds so far, for those of pids still running (one small read each)."""
    found = {}
    for pid in pids:
        try:
            found[pid] = _stat(pid).cpu
        except (OSError, IndexError, ValueError):
            continue
    return found


def kill_all(pids) -> None:
    """SIGKILL each of pids that still exists."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def kill_group(proc) -> None:
    """Kill a started process and its process group (it called setsid), and reap it."""
    if proc is not None and proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def _held_in_memory_files(pid: int, seen: set) -> int:
    """Bytes of memfd and System V shared memory that pid holds open or mapped (each counted once)."""
    paths = []
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("/memfd:"):
                paths.append(f"/proc/{pid}/fd/{fd}")
        with open(f"/proc/{pid}/maps") as maps:
            for line in maps:
                if "/memfd:" in line or "/SYSV" in line:
                    paths.append(f"/proc/{pid}/map_files/{line.split(maxsplit=1)[0]}")
    except OSError:
        pass
    total = 0
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            total += st.st_blocks * 512
    return total


def unshared_memory_bytes(pids, tmpfs=()) -> int:
    """Memory that the processes hold and nobody else could: anonymous resident pages, memfd and
    System V segments, and what the files on the given tmpfs folders (e.g. /proc/PID/root/tmp) use."""
    total, seen = 0, set()
    for pid in pids:
        try:
            resident, shared = (int(n) for n in Path(f"/proc/{pid}/statm").read_text().split()[1:3])
        except (OSError, ValueError):
            continue
        total += (resident - shared) * PAGE + _held_in_memory_files(pid, seen)
    for folder in tmpfs:
        try:
            fs = os.statvfs(folder)
        except OSError:
            continue
        total += (fs.f_blocks - fs.f_bfree) * fs.f_frsize
    return total
