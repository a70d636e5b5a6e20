"""Grading: from a class's submitted notebooks to grades, feedback and a report.

Owns intake (files and ids), rebuilding a submission on the release, running it (the checker, on
the grading engine's workers), nbgrader's gradebook, the results and their CSV. May import
`autograder.sandbox` (to run student code) and `autograder.limits`; never `autograder.site`.
"""
