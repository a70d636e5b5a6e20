"""`course`: one command for the course's tasks. Each subcommand hands its arguments on."""
import argparse
import sys
from pathlib import Path


def _build(args):
    from autograder.site.book import build_book

    html = build_book(args.output)
    print(f"book built: {html / 'index.html'}")


def _release(args):
    from autograder.release import release, release_week

    if args.week is None:
        for path in release(args.assignments or None):
            print(f"released {path}")
        return 0
    opened, held = release_week(args.week)
    print(f"released (open by week {args.week}): {', '.join(opened)}" if opened
          else f"no assignment opens by week {args.week}: nothing released")
    if held:
        print(f"held back (not yet open): {', '.join(held)}; exercises/ and the book list only what is released")
    return 0


def _progress(total):
    from tqdm import tqdm

    return tqdm(total=total, unit="submission", file=sys.stderr, dynamic_ncols=True, disable=None)


def _grade(args):
    print(f"course grade: {args.assignment}, submissions from {args.submissions}", flush=True)
    from autograder.grading.pipeline import Interrupted, grade

    out = args.out or Path("grading") / args.assignment
    try:
        results = grade(args.submissions, assignment=args.assignment, out=out, id_pattern=args.id_pattern,
                        workers=args.workers, scheduler=args.scheduler, timeout=args.timeout,
                        submission_timeout=args.submission_timeout, allow_unisolated=args.allow_unisolated,
                        memory_mb=args.memory_mb, db_url=args.db_url, students=args.student or None,
                        roster=args.roster, extensions=args.extensions, heldout=args.heldout,
                        log=lambda line: print(line, flush=True), progress=_progress)
    except Interrupted as stop:
        print(f"stopped: {len(stop.remaining)} submissions not graded (run the same command to resume); "
              f"grades so far: {out / 'grades.csv'}", file=sys.stderr)
        return 130
    print(f"grades: {out / 'grades.csv'}; feedback: {out / 'feedback'}")
    if args.export:
        from autograder.grading.results import write_export

        path = out / f"grades_{args.export}.csv"
        write_export(results, path, args.export, args.assignment)
        print(f"{args.export} import file: {path}")
    return 0 if results else 1


def _check_leaks(args):
    from autograder.site.leaks import find_leaks

    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)} does not exist (build the book first with `make book`, "
                                "or give the folders to check)")
    from autograder.heldout import describe

    leaks = find_leaks(args.paths, heldout_sets=[describe(p) for p in args.heldout] if args.heldout else None)
    for leak in leaks:
        print(leak)
    print(f"{len(leaks)} leaks in {', '.join(map(str, args.paths))}")
    return 1 if leaks else 0


def _check_links(args):
    from autograder.site.linkcheck import check_links

    report = check_links(args.site, site_url=args.site_url)
    for link in report.broken:
        print(link)
    if args.list_external:
        for url in sorted(report.external):
            print(f"external (not fetched): {url}")
    print(f"{report.pages} pages, {report.internal_checked} internal links checked, "
          f"{len(report.broken)} broken, {len(report.external)} external links (not fetched)")
    return 1 if report.broken else 0


def _publish(args):
    from autograder.site.publish import student_tree

    target = student_tree(args.target)
    print(f"student-facing tree written to {target} (no solutions, no grader; leak-checked)")


def _report(args):
    from autograder.report.page import report

    path = report(args.folder, term=args.all, pass_mark=args.pass_mark, output=args.output)
    print(f"{'term' if args.all else 'class'} report: {path}")


def _similarity(args):
    from autograder.report.similarity import check

    pairs, path = check(args.folder, threshold=args.threshold, output=args.output)
    for pair in pairs:
        print(pair.line())
    print(f"{len(pairs)} pairs with {args.threshold:.0%} or more of their code in common; side by side: {path} "
          "(evidence for a human to weigh, never a penalty)")


