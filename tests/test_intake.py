"""Intake reads a platform's export as it is, trusts no size or name in it, and invents nothing."""
import csv
import io
import zipfile
from datetime import datetime

import nbformat
import pytest

from autograder.grading import intake
from autograder.grading.intake import IntakeError, collect, extract_zip, student_id
from autograder.grading.normalize import rebuild
from autograder.grading.results import Result, safe_cell, write_csv
from autograder.grading.samples import make_submission, reference_answers
from autograder.limits import MAX_FILE_MB


def _notebook_bytes():
    return nbformat.writes(make_submission("convolution", reference_answers("convolution"))).encode()


@pytest.mark.parametrize("filename, expected", [
    ("20261126_B15000021_conv.ipynb", "B15000021"),  # a date first is no id
    ("B15000021_20261126.ipynb", "B15000021"),
    ("homework_final.ipynb", None),  # Colab's download names carry no id: listed, not graded
    ("convolution.ipynb", None),
    ("report_20261126153000.ipynb", None),  # part of a timestamp is no id
    ("B15000021_and_B15000024.ipynb", None),  # two ids: the instructor decides
])
def test_only_a_recognisable_id_names_a_student(filename, expected):
    assert student_id(filename) == expected


def test_a_roster_settles_which_of_two_ids_is_the_student():
    assert student_id("B15000021_partner_B15000024.ipynb", known={"B15000024"}) == "B15000024"


def test_files_without_an_id_need_attention_and_are_not_graded(tmp_path):
    (tmp_path / "homework_final.ipynb").write_bytes(_notebook_bytes())
    (tmp_path / "B10900001_conv.ipynb").write_bytes(_notebook_bytes())
    subs, attention = collect(tmp_path, notebooks=("convolution",))
    assert list(subs) == ["B10900001"]
    assert [a.file for a in attention] == ["homework_final.ipynb"] and "no student id" in attention[0].reason


def test_two_files_for_one_student_are_both_kept_for_matching(tmp_path):
    """20261126_B15000021 and 20261126_B15000024 are two students; one student's two files stay one student's."""
    for name in ("20261126_B15000021_conv.ipynb", "20261126_B15000024_conv.ipynb", "B15000024_conv_v2.ipynb"):
        (tmp_path / name).write_bytes(_notebook_bytes())
    subs, attention = collect(tmp_path, notebooks=("convolution",))
    assert sorted(subs) == ["B15000021", "B15000024"] and not attention
    assert len(subs["B15000024"].notebooks) == 2


def _zip(path, entries: dict, when=(2026, 11, 26, 10, 30, 0)):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)


def test_an_oversized_zip_entry_is_skipped_with_its_size_and_never_read_whole(tmp_path):
    archive = tmp_path / "class.zip"
    huge = b"0" * ((MAX_FILE_MB + 1) * 2**20)  # compresses to a few hundred KB
    _zip(archive, {"B10900001_conv.ipynb": _notebook_bytes(), "B10900002_conv.ipynb": huge})
    skipped = extract_zip(archive, tmp_path / "out")
    assert [s.file for s in skipped] == ["B10900002_conv.ipynb"]
    assert f"larger than {MAX_FILE_MB} MB" in skipped[0].reason
    assert not (tmp_path / "out" / "B10900002_conv.ipynb").exists()
    assert (tmp_path / "out" / "B10900001_conv.ipynb").exists()


def test_zip_paths_cannot_leave_the_folder_or_name_nothing(tmp_path):
    archive = tmp_path / "class.zip"
    _zip(archive, {"../../escape_B10900001.ipynb": _notebook_bytes(), "B10900002/..": b"x", "/abs/B10900003.ipynb": b"{}"})
    skipped = extract_zip(archive, tmp_path / "out")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["abs_B10900003.ipynb", "escape_B10900001.ipynb"]
    assert not (tmp_path / "escape_B10900001.ipynb").exists()
    assert any("B10900002" in s.file for s in skipped)


def test_a_file_that_is_not_a_zip_fails_fast_with_the_fix(tmp_path):
    fake = tmp_path / "export.zip"
    fake.write_text("not a zip")
    with pytest.raises(IntakeError, match="not a zip file"):
        extract_zip(fake, tmp_path / "out")


def test_submission_time_is_the_platforms_not_the_students(tmp_path):
    archive = tmp_path / "class.zip"
    _zip(archive, {"B10900001_conv.ipynb": _notebook_bytes(), "B10900001_timestamp.txt": b"2001-01-01 00:00:00"})
    extract_zip(archive, tmp_path / "out")
    subs, _ = collect(tmp_path / "out", notebooks=("convolution",))
    sub = subs["B10900001"]
    assert sub.submitted_at.replace(tzinfo=None) == datetime(2026, 11, 26, 10, 30)
    assert sub.attachments == {}  # an undeclared file is not used, whatever its name
    assert any("timestamp.txt not used" in note for note in sub.notes)


def test_only_declared_attachments_are_kept(tmp_path):
    (tmp_path / "B10900001_conv.ipynb").write_bytes(_notebook_bytes())
    (tmp_path / "B10900001_cnn_model.keras").write_bytes(b"model")
    (tmp_path / "B10900001_notes.txt").write_bytes(b"x")
    subs, _ = collect(tmp_path, notebooks=("train_cnn",), declared=("cnn_model.keras",))
    assert list(subs["B10900001"].attachments) == ["cnn_model.keras"]


