"""Grade a class: each submission rebuilt, run, autograded by nbgrader, with feedback; then the CSV.

Each step of grading one submission is in `grade_one`; `grade` runs it for a class.
"""
import json
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict
from pathlib import Path

import nbformat

from autograder import SOLUTIONS, folder_digest
from autograder.grading.course import nbgrader_api, nbgrader_config, prepare_course
from autograder.grading.intake import (DEFAULT_ID_PATTERN, attachments, extract_zip, latest_per_student, printable,
                                       read_submission)
from autograder.grading.normalize import rebuild
from autograder.grading.report import summary
from autograder.grading.results import Result, submission_key, write_csv
from autograder.limits import default_workers


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
    result = Result(student, printable(submission.name), "graded")
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
    for extra in attachments(submission, student):
        shutil.copyfile(extra, target.parent / extra.name.split(student, 1)[1].lstrip("_-. "))

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


def _forget_parents_forkserver():
    """In a forked copy of a process that started the forkserver, that server is not its child:
    multiprocessing would fail to reach it (No child processes), so let this process start its own."""
    import multiprocessing.forkserver as fs
    import threading

    server = fs._forkserver
    server._forkserver_pid = server._forkserver_address = server._forkserver_alive_fd = None
    server._lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_parents_forkserver)

_APIS = {}  # one NbGraderAPI per worker process and course
WORKER_PRELOAD = ["autograder.grading.pipeline", "autograder.grading.checker", "nbgrader.apps", "nbgrader.converters", "tensorflow"]


def _grade_in_worker(course: Path, assignment: str, student: str, path: Path, out: Path,
                     settings: dict) -> Result:
    if course not in _APIS:
        _APIS[course] = nbgrader_api(course, **settings)
    return grade_one(_APIS[course], assignment, student, path, out)


def _run_all(jobs: list, workers: int):
    """Yield (job, Result) as each finishes; a worker that dies fails only its own submission."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job, _guarded(job)
        return
    # Workers fork from a server that imported the grader and TensorFlow once (never from this
    # process, whose TensorFlow may already run threads, which do not survive a fork).
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(WORKER_PRELOAD)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {pool.submit(_grade_in_worker, *job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                yield job, future.result()
            except Exception as err:  # the worker process itself died
                yield job, Result(job[2], printable(job[3].name), "failed", message=f"grader worker died: {err}")


def _guarded(job) -> Result:
    try:
        return _grade_in_worker(*job)
    except Exception as err:
        return Result(job[2], printable(job[3].name), "failed", message=f"{type(err).__name__}: {err}")


def grade(submissions: Path, *, assignment: str, out: Path, solutions: Path = SOLUTIONS,
          id_pattern: str = DEFAULT_ID_PATTERN, workers: int | None = None, log=print,
          **settings) -> list[Result]:
    """Grade every notebook in `submissions` (a folder, or a zip as a learning platform exports it).

    Writes out/grades.csv and out/feedback/<student>.html, prints progress and a summary,
    and returns one Result per student. A broken submission is reported, never fatal.
    Submissions are graded in parallel (workers, default one per core); a re-run re-grades
    only what changed. settings (timeout, memory_mb) limit each submission (see
    autograder.config.nbgrader_config).
    """
    out.mkdir(parents=True, exist_ok=True)
    if submissions.suffix == ".zip":
        submissions = extract_zip(submissions, out / "submissions")
    course = out / "course"
    digest = folder_digest(solutions / assignment, salt=json.dumps(settings, sort_keys=True).encode())
    stamp, cache = course / ".source.sha256", out / "results"
    if not stamp.exists() or stamp.read_text() != digest:
        shutil.rmtree(course, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        prepare_course(course, assignment, solutions, **settings)
        stamp.write_text(digest)
    cache.mkdir(exist_ok=True)
    from nbgrader.api import Gradebook

    coursedir = nbgrader_config(course, **settings).CourseDirectory
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        max_score = gb.find_assignment(assignment).max_score

    chosen = latest_per_student(submissions, id_pattern)
    results, jobs, keys = {}, [], {}
    for student, path in chosen.items():
        keys[student] = submission_key(path, student)
        saved = cache / f"{student}.json"
        cached = json.loads(saved.read_text()) if saved.exists() else {}
        if cached.get("sha256") == keys[student]:  # graded before
            results[student] = Result(**cached["result"])
        else:
            jobs.append((course, assignment, student, path, out, settings))
    if results:
        log(f"{len(results)} submissions unchanged since the last run: kept their grades")
    for done, (job, result) in enumerate(_run_all(jobs, workers or default_workers()), 1):
        result.max_score = max_score
        results[result.student] = result
        if result.status != "failed":  # a grader-side failure is retried on the next run
            (cache / f"{result.student}.json").write_text(
                json.dumps({"sha256": keys[result.student], "result": asdict(result)}))
        log(f"[{done}/{len(jobs)}] {result.student}: {result.score:g}/{result.max_score:g} {result.status}"
            + (f" ({result.message})" if result.message else ""))
    ordered = [results[s] for s in sorted(results)]
    write_csv(ordered, out / "grades.csv")
    log(summary(ordered))
    return ordered


