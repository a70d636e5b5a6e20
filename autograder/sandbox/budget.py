"""What one submission may spend in the sandbox, per cell and in all: wall-clock and CPU time of
the grader's requests, the number of requests, and the bytes of their replies.

One Budget per submission outlives its sandboxes: a sandbox restarted after a crash gets the same
object, so the totals carry over. The checker calls `begin_cell` before each code cell.
"""
from dataclasses import dataclass

from autograder.limits import DEFAULT, Limits
from autograder.sandbox.errors import LimitExceeded


@dataclass
class Spent:
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    requests: int = 0
    reply_bytes: int = 0


class Budget:
    """Allowances of one submission; `Sandbox.request` asks it what is left and charges it."""

    def __init__(self, limits: Limits = DEFAULT):
        self.limits = limits
        self.cell, self.total = Spent(), Spent()
        self.label = ""

    def begin_cell(self, label: str = "") -> None:
        """Start a new cell's allowance (answer, set-up and test cells alike)."""
        self.cell, self.label = Spent(), label

    def seconds_left(self) -> tuple[float, str]:
        """(wall-clock seconds left, what runs out then)."""
        return min((self.limits.timeout - self.cell.seconds, self._words("time", self.limits.timeout, "s", "cell")),
                   (self.limits.submission_timeout - self.total.seconds,
                    self._words("time", self.limits.submission_timeout, "s", "submission")))

    def cpu_left(self) -> tuple[float, str]:
        return min((self.limits.cpu_seconds - self.cell.cpu_seconds,
                    self._words("CPU time", self.limits.cpu_seconds, "s", "cell")),
                   (self.limits.submission_cpu_seconds - self.total.cpu_seconds,
                    self._words("CPU time", self.limits.submission_cpu_seconds, "s", "submission")))

    def reply_bytes_left(self) -> tuple[int, str]:
        return min((self.limits.reply_mb * 2**20 - self.cell.reply_bytes,
                    self._words("reply size", self.limits.reply_mb, "MB", "cell")),
                   (self.limits.submission_reply_mb * 2**20 - self.total.reply_bytes,
                    self._words("reply size", self.limits.submission_reply_mb, "MB", "submission")))

    def check(self) -> None:
        """LimitExceeded if this cell or the submission cannot afford one more request."""
        if self.cell.requests >= self.limits.max_requests:
            raise LimitExceeded(f"request limit for this cell ({self.limits.max_requests} calls into the "
                                "submission's code)")
        for left, words in (self.seconds_left(), self.cpu_left(), self.reply_bytes_left()):
            if left <= 0:
                raise LimitExceeded(words)

    def charge(self, seconds: float = 0.0, cpu_seconds: float = 0.0, reply_bytes: int = 0) -> None:
        for spent in (self.cell, self.total):
            spent.seconds += seconds
            spent.cpu_seconds += cpu_seconds
            spent.reply_bytes += reply_bytes

    def count_request(self) -> None:
        self.cell.requests += 1
        self.total.requests += 1

    @staticmethod
    def _words(what: str, amount: float, unit: str, scope: str) -> str:
        words = f"{what} limit for this {scope} ({amount:g} {unit})"
        return f"timeout: {words}" if what == "time" else words