def test_an_attachment_over_the_cap_is_not_used_and_the_note_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "MAX_FILE_MB", 1)
    (tmp_path / "B10900001_conv.ipynb").write_bytes(_notebook_bytes())
    (tmp_path / "B10900001_cnn_model.keras").write_bytes(b"0" * (2 * 2**20))
    subs, _ = collect(tmp_path, notebooks=("train_cnn",), declared=("cnn_model.keras",))
    assert subs["B10900001"].attachments == {}
    assert "B10900001_cnn_model.keras not used: larger than the 1 MB an attachment may be" in subs["B10900001"].notes


def test_an_export_that_unpacks_past_the_total_cap_stops_before_grading(tmp_path, monkeypatch):
    monkeypatch.setattr(intake, "MAX_EXPORT_MB", 1)
    archive = tmp_path / "class.zip"
    _zip(archive, {f"B1090000{i}_conv.ipynb": b"0" * (600 * 2**10) for i in range(3)})  # 1.8 MB, each under the file cap
    with pytest.raises(IntakeError, match="unpacks to more than 1 MB"):
        extract_zip(archive, tmp_path / "out")


@pytest.mark.parametrize("content, reason", [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ("", "empty"),
    ('{"cells": 3}', "malformed"),
])
def test_broken_notebooks_are_invalid_with_a_plain_reason(tmp_path, content, reason):
    path = tmp_path / "B10900001.ipynb"
    path.write_text(content)
    with pytest.raises(ValueError, match=reason):
        intake.read_submission(path)


def test_nbgrader_metadata_that_is_not_a_dict_is_ignored_not_a_crash():
    release = make_submission("convolution", {})
    nb = make_submission("convolution", reference_answers("convolution"))
    for cell in nb.cells:
        cell.metadata["nbgrader"] = ["not", "a", "dict"]
    rebuilt, notes = rebuild(nb, release, "convolution")
    assert "matched by content" in notes[0]


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_spreadsheet_formulas_in_file_names_are_neutralised(tmp_path, text):
    assert safe_cell(text) == "'" + text
    write_csv([Result("B10900001", text + ".ipynb", "invalid", message=text)], tmp_path / "grades.csv")
    row = next(csv.DictReader(io.StringIO((tmp_path / "grades.csv").read_text(encoding="utf-8"))))
    assert row["file"].startswith("'") and row["message"].startswith("'")


def test_numbers_are_not_quoted():
    assert safe_cell(-1.5) == -1.5 and safe_cell("B10900001") == "B10900001"



def test_platform_exports_have_the_columns_moodle_and_canvas_import(tmp_path):
    from autograder.grading.results import write_export

    results = [Result("B10900001", "x.ipynb", "graded", score=8, max_score=10, penalty=1, name="王小明")]
    write_export(results, tmp_path / "m.csv", "moodle", "convolution")
    assert list(csv.reader((tmp_path / "m.csv").open(encoding="utf-8"))) == [
        ["ID number", "Full name", "convolution", "Feedback"], ["B10900001", "王小明", "7", ""]]
    write_export(results, tmp_path / "c.csv", "canvas", "convolution")
    rows = list(csv.reader((tmp_path / "c.csv").open(encoding="utf-8")))
    assert rows[0][:3] == ["Student", "ID", "SIS User ID"] and rows[1][0] == "Points Possible"
    assert rows[2][2] == "B10900001" and rows[2][-1] == "7"


def test_a_roster_from_moodle_or_canvas_is_read_as_it_is(tmp_path):
    from autograder.grading.roster import read_roster

    (tmp_path / "moodle.csv").write_text("Identifier,Full name,ID number,Email address\n"
                                         "Participant 123456,王小明,B10900001,a@x\n", encoding="utf-8")
    roster = read_roster(tmp_path / "moodle.csv")
    assert roster.names == {"B10900001": "王小明"} and roster.resolve("123456") == "B10900001"
    (tmp_path / "canvas.csv").write_text("Student,ID,SIS User ID,SIS Login ID,Section\n"
                                         "    Points Possible,,,,\n陳大文,77,B10900002,b,A\n", encoding="utf-8")
    assert read_roster(tmp_path / "canvas.csv").names == {"B10900002": "陳大文"}
    (tmp_path / "bad.csv").write_text("who,what\nx,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no student id column"):
        read_roster(tmp_path / "bad.csv")


def test_two_files_for_one_notebook_are_reported_and_the_newest_is_graded(tmp_path):
    import os
    import types

    from autograder.grading.pipeline import _match

    old, new = tmp_path / "B15000021_conv.ipynb", tmp_path / "王_B15000021_hw.ipynb"
    for path, when in ((old, 1_700_000_000), (new, 1_700_000_100)):
        path.write_bytes(_notebook_bytes())
        os.utime(path, (when, when))
    subs, _ = collect(tmp_path, notebooks=("convolution",))
    chosen, notes = _match(subs["B15000021"], types.SimpleNamespace(releases={"convolution": None}))
    assert chosen == {"convolution": new}
    assert "several files for convolution.ipynb (B15000021_conv.ipynb, 王_B15000021_hw.ipynb)" in notes[0]
