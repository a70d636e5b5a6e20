"""What an instructor reads after grading: the summary printed at the end of a run."""
from autograder.grading.results import Result


def summary(results: list[Result]) -> str:
    graded = [r for r in results if r.status == "graded"]
    problems = [r for r in results if r.status != "graded"]
    lines = [f"{len(results)} submissions: {len(graded)} graded, {len(problems)} need attention"]
    if graded:
        scores = [r.score for r in graded]
        lines.append(f"scores: mean {sum(scores) / len(scores):.2f}, min {min(scores):g}, "
                     f"max {max(scores):g} of {graded[0].max_score:g}")
    lines += [f"  {r.student} ({r.file}): {r.status}: {r.message}" for r in problems]
    return "\n".join(lines)
