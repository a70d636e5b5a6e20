"""Grade a class: intake, each submission rebuilt and run on the engine's workers, then nbgrader.

Every step of grading one submission is in this file: `_rebuild` (the client: which file is which
notebook, the answers put back on the release), `worker.grade_student` (a worker: the sandbox and
the tests), `_record` (the client: nbgrader's autograde scores the outputs into the gradebook), then
`_feedback` (the student's page). `grade` runs them for a class and writes grades.csv.
"""
from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import SOLUTIONS
from autograder.grading import intake
from autograder.grading.assignment import Assignment, prepare
from autograder.grading.classbook import class_results
from autograder.grading.course import keeping_ctrl_c
from autograder.grading.intake import DEFAULT_ID_PATTERN, Attention, IntakeError, Submission, collect, printable
from autograder.grading.normalize import best_release, grade_id, rebuild
from autograder.grading.summary import summary
from autograder.grading.late import read_extensions, write_extensions
from autograder.grading.results import Cache, Result, cache_key, course_secret, submission_seed, write_csv
from autograder.grading.roster import Roster, read_roster, saved_roster
from autograder.limits import DEFAULT, Limits


class Interrupted(KeyboardInterrupt):
    """Grading stopped by Ctrl-C; results holds what was finished."""

    def __init__(self, results: list[Result], remaining: list[str]):
        super().__init__(f"interrupted: {len(remaining)} submissions not graded")
        self.results, self.remaining = results, remaining


@dataclass
class _Prepared:
    submission: Submission
    notebooks: dict[str, nbformat.NotebookNode]  # release notebook name -> rebuilt submission
    notes: list[str]
    seed: int
    key: str


def check_inputs(submissions: Path, assignment: str, solutions: Path = SOLUTIONS) -> None:
    """Fail fast, before any work, on inputs that cannot be graded; each message names the fix."""
    from autograder.grading.assignment import check_name

    if not submissions.exists():
        raise IntakeError(f"{submissions} does not exist: give the folder of submitted notebooks or the "
                          "platform's .zip export")
    check_name(assignment, solutions)
    if submissions.is_dir() and not any(p.is_file() for p in submissions.iterdir()):
        raise IntakeError(f"{submissions} is empty: no submissions to grade")
    if submissions.is_file() and submissions.suffix.lower() != ".zip":
        raise IntakeError(f"{submissions} is neither a folder nor a .zip export")
    if submissions.is_file() and not zipfile.is_zipfile(submissions):
        raise IntakeError(f"{submissions} is not a zip file: download the class's submissions again from the "
                          "platform, or give a folder of .ipynb files")


def _intake(submissions: Path, out: Path) -> tuple[Path, list[Attention]]:
    """The folder whose files this run grades: the zip unpacked afresh, or the folder given."""
    if submissions.is_dir():
        return submissions, []
    target = out / "submissions"
    shutil.rmtree(target, ignore_errors=True)  # files of an earlier run never join this one
    return target, intake.extract_zip(submissions, target)


def _on_roster(subs: dict[str, Submission], roster: Roster) -> dict[str, Submission]:
    """Submissions under the roster's ids (a platform's participant numbers resolved); those not on it flagged."""
    found: dict[str, Submission] = {}
    for sid, sub in subs.items():
        real = roster.resolve(sid)
        if real in found:  # the same student under two numbers
            found[real].notebooks.update(sub.notebooks)
            found[real].attachments.update(sub.attachments)
            found[real].notes += sub.notes
            found[real].submitted_at = max(filter(None, [found[real].submitted_at, sub.submitted_at]), default=None)
            found[real].problem = "" if found[real].notebooks else found[real].problem
            continue
        sub.student = real
        if real not in roster.names:
            sub.notes.append(f"{real} is not on the roster")
        found[real] = sub
    return dict(sorted(found.items()))


def _match(sub: Submission, a: Assignment) -> tuple[dict[str, Path], list[str]]:
    """Which submitted file is which release notebook: by name, else by content; newest wins."""
    chosen: dict[str, Path] = {}
    notes = []
    for name, path in sorted(sub.notebooks.items(), key=lambda kv: (kv[1].stat().st_mtime, kv[0])):
        target = None
        if len(a.releases) == 1:
            target = next(iter(a.releases))
        else:
            named = [r for r in a.releases if r.lower() in name.lower()]
            if named:
                target = max(named, key=len)
            else:
                try:
                    target = best_release(intake.read_submission(path), a.releases)
                except ValueError:
                    target = None
        if target is None:
            notes.append(f"{name}: not one of this assignment's notebooks ({', '.join(a.releases)}); not graded")
            continue
        if target in chosen:
            notes.append(f"several files for {target}.ipynb ({printable(chosen[target].name)}, {name}): "
                         f"graded the newest, {name}")
        chosen[target] = path
    return chosen, notes