def parser() -> argparse.ArgumentParser:
    from autograder.limits import DEFAULT
    from autograder.report import SIMILARITY_THRESHOLD
    from autograder.grading.intake import DEFAULT_ID_PATTERN

    p = argparse.ArgumentParser(prog="course", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the HTML book into OUTPUT/_build/html and check it for leaks")
    b.add_argument("--output", type=Path, default=Path("."), help="folder that gets _build/ (default: .)")
    b.set_defaults(run=_build)

    r = sub.add_parser("release", help="generate exercises/ from solutions/ (all assignments by default)")
    r.add_argument("assignments", nargs="*", help="assignment names, e.g. convolution")
    r.add_argument("--week", type=int, help="release exactly the assignments dlcourse/schedule.yml opens by this "
                   "week (the others are removed from exercises/ until they open)")
    r.set_defaults(run=_release)

    g = sub.add_parser("grade", help="autograde a folder of submitted notebooks")
    g.add_argument("submissions", type=Path,
                   help="folder of .ipynb files or a platform's .zip export, the student id in each file name")
    g.add_argument("--assignment", required=True, help="assignment name, e.g. convolution")
    g.add_argument("--out", type=Path, help="output folder (default: grading/ASSIGNMENT)")
    g.add_argument("--id-pattern", default=DEFAULT_ID_PATTERN,
                   help=f"regular expression for the student id in a file name (default: {DEFAULT_ID_PATTERN})")
    g.add_argument("--workers", type=int, help="submissions graded at once on a local cluster (default: one per core)")
    g.add_argument("--scheduler", help="grade on a Dask cluster instead, e.g. tcp://HOST:8786 (see the README)")
    g.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeat for several)")
    g.add_argument("--roster", type=Path, help="class list CSV (student id, name; a platform's participant export "
                   "works as it is): adds names, lists who did not submit")
    g.add_argument("--extensions", type=Path, help="CSV with student_id,days: extra days past the due date")
    g.add_argument("--heldout", type=Path, metavar="FILE.npz", help="grade trained accuracy on your own held-out "
                   "set (arrays images and labels; see the README) instead of the public one students have")
    g.add_argument("--export", choices=["moodle", "canvas"], help="also write the final scores for the platform "
                   "(moodle: Moodle's grade import; canvas: NTU COOL and other Canvas gradebooks)")
    g.add_argument("--timeout", type=float, default=DEFAULT.timeout,
                   help=f"seconds a cell of a submission may run (default: {DEFAULT.timeout:g})")
    g.add_argument("--submission-timeout", type=float, default=DEFAULT.submission_timeout,
                   help=f"seconds all of a submission's cells may run together (default: {DEFAULT.submission_timeout:g})")
    g.add_argument("--allow-unisolated", action="store_true",
                   help="where Linux namespaces are unavailable, grade in a plain process anyway (no isolation: "
                   "submissions can read what this user can, held-out data included)")
    g.add_argument("--memory-mb", type=int, default=DEFAULT.memory_mb,
                   help=f"memory per submission in MB (default: {DEFAULT.memory_mb})")
    g.add_argument("--db-url", help="gradebook shared by several graders, e.g. "
                   "postgresql+psycopg://user@host/gradebook (default: SQLite in the output folder)")
    g.set_defaults(run=_grade)

    c = sub.add_parser("check-leaks", help="fail if solutions or hidden tests appear in student-facing files")
    c.add_argument("paths", nargs="*", type=Path, default=[Path("_build/html"), Path("exercises")])
    c.add_argument("--heldout", type=Path, action="append", metavar="FILE.npz", help="also look for this private "
                   "held-out set (default: the sets `course grade --heldout` recorded under grading/)")
    c.set_defaults(run=_check_leaks)

    k = sub.add_parser("check-links", help="check the built site's internal links and anchors (offline)")
    k.add_argument("site", nargs="?", type=Path, default=Path("_build/html"))
    k.add_argument("--site-url", help="address the site is published at; links to it count as internal")
    k.add_argument("--list-external", action="store_true", help="list the external links (never fetched)")
    k.set_defaults(run=_check_links)

    e = sub.add_parser("report", help="write the class report of a graded assignment (or --all: the term report)")
    e.add_argument("folder", type=Path, help="a grading folder, e.g. grading/convolution (with --all: grading/)")
    e.add_argument("--all", action="store_true", help="every graded assignment in FOLDER: each student across the term")
    e.add_argument("--pass-mark", type=float, help="points that pass, marked on the score distribution")
    e.add_argument("--output", type=Path, help="the HTML file (default: FOLDER/report.html, with --all "
                   "FOLDER/term_report.html)")
    e.set_defaults(run=_report)

    m = sub.add_parser("similarity", help="compare the students' answer cells pairwise (evidence, never a penalty)")
    m.add_argument("folder", type=Path, help="a grading folder, e.g. grading/convolution")
    m.add_argument("--threshold", type=float, default=SIMILARITY_THRESHOLD,
                   help="list pairs where one has this share of their code in common "
                   f"(default: {SIMILARITY_THRESHOLD})")
    m.add_argument("--output", type=Path, help="the HTML file (default: FOLDER/similarity.html)")
    m.set_defaults(run=_similarity)

    u = sub.add_parser("publish", help="write the student-facing tree for the public repository")
    u.add_argument("target", type=Path, help="a new or empty folder")
    u.set_defaults(run=_publish)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except Exception as err:  # turn failures into a message and an exit code, not a traceback
        print(f"course {args.command}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
