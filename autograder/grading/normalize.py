"""Rebuild a submission on the release notebook, taking only what the student may change.

The release supplies every instruction, set-up and test cell and all nbgrader metadata (and the
source notebook the hidden tests); the submission supplies its answer cells (code or markdown)
and the cells the student added, each kept where the student put it. So edited, deleted or
duplicated test cells, changed grade ids or points, and metadata that Colab or another editor
dropped cannot change grading.

A submission's cell is identified with a release cell by, in turn: its nbgrader grade id, its
cell id, its content (a locked cell left as released), the function or class it defines (an
answer cell). Cells still unidentified take, in order, an answer slot left empty right after the
release cell they follow (notebooks without ids or metadata); the rest are cells the student added.
"""
from __future__ import annotations

import copy
import re

from nbformat.v4 import new_code_cell, new_markdown_cell

_DEF = re.compile(r"^(?:def|class)\s+(\w+)", re.M)


def nbgrader_meta(cell) -> dict:
    """A cell's nbgrader metadata, or {} when it is missing or not a dict (as edited files may have)."""
    meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
    value = meta.get("nbgrader")
    return value if isinstance(value, dict) else {}


GIVEN = "given"  # metadata.dlcourse flag: a release code cell without nbgrader metadata (instructor code)


def is_given(cell) -> bool:
    meta = cell.get("metadata", {}).get("dlcourse")
    return isinstance(meta, dict) and meta.get(GIVEN) is True


def mark_given(release):
    """The release with its unlocked, ungraded code cells flagged as instructor code (a copy)."""
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        if cell.cell_type == "code" and not nbgrader_meta(cell):
            cell.metadata.setdefault("dlcourse", {})[GIVEN] = True
    return nb


def is_answer(cell) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def grade_id(cell) -> str | None:
    gid = nbgrader_meta(cell).get("grade_id")
    return gid if isinstance(gid, str) else None


def _defines(source: str) -> set[str]:
    return set(_DEF.findall(source))


def _squash(source: str) -> str:
    return re.sub(r"\s+", "", source)


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def answer_ids(release) -> list[str]:
    return [grade_id(c) for c in release.cells if is_answer(c) and grade_id(c)]


class _Release:
    """Look-ups from a submission's cells to the release's cells (by index)."""

    def __init__(self, release):
        self.cells = release.cells
        self.by_gid = {grade_id(c): i for i, c in enumerate(self.cells) if grade_id(c)}
        self.by_cell_id = {c.get("id"): i for i, c in enumerate(self.cells) if c.get("id")}
        fixed: dict[str, list[int]] = {}
        for i, c in enumerate(self.cells):
            if _source(c).strip():
                fixed.setdefault(_squash(_source(c)), []).append(i)
        self.by_content = {text: found[0] for text, found in fixed.items() if len(found) == 1}
        self.by_name = {name: i for i, c in enumerate(self.cells) if is_answer(c) and c.cell_type == "code"
                        for name in _defines(_source(c))}

    def identify(self, cell) -> int | None:
        gid = grade_id(cell)
        if gid in self.by_gid and self.cells[self.by_gid[gid]].cell_type == cell.get("cell_type"):
            return self.by_gid[gid]
        cid = cell.get("id")
        if cid and cid in self.by_cell_id and self.cells[self.by_cell_id[cid]].cell_type == cell.get("cell_type"):
            return self.by_cell_id[cid]
        found = self.by_content.get(_squash(_source(cell)))
        if found is not None and self.cells[found].cell_type == cell.get("cell_type"):
            return found
        if cell.get("cell_type") == "code":
            named = [self.by_name[n] for n in _defines(_source(cell)) if n in self.by_name]
            return named[0] if named else None
        return None


def rebuild(submission, release, assignment: str, source=None):
    """(notebook to grade, notes for the instructor); ValueError when it is not this assignment.

    source: the nbgrader source notebook; its locked cells (tests with their hidden part, set-up)
    replace the release's, as nbgrader's OverwriteCells does.
    """
    rel = _Release(release)
    cells = [c for c in submission.cells if c.get("cell_type") in ("code", "markdown")]
    placed: list[int | None] = [rel.identify(c) for c in cells]
    taken: dict[int, str] = {}
    duplicates = restored = 0
    for cell, at in zip(cells, placed):
        if at is None or not is_answer(rel.cells[at]):
            continue
        if at in taken:
            duplicates += 1
            continue
        taken[at] = _source(cell)
        restored += grade_id(cell) is None
    # Second pass: an unidentified cell right after a release cell whose answer slot is still empty.
    extras: dict[int, list] = {}
    last = None  # the release cell the submission's cells follow
    for k, (cell, at) in enumerate(zip(cells, placed)):
        if at is not None:
            last = at
            continue
        slot = (last + 1) if last is not None else None
        if (slot is not None and slot < len(rel.cells) and is_answer(rel.cells[slot]) and slot not in taken
                and rel.cells[slot].cell_type == cell.get("cell_type")):
            taken[slot] = _source(cell)
            restored += 1
            last = slot
        elif _source(cell).strip():
            extras.setdefault(last, []).append(cell)
    if not any(is_answer(rel.cells[i]) for i in taken):
        raise ValueError(f"this notebook is not the {assignment!r} assignment: none of its answer cells "
                         f"({', '.join(answer_ids(release))}) were found")
    notes = []
    if restored:
        notes.append(f"nbgrader metadata missing on {restored} answer cell(s): matched by content and position")
    if duplicates:
        notes.append(f"{duplicates} duplicated answer cell(s) ignored (the first copy is graded)")

    nb = mark_given(release)  # only the release's own cells carry the flag: added cells are made fresh
    locked = {grade_id(c): c for c in (source.cells if source is not None else []) if grade_id(c)
              and not is_answer(c)}
    out = [_added(c) for c in extras.pop(None, [])]
    for i, cell in enumerate(nb.cells):
        if i in taken:
            cell.source = taken[i]
        elif grade_id(cell) in locked:
            cell.source = _source(locked[grade_id(cell)])
        out.append(cell)
        out += [_added(c) for c in extras.get(i, [])]
    nb.cells = out
    return nb, notes


def _added(cell):
    """A cell the student added, as a fresh cell with no metadata of its own."""
    make = new_code_cell if cell.get("cell_type") == "code" else new_markdown_cell
    return make(_source(cell))


def best_release(nb, releases: dict) -> str | None:
    """The release notebook (by name) a submitted notebook answers: the most answer cells found."""
    found = {}
    for name, release in releases.items():
        rel = _Release(release)
        hits = {rel.identify(c) for c in nb.cells if c.get("cell_type") in ("code", "markdown")}
        found[name] = sum(1 for i in hits if i is not None and is_answer(rel.cells[i]))
    best = max(found, key=found.get, default=None)
    return best if best is not None and found[best] > 0 else None
