"""Rebuild a submission on the release notebook, taking only what the student may change.

The release supplies every instruction, set-up and test cell and all nbgrader metadata; the
submission supplies the source of its answer cells and any code cells the student added. So
edited, deleted or duplicated test cells, changed grade ids or points, and metadata that Colab
or another editor dropped cannot change grading. Answer cells are matched by nbgrader grade id,
then by cell id, then by the function the release's answer cell defines.
"""
import copy
import re

from nbformat.v4 import new_code_cell

_DEF = re.compile(r"^(?:def|class)\s+(\w+)", re.M)


def _defines(source: str) -> set[str]:
    return set(_DEF.findall(source))


def _squash(source: str) -> str:
    return re.sub(r"\s+", "", source)


def rebuild(submission, release, assignment: str):
    """(notebook to grade, notes for the instructor); ValueError when it is not this assignment."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c for c in release.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    by_cell_id = {c.get("id"): gid for gid, c in answers.items()}
    by_name = {name: gid for gid, c in answers.items() for name in _defines(c.source)}
    fixed = {_squash(c.source) for c in release.cells if c.cell_type == "code"
             and not c.metadata.get("nbgrader", {}).get("solution")}

    taken, extras, notes = {}, {}, []
    last = None  # the answer cell an added cell follows
    restored = duplicates = 0
    for cell in (c for c in submission.cells if c.cell_type == "code"):
        gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
        target = gid if gid in answers else by_cell_id.get(cell.get("id"))
        if target is None:
            named = [by_name[n] for n in _defines(cell.source) if n in by_name]
            target = named[0] if named else None
            restored += target is not None and target not in taken
        if target is not None and target in taken:
            duplicates += 1
            continue
        if target is not None:
            taken[target] = cell.source
            last = target
        elif gid is None and _squash(cell.source) not in fixed and cell.source.strip():
            extras.setdefault(last, []).append(cell.source)
    if not taken:
        raise ValueError(f"this notebook is not the {assignment!r} assignment: none of its answer cells "
                         f"({', '.join(answers)}) were found")
    if restored:
        notes.append(f"nbgrader metadata missing on {restored} answer cell(s): matched by content")
    if duplicates:
        notes.append(f"{duplicates} duplicated answer cell(s) ignored (the first copy is graded)")

    nb = copy.deepcopy(release)
    cells = []
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = taken.get(gid, cell.source)
            cells += [new_code_cell(src) for src in extras.pop(None, [])]  # added before any answer
        cells.append(cell)
        cells += [new_code_cell(src) for src in extras.pop(gid, [])] if gid in answers else []
    nb.cells = cells
    return nb, notes
