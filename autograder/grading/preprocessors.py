"""What the course plugs into nbgrader's autograding: a preprocessor and the late-penalty plugin.

Only nbgrader's side imports this module (autograder/grading/course.py names both in its config).
"""
from nbgrader.plugins import LateSubmissionPlugin
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


class PercentPerDay(LateSubmissionPlugin):
    """nbgrader late-submission plugin: the schedule's percentage per started day (late.py), capped."""

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        from dlcourse.schedule import load_term

        return score * load_term().penalty_percent(total_seconds_late) / 100
