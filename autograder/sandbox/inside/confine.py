"""Confine the current process before it runs a submission: resource limits, another user, its own
System V IPC, and only the file descriptors it needs. Standard library only (runs in the sandbox)."""
import os

_CLONE_NEWIPC = 0x08000000
_PR_CAPBSET_DROP, _PR_SET_NO_NEW_PRIVS = 24, 38


def libc_call(name: str, *args) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if getattr(libc, name)(*args) != 0:
        raise OSError(ctypes.get_errno(), f"{name} failed")


def apply_limits(file_bytes: int, cpu_seconds: int, procs) -> None:
    """A submission's resource limits, for this process and what it starts (procs None: no limit)."""
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds) + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if procs is not None:
        resource.setrlimit(resource.RLIMIT_NPROC, (procs, procs))


def drop_privileges(uid) -> None:
    """Become uid with no capabilities and no way to regain any (what setpriv does for a fresh sandbox)."""
    if uid is None:
        return
    for cap in range(64):
        try:
            libc_call("prctl", _PR_CAPBSET_DROP, cap, 0, 0, 0)
        except OSError:
            break  # past the last capability this kernel knows
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    libc_call("prctl", _PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def limit_shared_memory(total_bytes: int) -> None:
    """Cap System V shared memory in this process's IPC namespace (as root in it)."""
    pages = max(1, total_bytes // os.sysconf("SC_PAGE_SIZE"))
    for name, value in (("shmmax", total_bytes), ("shmall", pages)):
        with open(f"/proc/sys/kernel/{name}", "w") as sysctl:
            sysctl.write(str(value))


def own_ipc_namespace(shm_bytes: int) -> None:
    """A System V IPC namespace of its own: nothing a previous submission left there is visible."""
    libc_call("unshare", _CLONE_NEWIPC)
    limit_shared_memory(shm_bytes)


def keep_only_fds(*keep: int) -> None:
    """Close every file descriptor but keep; 0, 1 and 2 become /dev/null (not a log others wrote to)."""
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    for entry in os.listdir("/proc/self/fd"):
        fd = int(entry)
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass  # the listing's own descriptor, already closed


def reach_imports_through_fds() -> None:
    """Before root drops to another user where Python lives in a folder only root may enter (such as
    /root/.pyenv): keep each import folder open and import through /proc/self/fd from then on."""
    import sys

    moved = {}
    for i, folder in enumerate(sys.path):
        if os.path.isdir(folder):
            moved[folder] = f"/proc/self/fd/{os.open(folder, os.O_RDONLY | os.O_DIRECTORY)}"
            sys.path[i] = moved[folder]
    for module in list(sys.modules.values()):  # packages imported at start-up look in their own folders
        paths = getattr(module, "__path__", None)
        if isinstance(paths, list):
            paths[:] = [_moved(path, moved) for path in paths]
    sys.path_importer_cache.clear()


def _moved(path: str, moved: dict) -> str:
    for old, new in sorted(moved.items(), key=lambda item: -len(item[0])):  # the deepest folder first
        if path == old or path.startswith(old + "/"):
            return new + path[len(old):]
    return path
