"""The class list: who should hand in, with names, read from a platform's export as it is.

Accepts a plain `student_id,name` CSV (or 學號,姓名), Moodle's participants and grading-worksheet
exports (ID number, First name/Last name or Full name; the worksheet's "Participant 123456" is the
number Moodle puts in its download folders, kept as an alias), and Canvas-based platforms' (NTU
COOL) gradebook exports (Student, SIS User ID; the "Points Possible" row is skipped).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

ID_COLUMNS = ("student_id", "學號", "id number", "sis user id", "student id", "student number", "sis login id", "id")
NAME_COLUMNS = ("name", "姓名", "full name", "student", "student name")
_PARTICIPANT = re.compile(r"participant\s+(\d+)", re.I)


class RosterError(ValueError):
    pass


@dataclass
class Roster:
    names: dict[str, str] = field(default_factory=dict)  # student id -> name
    aliases: dict[str, str] = field(default_factory=dict)  # another number a platform uses -> student id

    @property
    def known(self) -> set[str]:
        return set(self.names) | set(self.aliases)

    def resolve(self, sid: str) -> str:
        return self.aliases.get(sid, sid)

    def write(self, path: Path) -> None:
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["student_id", "name", "alias"])
            aliases = {v: k for k, v in self.aliases.items()}
            for sid, name in sorted(self.names.items()):
                writer.writerow([sid, name, aliases.get(sid, "")])


def _text(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp950"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(f"{path}: neither UTF-8 nor Big5 text; save it as CSV (UTF-8)")


def _column(header: list[str], wanted: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(w) for w in wanted if w in lowered), None)


def read_roster(path: Path) -> Roster:
    """The roster in a CSV file; RosterError naming what is missing when no id column is found."""
    if not Path(path).is_file():
        raise RosterError(f"roster {path} does not exist")
    rows = list(csv.reader(io.StringIO(_text(path))))
    if not rows:
        raise RosterError(f"roster {path} is empty")
    header, body = rows[0], rows[1:]
    sid_col = _column(header, ID_COLUMNS)
    if sid_col is None:
        raise RosterError(f"roster {path}: no student id column (one of: {', '.join(ID_COLUMNS)}); "
                          f"its columns are {', '.join(header)}")
    name_col = _column(header, NAME_COLUMNS)
    first, last = _column(header, ("first name",)), _column(header, ("last name", "surname"))
    ident = _column(header, ("identifier",))
    roster = Roster()
    for row in body:
        cell = lambda i: row[i].strip() if i is not None and i < len(row) else ""
        sid = cell(sid_col)
        if not sid or "points possible" in " ".join(row).lower():
            continue
        name = cell(name_col) or " ".join(p for p in (cell(last), cell(first)) if p)
        roster.names[sid] = name
        match = _PARTICIPANT.search(cell(ident))
        if match:
            roster.aliases[match.group(1)] = sid
    if not roster.names:
        raise RosterError(f"roster {path} lists no students")
    return roster


def saved_roster(out: Path) -> Roster | None:
    """The roster an earlier run saved in out/roster.csv, if any."""
    path = out / "roster.csv"
    if not path.exists():
        return None
    roster = Roster()
    for row in csv.DictReader(path.open(encoding="utf-8")):
        roster.names[row["student_id"]] = row["name"]
        if row.get("alias"):
            roster.aliases[row["alias"]] = row["student_id"]
    return roster
