"""The weekly schedule (schedule.yml beside this file), read by the course guide and the release command."""
import copy
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from importlib.resources import files
from zoneinfo import ZoneInfo

import yaml


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    opens: int  # week it is released
    due: int  # week it is due
    attachments: tuple[str, ...] = ()  # files handed in beside the notebook, e.g. a trained model


@dataclass(frozen=True)
class Week:
    week: int
    topic: str
    chapters: tuple[str, ...]
    opens: tuple[Assignment, ...]
    due: tuple[Assignment, ...]


@dataclass(frozen=True)
class Term:
    """When weeks fall, when work is due, and what lateness costs: the term block of schedule.yml."""

    start: date  # the Monday of week 1
    timezone: str
    due_weekday: int  # 1 = Monday ... 7 = Sunday
    due_time: time
    late_percent_per_day: float
    late_max_percent: float

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def due(self, week: int) -> datetime:
        """When work due in `week` is due, in the course's time zone."""
        day = self.start + timedelta(weeks=week - 1, days=self.due_weekday - 1)
        return datetime.combine(day, self.due_time, tzinfo=self.zone)

    def penalty_percent(self, seconds_late: float) -> float:
        """Share of the score lost for handing in this late: per started day, up to the cap."""
        days = math.ceil(max(seconds_late, 0) / 86400)
        return min(days * self.late_percent_per_day, self.late_max_percent)


def _data() -> dict:
    return copy.deepcopy(_parse(files("dlcourse").joinpath("schedule.yml").read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def _parse(text: str) -> dict:
    """Parsed once per text (a grading run asks five times); libyaml's loader where PyYAML has it."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_term() -> Term:
    t = _data()["term"]
    hour, minute = (int(v) for v in str(t["due"]["time"]).split(":"))
    return Term(t["start"], t["timezone"], int(t["due"]["weekday"]), time(hour, minute),
                float(t["late"]["percent_per_day"]), float(t["late"]["max_percent"]))


def load_schedule() -> list[Week]:
    """Every week in order, with the chapters read and the assignments that open and fall due."""
    data = _data()
    assignments = [Assignment(**{**a, "attachments": tuple(a.get("attachments", ()))})
                   for a in data["assignments"]]
    return [
        Week(w["week"], w["topic"], tuple(w["chapters"]),
             tuple(a for a in assignments if a.opens == w["week"]),
             tuple(a for a in assignments if a.due == w["week"]))
        for w in data["weeks"]
    ]


def assignments() -> list[Assignment]:
    """Every assignment, in the order they open."""
    return sorted({a for w in load_schedule() for a in w.opens}, key=lambda a: (a.opens, a.id))