def _rebuild(sub: Submission, a: Assignment, secret: str, settings: dict) -> _Prepared | Result:
    """The notebooks to grade for one student, or an `invalid` Result saying why not."""
    invalid = Result(sub.student, sub.files, "invalid", max_score=a.max_score,
                     submitted_at=sub.submitted_at.isoformat() if sub.submitted_at else None)
    if sub.problem:
        invalid.message = sub.problem
        return invalid
    files, notes = _match(sub, a)
    notes = sub.notes + notes
    rebuilt, reasons = {}, []
    for name, path in files.items():
        try:
            nb, found = rebuild(intake.read_submission(path), a.releases[name], a.name, a.sources.get(name))
        except ValueError as err:
            reasons.append(f"{printable(path.name)}: {err}")
            continue
        rebuilt[name] = nb
        notes += found
    missing = [n for n in a.releases if n not in rebuilt]
    if not rebuilt:
        invalid.message = "; ".join(reasons + notes) or "no notebook of this assignment found"
        return invalid
    if missing:
        notes.append("missing notebook(s) " + ", ".join(f"{n}.ipynb" for n in missing) + ": their cells score 0")
    notes += reasons
    seed = submission_seed(secret, a.name, sub.student)
    key = cache_key([*files.values(), *sub.attachments.values()], assignment_digest=a.digest,
                    settings={**settings, "seed": seed, "attachments": sorted(sub.attachments)})
    return _Prepared(sub, rebuilt, notes, seed, key)


def _job(p: _Prepared, heldout: bool) -> dict:
    """One submission's task data; heldout: the assignment grades trained accuracy, so the files as
    submitted travel too, to be searched for held-out images (grading/accuracy.py)."""
    return {"student": p.submission.student, "seed": p.seed,
            "notebooks": {n: nbformat.writes(nb) for n, nb in p.notebooks.items()},
            "attachments": {name: path.read_bytes() for name, path in p.submission.attachments.items()},
            "submitted": {name: path.read_bytes() for name, path in p.submission.notebooks.items()} if heldout else {}}


def _problems(nb) -> list[str]:
    """In words, for the report: answer cells that raised, and crashes, timeouts or memory limits."""
    from autograder.grading.checker import UNSUPPORTED

    raised, stopped = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.output_type != "error":
                continue
            where = grade_id(cell) or "an added cell"
            if out.ename == UNSUPPORTED:
                stopped.append(f"cell {where} uses a feature the grader cannot run ({out.evalue.split(': ', 1)[-1]}): "
                               "grade it by hand")
            elif out.ename == "SubmissionCrashed":
                stopped.append(f"{where}: {out.evalue}")
            elif cell.metadata.get("nbgrader", {}).get("solution"):
                raised.append(f"{where}: {out.ename}")
    return (["answer cells raised " + ", ".join(raised)] if raised else []) + stopped


def _unsupported(nb) -> list[str]:
    from autograder.grading.checker import UNSUPPORTED

    return [grade_id(c) for c in nb.cells if c.cell_type == "code" and grade_id(c)
            and any(o.output_type == "error" and o.ename == UNSUPPORTED for o in c.get("outputs", []))]


# NumPy's own lines in a failed comparison; the test's own words (err_msg) say more.
_NUMPY_LINES = ("Not equal to tolerance", "Arrays are not equal", "Arrays are not almost equal", "Mismatched elements",
                "Max absolute difference", "Max relative difference", "(shapes", "x:", "y:")


def _failures(nb) -> dict[str, str]:
    """grade_id -> why each failed test cell failed, in the test's own words (one line)."""
    found = {}
    for cell in nb.cells:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"] if cell.cell_type == "code" else []
        if errors and grade_id(cell):
            lines = [line.strip() for line in str(errors[0].evalue or "").splitlines() if line.strip()]
            said = [line for line in lines if not line.startswith(_NUMPY_LINES)] or lines or [""]
            found[grade_id(cell)] = f"{errors[0].ename}: {said[0]}"[:300]
    return found


