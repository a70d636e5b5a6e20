"""How a sandbox is isolated: the `unshare` command that gives it namespaces of its own and the
shell script that builds its root file system (only the system, Python and `dlcourse`, read-only,
with the course's datasets cut to their training part), its own /tmp, /dev/shm, /dev/mqueue and
/proc, and caps System V shared memory."""
import atexit
import functools
import gzip
import importlib.util
import math
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from autograder.limits import DEFAULT, Limits

INSIDE = Path(__file__).resolve().parent / "inside"  # the runner's files, the only grader code in the sandbox
RUNNER_MOUNT = Path("/opt/dlcourse-sandbox")  # where the sandbox sees them (read-only)
# What each sandbox gets its own of; a test removes one to show what it prevents.
NAMESPACES = ["--mount", "--net", "--pid", "--ipc"]


def runner_argv(isolated: bool = True) -> list[str]:
    """The command that starts the runner: a real file, so its tracebacks name files and lines."""
    folder = RUNNER_MOUNT if isolated else INSIDE
    return [sys.executable, str(folder / "runner.py")]


# What the submission's file system holds: the system, Python and the helper package.
SYSTEM_DIRS = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
NEW_ROOT = "/mnt"
TMPFS = ("/", "/tmp", "/dev/shm")  # the sandbox's own tmpfs mounts: their files are the submission's memory


def _keep_paths() -> list[Path]:
    helpers = Path(importlib.util.find_spec("dlcourse").origin).parent  # where this Python imports it from
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent.parent, helpers}
    return sorted(paths)


@functools.cache
def training_only_copies() -> tuple[tuple[Path, Path], ...]:
    """(copy, original) for each data file the course's loaders read (dlcourse.data): the copy holds
    only the training part, so held-out examples do not exist where submissions run. Made once per
    grader process; the sandbox sees each copy in its original's place."""
    from dlcourse.data import DATASETS

    folder = Path(tempfile.mkdtemp(prefix="dlcourse-training-only-"))
    folder.chmod(0o755)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    found = []
    for name, ds in sorted(DATASETS.items()):
        spec = importlib.util.find_spec(ds.file[0]) if ds.file and ds.heldout else None
        if spec is None:
            continue
        original = Path(spec.submodule_search_locations[0], ds.file[1]).resolve()
        lines = gzip.decompress(original.read_bytes()).splitlines(keepends=True)  # one example per line
        copy = folder / f"{name}-{original.name}"
        copy.write_bytes(gzip.compress(b"".join(line for line, held in zip(lines, ds.heldout(len(lines)))
                                                if not held), mtime=0))
        copy.chmod(0o644)
        found.append((copy, original))
    return tuple(found)


def _isolation_script(keep: list[Path], scratch: Path, uid: int | None, shm_bytes: int,
                      overlays=()) -> str:
    """Shell run as root in new namespaces: build a root file system that holds only the system
    directories, Python and dlcourse (read-only), each overlay's copy over its original, a private
    /tmp, /dev/shm, /dev/mqueue and /proc; cap System V shared memory; chroot into it."""
    new = NEW_ROOT
    lines = ["set -e", f"mount -t tmpfs -o size=16m,mode=755 tmpfs {new}",
             f"mkdir -p {new}/tmp {new}/proc {new}/dev",
             f"mount -t tmpfs -o size=256m,mode=1777 tmpfs {new}/tmp",
             f"mount -t proc proc {new}/proc",
             f"mount --rbind /dev {new}/dev",
             f"mount -t tmpfs -o size=64m,mode=1777 tmpfs {new}/dev/shm",
             f"if [ -d {new}/dev/mqueue ]; then mount -t mqueue mqueue {new}/dev/mqueue; fi",
             f"echo {shm_bytes} > /proc/sys/kernel/shmmax || true",
             f"echo {max(1, shm_bytes // os.sysconf('SC_PAGE_SIZE'))} > /proc/sys/kernel/shmall || true"]
    for path in SYSTEM_DIRS:
        if os.path.islink(path):  # /bin -> usr/bin on merged-/usr systems
            lines.append(f"ln -s {shlex.quote(os.readlink(path))} {new}{path}")
        elif os.path.isdir(path):
            keep = [path, *keep]
    for path in keep:
        q, target = shlex.quote(str(path)), shlex.quote(f"{new}{path}")
        lines += [f"mkdir -p {target}", f"mount --rbind {q} {target}",
                  f"mount -o remount,bind,ro {target} || true"]
    for copy, original in overlays:
        target = shlex.quote(f"{new}{original}")
        lines += [f"mount --bind {shlex.quote(str(copy))} {target}", f"mount -o remount,bind,ro {target}"]
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


def runner_env(limits: Limits = DEFAULT, scratch: Path = SCRATCH) -> dict:
    # As many threads for NumPy and TensorFlow as the CPU budget has cores: on a machine with more
    # cores, honest work would otherwise burn its CPU time faster than its wall-clock time.
    threads = str(max(1, math.ceil(limits.cpu_per_second)))
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
            "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONDONTWRITEBYTECODE": "1",
            "HOME": str(scratch), "TMPDIR": str(scratch),
            **{name: threads for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                          "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")}}


def namespaces_argv(python: list, uid: int | None, shm_bytes: int) -> list:
    """The command that runs python in new namespaces and a root file system of its own."""
    if not shutil.which("unshare"):
        raise OSError("util-linux unshare is not installed")
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    return ["unshare", *user, *NAMESPACES, "--fork", "--kill-child", "--",
            "sh", "-c", _isolation_script(_keep_paths(), SCRATCH, uid, shm_bytes, training_only_copies()),
            "sandbox", *python]
