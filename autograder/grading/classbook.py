"""A graded class as grades.csv, the exports and the class report read it: one place, one reading.

`class_results` joins what the results cache holds with the roster (names, and every student
who handed in nothing as `missing`); `load_class` does it for a grading folder written earlier,
from that folder alone (its course directory, results and saved roster). `ClassResults.answers`
and `given_code` read the code students wrote and the code they were given (nbgrader's layout).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import nbformat

from autograder.grading.assignment import Question, questions_of, teaching_page
from autograder.grading.late import due_date
from autograder.grading.normalize import grade_id, is_answer, nbgrader_meta
from autograder.grading.results import Cache, Result
from autograder.grading.roster import Roster, saved_roster


@dataclass
class ClassResults:
    assignment: str
    out: Path
    questions: list[Question]  # graded cells in notebook order
    results: list[Result]  # one per student, by id; `missing` ones from the roster included
    due: datetime | None

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)

    def answers(self, student: str) -> dict[str, str]:
        """The code a student wrote, from the graded notebooks (nbgrader's autograded/ copy): each
        answer cell's source by grade id, and the code cells they added (no nbgrader metadata)
        joined under "added cells"; {} when nothing of theirs was graded."""
        found: dict[str, str] = {}
        for path in sorted((self.out / "course" / "autograded" / student / self.assignment).glob("*.ipynb")):
            added = []
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                if is_answer(cell):
                    found[grade_id(cell) or f"{path.stem}: answer {len(found) + 1}"] = cell.source
                elif not nbgrader_meta(cell):
                    added.append(cell.source)
            if added:
                found[f"{path.stem}: added cells"] = "\n\n".join(added)
        return found

    def given_code(self) -> str:
        """Every code cell of the release (the starter code in answer cells, set-up, visible tests):
        what every student was handed."""
        return "\n\n".join(cell.source for path in sorted((self.out / "course" / "release" / self.assignment)
                                                          .glob("*.ipynb"))
                            for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code")


def class_results(cache: Cache, roster: Roster | None, max_score: float, newer: dict[str, Result] = ()) -> list[Result]:
    """Every student's latest result (newer ones, e.g. this run's, over the cache), the roster's
    names on them, and a `missing` row for each student on the roster with none."""
    everyone = {**cache.all(), **dict(newer)}
    if roster:
        for sid, name in roster.names.items():
            everyone.setdefault(sid, Result(sid, "", "missing", max_score=max_score, message="no submission"))
            everyone[sid].name = name
    return [everyone[s] for s in sorted(everyone)]


def load_class(out: Path) -> ClassResults:
    """The class graded into `out` by `course grade` (ValueError when out is not such a folder)."""
    out = Path(out)
    sources = sorted((out / "course" / "source").glob("*/"))
    if not (out / "results").is_dir() or len(sources) != 1:
        raise ValueError(f"{out} is not a grading folder written by `course grade` (no course/ and results/ in it)")
    name = sources[0].name
    questions = [replace(q, teaches=teaching_page(name)) for nb in sorted(sources[0].glob("*.ipynb"))
                 for q in questions_of(nb.stem, nbformat.read(nb, as_version=4))]
    max_score = sum(q.points for q in questions)
    results = class_results(Cache(out / "results"), saved_roster(out), max_score)
    return ClassResults(name, out, questions, results, due_date(name))