def _record(a: Assignment, p: _Prepared, graded: dict[str, str], out: Path, extension=None) -> Result:
    """nbgrader's autograde on the worker's outputs: scores and gradebook, in this process."""
    from nbgrader.api import Gradebook

    from autograder.grading.preprocessors import ApplyGradedOutputs

    student = p.submission.student
    result = Result(student, p.submission.files, "graded", max_score=a.max_score, seed=p.seed,
                    submitted_at=p.submission.submitted_at.isoformat() if p.submission.submitted_at else None)
    target = a.root / "submitted" / student / a.name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name, nb in p.notebooks.items():
        nbformat.write(nb, target / f"{name}.ipynb")
        ApplyGradedOutputs.pending[(student, name)] = nbformat.reads(graded[name], as_version=4)
    for name, path in p.submission.attachments.items():  # sizes were capped when they were collected
        shutil.copyfile(path, target / name)
    if p.submission.submitted_at is not None:  # nbgrader reads lateness from this file, which we write
        (target / "timestamp.txt").write_text(p.submission.submitted_at.isoformat())
    notes = list(p.notes)
    with Gradebook(a.api.coursedir.db_url, a.api.coursedir.course_id) as gb:  # an extension moves the due date
        gb.update_or_create_student(student)
        gb.update_or_create_submission(a.name, student, extension=extension if a.due else None)
    try:
        with keeping_ctrl_c():
            done = a.api.autograde(a.name, student)
    finally:
        for name in p.notebooks:
            ApplyGradedOutputs.pending.pop((student, name), None)
    if not done["success"]:
        result.status = "failed"
        result.message = "nbgrader could not autograde: " + _last_error(done.get("log", "") + done.get("error", ""))
        return result
    with Gradebook(a.api.coursedir.db_url, a.api.coursedir.course_id) as gb:
        _scores_from(gb, a.name, result)
    for name in p.notebooks:
        autograded = nbformat.read(a.root / "autograded" / student / a.name / f"{name}.ipynb", as_version=4)
        notes += _problems(autograded)
        result.failures.update(_failures(autograded))
        result.unsupported += _unsupported(autograded)
    if result.pending:
        notes.append(f"needs hand grading: {', '.join(result.pending)}")
    result.message = "; ".join(n for n in notes if n)
    return result


def _scores_from(gb, assignment: str, result: Result) -> None:
    """The result's points as the gradebook has them now (hand grading in formgrader included)."""
    sub = gb.find_submission(assignment, result.student)
    result.score = sub.score
    result.days_late = sub.total_seconds_late / 86400
    result.penalty = sub.late_submission_penalty or 0.0
    result.cells, result.pending = {}, []
    for nb_sub in sub.notebooks:
        for g in nb_sub.grades:
            if g.max_score:
                result.cells[g.name] = g.score
            if g.needs_manual_grade:
                result.pending.append(g.name)


def hand_grades(a: Assignment, cache: Cache) -> list[str]:
    """Take the scores entered by hand (nbgrader's formgrader) into the results still waiting for them."""
    from nbgrader.api import Gradebook, MissingEntry

    updated = []
    with Gradebook(a.api.coursedir.db_url, a.api.coursedir.course_id) as gb:
        for student, result in cache.all().items():
            if not result.pending:
                continue
            try:
                _scores_from(gb, a.name, result)
            except MissingEntry:
                continue
            if not result.pending:
                result.message = "; ".join(m for m in result.message.split("; ") if not m.startswith("needs hand"))
            cache.put(result, cache.key(student))
            updated.append(student)
    return updated


def _feedback_pages(a: Assignment) -> None:
    """What each feedback page names its checks and where they link (grading/feedback.py)."""
    from autograder.grading.feedback import DecorateFeedback
    from autograder.site.colab import book_url
    from dlcourse.schedule import assignments

    title = next((s.title for s in assignments() if s.id == a.name), a.name)
    DecorateFeedback.pages[a.name] = {
        "title": f"作業回饋 (Feedback)：{title}", "titles": {q.grade_id: q.label for q in a.questions},
        "links": {q.grade_id: book_url(q.teaches) for q in a.questions if q.teaches}}


