"""Runs whose results stay in memory: the runner's executors without a results folder.

A sweep writes every run to a Parquet store; a small paired experiment (the validation's arms, a
calibration grid) needs the results back in the calling process instead, in order, and keeps
nothing on disk. :func:`map_runs` sends batches of jobs to the same executors a sweep uses (an
inline one for one worker, a spawn process pool, or Dask) and returns ``fn(job)`` for every job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["map_runs"]

#: Below this many jobs a process pool costs more to start than it saves.
MIN_JOBS_FOR_POOL = 200


def apply_batch(fn: Callable[[Any], Any], jobs: list[Any]) -> list[Any]:
    """Worker side: ``fn`` over one batch of jobs (importable, so spawn and Dask can call it)."""
    return [fn(job) for job in jobs]


def map_runs(
    fn: Callable[[Any], Any],
    jobs: Sequence[Any],
    executor: str = "process",
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = False,
    desc: str = "runs",
    min_jobs_for_pool: int = MIN_JOBS_FOR_POOL,
) -> list[Any]:
    """``[fn(job) for job in jobs]`` on the runner's executor, in job order.

    ``fn`` must be a module-level function (workers import it by name) and each job picklable.
    Batches are about 1/20 of the jobs per worker, so the pool stays busy to the end. Fewer than
    ``min_jobs_for_pool`` jobs run in this process (lower it for jobs that take seconds each).
    """
    from tqdm import tqdm

    from .executors import make_executor

    jobs = list(jobs)
    if len(jobs) <= min_jobs_for_pool and executor == "process":
        workers = 1
    size = max(1, len(jobs) // (max(workers, 1) * 20))
    batches = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    bar = tqdm(total=len(jobs), desc=desc, unit="run", mininterval=0.5, disable=not progress)
    out: list[Any] = []
    try:
        with make_executor(executor, workers=workers, scheduler=scheduler) as (pool, _info):
            futures = [pool.submit(apply_batch, fn, batch) for batch in batches]
            for fut in futures:
                results = fut.result()
                out.extend(results)
                bar.update(len(results))
    finally:
        bar.close()
    return out
