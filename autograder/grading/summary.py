"""What an instructor reads after grading: the summary printed at the end of a run."""
from __future__ import annotations

from autograder.grading.intake import Attention
from autograder.grading.results import Result


def summary(results: list[Result], attention: list[Attention] = (), total: int | None = None) -> str:
    """This run's submissions: how many were graded, their scores, and what needs the instructor."""
    graded = [r for r in results if r.status == "graded"]
    problems = [r for r in results if r.status != "graded"]
    pending = [r for r in graded if r.pending]
    lines = [f"{len(results)} submissions: {len(graded)} graded, {len(problems)} need attention"
             + (f"; {len(attention)} files not graded" if attention else "")]
    if graded:
        scores = [r.score for r in graded]
        lines.append(f"scores: mean {sum(scores) / len(scores):.2f}, min {min(scores):g}, "
                     f"max {max(scores):g} of {graded[0].max_score:g}")
    if pending:
        cells = sorted({c for r in pending for c in r.pending})
        lines.append(f"{len(pending)} submissions need hand grading ({', '.join(cells)}): "
                     "open nbgrader's formgrader on the course directory (see the README)")
    cannot = [r for r in graded if r.unsupported]
    if cannot:
        cells = sorted({c for r in cannot for c in r.unsupported})
        lines.append(f"{len(cannot)} submissions have checks the grader cannot run ({', '.join(cells)}): "
                     "they scored 0 there; grade those cells by hand")
    lines += [f"  {r.student} ({r.file}): {r.status}: {r.message}" for r in problems]
    lines += [f"  {a.file}: not graded: {a.reason}" for a in attention]
    if total is not None and total != len(results):
        lines.append(f"grades.csv holds {total} students (this run and earlier ones)")
    return "\n".join(lines)
