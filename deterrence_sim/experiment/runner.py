"""Running an experiment: plan the runs, hand batches to an executor, track status, resume.

The parent process plans lazily (:mod:`.planning`: points and seeds made on demand, the run table
written in chunks), writes the manifest, and then only submits batches and tallies the status
records workers send back (one byte per planned run); workers write the results. A bounded number
of batches is in flight at a time, so the parent's memory does not grow with the number of runs.
Resuming reads which runs have a committed metrics part and runs the rest.

:func:`run_experiment` in steps: check (options, folder, job size) -> start the executor (its
workers import the model while the parent plans) -> plan and write the folder -> run the batches
-> close the session (after the executor has stopped, so batches it let finish are counted).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UsageError
from . import posterior, store
from .designs import point_overrides
from .folder_lock import one_writer
from .limits import check_job_size
from .pilot import dry_run, format_duration
from .planning import Plan, as_spec, plan, run_index
from .seeds import seed_from_provenance
from .session import FolderKind, Session, check_folder, now
from .spec import ExperimentSpec

__all__ = [
    "Plan",
    "SweepSummary",
    "dry_run",
    "format_duration",
    "plan",
    "rerun",
    "run_experiment",
]


@dataclass
class SweepSummary:
    """What one call of :func:`run_experiment` did."""

    out_dir: Path
    planned: int
    skipped: int  # already done before this call (resume)
    ran: int
    ok: int  # ok runs in the folder after this call
    failed: int  # failed runs in the folder after this call
    wall_s: float

    @property
    def missing(self) -> int:
        return self.planned - self.ok - self.failed


# --- provenance -----------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for pkg in (
        "deterrence-sim",
        "mesa",
        "numpy",
        "scipy",
        "pandas",
        "pyarrow",
        "pydantic",
        "SALib",
        "networkx",
        "dask",
        "distributed",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[pkg] = metadata.version(pkg)
    return out


def _git_commit() -> dict[str, Any] | None:
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        if commit.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return {"commit": commit.stdout.strip(), "dirty": bool(dirty.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return None


#: What a sweep folder holds (for the checks of :mod:`.session`). What a sweep writes before its
#: manifest: a folder holding only these (and temporary files) is a sweep killed before it started
#: running, which ``--resume`` may start again.
SWEEP_FOLDER = FolderKind(
    noun="experiment",
    job="sweep",
    sha_key="spec_sha256",
    inputs="the spec (or its base scenario)",
    before_manifest=("spec.toml", "base_scenario.toml", store.RUNS, posterior.FOLDER_COPY),
    read=store.read_manifest,
)


def _check_folder(spec: ExperimentSpec, out_dir: Path, resume: bool) -> dict[str, Any] | None:
    """Before anything is planned: the folder's manifest when resuming, None for a new folder
    (:func:`.session.check_folder`)."""
    return check_folder(SWEEP_FOLDER, out_dir, spec.sha256(spec.base_scenario().to_dict()), resume)


def _check_options(executor: Executor | str | None, workers: int, batch_size: int | None) -> None:
    if batch_size is not None and batch_size < 1:
        raise UsageError(
            f"--batch-size must be at least 1 (omit it for automatic), got {batch_size}"
        )
    if not isinstance(executor, Executor) and workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")


def _prepare_folder(p: Plan, out_dir: Path, manifest: dict[str, Any] | None) -> dict[str, Any]:
    """Write a new experiment folder (manifest last), or tidy an existing one for resuming."""
    if manifest is not None:
        store.clean_orphans(out_dir)
        store.reconcile_status(out_dir)
        # Settings outside the hash (report options, description) follow the spec file.
        manifest["spec"] = p.spec.to_dict()
        manifest["description"] = p.spec.experiment.description
        return manifest
    out_dir.mkdir(parents=True, exist_ok=True)
    src = Path(p.spec.source)
    if src.is_file():
        (out_dir / "spec.toml").write_bytes(src.read_bytes())
    p.base.to_toml(out_dir / "base_scenario.toml")
    tmp = out_dir / ".runs.parquet.tmp"
    p.write_runs_table(tmp)
    os.replace(tmp, out_dir / store.RUNS)
    manifest = _new_manifest(p, out_dir)
    store.write_manifest(out_dir, manifest)
    return manifest


def _new_manifest(p: Plan, out_dir: Path) -> dict[str, Any]:
    return {
        "name": p.spec.name,
        "description": p.spec.experiment.description,
        "spec_source": p.spec.source,
        "spec_sha256": p.sha256,
        "spec": p.spec.to_dict(),
        "root_seed": p.spec.experiment.seed,
        "posterior": posterior.record(p.spec, out_dir),
        "seeds": "numpy.random.SeedSequence(root_seed).spawn(replications); "
        "seed = generate_state(1, uint64)[0] >> 1; the same seeds at every design point",
        "design": {
            "kind": p.design.kind,
            "factors": p.design.factors,
            "points": len(p.design),
            **p.design.info,
        },
        "replications": len(p.seeds),
        "years": p.years,
        "runs": p.n_runs,
        "versions": _versions(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "git": _git_commit(),
        "created": now(),
        "sessions": [],
        "counts": {"planned": p.n_runs, "ok": 0, "failed": 0, "missing": p.n_runs},
        "status": "created",
    }


# --- bookkeeping ----------------------------------------------------------------------------------


class RunTally:
    """What the folder holds of each planned run, one byte per run: 0 not run, 1 ok, 2 failed.

    Read from the committed metrics parts when a session starts, then kept up to date from the
    status records workers return, so neither resuming nor counting holds run ids in memory."""

    NOT_RUN, OK, FAILED = 0, 1, 2

    def __init__(self, p: Plan, out_dir: Path):
        self.replications = len(p.seeds)
        self.state = np.zeros(p.n_runs, dtype=np.int8)
        self.ran = 0  # runs collected in this session
        self.read(out_dir)

    def read(self, out_dir: Path) -> None:
        """Set every run's state from the folder's committed parts (deduplicated by the store)."""
        done = store.completed_runs(out_dir)
        self.state[:] = self.NOT_RUN
        if done.empty:
            return
        idx = run_index(done["run_id"], self.replications)
        ok = done["status"].to_numpy() == "ok"
        keep = (idx >= 0) & (idx < len(self.state))
        self.state[idx[keep]] = np.where(ok[keep], self.OK, self.FAILED)

    def todo(self, retry_failed: bool) -> tuple[int, Iterator[int]]:
        """How many runs to run, and their indices in order (made block by block)."""
        mask = self.state == self.NOT_RUN
        if retry_failed:
            mask |= self.state == self.FAILED
        return int(mask.sum()), _indices(mask)

    def mark(self, statuses: list[dict[str, Any]]) -> None:
        """Record a collected batch's statuses."""
        for s in statuses:
            point, _, rep = s["run_id"][1:].partition("-r")
            self.state[int(point) * self.replications + int(rep)] = (
                self.OK if s["status"] == "ok" else self.FAILED
            )
        self.ran += len(statuses)

    def settle(self, session: Session) -> bool:
        """At the session's close: the folder's counts into the manifest, this call's runs into
        its entry; whether every planned run is done."""
        counts = self.counts()
        if counts["missing"]:  # stopped early: batches committed after the last one collected
            store.reconcile_status(session.out_dir)
            self.read(session.out_dir)
            counts = self.counts()
        session.record["ran"] = self.ran
        assert session.manifest is not None
        session.manifest["counts"] = counts
        return counts["missing"] == 0

    def counts(self) -> dict[str, int]:
        n = np.bincount(self.state, minlength=3)
        return {
            "planned": len(self.state),
            "ok": int(n[self.OK]),
            "failed": int(n[self.FAILED]),
            "missing": int(n[self.NOT_RUN]),
        }


