"""nbgrader preprocessors that the course adds to autograding."""
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade


class StderrIsNotFailure(NbGraderPreprocessor):
    """Relabel stderr output of graded cells as stdout, so that it is shown but not scored.

    Plain nbgrader scores a test cell 0 when it wrote anything to stderr, and TensorFlow
    writes log lines there on import: correct work would lose points. Errors still fail.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code" and is_grade(cell):
            for output in cell.outputs:
                if output.output_type == "stream" and output.name == "stderr":
                    output.name = "stdout"
        return cell, resources
