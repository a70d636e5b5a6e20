"""Grade a folder of submitted notebooks: nbgrader autograde, grades CSV, per-student feedback.

Each step of grading one submission is in `grade_one`; `grade` runs it for a class.
"""
import csv
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import SOLUTIONS
from autograder.normalize import rebuild
from autograder.release import prepare_course

# Taiwanese student ids look like B10901234, E14081234 or 410123456; the first match in the
# file name wins, so "王小明_B10901234_convolution.ipynb" is student B10901234.
DEFAULT_ID_PATTERN = r"[A-Za-z]{0,2}\d{6,10}"


@dataclass
class Result:
    student: str
    file: str
    status: str  # "graded", "invalid" (not a usable notebook) or "failed" (grading crashed)
    score: float = 0.0
    max_score: float = 0.0  # the assignment's, also for submissions that could not be graded
    cells: dict = field(default_factory=dict)  # grade_id -> points earned
    message: str = ""


def student_id(filename: str, pattern: str = DEFAULT_ID_PATTERN) -> str:
    """The student id in a submission's file name, or its safe stem when none matches."""
    stem = Path(filename).stem
    match = re.search(pattern, stem)
    return match.group(0) if match else re.sub(r"[^\w.-]", "_", stem)


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


def _problems(notebook: Path) -> str:
    """In words, for the report: answer cells that raised, and crashes, timeouts or memory limits."""
    nb = nbformat.read(notebook, as_version=4)
    raised, stopped = [], []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.output_type != "error":
                continue
            where = meta.get("grade_id") or "an added cell"
            if out.ename == "SubmissionCrashed":
                stopped.append(f"{where}: {out.evalue}")
            elif meta.get("solution"):
                raised.append(f"{where}: {out.ename}")
    parts = (["answer cells raised " + ", ".join(raised)] if raised else []) + stopped
    return "; ".join(parts)


def grade_one(api, assignment: str, student: str, submission: Path, out: Path) -> Result:
    """Autograde one submission in the prepared course, write its feedback HTML, return its result."""
    result = Result(student, submission.name, "graded")
    course = Path(api.coursedir.root)
    release = next((course / "release" / assignment).glob("*.ipynb"))
    notebook_name = release.name
    try:
        nb, notes = rebuild(read_submission(submission), nbformat.read(release, as_version=4), assignment)
    except ValueError as err:
        result.status, result.message = "invalid", str(err)
        return result
    target = course / "submitted" / student / assignment / notebook_name
    if target.parent.exists():
        shutil.rmtree(target.parent)
    target.parent.mkdir(parents=True)
    nbformat.write(nb, target)

    graded = api.autograde(assignment, student)
    if not graded["success"]:
        result.status = "failed"
        result.message = _last_error(graded.get("log", "") + graded.get("error", ""))
        return result
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        sub = gb.find_submission(assignment, student)
        result.score = sub.score
        for nb_sub in sub.notebooks:
            result.cells.update({g.name: g.score for g in nb_sub.grades if g.max_score})
    notes.append(_problems(course / "autograded" / student / assignment / notebook_name))
    result.message = "; ".join(n for n in notes if n)

    if api.generate_feedback(assignment, student)["success"]:
        html = course / "feedback" / student / assignment / notebook_name.replace(".ipynb", ".html")
        (out / "feedback").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(html, out / "feedback" / f"{student}.html")
    return result


def _last_error(log: str) -> str:
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "error" in line]
    return (errors or lines or ["nbgrader failed without a message"])[-1][:300]


def latest_per_student(submissions: Path, pattern: str = DEFAULT_ID_PATTERN) -> dict[str, Path]:
    """One notebook per student: when a student submitted several, the newest file wins."""
    chosen = {}
    for path in sorted(submissions.glob("*.ipynb"), key=lambda p: (p.stat().st_mtime, p.name)):
        chosen[student_id(path.name, pattern)] = path
    return dict(sorted(chosen.items()))


def write_csv(results: list[Result], path: Path) -> None:
    cell_ids = sorted({cell for r in results for cell in r.cells})
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "file", "status", "score", "max_score", *cell_ids, "message"])
        for r in results:
            writer.writerow([r.student, r.file, r.status, r.score, r.max_score,
                             *(r.cells.get(c, 0) for c in cell_ids), r.message])


def grade(submissions: Path, *, assignment: str, out: Path, solutions: Path = SOLUTIONS,
          id_pattern: str = DEFAULT_ID_PATTERN, log=print, **settings) -> list[Result]:
    """Grade every notebook in `submissions` against `assignment`.

    Writes out/grades.csv and out/feedback/<student>.html, prints progress and a summary,
    and returns one Result per student. A broken submission is reported, never fatal.
    settings (timeout, memory_mb) limit each submission (see autograder.config.nbgrader_config).
    """
    out.mkdir(parents=True, exist_ok=True)
    course = out / "course"
    if course.exists():
        shutil.rmtree(course)
    api = prepare_course(course, assignment, solutions, **settings)
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        max_score = gb.find_assignment(assignment).max_score
    chosen = latest_per_student(submissions, id_pattern)
    results = []
    for i, (student, path) in enumerate(chosen.items(), 1):
        result = grade_one(api, assignment, student, path, out)
        result.max_score = max_score
        results.append(result)
        log(f"[{i}/{len(chosen)}] {student}: {result.score:g}/{result.max_score:g} {result.status}"
            + (f" ({result.message})" if result.message else ""))
    write_csv(results, out / "grades.csv")
    log(summary(results))
    return results


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
