"""The weekly schedule (schedule.yml beside this file), read by the course guide and the release command."""
from dataclasses import dataclass
from importlib.resources import files

import yaml


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    opens: int  # week it is released
    due: int  # week it is due


@dataclass(frozen=True)
class Week:
    week: int
    topic: str
    chapters: tuple[str, ...]
    opens: tuple[Assignment, ...]
    due: tuple[Assignment, ...]


def load_schedule() -> list[Week]:
    """Every week in order, with the chapters read and the assignments that open and fall due."""
    data = yaml.safe_load(files("dlcourse").joinpath("schedule.yml").read_text(encoding="utf-8"))
    assignments = [Assignment(**a) for a in data["assignments"]]
    return [
        Week(w["week"], w["topic"], tuple(w["chapters"]),
             tuple(a for a in assignments if a.opens == w["week"]),
             tuple(a for a in assignments if a.due == w["week"]))
        for w in data["weeks"]
    ]


def assignments() -> list[Assignment]:
    """Every assignment, in the order they open."""
    return sorted({a for w in load_schedule() for a in w.opens}, key=lambda a: (a.opens, a.id))
