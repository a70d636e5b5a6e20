"""Code that runs inside the sandbox, as files the sandboxed Python executes (runner.py, wire.py).

Standard library and NumPy only: this folder is all of the grader that the submission's process sees.
"""
