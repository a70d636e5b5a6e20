"""The last cell of every assignment tells a student, before upload, whether the notebook is gradable."""
import json
import sys
import types

import nbformat
import pytest

from autograder import EXERCISES
from autograder.grading.samples import make_submission, reference_answers
from autograder.release import assignments, handin_manifest
from dlcourse import handin


def _ran(nb, fail: str | None = None):
    """The notebook as a student leaves it after Run all: test cells executed (one failing)."""
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cell.execution_count = 1
            cell.outputs = ([nbformat.v4.new_output("error", ename="AssertionError", evalue="x", traceback=[])]
                            if meta["grade_id"] == fail else [])
    return json.loads(nbformat.writes(nb))


@pytest.mark.parametrize("name", assignments())
def test_every_assignment_ends_with_the_pre_upload_check(name):
    cells = json.loads((EXERCISES / name / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    assert "".join(cells[-1]["source"]).endswith(f'check("{name}")')
    assert "handin-check" in cells[-1]["metadata"]["tags"]
    assert f"B10901234_{name}.ipynb" in "".join(cells[-2]["source"])  # how to name the file


@pytest.mark.parametrize("name", assignments())
def test_the_shipped_manifest_matches_the_release(name):
    release = nbformat.read(EXERCISES / name / f"{name}.ipynb", as_version=4)
    assert handin.manifest(name) == handin_manifest(release), "run `make release` and commit dlcourse/handin/"


def test_a_finished_notebook_is_ready():
    nb = _ran(make_submission("convolution", reference_answers("convolution")))
    assert handin.problems(nb, handin.manifest("convolution")) == []


def test_each_problem_is_named_with_its_fix():
    nb = make_submission("convolution", {**reference_answers("convolution"), "max_pool2d": "raise NotImplementedError()"})
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_conv2d_same"]
    setup = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "imports")
    setup.source += "\nimport os"
    found = "\n".join(handin.problems(_ran(nb, fail="test_output_size"), handin.manifest("convolution")))
    assert "test_conv2d_same is missing" in found
    assert "max_pool2d still raises NotImplementedError" in found
    assert "locked cell imports was edited" in found
    assert "visible test test_output_size fails" in found


def test_an_unrun_test_is_reported():
    nb = json.loads(nbformat.writes(make_submission("convolution", reference_answers("convolution"))))
    assert any("has not been run" in p for p in handin.problems(nb, handin.manifest("convolution")))


def test_in_colab_the_check_reads_the_notebook_from_the_editor(monkeypatch, capsys):
    nb = _ran(make_submission("convolution", reference_answers("convolution")))
    message = types.SimpleNamespace(blocking_request=lambda *a, **k: {"ipynb": nb})
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", types.SimpleNamespace(_message=message))
    assert handin.check("convolution") is True
    assert "B10901234_convolution.ipynb" in capsys.readouterr().out


def test_elsewhere_the_check_reads_the_saved_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert handin.check("convolution") is False and "cannot find" in capsys.readouterr().out
    nb = make_submission("convolution", {})
    (tmp_path / "convolution.ipynb").write_text(json.dumps(_ran(nb)), encoding="utf-8")
    assert handin.check("convolution") is False
    assert "still raises NotImplementedError" in capsys.readouterr().out
