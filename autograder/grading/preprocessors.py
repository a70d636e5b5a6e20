"""nbgrader preprocessors that the course adds to autograding."""
from nbgrader.preprocessors import NbGraderPreprocessor


class ApplyGradedOutputs(NbGraderPreprocessor):
    """Runs in place of nbgrader's Execute: each cell gets the outputs a grading worker computed.

    Plain nbgrader runs the tests in the student's kernel, where the submission can change what
    they see, and scores stderr output as failure. Here a worker ran the notebook (the submission
    in a sandbox, the tests in the grader: see checker.py) and the client hands its outputs to
    nbgrader, whose own SaveAutoGrades then scores them, so the points are nbgrader's.
    """

    # (student, notebook name) -> the graded notebook; filled by the client just before autograde.
    pending: dict = {}

    def preprocess(self, nb, resources):
        from autograder.grading.normalize import grade_id

        key = (resources["nbgrader"]["student"], resources["nbgrader"]["notebook"])
        graded = self.pending.pop(key, None)
        if graded is None:
            raise RuntimeError(f"no graded outputs for {key}: the worker's results were not handed over")
        if [(c.cell_type, grade_id(c)) for c in graded.cells] != [(c.cell_type, grade_id(c)) for c in nb.cells]:
            raise RuntimeError(f"the graded notebook for {key} does not match the one nbgrader autogrades")
        for cell, done in zip(nb.cells, graded.cells):
            if cell.cell_type == "code":
                cell.outputs = done.outputs
                cell.source = done.source  # test cells: the hidden part replaced by a note
        return nb, resources
