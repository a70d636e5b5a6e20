"""Every command the README shows works as written: relative paths, default options, a fresh clone.

The clone gets the already installed virtual environment (linked as .venv, its code taken from the
clone) and the session's execution cache, so `make book` does not install or execute everything
again; the class export and roster the README names are made as a platform would. Substituted,
and only this: HOST (the scheduler's address) becomes 127.0.0.1. Commands marked "(keeps running)"
are services: started in the background (Jupyter allowed to run as root, with a known token),
checked to answer, and stopped at the end. `make test` is the command that
runs this test, so it is not run again here.
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import REPO
from autograder.grading.samples import make_submission, parse_answers, reference_answers

pytestmark = pytest.mark.slow
NOT_RUN = {"make test": "it is the command running this test"}
SUBSTITUTE = {"HOST": "127.0.0.1"}


def readme_commands(readme: Path) -> list[tuple[str, bool]]:
    """(command, keeps running) for each command in the README's bash blocks, in order."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", readme.read_text(encoding="utf-8"), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            command, _, comment = line.partition(" #")
            if command.strip():
                commands.append((" ".join(command.split()), "(keeps running)" in comment))
    return commands


def test_the_readme_parser_sees_the_documented_commands():
    commands = [c for c, _ in readme_commands(REPO / "README.md")]
    assert "make book" in commands and "make test" in commands
    assert any(c.startswith(".venv/bin/course grade class_export.zip") for c in commands)


def _class_export(clone: Path) -> None:
    """class_export.zip as a platform exports it (one on time, one two days late) and roster.csv (one missing)."""
    ref = reference_answers("convolution")
    wrong = parse_answers((REPO / "tests/submissions/convolution/forgot_padding.py").read_text(encoding="utf-8"))
    entries = {"王小明_B10901234_assignsubmission_file_/convolution.ipynb": (ref, (2026, 11, 7, 20, 0, 0)),
               "陳大文_B10901235_assignsubmission_file_/convolution.ipynb": ({**ref, **wrong}, (2026, 11, 10, 10, 0, 0))}
    with zipfile.ZipFile(clone / "class_export.zip", "w") as zf:
        for name, (answers, when) in entries.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=when), nbformat.writes(make_submission("convolution", answers)))
    (clone / "roster.csv").write_text("student_id,name\nB10901234,王小明\nB10901235,陳大文\nB10901236,林小美\n",
                                      encoding="utf-8")


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


def _ready(command: str, services: list) -> None:
    """Wait until a service the README starts answers."""
    if "dask scheduler" in command:
        _wait_for_port(8786)
    elif "dask worker" in command:
        from distributed import Client

        with Client("tcp://127.0.0.1:8786", timeout="60s") as client:
            client.wait_for_workers(sum("dask worker" in s.args for s in services), timeout=120)  # shell=True: args is the line
    elif "jupyter lab" in command:
        import json
        import urllib.request

        _wait_for_port(8888, timeout=120)
        with urllib.request.urlopen("http://127.0.0.1:8888/formgrader/api/assignments?token=readme") as reply:
            assignments = json.load(reply)  # formgrader opened the course directory `course grade` wrote
        assert [a["name"] for a in assignments] == ["convolution"] and assignments[0]["num_submissions"] == 2


@pytest.fixture(scope="module")
def clone(built_book, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("readme")
    target = root / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True)
    (target / ".venv").symlink_to(Path(sys.prefix))
    os.utime(target / "pyproject.toml", (946684800, 946684800))  # the linked venv is installed for it
    build = built_book.parent  # the session's build: its execution cache makes `make book` quick
    (target / "_build").mkdir()
    shutil.copytree(build / ".jupyter_cache", target / "_build" / ".jupyter_cache")
    shutil.copy(build / ".dlcourse.sha256", target / "_build" / ".dlcourse.sha256")
    _class_export(target)
    return target


def test_every_readme_command_works_as_written(clone):
    config = clone.parent / "jupyter-config"  # Jupyter refuses to run as root (CI) unless told it may
    config.mkdir(exist_ok=True)
    (config / "jupyter_server_config.py").write_text("c.ServerApp.allow_root = True\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(clone), "DLCOURSE_SECRET": "readme", "PYTHONUNBUFFERED": "1",
           "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_TOKEN": "readme"}
    services, ran = [], {}
    try:
        for command, keeps_running in readme_commands(clone / "README.md"):
            if command in NOT_RUN:
                continue
            for placeholder, value in SUBSTITUTE.items():
                command = re.sub(rf"\b{placeholder}\b", value, command)
            if keeps_running:
                services.append(subprocess.Popen(command, shell=True, cwd=clone, env=env, start_new_session=True,
                                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                _ready(command, services)
                continue
            done = subprocess.run(command, shell=True, cwd=clone, env=env, capture_output=True, text=True, timeout=1500)
            assert done.returncode == 0, f"`{command}` failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            ran[command] = done.stdout + done.stderr
    finally:
        for service in services[::-1]:
            os.killpg(service.pid, signal.SIGTERM)
            service.wait(30)
    out = clone / "grading" / "convolution"
    rows = {r["student_id"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8"))}
    assert rows["B10901236"]["status"] == "missing" and rows["B10901236"]["name"] == "林小美"
    assert rows["B10901234"]["status"] == "graded" and float(rows["B10901234"]["final_score"]) == 10
    assert float(rows["B10901235"]["days_late"]) > 1 and float(rows["B10901235"]["late_penalty"]) > 0
    assert (out / "feedback" / "B10901234.html").exists() and (out / "grades_moodle.csv").exists()
    assert (out / "report.html").exists() and (out / "similarity.html").exists()
    assert (clone / "grading" / "term_report.html").exists()
    assert not (clone / "exercises" / "resnet").exists()  # release --week 8 held it back
    assert (clone.parent / "dlcourse-public" / "_toc.yml").exists()
    graded = "".join(v for k, v in ran.items() if " grade " in k)
    assert "sandbox: namespaces" in graded  # every run says which isolation graded it
    noise = re.compile(r"oneDNN|absl::|tensorflow/|cuda", re.I)  # TensorFlow's start-up lines
    assert not noise.search(graded)
