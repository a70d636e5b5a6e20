"""Late work: due dates from dlcourse/schedule.yml, extensions per student, the penalty nbgrader applies.

The policy (a share of the score per started day late, up to a cap) is set once, in the schedule's
`term.late`; nbgrader's own AssignLatePenalties applies it through `preprocessors.PercentPerDay`, so the
gradebook, the feedback pages and grades.csv agree.
"""
from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path


class ExtensionsError(ValueError):
    pass


def due_date(assignment: str) -> datetime | None:
    """When the schedule says the assignment is due (None for one it does not list)."""
    from dlcourse.schedule import assignments, load_term

    entry = next((a for a in assignments() if a.id == assignment), None)
    return load_term().due(entry.due) if entry else None


def as_utc_naive(when: datetime) -> datetime:
    """What nbgrader's gradebook stores: UTC without a zone."""
    return when.astimezone(timezone.utc).replace(tzinfo=None)


def read_extensions(path: Path) -> dict[str, timedelta]:
    """student_id -> extension, from a CSV with `student_id` and `days` (may be fractional)."""
    if not Path(path).is_file():
        raise ExtensionsError(f"extensions file {path} does not exist")
    rows = list(csv.DictReader(Path(path).open(encoding="utf-8-sig")))
    if rows and not {"student_id", "days"} <= set(rows[0]):
        raise ExtensionsError(f"extensions file {path} needs the columns student_id and days; it has {', '.join(rows[0])}")
    found = {}
    for row in rows:
        try:
            found[row["student_id"].strip()] = timedelta(days=float(row["days"]))
        except ValueError:
            raise ExtensionsError(f"extensions file {path}: {row['days']!r} is not a number of days") from None
    return found


def write_extensions(extensions: dict[str, timedelta], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "days"])
        for sid, delta in sorted(extensions.items()):
            writer.writerow([sid, f"{delta.total_seconds() / 86400:g}"])