def _indices(mask: np.ndarray, block: int = 1 << 12) -> Iterator[int]:
    for start in range(0, len(mask), block):
        yield from (start + np.flatnonzero(mask[start : start + block])).tolist()


def _summary(out_dir: Path, tally: RunTally, skipped: int, t_start: float) -> SweepSummary:
    counts = tally.counts()
    return SweepSummary(
        out_dir=out_dir,
        planned=counts["planned"],
        skipped=skipped,
        ran=tally.ran,
        ok=counts["ok"],
        failed=counts["failed"],
        wall_s=time.perf_counter() - t_start,
    )


# --- running --------------------------------------------------------------------------------------


def _batch_sizes(n_todo: int, n_workers: int, fixed: int | None) -> Iterator[int]:
    """Batch sizes: ``fixed`` if given, else guided scheduling (each batch a quarter of the
    remaining runs per worker, at most 100), so batches are big while there is much to do --
    little per-batch overhead -- and small at the end, where one big batch would leave the other
    workers idle."""
    remaining = n_todo
    floor = max(1, min(10, n_todo // (20 * n_workers)))
    while remaining > 0:
        size = fixed or max(floor, min(100, math.ceil(remaining / (4 * n_workers))))
        size = min(size, remaining)
        yield size
        remaining -= size


def _batches(
    p: Plan,
    todo: Iterable[int],
    batch_size: int | None,
    out_dir: Path,
    n_workers: int = 1,
    n_todo: int | None = None,
) -> Iterator[dict]:
    """The tasks: batches of consecutive runs to do, each a plain dict (see :mod:`.worker`)."""
    r = len(p.seeds)
    base = p.base.to_dict()
    out = p.spec.output
    overrides = p.point_overrides
    n_todo = len(todo) if n_todo is None else n_todo  # type: ignore[arg-type]
    todo = iter(todo)
    last: tuple[int, dict[str, Any]] = (-1, {})  # runs of a point are consecutive
    drawn = posterior.replication_draws(p.spec, [int(s) for s in p.seeds])
    for size in _batch_sizes(n_todo, n_workers, batch_size):
        chunk = list(islice(todo, size))
        if not chunk:
            return
        runs = []
        for i in chunk:
            point, rep = divmod(i, r)
            if last[0] != point:
                last = (point, overrides[point])
            runs.append(
                {
                    "run_id": p.run_id(point, rep),
                    "point": point,
                    "overrides": last[1],
                    "seed": int(p.seeds[rep]),
                    **drawn[rep],
                }
            )
        yield {
            "out_dir": str(out_dir),
            "token": store.part_token(chunk[0]),
            "spec_sha256": p.sha256,
            "base": base,
            "years": p.years,
            "run_function": p.spec.experiment.run_function,
            "metrics": out.metrics,
            "timeseries": out.timeseries,
            "timeseries_every": out.timeseries_every,
            "timeseries_columns": out.timeseries_columns,
            "runs": runs,
        }


def _open_executor(
    stack: contextlib.ExitStack,
    executor: Executor | str | None,
    workers: int,
    scheduler: str | None,
) -> tuple[Executor, dict[str, Any]]:
    """A given executor as is (not shut down), else a new one closed with ``stack``."""
    from .executors import executor_workers, make_executor

    if isinstance(executor, Executor):
        return executor, {"kind": type(executor).__name__, "workers": executor_workers(executor)}
    return stack.enter_context(
        make_executor(executor or "process", workers=workers, scheduler=scheduler)
    )


@one_writer  # one writer per folder: the lock is held from the first check to the end
def run_experiment(
    spec: ExperimentSpec | str | Path | dict,
    out_dir: str | Path,
    executor: Executor | str | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    retry_failed: bool = False,
    progress: bool = True,
    batch_size: int | None = None,
    max_runs: int | None = None,
    allow_external_run_function: bool = False,
    allow_version_mix: bool = False,
) -> SweepSummary:
    """Run (or resume) an experiment into ``out_dir``; return what was done.

    ``executor``: None or ``"process"`` (a local process pool of ``workers``), ``"dask"``
    (a LocalCluster of ``workers``, or the cluster at ``scheduler``), or any
    ``concurrent.futures.Executor`` (used as is, not shut down). ``resume`` runs only the runs
    without a committed result (refusing if the spec changed); ``retry_failed`` also re-runs the
    failed ones. ``max_runs`` bounds the job (default :func:`limits.default_max_runs`);
    ``allow_external_run_function`` lets a spec given as a path or dict name a run function
    outside ``deterrence_sim``; ``allow_version_mix`` lets a resume continue a folder made by
    another model version (see :func:`store.check_provenance`).

    Every check (spec, options, folder, job size) is made before anything is planned or written.
    """
    t_start = time.perf_counter()
    spec = as_spec(spec, allow_external_run_function)
    _check_options(executor, workers, batch_size)
    out_dir = Path(out_dir)
    existing = _check_folder(spec, out_dir, resume)
    if existing is not None:  # resuming: made by this model version? (store.check_provenance)
        store.check_provenance(existing, out_dir, _versions(), _git_commit(), allow_version_mix)
    check_job_size(spec, max_runs, workers)
    session = Session(out_dir, resume)
    with contextlib.ExitStack() as stack:
        stack.push(session.close)  # last out: after the executor below has stopped
        # Started first: its workers import the model while this process plans.
        pool, info = _open_executor(stack, executor, workers, scheduler)
        p = plan(spec)
        manifest = _prepare_folder(p, out_dir, existing)
        tally = RunTally(p, out_dir)
        n_todo, todo = tally.todo(retry_failed)
        bs = batch_size or p.spec.output.batch_size
        session.open(manifest, tally.settle, todo=n_todo, executor=info, batch_size=bs or "guided")
        n_workers = max(1, int(info.get("workers") or workers))
        tasks = _batches(p, todo, bs, out_dir, n_workers, n_todo)
        _drive(pool, tasks, out_dir, n_todo, n_workers, progress, tally.mark)
    return _summary(out_dir, tally, p.n_runs - n_todo, t_start)


def _progress_bar(total: int, progress: bool):
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    if not (progress and total):
        return None
    return tqdm(total=total, unit="run", dynamic_ncols=True, smoothing=0.1)


def _drive(
    pool: Executor,
    batches: Iterator[dict],
    out_dir: Path,
    total: int,
    n_workers: int,
    progress: bool,
    on_statuses=None,
) -> int:
    """Keep a few batches per worker in flight; append statuses as batches finish."""
    from .worker import run_batch

    bar = _progress_bar(total, progress)
    max_in_flight = 2 * n_workers + 1
    in_flight: set = set()
    ran = 0
    failed = 0
    with open(out_dir / store.STATUS, "a", encoding="utf-8") as log:

        def collect(futures) -> None:
            nonlocal ran, failed
            for fut in futures:
                statuses = fut.result()  # a worker crash (not a run failure) stops the sweep
                stamp = now()
                log.writelines(json.dumps({**s, "time": stamp}) + "\n" for s in statuses)
                log.flush()
                failed += sum(s["status"] != "ok" for s in statuses)
                ran += len(statuses)
                if on_statuses is not None:
                    on_statuses(statuses)
                if bar is not None:
                    bar.update(len(statuses))
                    if failed:
                        bar.set_postfix(failed=failed)

        try:
            for task in batches:
                while len(in_flight) >= max_in_flight:
                    finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                    collect(finished)
                in_flight.add(pool.submit(run_batch, task))
            while in_flight:
                finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                collect(finished)
        finally:
            for fut in in_flight:
                if not fut.cancel() and fut.done() and fut.exception() is None:
                    collect([fut])  # finished while we were stopped: log it now
            if bar is not None:
                bar.close()
    return ran


# --- rerun ----------------------------------------------------------------------------------------


def rerun(
    out_dir: str | Path,
    run_id: str,
    years: int | None = None,
    allow_external_run_function: bool = False,
):
    """Rebuild one run of an experiment folder from its provenance and run it again.

    Returns ``(RunResult, stored_metrics_or_None)``. The folder's run function is
    checked as a spec's is (``allow_external_run_function``): a folder may come from someone else.
    """
    from ..scenario import Scenario
    from .run_function import run_function_problems
    from .spec import SpecError
    from .worker import run_one

    out_dir = Path(out_dir)
    manifest = store.read_manifest(out_dir)
    runs = store.read_parquet(out_dir / store.RUNS)
    row = runs[runs["run_id"] == run_id]
    if row.empty:
        examples = ", ".join(runs["run_id"].head(3))
        raise UsageError(f"{out_dir}: no run {run_id!r} (run ids look like {examples})")
    row = row.iloc[0]
    try:
        spec = ExperimentSpec.model_validate(manifest["spec"])
    except (KeyError, ValueError) as exc:
        raise store.StoreError(
            f"{out_dir / store.MANIFEST}: its spec is damaged or from another version ({exc})"
        ) from None
    source = str(out_dir / store.MANIFEST)
    problems = run_function_problems(
        spec.experiment.run_function, allow_external_run_function, source
    )
    if problems:
        raise SpecError(problems)
    base = Scenario.from_toml(out_dir / "base_scenario.toml")
    overrides = point_overrides(spec, json.loads(row["factors"]))
    seed = seed_from_provenance(int(row["seed_entropy"]), json.loads(row["seed_spawn_key"]))
    if seed != int(row["seed"]):  # pragma: no cover - would mean numpy changed SeedSequence
        raise UsageError(f"seed provenance of {run_id} does not reproduce its seed")
    overrides.update(posterior.folder_draw(out_dir, manifest, seed))
    result = run_one(
        base, overrides, years or int(manifest["years"]), seed, spec.experiment.run_function
    )
    stored = None
    m = store.load(out_dir, include_failed=True)
    m = m[m["run_id"] == run_id]
    if not m.empty and m.iloc[0]["status"] == "ok":
        keep = spec.output.metrics
        names = list(result.metrics) if keep == "all" else keep
        stored = {k: float(m.iloc[0][k]) for k in names if k in m.columns}
    return result, stored
