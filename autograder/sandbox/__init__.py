"""The sandbox: where a submission's code runs, isolated and limited, speaking only plain data.

`host` and `zygote` are the grader's side; `inside/` is the only code that runs in the sandbox
(mounted there read-only). Imports nothing of `autograder.grading` or `autograder.site`.
"""
