"""A memory cgroup per sandbox, where the grader may create one (as root): cgroup v2 where its memory
controller is available, else cgroup v1's memory controller.

The kernel then counts everything the submission's processes are charged for, shared memory
(memfd, /dev/shm, System V) and tmpfs files included, and stops them at the limit; the host's
watchdog reads the same numbers. Elsewhere `MemoryGroup.create` returns None and the watchdog
measures /proc instead (see processes.py).
"""
import atexit
import errno
import os
import time
from pathlib import Path

from autograder.sandbox.processes import kill_all

MARGIN_MB = 64  # the kernel's limit sits this far above memory_mb: the watchdog stops a cell with a
# clear message first, the kernel stops whatever grows faster than the watchdog polls
_pending: list[Path] = []  # groups whose processes had not all exited when their sandbox closed
_created = 0


def _mounts(fstype: str) -> list[tuple[str, str, set]]:
    """(mount point, root of the hierarchy it shows, super options) of each mount of fstype."""
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if tail and tail[0] == fstype:
            found.append((fields[4], fields[3], set(tail[-1].split(","))))
    return found


def _own_group(controller: str) -> str | None:
    """This process's cgroup path in the hierarchy of controller ('' for cgroup v2)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return path
    return None


def _inside(mount: str, root: str, path: str) -> Path:
    relative = path[len(root):] if root != "/" and path.startswith(root) else path
    return Path(mount) / relative.lstrip("/")


def _v2_parent() -> Path | None:
    """A cgroup v2 folder whose children get the memory controller: this process's own group or the
    nearest ancestor that has it in its subtree (a group holding processes cannot, except the root)."""
    own = _own_group("")
    for mount, root, _ in _mounts("cgroup2") if own is not None else []:
        folder = _inside(mount, root, own)
        while True:
            control = folder / "cgroup.subtree_control"
            try:
                if "memory" not in control.read_text().split() and folder == Path(mount):
                    control.write_text("+memory")  # the root cgroup may enable it for its children
                if "memory" in control.read_text().split() and os.access(folder, os.W_OK):
                    return folder
            except OSError:
                pass
            if folder == Path(mount):
                break
            folder = folder.parent
    return None


def _v1_parent() -> Path | None:
    own = _own_group("memory")
    for mount, root, options in _mounts("cgroup"):
        if "memory" in options and own is not None:
            folder = _inside(mount, root, own)
            if (folder / "memory.limit_in_bytes").exists() and os.access(folder, os.W_OK):
                return folder
    return None


_parent: tuple[int, Path] | None | bool = False  # False: not looked for yet


def parent() -> tuple[int, Path] | None:
    """(version, folder) under which this process can create memory cgroups, or None."""
    global _parent
    if _parent is False:
        v2 = _v2_parent() if os.geteuid() == 0 else None
        v1 = _v1_parent() if os.geteuid() == 0 and v2 is None else None
        _parent = (2, v2) if v2 else (1, v1) if v1 else None
        if _parent:
            _pending.extend(_stale(_parent[1]))
    return _parent


def _stale(folder: Path) -> list[Path]:
    """Groups that earlier grader processes left behind (they were killed before closing them)."""
    stale = []
    for group in folder.glob("dlcourse-*-*"):
        pid = group.name.split("-")[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            stale.append(group)
    return stale


def _write(path: Path, value: str, required: bool = True) -> None:
    try:
        path.write_text(value)
    except OSError:
        if required:
            raise


class MemoryGroup:
    """One sandbox's memory cgroup: its processes enter it, the kernel limits them together."""

    def __init__(self, version: int, path: Path):
        self.version, self.path = version, path

    @classmethod
    def create(cls, memory_mb: int) -> "MemoryGroup | None":
        global _created
        _remove_pending()
        found = parent()
        if found is None:
            return None
        version, folder = found
        _created += 1
        group = cls(version, folder / f"dlcourse-{os.getpid()}-{_created}")
        try:
            group.path.mkdir()
            group._configure(memory_mb)
        except OSError:
            group.remove()
            return None
        return group

    def _configure(self, memory_mb: int) -> None:
        limit = str((memory_mb + MARGIN_MB) * 2**20)
        if self.version == 2:
            _write(self.path / "memory.max", limit)
            _write(self.path / "memory.swap.max", "0", required=False)
            _write(self.path / "memory.oom.group", "1", required=False)  # kill them all together
        else:
            _write(self.path / "memory.limit_in_bytes", limit)
            _write(self.path / "memory.memsw.limit_in_bytes", limit, required=False)  # no swap either

    @property
    def words(self) -> str:
        return f"cgroup v{self.version}"

    def procs_fd(self) -> int:
        """An open cgroup.procs: a child writes b"0" to it to enter the group (before it execs)."""
        return os.open(self.path / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC)

    def add(self, pid: int) -> None:
        _write(self.path / "cgroup.procs", str(pid))

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def _stat(self, name: str) -> dict[str, int]:
        try:
            return {k: int(v) for k, v in (line.split() for line in (self.path / name).read_text().splitlines())}
        except (OSError, ValueError):
            return {}

    def used_bytes(self) -> int:
        """What the group holds that the kernel cannot drop: anonymous memory and shared memory or
        tmpfs files (and, in v2, kernel memory), not the page cache it can reclaim."""
        stat = self._stat("memory.stat")
        if self.version == 2:
            try:
                current = int((self.path / "memory.current").read_text())
            except (OSError, ValueError):
                return 0
            return current - stat.get("file", 0) + stat.get("shmem", 0)  # v2's "file" includes shmem
        return stat.get("total_rss", 0) + stat.get("total_shmem", 0)

    def hit_limit(self) -> bool:
        """Whether the kernel stopped the group at its limit (an allocation failed or OOM killed)."""
        if self.version == 2:
            events = self._stat("memory.events")
            return events.get("oom", 0) > 0 or events.get("oom_kill", 0) > 0
        control = self._stat("memory.oom_control")
        return control.get("oom_kill", 0) > 0 or control.get("under_oom", 0) > 0

    def kill(self) -> None:
        if self.version == 2 and (self.path / "cgroup.kill").exists():
            _write(self.path / "cgroup.kill", "1", required=False)
            return
        kill_all(self.pids())

    def remove(self) -> None:
        """Kill what is left in the group and delete it (later, if its processes are still exiting)."""
        self.kill()
        for _ in range(20):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError as err:
                if err.errno != errno.EBUSY:
                    return
            time.sleep(0.005)
        _pending.append(self.path)


@atexit.register
def _remove_pending() -> None:
    for path in list(_pending):
        try:
            path.rmdir()
        except FileNotFoundError:
            pass
        except OSError:
            continue
        _pending.remove(path)
