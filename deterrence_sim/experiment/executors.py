"""Executors: a local process pool, or Dask (a LocalCluster or a running scheduler).

Both are :class:`concurrent.futures.Executor` objects, so the runner treats them alike.

* ``process`` with one worker: the runs execute in the calling process (no start-up cost).
* ``process`` with more: ``ProcessPoolExecutor`` with an explicit ``forkserver`` context where
  the platform has one (Linux, macOS), else ``spawn`` (Windows). The fork server is started at
  once and imports the model (:data:`WORKER_PRELOAD`) while the parent plans; each worker is then
  forked from it with the model already imported (~10 ms instead of ~1 s of imports per worker,
  and no fork of a parent that has threads). ``max_tasks_per_child`` replaces each worker after a
  number of batches, so whatever a model leaks cannot accumulate; with the fork server a
  replacement costs no imports either.
* ``dask``: ``distributed.Client(...).get_executor(pure=False)`` (pure=False: two batches with equal
  arguments are still two tasks). Without an address a ``LocalCluster`` with one single-threaded
  worker process per requested worker is started; with ``scheduler="tcp://host:8786"`` the
  client joins an existing cluster (for example one started by dask-jobqueue on SLURM). Workers must
  see the results folder (a shared file system on a cluster).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from ..errors import UsageError

__all__ = ["EXECUTORS", "make_executor"]

EXECUTORS = ("process", "dask")

#: Batches a local worker process runs before it is replaced (bounds memory growth).
MAX_TASKS_PER_CHILD = 200

#: What every local worker imports: loaded once by the fork server, inherited by each worker.
WORKER_PRELOAD = (
    "deterrence_sim.experiment.worker",
    "deterrence_sim.experiment.inmemory",
    "deterrence_sim.experiment.store",
    "deterrence_sim.run",
)


class InlineExecutor(Executor):
    """Runs each task at submit time in the calling process (for one worker)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as exc:  # delivered through the future, as a pool would
            fut.set_exception(exc)
        return fut


def ignore_interrupt() -> None:
    """Worker processes ignore Ctrl-C (SIGINT reaches the whole process group): the parent stops
    handing out batches and waits for the running ones to commit, instead of every worker dying
    with a traceback mid-batch."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers are born ignoring Ctrl-C.

    The pool starts a worker inside ``submit``; an ignored SIGINT survives the ``exec`` of a
    spawned process and Python then leaves it ignored, so a worker just starting up (importing the
    model, before ``ignore_interrupt`` runs) does not die with a traceback either. The parent
    ignores SIGINT only for the moment of the call."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        if threading.current_thread() is not threading.main_thread():
            return super().submit(fn, *args, **kwargs)
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            return super().submit(fn, *args, **kwargs)
        finally:
            signal.signal(signal.SIGINT, previous)


def worker_context() -> multiprocessing.context.BaseContext:
    """The start method of local workers: a fork server that preloads the model, else spawn.

    The server is started now (ignoring Ctrl-C, which its workers inherit, see
    :class:`_WorkerPool`), so its imports overlap whatever the caller does before the first task.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(WORKER_PRELOAD))  # no effect once the server is running
    on_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if on_main else None
    try:
        forkserver.ensure_running()
    finally:
        if on_main:
            signal.signal(signal.SIGINT, previous)
    return ctx


@contextmanager
def make_executor(
    kind: str = "process",
    workers: int = 1,
    scheduler: str | None = None,
    max_tasks_per_child: int = MAX_TASKS_PER_CHILD,
):
    """Yield ``(executor, info)``; the pool or cluster is shut down on exit."""
    if kind not in EXECUTORS:
        raise UsageError(f"--executor {kind!r}: allowed: {', '.join(EXECUTORS)}")
    if workers < 1:
        raise UsageError(f"--workers {workers}: must be at least 1")
    if scheduler and kind != "dask":
        raise UsageError("--scheduler needs --executor dask")
    if kind == "process" and workers == 1:
        # One worker: run in this process, as batch_run does, rather than pay ~1-3 s to start a
        # worker. Memory stays flat because every run releases its model.
        yield InlineExecutor(), {"kind": "inline", "workers": 1}
        return
    if kind == "process":
        ctx = worker_context()
        pool = _WorkerPool(
            max_workers=workers,
            mp_context=ctx,
            max_tasks_per_child=max_tasks_per_child,
            initializer=ignore_interrupt,
        )
        info: dict[str, Any] = {
            "kind": "process",
            "workers": workers,
            "start_method": ctx.get_start_method(),
            "max_tasks_per_child": max_tasks_per_child,
        }
        try:
            yield pool, info
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--executor dask needs Dask: pip install 'deterrence-sim[dask]'") from None
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"--scheduler {scheduler!r}: cannot connect ({exc})") from None
        n = len(client.scheduler_info().get("workers", {}))
        info = {"kind": "dask", "scheduler": scheduler, "workers": n}
    else:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        client = Client(cluster)
        info = {"kind": "dask", "scheduler": "LocalCluster", "workers": workers}
    try:
        yield client.get_executor(pure=False), info
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def executor_workers(executor: Executor) -> int:
    """How many tasks an executor runs at once (best guess for a user-supplied one)."""
    n = getattr(executor, "_max_workers", None)
    if n:
        return int(n)
    client = getattr(executor, "_client", None)
    if client is not None:
        try:
            info = client.scheduler_info()
            return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        except Exception:  # an unreachable scheduler: let the runner find out
            return 1
    return 1