def _feedback(a: Assignment, student: str, out: Path) -> None:
    with keeping_ctrl_c():
        made = a.api.generate_feedback(a.name, student)["success"]
    if not made:
        return
    folder = a.root / "feedback" / student / a.name
    pages = sorted(folder.glob("*.html"))
    if pages:
        (out / "feedback").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pages[0], out / "feedback" / f"{student}.html")


def _missing_feedback(a: Assignment, results: dict[str, Result], out: Path) -> None:
    """The pages of graded students that have none (a run stopped while making them)."""
    for student, r in sorted(results.items()):
        if (r.status == "graded" and not (out / "feedback" / f"{student}.html").exists()
                and (a.root / "autograded" / student / a.name).is_dir()):
            _feedback(a, student, out)


def _last_error(log: str) -> str:
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "error" in line]
    return (errors or lines or ["nbgrader failed without a message"])[-1][:300]


def grade(submissions: Path, *, assignment: str, out: Path, solutions: Path = SOLUTIONS,
          id_pattern: str = DEFAULT_ID_PATTERN, workers: int | None = None, scheduler: str | None = None,
          limits: Limits = DEFAULT, db_url: str | None = None, students: list[str] | None = None,
          roster: Path | None = None, extensions: Path | None = None, heldout: Path | None = None, log=print,
          progress=None, **limit_overrides) -> list[Result]:
    """Grade every submission in `submissions` (a folder, or a zip as a learning platform exports it).

    Writes out/grades.csv and out/feedback/<student>.html, prints progress and a summary, and
    returns the Result of every student this folder has graded (this run's and earlier ones').
    A broken submission is reported, never fatal; a re-run grades only what changed; students:
    grade only these ids. roster: the class list (names, who is missing), extensions: extra days
    per student (both CSV files, kept in out/ for later runs); heldout: an instructor's private
    held-out set (.npz) that grades trained accuracy instead of the public one. limit_overrides (timeout=...,
    memory_mb=...) change `limits`.
    progress(total) -> a bar with update() and write(line) (e.g. tqdm), shown while grading.
    Raises Interrupted (with what finished) on Ctrl-C, after writing grades.csv.
    """
    submissions, out = Path(submissions), Path(out)
    limits = Limits.from_dict({**limits.as_dict(), **limit_overrides})
    check_inputs(submissions, assignment, solutions)
    class_list = read_roster(roster) if roster else None
    extra_days = read_extensions(extensions) if extensions else None
    out.mkdir(parents=True, exist_ok=True)
    if class_list:
        class_list.write(out / "roster.csv")
    if extra_days is not None:
        write_extensions(extra_days, out / "extensions.csv")
    class_list = class_list or saved_roster(out)
    if extra_days is None:
        extra_days = read_extensions(out / "extensions.csv") if (out / "extensions.csv").exists() else {}
    log(f"preparing {assignment} (nbgrader course directory in {out / 'course'})")
    a = prepare(out, assignment, solutions, db_url=db_url)
    private = _private_heldout(heldout, a, out, log)
    folder, skipped = _intake(submissions, out)
    subs, attention = collect(folder, notebooks=tuple(a.releases), declared=a.attachments, pattern=id_pattern,
                              known=class_list.known if class_list else None, skipped=skipped)
    if class_list:
        subs = _on_roster(subs, class_list)
    if students:
        subs = {s: sub for s, sub in subs.items() if s in set(students)}
    if not subs and not attention:
        raise IntakeError(f"no submissions found in {submissions}")
    cache, secret = Cache(out / "results"), course_secret(out)
    settings = {**limits.as_dict(), "heldout": private["sha256"] if private else None}
    results: dict[str, Result] = {}
    todo: dict[str, _Prepared] = {}
    for student, sub in subs.items():
        extension = extra_days.get(student)
        prepared = _rebuild(sub, a, secret, {**settings, "extension_days": extension.total_seconds() / 86400
                                             if extension else 0})
        if isinstance(prepared, Result):
            results[student] = prepared
            continue
        kept = cache.get(student, prepared.key)
        if kept is not None:
            results[student] = kept
        else:
            todo[student] = prepared
    kept = len(subs) - len(todo) - sum(r.status == "invalid" for r in results.values())
    if kept:
        log(f"{kept} submissions unchanged since the last run: kept their grades")
    interrupted = None
    if todo:
        try:
            _run(a, todo, results, cache, out, limits, workers, scheduler, log, progress, extra_days, private)
        except KeyboardInterrupt:
            interrupted = [s for s in todo if s not in results]
            for s in interrupted:  # in grades.csv, never cached: the next run grades them
                results[s] = Result(s, todo[s].submission.files, "interrupted", max_score=a.max_score,
                                    message="grading was stopped before this submission: run the same command again")
    if interrupted is None:
        try:
            _missing_feedback(a, results, out)
        except KeyboardInterrupt:
            interrupted = []
    for r in results.values():
        if r.status == "invalid":
            cache.put(r, "invalid")
    if hand_grades(a, cache):
        results.update({s: r for s, r in cache.all().items() if s in results})
    ordered = class_results(cache, class_list, a.max_score, results)  # earlier runs' students too
    write_csv(ordered, out / "grades.csv", a.questions)
    log(summary([results[s] for s in sorted(results)], attention, total=len(ordered)))
    if interrupted is not None:
        raise Interrupted(ordered, interrupted)
    return ordered


