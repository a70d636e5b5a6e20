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
    memory_mb: int = 4096  # memory of the submission's processes, shared memory and tmpfs files included
    max_procs: int = 256  # processes and threads the submission may run at once
    max_file_mb: int = 256  # size of any one file the submission writes

    @property
    def cpu_seconds(self) -> float:
        """CPU time per cell: two cores busy for the whole wall-clock budget."""
        return 2 * self.timeout

    @property
    def submission_cpu_seconds(self) -> float:
        return 2 * self.submission_timeout

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
