"""Code that runs inside the sandbox, as files the sandboxed Python executes: runner.py (answers the
grader's requests), shell.py (the IPython shell cells run in), wire.py (plain data), confine.py
(limits, user, IPC namespace, file descriptors) and zygote.py (a fresh fork per submission).

Standard library, NumPy and IPython only: this folder is all of the grader that the submission's
process sees.
"""
