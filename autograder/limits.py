"""One source for the grading limits and defaults.

The `course grade` options, the nbgrader configuration, the grading engine and the sandbox all
read them here, so a default changes in one place.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class Limits:
    """What grading one submission may cost: time per cell and in all, memory, processes, files."""

    timeout: float = 120  # seconds of wall-clock time per cell: a test cell's calls into the submission together
    submission_timeout: float = 1800  # seconds of wall-clock time for all of a submission's cells together
    cpu_per_second: float = 2  # CPU seconds per second of the time limits: two cores busy throughout
    memory_mb: int = 4096  # memory of the submission's processes, shared memory and tmpfs files included
    max_procs: int = 256  # processes and threads the submission may run at once
    max_file_mb: int = 256  # size of any one file the submission writes
    max_requests: int = 5000  # grader requests into the submission per cell (calls, attributes, items)
    reply_mb: int = 256  # decoded reply bytes per cell (JSON counted at its cost in the grader's memory)
    submission_reply_mb: int = 1024  # decoded reply bytes for all of a submission's cells together
    max_items: int = 100_000  # items one list(handle) or iter(handle) may bring back
    max_output_chars: int = 20_000  # characters kept of a reply's stdout and of its stderr
    max_message_chars: int = 2_000  # characters kept of an error message, a name or an exception's name
    allow_unisolated: bool = False  # grade in a plain process where namespaces are unavailable (no isolation)

    @property
    def cpu_seconds(self) -> float:
        """CPU time per cell (its processes together)."""
        return self.cpu_per_second * self.timeout

    @property
    def submission_cpu_seconds(self) -> float:
        return self.cpu_per_second * self.submission_timeout

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "Limits":
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise TypeError(f"unknown limits {sorted(unknown)}; known: {sorted(known)}")
        return cls(**values)


DEFAULT = Limits()


def default_workers() -> int:
    """Submissions graded at once on this machine: one per core."""
    return os.cpu_count() or 1

# Intake: what one exported file, and a whole platform export, may be.
MAX_FILE_MB = 64  # a notebook or an attachment
MAX_EXPORT_MB = 4096  # everything a zip unpacks to
MAX_ZIP_ENTRIES = 100_000

# Held-out sets and the models handed in for them (autograder/heldout.py, autograder/grading/accuracy.py).
MAX_HELDOUT_MB = 64  # an instructor's held-out file: it travels to every worker
MAX_UNPACKED_MB = 256  # what a submission's zip attachments unpack to when searched for held-out images
MAX_MODEL_JSON_CHARS = 5_000_000  # a model's to_json()
MAX_MODEL_PARAMS = 5_000_000  # numbers in a rebuilt model (an assignment may ask for fewer)
MAX_LAYER_OUTPUTS = 1_000_000  # numbers one layer outputs per image
PREDICT_SECONDS = 120  # the grader's time to predict a held-out set and its moved copies with one model
# A held-out accuracy this far above the accuracy on moved copies is flagged for the instructor: above every
# honest model measured (benchmarks/accuracy_thresholds.py: at most 0.33 for train_cnn, 0.46 for resnet).
MEMORISATION_GAP = 0.50
