"""A submission that tampers with grading gets no more than an honest wrong answer would.

The tricks live in tests/tampering/ (cell code) and below (notebook edits); correct work
saved in unusual ways (Colab, nbformat 3, huge outputs, helper cells) must keep full marks.
"""
import copy
import json
import socket
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from autograder.grading.samples import make_submission, parse_answers, reference_answers
from test_sandbox_isolation import received

pytestmark = pytest.mark.slow
TAMPERING = Path(__file__).parent / "tampering"
A = "convolution"
TRICKS = sorted(p.stem for p in TAMPERING.glob("*.py") if p.stem != "honest_wrong")


def _answers(name: str) -> dict:
    return parse_answers((TAMPERING / f"{name}.py").read_text(encoding="utf-8"))


def _honest():
    return make_submission(A, _answers("honest_wrong"))


def _tests(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def deleted_tests():
    nb = _honest()
    nb.cells = [c for c in nb.cells if c not in _tests(nb)]
    return nb


def duplicated_cells():
    """Wrong answers, then a second copy of each answer cell holding the reference, and copied tests."""
    nb = make_submission(A, _answers("honest_wrong"))
    right = make_submission(A, reference_answers(A))
    extra = [c for c in right.cells if c.metadata.get("nbgrader", {}).get("solution")]
    copies = copy.deepcopy(_tests(nb))
    for i, cell in enumerate(copies):
        cell.metadata["nbgrader"]["grade_id"] += f"_copy{i}"
        cell.metadata["nbgrader"]["points"] = 100
        cell.id = f"copy-{i}"
    for cell in extra:
        cell.id += "-again"
    nb.cells += extra + copies
    return nb


def relabelled_metadata():
    nb = _honest()
    for i, cell in enumerate(_tests(nb)):
        cell.metadata["nbgrader"]["points"] = 100
        cell.metadata["nbgrader"]["grade_id"] = f"renamed_{i}"
        cell.id = f"renamed-{i}"
        cell.source = "pass"
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.metadata["nbgrader"].update(grade=True, points=100)
    return nb


def other_assignment():
    cell = new_code_cell("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))")
    cell.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False,
                                 "grade_id": "sigmoid", "schema_version": 3}
    return nbformat.v4.new_notebook(cells=[cell], metadata={"nbgrader": {"assignment": "activations_losses"}})


def saved_by_colab():
    """The reference, as Colab saves it: nbformat 4.0, no cell ids, nbgrader metadata gone,
    a badge cell, outputs, and a helper cell the student added and conv2d uses."""
    ref = reference_answers(A)
    ref["conv2d"] = ref["conv2d"].replace("(patch * kernel).sum()", "window_sum(patch, kernel)")
    nb = make_submission(A, ref)
    at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "conv2d")
    nb.cells.insert(at, new_code_cell("def window_sum(patch, kernel):\n    return float((patch * kernel).sum())"))
    nb.cells.insert(0, new_markdown_cell('<a href="https://colab.research.google.com/github/x" target="_parent">'
                                         '<img src="https://colab.research.google.com/assets/colab-badge.svg"/></a>'))
    for cell in nb.cells:
        cell.metadata = {"id": "x" + str(abs(hash(cell.source)))[:8], "colab": {"base_uri": "https://localhost:8080/"}}
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran in Colab\n")]
            cell.execution_count = 1
    nb.metadata = {"colab": {"provenance": []}, "kernelspec": {"name": "python3", "display_name": "Python 3"},
                   "accelerator": "GPU", "language_info": {"name": "python"}}
    raw = json.loads(nbformat.writes(nb))
    raw["nbformat_minor"] = 0
    for cell in raw["cells"]:
        cell.pop("id", None)
    return raw


def nbformat_3():
    return nbformat.convert(make_submission(A, reference_answers(A)), 3)


def colab_magics():
    """The reference with the notebook syntax Colab users write in their answer cells."""
    ref = reference_answers(A)
    ref["conv2d"] = "%matplotlib inline\n!pip install -q dlcourse\n%pip install -q numpy\n%time _t = 1\n" + ref["conv2d"]
    return make_submission(A, ref)


