"""Grading: from a class's submitted notebooks to grades, feedback and hand grading.

Owns intake (files, ids, roster), rebuilding a submission on the release, the checker that runs
it (on the grading engine's Dask workers), the grader's own measurement of trained models
(`accuracy`), nbgrader's gradebook and feedback, late work, the results and grades.csv. May import
`autograder.sandbox` (to run student code), `autograder.limits`, `autograder.heldout` (held-out
sets) and `autograder.site.colab` (the book's address, for links); never the CLI.
"""
