"""Intake: the files a learning platform exports, read as notebooks, with each student's id.

Reads folders and zips (Big5 or UTF-8 names), finds the student id in each file name, and keeps
one notebook per student. Nothing here runs student code.
"""
import json
import os
import re
import time
import zipfile
from pathlib import Path

import nbformat

# Taiwanese student ids look like B10901234, E14081234 or 410123456; the first match in the
# file name wins, so "王小明_B10901234_convolution.ipynb" is student B10901234.
DEFAULT_ID_PATTERN = r"[A-Za-z]{0,2}\d{6,10}"


def student_id(filename: str, pattern: str = DEFAULT_ID_PATTERN) -> str:
    """The student id in a submission's file name, or its safe stem when none matches."""
    stem = Path(filename).stem
    match = re.search(pattern, stem)
    return match.group(0) if match else re.sub(r"[^\w.-]", "_", stem)


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by the OS as surrogates) become �."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_submission(path: Path) -> nbformat.NotebookNode:
    """The submission as an nbformat 4 notebook; ValueError with a plain reason otherwise."""
    raw = path.read_bytes()
    if not raw.strip():
        raise ValueError("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"the file is not a Jupyter notebook (not valid JSON: {err})") from None
    if not isinstance(data, dict) or not ("cells" in data or "worksheets" in data):  # v4 or v3
        raise ValueError("the file is JSON but not a Jupyter notebook (no cells)")
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # nbformat raises several types for malformed notebooks
        raise ValueError(f"the notebook is malformed: {str(err).splitlines()[0]}") from None
    return nb


def attachments(notebook: Path, student: str, pattern: str = DEFAULT_ID_PATTERN) -> list[Path]:
    """Files a student submitted beside the notebook (e.g. a trained model): other files in the
    same folder whose name carries the student's id, such as B10901234_cnn_model.keras; in the
    sandbox they are named without the id (cnn_model.keras)."""
    return sorted(p for p in notebook.parent.iterdir() if p.is_file() and p.suffix != ".ipynb"
                  and student in p.name and student_id(p.name, pattern) == student)


def latest_per_student(submissions: Path, pattern: str = DEFAULT_ID_PATTERN) -> dict[str, Path]:
    """One notebook per student: when a student submitted several, the newest file wins."""
    chosen = {}
    for path in sorted(submissions.glob("*.ipynb"), key=lambda p: (p.stat().st_mtime, p.name)):
        chosen[student_id(path.name, pattern)] = path
    return dict(sorted(chosen.items()))


def extract_zip(archive: Path, target: Path) -> Path:
    """The notebooks in a platform's zip export, flattened into target; folder names that carry
    the student id (e.g. Moodle's "Name_123456_assignsubmission_file_/hw.ipynb") are kept."""
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            name = _zip_name(info)
            if info.is_dir() or "__MACOSX" in name:
                continue
            parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
            flat = "_".join(parts)
            (target / flat).write_bytes(zf.read(info))
            stamp = time.mktime(info.date_time + (0, 0, -1))
            os.utime(target / flat, (stamp, stamp))
    return target


def _zip_name(info: zipfile.ZipInfo) -> str:
    """File names in zips from Windows are often Big5 (cp950) without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "cp950", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


