"""Pre-warmed sandboxes: forked from a zygote that imported the libraries once, each submission
still starts from a clean copy, as another user, with the same limits as a fresh sandbox."""
import os
import time

import nbformat
import pytest

from autograder.sandbox import zygote
from autograder.grading.checker import setup_imports
from autograder.sandbox.host import Sandbox, SubmissionCrashed

pytestmark = pytest.mark.skipif(not zygote.usable(), reason="pre-warmed sandboxes need root and namespaces")


def forked(**limits):
    box = zygote.new_sandbox(("numpy",), **{"timeout": 30, **limits})
    assert isinstance(box, zygote.ForkedSandbox), "fell back to a fresh sandbox"
    return box


def test_a_forked_sandbox_starts_fast_with_the_libraries_imported():
    forked().close()  # the first call pays for the zygote's imports
    start = time.perf_counter()
    box = forked()
    started = time.perf_counter() - start
    try:
        box.run_cell("import sys\nwarm = 'tensorflow' in sys.modules and 'numpy' in sys.modules")
        assert box.get("warm") is True
    finally:
        box.close()
    print(f"forked sandbox start: {started:.3f} s")  # measured by benchmarks/grading_throughput.py


def test_nothing_of_one_submission_reaches_the_next():
    first = forked()
    first.run_cell(
        "import os, subprocess, numpy as np\n"
        "open('left.txt', 'w').write('answers')\n"
        "open('/tmp/planted.py', 'w').write('x = 1')\n"
        "open('/dev/shm/planted', 'w').write('x')\n"
        "np.allclose = lambda *a, **k: True\n"
        "np.random.seed(0)\n"
        "sleeper = subprocess.Popen(['sleep', '300'], start_new_session=True)")
    first.close()
    second = forked()
    try:
        second.run_cell(
            "import os, subprocess, numpy as np\n"
            "files = sorted(os.listdir('.')) + sorted(os.listdir('/tmp')) + sorted(os.listdir('/dev/shm'))\n"
            "patched = np.allclose(1, 2)\n"
            "procs = subprocess.run(['ps', '-eo', 'comm'], capture_output=True, text=True).stdout.split()\n"
            "draw = float(np.random.rand())")
        files = second.get("files")
        assert "left.txt" not in files and "planted.py" not in files and "planted" not in files, files
        assert second.get("patched") is False
        assert "sleep" not in second.get("procs")
        assert second.get("draw") != pytest.approx(0.5488135039273248)  # np.random.seed(0)'s first draw
    finally:
        second.close()


def test_a_forked_submission_runs_as_another_user_and_cannot_touch_the_zygote():
    box = forked()
    try:
        box.run_cell("import os\nuid = os.getuid()\n"
                     "try:\n    os.kill(1, 9)\n    killed = True\nexcept PermissionError:\n    killed = False")
        assert box.get("uid") not in (0, os.getuid())
        assert box.get("killed") is False
    finally:
        box.close()
    forked().close()  # the zygote still serves


def test_limits_hold_in_a_forked_sandbox():
    box = forked(timeout=3)
    with pytest.raises(SubmissionCrashed, match="timeout"):
        box.run_cell("while True: pass")
    box.close()
    box = forked(memory_mb=300)
    with pytest.raises(SubmissionCrashed, match="memory"):
        box.run_cell("x = bytearray(600 * 2**20)")
    box.close()
    box = forked()
    with pytest.raises(SubmissionCrashed, match="exited"):
        box.run_cell("import os\nos._exit(3)")
    box.close()


def test_without_a_zygote_each_submission_gets_a_fresh_sandbox(monkeypatch):
    monkeypatch.setattr(zygote, "_disabled", True)
    box = zygote.new_sandbox(("numpy",), timeout=30)
    try:
        assert type(box) is Sandbox and box.mode in ("namespaces", "plain")
    finally:
        box.close()


def test_setup_cells_name_the_modules_to_import_once():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import numpy as np\nfrom scipy.signal import convolve2d\n%matplotlib inline",
                                  metadata={"nbgrader": {"locked": True, "grade": False, "solution": False}}),
        nbformat.v4.new_code_cell("import evil_module", metadata={"nbgrader": {"solution": True}}),
    ])
    assert setup_imports(nb) == ("numpy", "scipy.signal")
