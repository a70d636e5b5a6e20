"""Stand-ins, in the grader, for objects that live in the submission's process."""
import numpy as np

from autograder.sandbox.errors import CannotInspect


class RemoteObject:
    """Calling it or reading its attributes asks the submission; what comes back is plain data or
    another RemoteObject. It has no truth value and equals nothing, so it can never pass a check.

    Iterating it or making an array of it asks once for everything (capped), never item by item
    until an IndexError that a submission need not raise.
    """

    def __init__(self, sandbox, key: int):
        self._sandbox, self._key = sandbox, key

    def __call__(self, *args, **kwargs):
        return self._sandbox.value("call", handle=self._key, args=list(args), kwargs=kwargs)

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise CannotInspect(f"it reads {attr} of an object of the submission's, which stays in the sandbox")
        return self._sandbox.value("getattr", handle=self._key, attr=attr)

    def __getitem__(self, key):
        return self._sandbox.value("getitem", handle=self._key, key=key)

    def __len__(self):
        return self._sandbox.value("len", handle=self._key)

    def __iter__(self):
        return iter(self._sandbox.items(self._key))

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._sandbox.array(self._key), dtype=dtype)

    def __bool__(self):
        raise TypeError("the submission returned an object where plain data was expected")

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__

    def __repr__(self):
        return "<object from the submission>"
