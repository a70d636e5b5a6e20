"""Intake: the files a learning platform exports, read as notebooks, with each student's id.

Reads folders and zips (Big5 or UTF-8 names, streamed to disk with size caps), finds the student
id in each file name, matches each student's files to the release notebooks, and keeps the
attachments the assignment declares. Files without a usable id are listed for the instructor,
never graded under an invented id. Nothing here runs student code.
"""
from __future__ import annotations

import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat

from autograder.limits import MAX_EXPORT_MB, MAX_FILE_MB, MAX_ZIP_ENTRIES

# Taiwanese student ids look like B10901234, E14081234 or 410123456. A run of digits that is
# part of a longer one (a timestamp) is no id, and neither is a bare date such as 20261126.
DEFAULT_ID_PATTERN = r"(?<![0-9])[A-Za-z]{0,2}\d{6,10}(?![0-9])"
_DATE = re.compile(r"(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
_CHUNK = 2**20


class IntakeError(ValueError):
    """The class's files cannot be read at all (a path that is missing, a zip that is not a zip)."""


@dataclass
class Attention:
    """A file that was not graded, and why: shown to the instructor, never scored."""

    file: str
    reason: str


@dataclass
class Submission:
    """One student's files for one assignment, as the platform exported them."""

    student: str
    notebooks: dict[str, Path] = field(default_factory=dict)  # file name as submitted -> path
    attachments: dict[str, Path] = field(default_factory=dict)  # declared name -> path
    submitted_at: datetime | None = None  # the platform's time of the newest file
    notes: list[str] = field(default_factory=list)
    problem: str = ""  # why the submission cannot be graded (it is then `invalid`)

    @property
    def files(self) -> str:
        return "; ".join(printable(p.name) for p in [*self.notebooks.values(), *self.attachments.values()])


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by the OS as surrogates) become �."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def candidate_ids(filename: str, pattern: str = DEFAULT_ID_PATTERN) -> list[str]:
    """The distinct ids in a file name, in order; bare dates (20261126) are left out."""
    found = []
    for match in re.finditer(pattern, Path(filename).stem):
        text = match.group(0)
        if text.isdigit() and len(text) == 8 and _DATE.fullmatch(text):
            continue
        if text not in found:
            found.append(text)
    return found


def student_id(filename: str, pattern: str = DEFAULT_ID_PATTERN, known: set[str] | None = None) -> str | None:
    """The one student id in a file name (one on the roster when `known` is given), or None."""
    ids = candidate_ids(filename, pattern)
    if known is not None:
        ids = [i for i in ids if i in known] or ids
    return ids[0] if len(ids) == 1 else None


def _id_problem(filename: str, pattern: str, known: set[str] | None) -> str:
    ids = candidate_ids(filename, pattern)
    if not ids:
        return ("no student id in the file name (rename it to include the id, e.g. B10901234_"
                f"{printable(Path(filename).name)}, or give --id-pattern)")
    return f"several possible student ids in the file name ({', '.join(ids)}): rename it or give --roster"


