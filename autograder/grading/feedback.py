"""Each student's feedback page, as nbgrader generates it, in the course's own template.

`DecorateFeedback` runs after nbgrader's GetGrades: it drops the Colab set-up cell, names each
check by its question, links each to the book section that teaches it, adds the days late, and
puts the site's own MathJax into the page, so one HTML file works offline and on a phone.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup
from nbgrader.preprocessors import NbGraderPreprocessor

# nbgrader's API insists on a template named "feedback": this folder holds the course's, which
# takes the place of nbgrader's own.
TEMPLATES = Path(__file__).resolve().parent / "templates"
HIDDEN_TAG = "remove-cell"  # the Colab set-up cell's tag (autograder/site/colab.py)


@lru_cache(maxsize=1)
def mathjax() -> Markup:
    """The MathJax the site ships (sphinx-mathjax-offline), SVG output: no fonts to fetch."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline") or importlib.util.find_spec("sphinx_mathjax_offline")
    folder = Path(spec.origin).parent / "static" / "mathjax"
    return Markup(f"<script>{(folder / 'tex-svg.js').read_text(encoding='utf-8')}</script>")


class DecorateFeedback(NbGraderPreprocessor):
    """What the feedback template shows beyond nbgrader's own: see the module docstring."""

    # assignment -> {"title": ..., "titles": {grade_id: question}, "links": {grade_id: url}}; set by the client.
    pages: dict = {}

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        meta = resources["nbgrader"]
        nb.cells = [c for c in nb.cells if HIDDEN_TAG not in c.metadata.get("tags", [])]
        with Gradebook(meta["db_url"]) as gb:
            late = gb.find_submission(meta["assignment"], meta["student"]).total_seconds_late
        page = self.pages.get(meta["assignment"], {})
        resources["dlcourse"] = {"title": page.get("title", meta["assignment"]), "titles": page.get("titles", {}),
                                 "links": page.get("links", {}), "days_late": round(late / 86400, 1),
                                 "mathjax": mathjax()}
        return nb, resources