def _private_heldout(path: Path | None, a: Assignment, out: Path, log) -> dict | None:
    """The instructor's held-out set as a package entry (checked, and noted for the leak check), or None."""
    from autograder import heldout

    if path is None:
        return None
    if not a.heldout:
        raise IntakeError(f"{a.name} has no accuracy graded on held-out images: --heldout is not for it")
    entry = heldout.read(path, a.heldout)
    heldout.register(out, path)
    log(f"held-out set: {entry['name']} (sha256 {entry['sha256']}) instead of {a.heldout}'s public held-out part")
    return entry


def _run(a: Assignment, todo: dict[str, _Prepared], results: dict, cache: Cache, out: Path, limits: Limits,
         workers, scheduler, log, progress, extensions: dict, private: dict | None = None) -> None:
    from autograder.grading.engine import Engine
    from autograder.grading.worker import grade_student, prepare as prepare_worker

    log(f"starting the graders ({'the cluster at ' + scheduler if scheduler else 'a local cluster'})")
    with Engine(workers, scheduler, log=out / "workers.log") as engine:
        package = engine.share(a.package(limits, private))
        engine.warm(prepare_worker, package)
        log(f"grading {len(todo)} submissions on {engine.description}")
        jobs = {student: _job(p, bool(a.heldout)) for student, p in todo.items()}
        bar = progress(len(todo)) if progress else None
        say = bar.write if bar else log
        isolation = None
        for n, outcome in enumerate(engine.run(grade_student, package, jobs, meanwhile=lambda: _warm_client(a)), 1):
            p = todo[outcome.key]
            if outcome.value is not None:
                p.notes += outcome.value.get("notes", [])  # flags for the instructor (grading/accuracy.py)
                result = _record(a, p, outcome.value["notebooks"], out, extensions.get(outcome.key))
                result.isolation, result.heldout = outcome.value.get("isolation", ""), outcome.value.get("heldout", "")
            else:
                _stop_on_grader_setup(outcome)
                result = Result(p.submission.student, p.submission.files, "failed", max_score=a.max_score,
                                seed=p.seed, message=outcome.error)
            if outcome.value is not None and outcome.value.get("isolation") != isolation:
                isolation = outcome.value.get("isolation")
                say(f"sandbox: {isolation}")
            results[result.student] = result
            if result.status != "failed":  # a grader-side failure is retried on the next run
                cache.put(result, p.key)
            say(f"[{n}/{len(todo)}] {result.student}: {result.score:g}/{result.max_score:g} {result.status}"
                + (f" ({result.message})" if result.message else ""))
            if bar:
                bar.update(1)
            if result.status == "graded":  # its page after its line; one Ctrl-C stopped is made on the next run
                _feedback(a, result.student, out)
        if bar:
            bar.close()


def _warm_client(a: Assignment) -> None:
    """What this process needs to record results (nbgrader, its API on the course, what the
    feedback pages say), made ready while the workers grade the first submissions."""
    a.open()
    _feedback_pages(a)


def _stop_on_grader_setup(outcome) -> None:
    """A failure every submission would share (set-up cells, no isolation) stops the run: no scores."""
    from autograder.grading.checker import GraderSetupError
    from autograder.sandbox.errors import IsolationUnavailable

    if isinstance(outcome.exception, (GraderSetupError, IsolationUnavailable)):
        raise GraderSetupError(f"{outcome.exception} (no scores were recorded)")