def read_submission(path: Path) -> nbformat.NotebookNode:
    """The submission as an nbformat 4 notebook; ValueError with a plain reason otherwise."""
    size = path.stat().st_size
    if size > MAX_FILE_MB * 2**20:
        raise ValueError(f"the file is {size / 2**20:.0f} MB, larger than the {MAX_FILE_MB} MB a notebook may be")
    raw = path.read_bytes()
    if not raw.strip():
        raise ValueError("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"the file is not a Jupyter notebook (not valid JSON: {str(err)[:200]})") from None
    except RecursionError:
        raise ValueError("the file is not a Jupyter notebook (its JSON is nested too deeply)") from None
    if not isinstance(data, dict) or not ("cells" in data or "worksheets" in data):  # v4 or v3
        raise ValueError("the file is JSON but not a Jupyter notebook (no cells)")
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except RecursionError:
        raise ValueError("the notebook is malformed (nested too deeply)") from None
    except Exception as err:  # nbformat raises several types for malformed notebooks
        raise ValueError(f"the notebook is malformed: {str(err).splitlines()[0][:200]}") from None
    return nb


# -- zips --------------------------------------------------------------------------------------

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


def _flat_name(name: str) -> str:
    """One safe file name for a path in a zip; folder names that carry the student id (e.g.
    Moodle's "Name_123456_assignsubmission_file_/hw.ipynb") are kept in it."""
    raw = name.replace("\\", "/").split("/")
    if raw[-1] in ("", ".", ".."):
        return ""  # names no file
    flat = "_".join(p for p in raw if p not in ("", ".", "..")).replace("\x00", "")
    if len(flat.encode("utf-8", "surrogateescape")) > 240:  # most file systems allow 255 bytes
        stem, suffix = os.path.splitext(flat)
        flat = stem.encode("utf-8")[:200].decode("utf-8", "ignore") + suffix[:20]
    return flat


def extract_zip(archive: Path, target: Path) -> list[Attention]:
    """Stream the files of a platform's zip export into target, flattened; returns the entries
    that were not extracted (too large, unusable names). Each entry and the whole are capped, and
    each file keeps the entry's time, which is when the platform received it."""
    if not zipfile.is_zipfile(archive):
        raise IntakeError(f"{archive} is not a zip file: give the platform's .zip export or a folder of notebooks")
    target.mkdir(parents=True, exist_ok=True)
    skipped, total = [], 0
    with zipfile.ZipFile(archive) as zf:
        entries = zf.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise IntakeError(f"{archive} holds {len(entries):,} entries, more than {MAX_ZIP_ENTRIES:,}")
        for info in entries:
            name = _zip_name(info)
            if info.is_dir() or "__MACOSX" in name:
                continue
            flat = _flat_name(name)
            if not flat or flat.startswith("."):
                skipped.append(Attention(name, "not a usable file name"))
                continue
            size = _copy_capped(zf, info, target / flat, MAX_FILE_MB * 2**20)
            if size is None:
                skipped.append(Attention(flat, f"larger than {MAX_FILE_MB} MB (the zip says "
                                               f"{info.file_size / 2**20:,.0f} MB): not extracted"))
                continue
            total += size
            if total > MAX_EXPORT_MB * 2**20:
                raise IntakeError(f"{archive} unpacks to more than {MAX_EXPORT_MB} MB")
            stamp = datetime(*info.date_time, tzinfo=_zone()).timestamp()  # zips store local time
            os.utime(target / flat, (stamp, stamp))
    return skipped


def _copy_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, cap: int) -> int | None:
    """Bytes written, or None (and nothing left on disk) when the entry holds more than cap."""
    written = 0
    try:
        with zf.open(info) as src, dest.open("wb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > cap:
                    break
                out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as err:
        dest.unlink(missing_ok=True)
        raise IntakeError(f"cannot read {info.filename!r} from the zip: {err}") from None
    if written > cap:
        dest.unlink(missing_ok=True)
        return None
    return written


# -- a class ------------------------------------------------------------------------------------

def _zone():
    from dlcourse.schedule import load_term

    return load_term().zone


def _submitted_at(path: Path) -> datetime:
    """When the platform received a file: its time (a zip entry's, once extracted), never its content."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=_zone())


def declared_name(filename: str, student: str, declared: tuple[str, ...]) -> str | None:
    """The declared attachment a file is (B10901234_cnn_model.keras -> cnn_model.keras), or None."""
    name = printable(filename)
    return next((d for d in declared if name.endswith(d) and student in name), None)


def collect(folder: Path, *, notebooks: tuple[str, ...], declared: tuple[str, ...] = (),
            pattern: str = DEFAULT_ID_PATTERN, known: set[str] | None = None,
            skipped: list[Attention] = ()) -> tuple[dict[str, Submission], list[Attention]]:
    """Each student's files in folder (submissions by student id) and the files needing attention.

    notebooks: the release's notebook names; declared: the attachments the assignment accepts.
    Several files for one notebook: the newest wins (by the platform's time), and the note says so.
    """
    attention = list(skipped)
    by_student: dict[str, Submission] = {}
    files = sorted((p for p in folder.iterdir() if p.is_file()), key=lambda p: (p.stat().st_mtime, p.name))
    for path in files:
        sid = student_id(path.name, pattern, known)
        if sid is None:
            attention.append(Attention(printable(path.name), _id_problem(path.name, pattern, known)))
            continue
        sub = by_student.setdefault(sid, Submission(sid))
        when = _submitted_at(path)
        if path.suffix == ".ipynb":
            sub.notebooks[printable(path.name)] = path
        elif (name := declared_name(path.name, sid, declared)) is not None:
            if path.stat().st_size > MAX_FILE_MB * 2**20:  # never read: the workers get what is kept
                sub.notes.append(f"{printable(path.name)} not used: larger than the {MAX_FILE_MB} MB an attachment may be")
                continue
            if name in sub.attachments:
                sub.notes.append(f"several files for {name}: graded the newest, {printable(path.name)}")
            sub.attachments[name] = path
        else:
            accepted = ", ".join(declared) or "no other files"
            sub.notes.append(f"{printable(path.name)} not used (this assignment accepts notebooks and {accepted})")
            continue
        sub.submitted_at = max(filter(None, [sub.submitted_at, when]))
    for sub in by_student.values():
        if not sub.notebooks:
            sub.problem = "no notebook (.ipynb) among the files submitted"
    return dict(sorted(by_student.items())), attention
