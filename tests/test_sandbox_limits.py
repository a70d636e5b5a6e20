"""What one submission may spend: time and CPU per cell and in all, requests and reply bytes per
cell and in all, and memory counted wherever the submission keeps it (shared memory, tmpfs files).

Each test first shows the attack getting through without the limit (a fresh allowance per call,
no cgroup, the old RSS watchdog, ...), then stopped by it, with a message a student can read.
"""
import numpy as np
import pytest

from autograder.limits import Limits
from autograder.sandbox import cgroup, host, zygote
from autograder.sandbox.budget import Budget
from autograder.sandbox.errors import LimitExceeded
from autograder.sandbox.host import Sandbox
from autograder.sandbox.processes import process_table
from autograder.sandbox.remote import RemoteObject
from autograder.sandbox.zygote import new_sandbox

SLOW = "import time\ndef slow(x=0):\n    time.sleep(0.8)\n    return x"


@pytest.fixture
def sandbox():
    """sandbox(limits) -> a started sandbox and its budget; closed after the test."""
    boxes = []

    def start(limits: Limits, budget: Budget | None = None, fresh: bool = False):
        budget = budget or Budget(limits)
        boxes.append(Sandbox(limits=limits, budget=budget).start() if fresh else new_sandbox(limits=limits, budget=budget))
        return boxes[-1], budget

    yield start
    for box in boxes:
        box.close()


def test_many_short_calls_cannot_outlast_the_time_limit_of_a_cell(sandbox):
    box, budget = sandbox(Limits(timeout=2))
    box.run_cell(SLOW)
    slow = box.get("slow")
    for i in range(4):  # a fresh allowance per call (a per-request timeout) lets every call through
        budget.begin_cell(f"call {i}")
        assert slow(i) == i
    budget.begin_cell("one test cell")
    calls = 0
    with pytest.raises(LimitExceeded, match=r"time limit for this cell \(2 s\)"):
        for calls in range(4):
            slow(calls)
    assert calls <= 2


def test_a_submission_cannot_outlast_its_total_time_even_across_restarts(sandbox):
    limits = Limits(timeout=2, submission_timeout=3)
    box, _ = sandbox(limits)
    box.run_cell(SLOW)
    for cell in range(5):  # a fresh budget per cell: no total
        box.budget = Budget(limits)
        box.get("slow")()
    box, budget = sandbox(limits)
    box.run_cell(SLOW)
    with pytest.raises(LimitExceeded, match=r"time limit for this submission \(3 s\)"):
        for cell in range(5):
            budget.begin_cell(f"cell {cell}")
            box.get("slow")()
    assert cell <= 3
    box, _ = sandbox(limits, budget)  # restarted after the crash: the same budget, nothing left
    budget.begin_cell("next cell")
    with pytest.raises(LimitExceeded, match="time limit for this submission"):
        box.run_cell("x = 1")


BURN = "import time\ndef burn(seconds):\n    end = time.process_time() + seconds\n    while time.process_time() < end:\n        pass"


def test_cpu_time_is_limited_per_cell(sandbox):
    box, budget = sandbox(Limits(timeout=60))  # two cores' worth of CPU time per wall-clock second
    box.run_cell(BURN)
    box.get("burn")(3)
    box, budget = sandbox(Limits(timeout=60, cpu_per_second=0.02))  # 1.2 s of CPU per cell
    box.run_cell(BURN)
    budget.begin_cell("test cell")
    with pytest.raises(LimitExceeded, match=r"CPU time limit for this cell \(1.2 s\)"):
        box.get("burn")(3)


def test_requests_per_cell_are_limited_and_the_next_cell_starts_afresh(sandbox):
    box, budget = sandbox(Limits(max_requests=20))
    box.run_cell("def echo(x):\n    return x")
    echo = box.get("echo")
    budget.begin_cell("test cell")
    for i in range(20):
        assert echo(i) == i
    with pytest.raises(LimitExceeded, match=r"request limit for this cell \(20 calls"):
        echo(20)
    assert box.alive
    budget.begin_cell("next cell")
    assert echo(21) == 21


ROWS = ("import itertools\n"
        "class Rows:  # three rows; its __getitem__ never raises IndexError, as a grader iterating it expects\n"
        "    def __len__(self):\n        return 3\n"
        "    def __getitem__(self, i):\n        return [i, i]\n"
        "    def __iter__(self):\n        return iter([[0, 0], [1, 1], [2, 2]])\n"
        "rows, numbers, endless = Rows(), (i for i in range(3)), itertools.count()")


def test_iterating_or_converting_an_object_from_the_submission_asks_once(sandbox, monkeypatch):
    box, budget = sandbox(Limits(max_requests=50, max_items=1000))
    box.run_cell(ROWS)
    rows = box.get("rows")
    budget.begin_cell("array")
    np.testing.assert_array_equal(np.asarray(rows), [[0, 0], [1, 1], [2, 2]])
    assert budget.cell.requests == 1
    budget.begin_cell("list")
    assert list(rows) == [[0, 0], [1, 1], [2, 2]] and list(box.get("numbers")) == [0, 1, 2]
    with pytest.raises(LimitExceeded, match="more than 1000 items"):
        list(box.get("endless"))
    assert budget.cell.requests <= 7
    monkeypatch.delattr(RemoteObject, "__iter__")  # item by item, as Python does without __iter__
    budget.begin_cell("list, item by item")
    with pytest.raises(LimitExceeded, match="request limit"):
        list(rows)
    assert budget.cell.requests == 50


BLOCK = "import numpy as np\ndef block():\n    return np.zeros(60_000)  # 480 kB\ndef as_list():\n    return [0.5] * 30_000"


