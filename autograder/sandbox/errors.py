"""What can go wrong across the sandbox boundary, as exceptions the grader catches.

`SubmissionCrashed` and its subclasses: the submission's fault (crash, limits, a reply the grader
cannot read), in words a student can read. `RemoteError`: the submission's code raised; a builtin
exception type arrives as a subclass of both RemoteError and that builtin, so a test's
`except ValueError` works as in the student's kernel. `IsolationUnavailable`: the grader's fault.
"""
import builtins


class SubmissionCrashed(RuntimeError):
    """The submission's process died, ran out of time or memory, or broke the channel."""


class LimitExceeded(SubmissionCrashed):
    """A cell or the submission used up its time, CPU, memory, requests or reply bytes."""


class MalformedReply(SubmissionCrashed):
    """The submission's process sent a reply the grader cannot read (only a tampered runner does)."""


class GraderCannotRun(Exception):
    """A test asks for something that cannot cross into the sandbox: said, never a silent zero."""


class CannotSend(GraderCannotRun, TypeError):
    """A test passed a value that is not plain data (a function, an object) to the submission's code."""


class CannotInspect(GraderCannotRun, AttributeError):
    """A test read a special attribute (__name__, __code__, ...) of an object of the submission's."""


class IsolationUnavailable(RuntimeError):
    """No sandbox with the isolation the instructor asked for can start on this machine."""


class RemoteError(Exception):
    """The submission's code raised; ename and evalue describe it."""

    def __init__(self, ename: str, evalue: str):
        super().__init__(evalue)
        self.ename, self.evalue = ename, evalue

    def __str__(self):  # one format for every type (KeyError's own would quote the message)
        return f"{self.ename}: {self.evalue}"


_TYPED: dict[type, type] = {}  # builtin exception type -> its RemoteError subclass


def _typed(base: type) -> type:
    """RemoteError subclass that is also `base`, or of the nearest base that can be one."""
    if base not in _TYPED:
        for candidate in base.__mro__:
            if candidate is Exception:
                _TYPED[base] = RemoteError
                break
            try:  # some builtins cannot be combined (UnicodeDecodeError wants five arguments)
                cls = type(f"Remote{candidate.__name__}", (RemoteError, candidate), {"__module__": __name__})
                cls("x", "y")
            except TypeError:
                continue
            _TYPED[base] = cls
            break
    return _TYPED[base]


def remote_error(ename: str, evalue: str, builtin: str | None = None) -> RemoteError:
    """The grader-side exception for one the submission raised: typed where `builtin` (or ename)
    names a real builtin exception class, a plain RemoteError naming the original otherwise."""
    for name in (ename, builtin):
        base = getattr(builtins, name, None) if isinstance(name, str) and name.isidentifier() else None
        if isinstance(base, type) and issubclass(base, Exception):
            return _typed(base)(ename, evalue)
    return RemoteError(ename, evalue)
