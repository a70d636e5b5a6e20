"""Check that no solution, hidden test or private held-out set reaches anything students see."""
import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from autograder import REPO, SOLUTIONS, heldout
from autograder.limits import MAX_HELDOUT_MB

BLOCKS = {
    "solution": ("### BEGIN SOLUTION", "### END SOLUTION"),
    "hidden test": ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
}
MARKERS = re.compile(r"BEGIN (SOLUTION|HIDDEN TESTS)|END (SOLUTION|HIDDEN TESTS)")
# What counts as a copied secret (whitespace removed): one line this long, or two consecutive
# lines of a block that are this long together. Shorter single lines are too generic to
# prove a leak (`for t in range(1, steps + 1):` appears in any optimizer code).
LONG_LINE = 40
LINE_PAIR = 30
TEXT_SUFFIXES = {".html", ".htm", ".ipynb", ".py", ".md", ".txt", ".json", ".js", ".yml", ".yaml", ".csv"}
# Imports and environment set-up are shared with the book and the release: not secrets.
_BOILERPLATE = re.compile(r"^\s*(import |from \S+ import |os\.environ)")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Leak:
    path: Path
    kind: str  # "solution", "hidden test", "marker", "held-out set" or "held-out images"
    text: str

    def __str__(self):
        return f"{self.path}: {self.kind}: {self.text}"


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")).get("cells", [])


def cell_source(cell: dict) -> str:
    """A notebook cell's source as one string (notebook JSON stores it as a string or a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def secret_lines(solutions: Path = SOLUTIONS) -> dict[str, str]:
    """Needles for every solution and hidden-test block: squashed text -> kind.

    Needles are long single lines and pairs of consecutive lines (see LONG_LINE, LINE_PAIR).
    Text that the source also shows outside its blocks (e.g. in a visible test) is no secret.
    """
    secrets, shown = {}, []
    for nb in sorted(solutions.rglob("*.ipynb")):
        for cell in _cells(nb):
            kind, previous = None, None
            for line in cell_source(cell).splitlines():
                begins = [k for k, (begin, _) in BLOCKS.items() if begin in line]
                if begins or any(end in line for _, end in BLOCKS.values()):
                    kind, previous = (begins[0] if begins else None), None
                elif kind is None:
                    shown.append(_squash(line))
                elif _squash(line) and not _BOILERPLATE.match(line):
                    line = _squash(line)
                    if len(line) >= LONG_LINE:
                        secrets[line] = kind
                    if previous and len(previous + line) >= LINE_PAIR:
                        secrets[previous + line] = kind
                    previous = line
    public = "".join(shown)
    return {needle: kind for needle, kind in secrets.items() if needle not in public}


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from _strings(item)


def visible_text(path: Path) -> str:
    """What a student can read in a file: notebook cells and outputs, HTML text, or raw text."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".ipynb":
        try:
            return "".join(_strings(json.loads(text)))
        except ValueError:
            return text
    if path.suffix in {".html", ".htm"}:
        text = html.unescape(_TAG.sub("", text))
    return text


def heldout_leaks(files: list[Path], sets: list[dict]) -> list[Leak]:
    """Files that are one of the private held-out sets ({"name", "sha256", "path"}, as `course grade
    --heldout` records them), or that hold any of its images byte for byte (raw, zipped, base64, numbers)."""
    loaded = []
    for s in sets:
        try:
            images, _ = heldout.arrays(Path(s["path"]).read_bytes(), s["name"])
        except (OSError, ValueError):
            images = None  # moved or deleted: its checksum is still looked for
        loaded.append((s, images))
    leaks = []
    for path in files:
        if path.stat().st_size > MAX_HELDOUT_MB * 2**20:
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        for s, images in loaded:
            if digest == s["sha256"]:
                leaks.append(Leak(path, "held-out set", s["name"]))
            elif images is not None and (hits := heldout.found(heldout.blobs_of({path.name: data}), images)):
                leaks.append(Leak(path, "held-out images", f"{len(hits)} images of {s['name']}"))
    return leaks


def find_leaks(targets: list[Path], solutions: Path = SOLUTIONS, heldout_sets: list[dict] | None = None) -> list[Leak]:
    """Solution lines, hidden-test lines and nbgrader markers found in any text file under targets, and
    any file holding a private held-out set (heldout_sets; default: those recorded under grading/)."""
    secrets = secret_lines(solutions)
    every = [p for t in targets for p in ([t] if t.is_file() else sorted(t.rglob("*"))) if p.is_file()]
    files = [p for p in every if p.suffix in TEXT_SUFFIXES]
    sets = heldout.registered(REPO / "grading") if heldout_sets is None else heldout_sets
    leaks = heldout_leaks(every, sets) if sets else []
    for path in files:
        raw = visible_text(path)
        for match in MARKERS.finditer(raw):
            leaks.append(Leak(path, "marker", match.group(0)))
        squashed = _squash(raw)
        leaks += [Leak(path, kind, line) for line, kind in secrets.items() if line in squashed]
    return leaks