def test_reply_bytes_are_limited_per_cell_and_per_submission(sandbox):
    limits = Limits(reply_mb=1, submission_reply_mb=2)
    box, budget = sandbox(limits)
    box.run_cell(BLOCK)
    budget.begin_cell("test cell")
    block = box.get("block")
    block(), block()
    with pytest.raises(LimitExceeded, match=r"reply size limit for this cell \(1 MB\)"):
        block()
    box, _ = sandbox(limits, budget)
    box.run_cell(BLOCK)
    with pytest.raises(LimitExceeded, match=r"reply size limit for this submission \(2 MB\)"):
        for cell in range(5):
            budget.begin_cell(f"cell {cell}")
            box.get("block")()


def test_numbers_in_json_count_at_their_cost_in_the_grader_arrays_at_their_size(sandbox, monkeypatch):
    limits = Limits(reply_mb=1)
    box, budget = sandbox(limits)
    box.run_cell(BLOCK)
    budget.begin_cell("array")
    box.get("block")()  # 480 kB of numbers as an array
    monkeypatch.setattr(host, "JSON_COST", 1)  # JSON counted at its size: 150 kB, let through
    budget.begin_cell("list, at its size")
    assert len(box.get("as_list")()) == 30_000
    monkeypatch.undo()
    budget.begin_cell("list, at its cost")
    with pytest.raises(LimitExceeded, match="reply size limit for this cell"):
        box.get("as_list")()


# 500 MB held outside any process's resident memory: no part alone reaches the 400 MB limit.
HOG = """
import os, time
hogs = [os.memfd_create('hog') for _ in range(2)]
for hog in hogs:
    for _ in range(150):
        os.write(hog, b'x' * 2**20)
for path, mb in (('/dev/shm/hog', 50), ('/tmp/hog', 150)):
    with open(path, 'wb') as f:
        for _ in range(mb):
            f.write(b'x' * 2**20)
time.sleep(2)
"""


def _resident_only(pids, tmpfs=()):
    """The watchdog before shared memory counted: resident memory of the processes."""
    table = process_table()
    return sum(table[pid].rss for pid in pids if pid in table)


@pytest.mark.parametrize("limit_by", ["cgroup", "watchdog"])
@pytest.mark.parametrize("kind", ["forked", "fresh"])
def test_memfd_shm_and_tmp_files_count_against_the_memory_limit(sandbox, monkeypatch, limit_by, kind):
    if limit_by == "cgroup" and cgroup.parent() is None:
        pytest.skip("no memory cgroup can be created here (needs root and a memory controller)")
    if kind == "forked" and not zygote.usable():
        pytest.skip("pre-warmed sandboxes need root and namespaces")
    fresh = kind == "fresh"
    limits = Limits(memory_mb=400, timeout=60)
    with monkeypatch.context() as weak:
        weak.setattr(cgroup.MemoryGroup, "create", classmethod(lambda cls, memory_mb: None))
        weak.setattr(host, "unshared_memory_bytes", _resident_only)
        box, _ = sandbox(limits, fresh=fresh)
        assert box.run_cell(HOG)["error"] is None  # resident memory alone never sees it
        box.run_cell("held = sum(os.fstat(h).st_size for h in hogs) + os.path.getsize('/tmp/hog')")
        assert box.get("held") == 450 * 2**20
        box.close()
    if limit_by == "watchdog":
        monkeypatch.setattr(cgroup.MemoryGroup, "create", classmethod(lambda cls, memory_mb: None))
    box, _ = sandbox(limits, fresh=fresh)
    assert (box.group is not None) == (limit_by == "cgroup"), box.isolation
    with pytest.raises(LimitExceeded, match="more than 400 MB of memory"):
        box.run_cell(HOG)


def test_cgroup_v2_groups_are_made_below_the_nearest_group_that_delegates_memory(tmp_path, monkeypatch):
    """Where cgroup v2 has a memory controller (most current systems), read as the kernel lays it out."""
    root = tmp_path / "cgroup"
    (root / "system.slice" / "grader.service").mkdir(parents=True)
    (root / "cgroup.controllers").write_text("cpu memory pids\n")
    (root / "cgroup.subtree_control").write_text("cpu memory pids\n")
    (root / "system.slice" / "cgroup.subtree_control").write_text("memory pids\n")
    (root / "system.slice" / "grader.service" / "cgroup.subtree_control").write_text("\n")  # holds processes
    monkeypatch.setattr(cgroup, "_mounts", lambda fstype: [(str(root), "/", {"rw"})] if fstype == "cgroup2" else [])
    monkeypatch.setattr(cgroup, "_own_group", lambda controller: "/system.slice/grader.service")
    folder = cgroup._v2_parent()
    assert folder == root / "system.slice"
    group = cgroup.MemoryGroup(2, folder / "dlcourse-1-1")
    group.path.mkdir()
    group._configure(200)
    assert (group.path / "memory.max").read_text() == str((200 + cgroup.MARGIN_MB) * 2**20)
    assert (group.path / "memory.swap.max").read_text() == "0"
    (group.path / "memory.current").write_text(str(300 * 2**20))
    (group.path / "memory.stat").write_text(f"anon {50 * 2**20}\nfile {200 * 2**20}\nshmem {150 * 2**20}\n")
    assert group.used_bytes() == 250 * 2**20  # page cache left out, shared memory and tmpfs counted
    (group.path / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 0\noom_kill 0\n")
    assert not group.hit_limit()
    (group.path / "memory.events").write_text("low 0\nhigh 0\nmax 9\noom 1\noom_kill 1\n")
    assert group.hit_limit()
