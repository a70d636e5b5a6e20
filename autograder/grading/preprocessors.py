"""nbgrader preprocessors that the course adds to autograding."""
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Integer

from autograder.limits import DEFAULT


class SandboxedExecute(NbGraderPreprocessor):
    """Runs in place of nbgrader's Execute: the submission in a sandbox, the tests in the grader.

    Plain nbgrader runs tests in the student's kernel, where the submission can change what they
    see, and scores stderr output as failure; see autograder/checker.py for what this does instead.
    """

    timeout = Float(DEFAULT.timeout, help="Seconds one cell (or one test's calls) may run").tag(config=True)
    memory_mb = Integer(DEFAULT.memory_mb, help="Memory the submission's process may use, in MB").tag(config=True)

    def preprocess(self, nb, resources):
        from pathlib import Path

        from autograder.grading.checker import grade_notebook

        # nbgrader copies the files submitted beside the notebook into this folder.
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".ipynb")
        return grade_notebook(nb, timeout=self.timeout, memory_mb=self.memory_mb, files=files), resources
