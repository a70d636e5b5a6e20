"""The sandbox: where a submission's code runs, isolated and limited, speaking only plain data.

The grader's side: `host` (Sandbox: start, requests, limits), `zygote` (pre-warmed sandboxes,
`new_sandbox`), `namespaces` (how a sandbox is isolated), `budget` (time, CPU, requests and reply
bytes per cell and per submission), `cgroup` (memory limits by the kernel), `processes` (/proc),
`remote` (stand-ins for the submission's objects) and `errors`. `inside/` is the only code that
runs in the sandbox (mounted there read-only). Imports nothing of `autograder.grading` or
`autograder.site`.
"""