def huge_outputs():
    nb = make_submission(A, reference_answers(A))
    next(c for c in nb.cells if c.cell_type == "code").outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="x" * 30 * 2**20)]
    return nb


NOTEBOOK_TRICKS = [deleted_tests, duplicated_cells, relabelled_metadata, other_assignment]
CORRECT_VARIANTS = [saved_by_colab, nbformat_3, huge_outputs, colab_magics]
NETWORK_PORT = 47613  # where tests/tampering/network.py sends what it knows


@pytest.fixture(scope="module")
def grader_server():
    """A server on the grading machine that submissions try to reach (tests/tampering/network.py)."""
    assert f'"127.0.0.1", {NETWORK_PORT}' in (TAMPERING / "network.py").read_text()
    with socket.create_server(("127.0.0.1", NETWORK_PORT)) as server:
        yield server


@pytest.fixture(scope="module")
def tampered(tmp_path_factory, grader_server):
    from autograder.grading.pipeline import grade

    subs = tmp_path_factory.mktemp("tampering")
    nbformat.write(make_submission(A, reference_answers(A)), subs / "S0000001_reference.ipynb")
    nbformat.write(_honest(), subs / "S0000002_honest_wrong.ipynb")
    for i, name in enumerate(TRICKS):
        nbformat.write(make_submission(A, {**_answers("honest_wrong"), **_answers(name)}),
                       subs / f"S1{i:06d}_{name}.ipynb")
    for i, build in enumerate(NOTEBOOK_TRICKS + CORRECT_VARIANTS):
        nb = build()
        path = subs / f"S2{i:06d}_{build.__name__}.ipynb"
        if isinstance(nb, dict):
            path.write_text(json.dumps(nb), encoding="utf-8")
        else:
            nbformat.write(nb, path, version=nb.nbformat)
    out = tmp_path_factory.mktemp("tampering_out")
    results = grade(subs, assignment=A, out=out, timeout=15, memory_mb=2048)
    return {Path(r.file).stem.split("_", 1)[1]: r for r in results}, out


def test_baselines(tampered):
    results, _ = tampered
    assert results["reference"].score == results["reference"].max_score == 10
    assert results["honest_wrong"].status == "graded" and results["honest_wrong"].score == 0


@pytest.mark.parametrize("name", TRICKS + [f.__name__ for f in NOTEBOOK_TRICKS])
def test_tampering_gains_nothing(tampered, name):
    results, _ = tampered
    r = results[name]
    assert r.status in ("graded", "invalid"), r
    assert r.score <= results["honest_wrong"].score, f"{name} scored {r.score}: {r.message}"


@pytest.mark.parametrize("name, words", [
    ("exit_process", "exited"), ("infinite_loop", "timeout"), ("sleep_forever", "timeout"),
    ("memory_blowup", "memory"), ("other_assignment", "not the 'convolution' assignment"),
    ("slow_correct", "time limit for this cell (15 s)"), ("shared_memory_hog", "more than 2048 MB of memory"),
    ("malformed_reply", "cannot read"),
])
def test_report_says_what_happened(tampered, name, words):
    assert words in tampered[0][name].message, tampered[0][name].message


def test_network_is_unreachable_from_submissions(tampered, grader_server, monkeypatch):
    assert received(grader_server) == b""  # nothing arrived while the class was graded
    from autograder.sandbox import host, namespaces

    monkeypatch.setattr(namespaces, "NAMESPACES", [n for n in namespaces.NAMESPACES if n != "--net"])
    with host.Sandbox(timeout=15) as weak:  # the same attack, from a sandbox sharing the grader's network
        weak.run_cell(_answers("network")["conv2d"])
    assert received(grader_server) == b"a submission reached the network"


def test_writing_to_grades_changes_nothing(tampered):
    results, out = tampered
    assert results["reference"].score == 10
    assert "S9999999" not in (out / "grades.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("build", CORRECT_VARIANTS, ids=lambda f: f.__name__)
def test_correct_work_saved_in_unusual_ways_keeps_full_marks(tampered, build):
    r = tampered[0][build.__name__]
    assert (r.status, r.score) == ("graded", 10), r


def test_colab_notebook_is_matched_by_content_and_says_so(tampered):
    assert "matched by content" in tampered[0]["saved_by_colab"].message

