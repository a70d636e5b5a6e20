"""Before you upload (繳交前檢查): is this assignment notebook gradable as it is?

The last cell of every assignment calls `check("<assignment>")`. It reads the notebook as saved
(in Colab straight from the editor; elsewhere the .ipynb file: save first), and compares it with
what the release says (dlcourse/handin/<assignment>.json, written by `course release`): every
graded cell still there with its nbgrader metadata, locked cells unchanged, every answer cell
filled in, and every visible test run without an error. It says what to fix, in zh-TW and English.
"""
from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from pathlib import Path

STUB = "raise NotImplementedError()"


def source_hash(source) -> str:
    text = "".join(source) if isinstance(source, list) else str(source)
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def manifest(assignment: str) -> dict:
    """What the release of an assignment holds: graded, answer and locked cells (by grade id)."""
    path = files("dlcourse").joinpath("handin", f"{assignment}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _from_colab() -> dict | None:
    try:
        from google.colab import _message  # only in Colab: the notebook as the editor holds it
    except ImportError:
        return None
    return _message.blocking_request("get_ipynb", request="", timeout_sec=60)["ipynb"]


def _from_disk(assignment: str, path: str | None) -> dict | None:
    candidates = [Path(path)] if path else []
    try:
        from IPython import get_ipython

        ns = get_ipython().user_ns if get_ipython() else {}
        candidates += [Path(ns[k]) for k in ("__session__", "__vsc_ipynb_file__") if ns.get(k)]
    except ImportError:
        pass
    candidates += sorted(Path.cwd().glob(f"*{assignment}*.ipynb"))
    for candidate in candidates:
        if candidate.suffix == ".ipynb" and candidate.is_file():
            return json.loads(candidate.read_text(encoding="utf-8"))
    return None


def problems(nb: dict, expected: dict) -> list[str]:
    """What keeps a notebook from being graded as the student means it, in words (empty: none)."""
    found = []
    cells = {}
    for cell in nb.get("cells", []):
        meta = (cell.get("metadata") or {}).get("nbgrader")
        if isinstance(meta, dict) and meta.get("grade_id"):
            cells[meta["grade_id"]] = cell
    for gid in expected["graded"] + expected["answers"]:
        if gid not in cells:
            found.append(f"儲存格 {gid} 不見了或失去評分資訊 (the cell {gid} is missing or lost its grading "
                         "metadata): 重新開啟作業，把答案貼回去 (reopen the assignment and paste your answers back)")
    for gid, digest in expected["locked"].items():
        if gid in cells and source_hash(cells[gid].get("source", "")) != digest:
            found.append(f"鎖定的儲存格 {gid} 被改過了 (the locked cell {gid} was edited): 評分時會換回原本的內容 "
                         "(grading puts the original back), 請改回來 (undo your change)")
    for gid in expected["answers"]:
        if gid in cells and STUB in "".join(cells[gid].get("source", "")):
            found.append(f"答案儲存格 {gid} 還沒寫 (the answer cell {gid} still raises NotImplementedError)")
    for gid in expected["tests"]:
        cell = cells.get(gid)
        if cell is None:
            continue
        if cell.get("execution_count") is None:
            found.append(f"測試 {gid} 還沒執行 (the test {gid} has not been run): 執行全部儲存格 (run all cells)")
        elif any(out.get("output_type") == "error" for out in cell.get("outputs", [])):
            found.append(f"測試 {gid} 沒有通過 (the visible test {gid} fails): 先修正 (fix it first)")
    return found


def check(assignment: str, path: str | None = None) -> bool:
    """Print whether this notebook is ready to upload, and what to fix if not."""
    nb = _from_colab() or _from_disk(assignment, path)
    if nb is None:
        print("找不到這份筆記本的檔案 (cannot find this notebook's file): 先存檔，再執行 "
              f'check("{assignment}", "你的檔名.ipynb") (save first, then give the file name)')
        return False
    found = problems(nb, manifest(assignment))
    if found:
        print("繳交前請先修正 (fix these before you upload):")
        for line in found:
            print(f"  - {line}")
        return False
    print(f"可以繳交了 (ready to upload)：下載成 .ipynb，檔名前面加上學號，例如 B10901234_{assignment}.ipynb "
          f"(download as .ipynb and put your student id first in the file name, e.g. B10901234_{assignment}.ipynb)")
    return True
