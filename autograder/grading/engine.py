"""The grading engine: submissions graded on Dask workers, a local cluster unless told otherwise.

By default `Engine` starts a local cluster in this process (one worker process per core, one
task at a time each) and keeps it for later runs in the same process; given a scheduler address (`tcp://host:8786`) it uses a cluster started with
Dask's own `dask scheduler` / `dask worker` commands. Work travels as data (worker.py). A worker
that dies costs only a retry of the submission it held (the scheduler's `allowed-failures`);
a submission that kills workers again is reported, and the class goes on.
"""
from __future__ import annotations

import atexit
import itertools
import logging
import multiprocessing.util
import os
from concurrent.futures import CancelledError
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from autograder.limits import default_workers

WORKER_DIED = "the grader's worker died while grading this submission (it was retried once on a fresh worker)"
# One retry on a fresh worker after a worker died holding a task; then the task is reported.
ALLOWED_FAILURES = 1
_QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore"}


class EngineError(RuntimeError):
    pass


def _identity(data):
    return data


# Local clusters this process started, by worker count: a later `course grade` run in the same
# process (a notebook, the tests) finds its workers warm. Closed when the process ends.
_LOCAL: dict[int, tuple] = {}


def _running(kept) -> bool:
    return kept is not None and kept[1].status == "running"


def _close(*things) -> None:
    for thing in things:
        if thing is not None:
            try:
                thing.close(timeout=10)
            except Exception:  # shutting down: a worker that is already gone is no error
                pass


def _close_local_clusters() -> None:
    for cluster, client in list(_LOCAL.values()):
        _close(client, cluster)
    _LOCAL.clear()


# At exit, also in a multiprocessing child, which skips atexit but would wait for these workers forever.
atexit.register(_close_local_clusters)
multiprocessing.util.Finalize(None, _close_local_clusters, exitpriority=100)


@dataclass
class Outcome:
    """What became of one task: its value, or a grader-side failure in words (never a score)."""

    key: str
    value: dict | None = None
    error: str = ""
    exception: BaseException | None = None


class Engine:
    """A Dask client with the workers that grade; use as a context manager."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None, log: Path | None = None):
        self.workers = workers or default_workers()
        self.scheduler = scheduler
        self.log = log or Path(tempfile.gettempdir()) / "dlcourse-workers.log"  # local workers' own output
        self.client = self.cluster = None

    def __enter__(self) -> "Engine":
        import dask
        from distributed import Client, LocalCluster

        dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                         # One task on a worker at a time: a worker's death blames only the one it ran.
                         "distributed.scheduler.worker-saturation": 1.0,
                         "distributed.worker.daemon": False,  # workers start sandboxes of their own
                         "distributed.admin.system-monitor.gil.enabled": False})
        os.environ.update({k: v for k, v in _QUIET.items() if k not in os.environ})
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="15s")
            elif _running(_LOCAL.get(self.workers)):  # a later run in this process: the workers are warm
                self.cluster, self.client = _LOCAL[self.workers]
            else:
                env = {**_QUIET, "DLCOURSE_WORKER_LOG": str(self.log)}
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            dashboard_address=":0", silence_logs=logging.CRITICAL, env=env)
                self.client = Client(self.cluster)
                _LOCAL[self.workers] = (self.cluster, self.client)
        except OSError as err:
            self.close()
            where = self.scheduler or "a local cluster"
            raise EngineError(f"cannot reach the Dask scheduler at {where}: {err} (start it with `dask scheduler`, "
                              "and workers with `dask worker tcp://HOST:8786`)") from None
        for name in ("distributed", "distributed.worker", "distributed.nanny", "distributed.scheduler",
                     "distributed.client", "distributed.core", "distributed.batched"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        return self

    def __exit__(self, *exc):
        if self.scheduler or exc[0] is not None:  # a local cluster stays up for the next run unless this one broke
            self.close()
        self.client = self.cluster = None

    def close(self) -> None:
        _close(self.cluster, self.client)
        if _LOCAL.get(self.workers) == (self.cluster, self.client):
            del _LOCAL[self.workers]
        self.client = self.cluster = None

    @property
    def description(self) -> str:
        n = len(self.client.scheduler_info().get("workers", {}))
        where = f"the cluster at {self.scheduler}" if self.scheduler else "a local cluster"
        return f"{n} worker{'s' if n != 1 else ''} on {where}"

    def share(self, data):
        """Data every task needs (the assignment's package), fetched by each worker once. It is a
        task's result rather than scattered data, so a copy lost with a dead worker is made again."""
        return self.client.submit(_identity, data, key=f"package-{os.urandom(4).hex()}", pure=False)

    def warm(self, fn, *args) -> list:
        """Run fn(*args) once on every worker now (imports, a pre-warmed sandbox), in the background."""
        workers = list(self.client.scheduler_info().get("workers", {}))
        return [self.client.submit(fn, *args, workers=[w], allow_other_workers=False, pure=False,
                                   key=f"warm-{i}-{os.getpid()}-{id(args)}") for i, w in enumerate(workers)]

    def run(self, fn, shared, jobs: dict[str, dict], meanwhile=None, ahead: int | None = None) -> Iterator[Outcome]:
        """Yield an Outcome per job (by its key) as each finishes; cancel the rest if interrupted.

        meanwhile(): this process's own preparation, done once the first jobs are on their way.
        At most `ahead` jobs are out at once (default: two per worker, one running and one queued):
        the workers keep pace with this process, which records each result, instead of racing
        ahead of it for the same cores (a local cluster shares this machine).
        """
        from distributed import as_completed

        waiting = iter(jobs.items())
        futures: dict = {}

        def send(finished: int) -> list:
            """As many more jobs as the workers have room for now (a cluster may grow meanwhile)."""
            workers = len(self.client.scheduler_info().get("workers", {}))
            room = (ahead or 2 * max(1, workers)) - (len(futures) - finished)
            sent = []
            for key, job in itertools.islice(waiting, max(0, room)):
                sent.append(self.client.submit(fn, shared, job, key=f"grade-{key}-{os.urandom(4).hex()}", pure=False))
                futures[sent[-1]] = key
            return sent

        # this client's loop: as_completed would take the default client's, maybe another cluster's
        done = as_completed(send(0), loop=self.client.loop)
        try:
            if meanwhile is not None:
                meanwhile()
            for finished, future in enumerate(done, 1):
                for following in send(finished):
                    done.add(following)
                yield self._outcome(futures[future], future)
        finally:
            pending = [f for f in futures if not f.done()]
            if pending:
                self.client.cancel(pending, force=True)

    @staticmethod
    def _outcome(key: str, future) -> Outcome:
        from distributed.scheduler import KilledWorker

        try:  # waits when a finished task's result was lost with its worker and is being made again
            return Outcome(key, value=future.result())
        except KilledWorker as err:
            return Outcome(key, error=WORKER_DIED, exception=err)
        except CancelledError as err:  # the cluster went away (distributed's FutureCancelledError too)
            return Outcome(key, error=f"grading did not finish: {type(err).__name__}", exception=err)
        except Exception as err:  # the task raised: the grader's failure, reported in words
            return Outcome(key, error=f"{type(err).__name__}: {err}", exception=err)
