"""The `course` command wires its subcommands to the library functions."""
import csv
import subprocess
import sys

from autograder.cli import main


def test_help_lists_every_task():
    out = subprocess.run([sys.executable, "-m", "autograder.cli", "--help"],
                         capture_output=True, text=True, check=True).stdout
    for command in ["build", "release", "grade", "check-leaks", "check-links", "publish"]:
        assert command in out


def test_grade_command_reports_broken_files_and_writes_csv(tmp_path, capsys):
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "B10901234.ipynb").write_text("[]", encoding="utf-8")
    assert main(["grade", str(subs), "--assignment", "convolution", "--out", str(tmp_path / "out")]) == 0
    rows = list(csv.DictReader((tmp_path / "out" / "grades.csv").open(encoding="utf-8")))
    assert [(r["student_id"], r["status"]) for r in rows] == [("B10901234", "invalid")]
    assert "need attention" in capsys.readouterr().out


def test_unknown_assignment_is_an_error_message_not_a_traceback(tmp_path, capsys):
    assert main(["grade", str(tmp_path), "--assignment", "nope", "--out", str(tmp_path / "o")]) == 1
    assert "course grade:" in capsys.readouterr().err


def test_check_links_command_fails_on_a_broken_anchor(tmp_path, capsys):
    (tmp_path / "index.html").write_text('<a href="page.html#here">x</a> <a href="https://example.org/">y</a>',
                                         encoding="utf-8")
    (tmp_path / "page.html").write_text('<h1 id="there">page</h1>', encoding="utf-8")
    assert main(["check-links", str(tmp_path), "--list-external"]) == 1
    out = capsys.readouterr().out
    assert "index.html: page.html#here" in out and "external (not fetched): https://example.org/" in out
    (tmp_path / "page.html").write_text('<h1 id="here">page</h1>', encoding="utf-8")
    assert main(["check-links", str(tmp_path)]) == 0


def test_publish_command_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "old.txt").write_text("x", encoding="utf-8")
    assert main(["publish", str(tmp_path)]) == 1
    assert "is not empty" in capsys.readouterr().err
