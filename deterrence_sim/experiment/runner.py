"""Running an experiment: plan the runs, hand batches to an executor, track status, resume.

The parent process plans (design x replications), writes the run table and manifest, and then only
submits batches and appends the status records workers send back; workers write the results. A
bounded number of batches is in flight at a time, so the parent's memory does not grow with the
number of runs. Resuming reads which runs have a committed metrics part and runs the rest.
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
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import UsageError
from ..output_paths import writable_folder
from . import posterior, store
from .designs import Design, build_design
from .seeds import replication_seeds, seed_from_provenance
from .spec import ExperimentSpec, load_spec, spec_from_dict

__all__ = ["Plan", "SweepSummary", "dry_run", "plan", "rerun", "run_experiment"]


@dataclass
class Plan:
    """Everything planned for a spec: the design, seeds and the run table."""

    spec: ExperimentSpec
    base: Any  # Scenario after [fixed]
    years: int
    sha256: str
    design: Design
    seeds: list[tuple[int, tuple[int, ...]]]
    point_overrides: list[dict[str, Any]]

    @property
    def n_runs(self) -> int:
        return len(self.design) * len(self.seeds)

    def run_id(self, point: int, rep: int) -> str:
        return f"p{point:06d}-r{rep:04d}"

    def iter_runs(self) -> Iterator[tuple[int, int, int]]:
        """(run_index, point, replication), point-major (all replications of point 0 first)."""
        r = len(self.seeds)
        for i in range(self.n_runs):
            yield i, i // r, i % r

    def runs_table(self) -> pd.DataFrame:
        names = self.design.factors
        pts = self.design.points
        n_p, r = len(pts), len(self.seeds)
        idx = range(self.n_runs)
        table: dict[str, Any] = {
            "run_id": [self.run_id(i // r, i % r) for i in idx],
            "run_index": list(idx),
            "point": [i // r for i in idx],
            "replication": [i % r for i in idx],
            "seed": [self.seeds[i % r][0] for i in idx],
            "seed_entropy": [str(self.spec.experiment.seed)] * self.n_runs,
            "seed_spawn_key": [json.dumps(list(self.seeds[i % r][1])) for i in idx],
        }
        point_cols = store.factor_columns(pts, names)
        for col, vals in point_cols.items():
            table[col] = [vals[i // r] for i in idx]
        table["factors"] = [json.dumps(pts[i // r], sort_keys=False) for i in idx]
        if self.design.unit is not None:
            for j, name in enumerate(names):
                table[f"u.{name}"] = [float(self.design.unit[i // r, j]) for i in idx]
        assert n_p * r == self.n_runs
        return pd.DataFrame(table)


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


def _as_spec(
    spec: ExperimentSpec | str | Path | dict, allow_external_run_function: bool = False
) -> ExperimentSpec:
    if isinstance(spec, ExperimentSpec):
        return spec
    if isinstance(spec, dict):
        return spec_from_dict(spec, allow_external_run_function=allow_external_run_function)
    return load_spec(spec, allow_external_run_function=allow_external_run_function)


def plan(spec: ExperimentSpec | str | Path | dict) -> Plan:
    """Design points, replication seeds and overrides for a spec (nothing is run)."""
    spec = _as_spec(spec)
    base = spec.base_scenario()
    design = build_design(spec)
    seeds = replication_seeds(spec.experiment.seed, spec.experiment.replications)
    overrides = [_point_overrides(spec, p) for p in design.points]
    return Plan(
        spec=spec,
        base=base,
        years=spec.years(base),
        sha256=spec.sha256(base.to_dict()),
        design=design,
        seeds=seeds,
        point_overrides=overrides,
    )


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- running --------------------------------------------------------------------------------------


#: What a sweep writes before its manifest: a folder holding only these (and temporary files)
#: is a sweep killed before it started running, which ``--resume`` may start again.
BEFORE_MANIFEST = ("spec.toml", "base_scenario.toml", store.RUNS, posterior.FOLDER_COPY)


def _never_started(out_dir: Path) -> bool:
    return all(
        p.is_file()
        and (p.name in BEFORE_MANIFEST or (p.name.startswith(".") and p.name.endswith(".tmp")))
        for p in out_dir.iterdir()
    )


def _check_folder(spec: ExperimentSpec, out_dir: Path, resume: bool) -> dict[str, Any] | None:
    """Before anything is planned: the folder's manifest when resuming, None for a new folder.

    Refuses a folder that is a file or cannot be written, one holding another experiment (without
    ``--resume``) or a changed spec, and one holding anything else. A folder left by a sweep
    killed before its manifest was written holds nothing that ran: with ``--resume`` it is
    cleared and started again."""
    writable_folder(out_dir, "--out")
    if (out_dir / store.MANIFEST).exists():
        manifest = store.read_manifest(out_dir)
        if not resume:
            raise UsageError(
                f"{out_dir} already holds experiment '{manifest.get('name')}': "
                "use --resume to continue it, or another --out folder"
            )
        sha = spec.sha256(spec.base_scenario().to_dict())
        if manifest.get("spec_sha256") != sha:
            raise UsageError(
                f"cannot resume {out_dir}: the spec (or its base scenario) changed since the folder "
                f"was made (SHA-256 {str(manifest.get('spec_sha256', '?'))[:12]}… there, "
                f"{sha[:12]}… now); run the changed spec into a new --out folder"
            )
        return manifest
    if not out_dir.exists() or not any(out_dir.iterdir()):
        return None
    if _never_started(out_dir):
        if not resume:
            raise UsageError(
                f"{out_dir} holds a sweep that was stopped before it started (no manifest, no "
                "results): pass --resume to start it again, or choose another --out"
            )
        for p in out_dir.iterdir():
            p.unlink()
        return None
    raise UsageError(
        f"{out_dir} exists and is not empty (and holds no experiment): choose another --out"
    )


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
    table = p.runs_table()
    tmp = out_dir / ".runs.parquet.tmp"
    table.to_parquet(tmp, index=False)
    os.replace(tmp, out_dir / store.RUNS)
    manifest = {
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
        "created": _now(),
        "sessions": [],
        "counts": {"planned": p.n_runs, "ok": 0, "failed": 0, "missing": p.n_runs},
        "status": "created",
    }
    store.write_manifest(out_dir, manifest)
    return manifest


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
    p: Plan, todo: list[int], batch_size: int | None, out_dir: Path, n_workers: int = 1
) -> Iterator[dict]:
    r = len(p.seeds)
    base = p.base.to_dict()
    out = p.spec.output
    drawn = posterior.replication_draws(p.spec, [s for s, _ in p.seeds])
    start = 0
    for size in _batch_sizes(len(todo), n_workers, batch_size):
        chunk = todo[start : start + size]
        start += size
        runs = []
        for i in chunk:
            point, rep = divmod(i, r)
            runs.append(
                {
                    "run_id": p.run_id(point, rep),
                    "point": point,
                    "overrides": p.point_overrides[point],
                    "seed": p.seeds[rep][0],
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
) -> SweepSummary:
    """Run (or resume) an experiment into ``out_dir``; return what was done.

    ``executor``: None or ``"process"`` (a local spawn process pool of ``workers``), ``"dask"``
    (a LocalCluster of ``workers``, or the cluster at ``scheduler``), or any
    ``concurrent.futures.Executor`` (used as is, not shut down). ``resume`` runs only the runs
    without a committed result (refusing if the spec changed); ``retry_failed`` also re-runs the
    failed ones. ``max_runs`` bounds the job (default :func:`limits.default_max_runs`);
    ``allow_external_run_function`` lets a spec given as a path or dict name a run function
    outside ``deterrence_sim``.

    Every check (spec, options, folder, job size) is made before anything is planned or written.
    """
    from .executors import executor_workers, make_executor
    from .limits import check_job_size

    t_start = time.perf_counter()
    spec = _as_spec(spec, allow_external_run_function)
    if batch_size is not None and batch_size < 1:
        raise UsageError(
            f"--batch-size must be at least 1 (omit it for automatic), got {batch_size}"
        )
    if not isinstance(executor, Executor) and workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    out_dir = Path(out_dir)
    existing = _check_folder(spec, out_dir, resume)
    check_job_size(spec, max_runs, workers)
    p = plan(spec)
    manifest = _prepare_folder(p, out_dir, existing)
    done = store.completed_runs(out_dir)
    done_ok = set(done.loc[done["status"] == "ok", "run_id"])
    done_failed = set(done.loc[done["status"] == "failed", "run_id"])
    skip = done_ok if retry_failed else done_ok | done_failed
    todo = [i for i, pt, rep in p.iter_runs() if p.run_id(pt, rep) not in skip]
    skipped = p.n_runs - len(todo)

    if isinstance(executor, Executor):
        ctx = None
        pool, info = (
            executor,
            {"kind": type(executor).__name__, "workers": executor_workers(executor)},
        )
    else:
        ctx = make_executor(executor or "process", workers=workers, scheduler=scheduler)
        pool, info = None, None

    session = {"started": _now(), "resume": resume, "todo": len(todo)}
    manifest["status"] = "running"
    manifest.setdefault("sessions", []).append(session)
    store.write_manifest(out_dir, manifest)

    ran = 0
    interrupted = False
    try:
        if ctx is not None:
            pool, info = ctx.__enter__()
        assert pool is not None and info is not None
        session["executor"] = info
        n_workers = max(1, int(info.get("workers") or workers))
        bs = batch_size or p.spec.output.batch_size
        session["batch_size"] = bs or "guided"
        ran = _drive(
            pool, _batches(p, todo, bs, out_dir, n_workers), out_dir, len(todo), n_workers, progress
        )
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        if ctx is not None:
            ctx.__exit__(*sys.exc_info())
        done = store.completed_runs(out_dir)
        n_ok = int((done["status"] == "ok").sum())
        n_failed = int((done["status"] == "failed").sum())
        session["finished"] = _now()
        session["ran"] = ran
        manifest["counts"] = {
            "planned": p.n_runs,
            "ok": n_ok,
            "failed": n_failed,
            "missing": p.n_runs - n_ok - n_failed,
        }
        complete = n_ok + n_failed == p.n_runs
        manifest["status"] = (
            "interrupted" if interrupted else ("complete" if complete else "incomplete")
        )
        if complete:
            manifest["finished"] = session["finished"]
        else:  # stopped early: batches committed after the last one collected get their lines
            store.reconcile_status(out_dir)
        store.write_manifest(out_dir, manifest)
    return SweepSummary(
        out_dir=out_dir,
        planned=p.n_runs,
        skipped=skipped,
        ran=ran,
        ok=n_ok,
        failed=n_failed,
        wall_s=time.perf_counter() - t_start,
    )


def _drive(
    pool: Executor,
    batches: Iterator[dict],
    out_dir: Path,
    total: int,
    n_workers: int,
    progress: bool,
) -> int:
    """Keep a few batches per worker in flight; append statuses as batches finish."""
    from .worker import run_batch

    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        tqdm = None
    bar = (
        tqdm(total=total, unit="run", dynamic_ncols=True, smoothing=0.1)
        if progress and tqdm is not None and total
        else None
    )
    max_in_flight = 2 * n_workers + 1
    in_flight: set = set()
    ran = 0
    failed = 0
    with open(out_dir / store.STATUS, "a", encoding="utf-8") as log:

        def collect(futures) -> None:
            nonlocal ran, failed
            for fut in futures:
                statuses = fut.result()  # a worker crash (not a run failure) stops the sweep
                for s in statuses:
                    log.write(json.dumps({**s, "time": _now()}) + "\n")
                    failed += s["status"] != "ok"
                log.flush()
                ran += len(statuses)
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


# --- dry run and rerun ----------------------------------------------------------------------------


def format_duration(s: float) -> str:
    """Seconds as '42 s', '3.5 min' or '2.1 h' ('unknown' for NaN)."""
    if math.isnan(s):
        return "unknown"
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


def _point_overrides(spec: ExperimentSpec, point: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in spec.factors:
        out.update(f.overrides(point[f.name]))
    return out


#: Designs up to this many points are built for the pilot; larger ones are sampled without it.
PILOT_BUILD_LIMIT = 100_000


def _pilot_points(spec: ExperimentSpec, n_points: int, k: int) -> list[dict[str, Any]]:
    """``k`` design points spread over the design, without building a design too large to hold:
    those are sampled along the diagonal of the unit cube (every factor from low to high)."""
    from .designs import from_unit

    if spec.design.kind == "list" or n_points <= PILOT_BUILD_LIMIT:
        points = build_design(spec).points
        picks = sorted({round(j * (len(points) - 1) / max(1, k - 1)) for j in range(k)})
        return [points[i] for i in picks]
    return [{f.name: from_unit(f, j / max(1, k - 1)) for f in spec.factors} for j in range(k)]


def dry_run(
    spec: ExperimentSpec | str | Path | dict, workers: int = 1, pilot: int = 8
) -> dict[str, Any]:
    """Count the runs and time a short pilot (a few runs in this process) to estimate the sweep.

    The design is counted, not built, so a dry run of a spec too large to run is safe."""
    from .designs import design_size
    from .worker import DEFAULT_RUN_FUNCTION, run_one, simulate

    spec = _as_spec(spec)
    base = spec.base_scenario()
    years = spec.years(base)
    n_points = design_size(spec)
    reps = spec.experiment.replications
    n_runs = n_points * reps
    seed = replication_seeds(spec.experiment.seed, 1)[0][0]
    fn = spec.experiment.run_function
    drawn = posterior.replication_draws(spec, [seed])[0].get("drawn", {})

    def one(point: dict[str, Any]) -> None:
        # The pilot runs what a worker runs (the lean path for the default run function).
        overrides = {**_point_overrides(spec, point), **drawn}
        if fn == DEFAULT_RUN_FUNCTION:
            scen = base.with_overrides(overrides) if overrides else base
            simulate(scen, years, seed, spec.output.timeseries)
        else:
            run_one(base, overrides, years, seed, fn)

    points = _pilot_points(spec, n_points, min(pilot, n_runs))
    times = []
    errors = []
    # One untimed warm-up run: the first run pays for importing Mesa and the model.
    with contextlib.suppress(Exception):  # reported below, when the same run is timed
        one(points[0])
    for j, point in enumerate(points):
        t0 = time.perf_counter()
        try:
            one(point)
        except Exception as exc:
            errors.append(f"pilot point {j} {point}: {type(exc).__name__}: {exc}")
        times.append(time.perf_counter() - t0)
    per_run = sum(times) / len(times) if times else float("nan")
    # Workers also start up (spawn + imports, ~2 s) and write parts; a 10% allowance covers it.
    estimate = n_runs * per_run * 1.1 / max(1, workers) + 2.0
    return {
        "name": spec.name,
        "points": n_points,
        "replications": reps,
        "runs": n_runs,
        "years": years,
        "pilot_runs": len(times),
        "seconds_per_run": per_run,
        "workers": workers,
        "estimate_s": estimate,
        "pilot_errors": errors,
        "spec_sha256": spec.sha256(base.to_dict()),
    }


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
    values = json.loads(row["factors"])
    overrides: dict[str, Any] = {}
    for f in spec.factors:
        overrides.update(f.overrides(values[f.name]))
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
