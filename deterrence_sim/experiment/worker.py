"""What a worker process does with one batch of runs (importable: spawn and Dask need that).

A batch is a plain dict (cheap to pickle): the folder, the base scenario as data, the horizon, what
to keep and the runs (run id, scenario overrides, seed). The worker runs each one, catching any
exception as a failed run, and writes its own Parquet parts; it returns only the short status
records the parent appends to ``status.jsonl``. The parent never sees results.
"""

from __future__ import annotations

import importlib
import math
import time
import traceback
from typing import Any

__all__ = ["run_batch", "run_one"]

# Per worker process: the base scenario of the experiment(s) it serves, parsed once.
_BASE_CACHE: dict[str, Any] = {}


def _base(task: dict[str, Any]):
    from ..scenario import Scenario

    key = task["spec_sha256"]
    if key not in _BASE_CACHE:
        if len(_BASE_CACHE) > 4:
            _BASE_CACHE.clear()
        _BASE_CACHE[key] = Scenario.from_dict(task["base"], source="base scenario")
    return _BASE_CACHE[key]


def resolve_function(spec: str):
    """``"package.module:function"`` -> the function."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


DEFAULT_RUN_FUNCTION = "deterrence_sim.run:run_model"


class _Lean:
    """What a sweep keeps of a run: its metrics and (when asked for) its yearly table."""

    __slots__ = ("metrics", "timeseries")

    def __init__(self, metrics, timeseries):
        self.metrics = metrics
        self.timeseries = timeseries


def simulate(scenario, years: int, seed: int, timeseries: bool):
    """The default run: ``run_model`` without the event table, which a sweep does not keep."""
    from ..run import run_model

    result = run_model(scenario, years=years, seed=seed, keep_events=False)
    return _Lean(result.metrics, result.timeseries if timeseries else None)


def run_one(scenario, overrides: dict[str, Any], years: int, seed: int, run_function: str):
    """One run: the scenario with the point's overrides, run for ``years`` with ``seed``."""
    scen = scenario.with_overrides(overrides, source="design point") if overrides else scenario
    return resolve_function(run_function)(scen, years=years, seed=seed)


def _keep_timeseries(ts, every: int, columns, years: int):
    ts = ts[(ts["year"] % every == 0) | (ts["year"] == years)]
    if ts["year"].min() == 0:  # the initial state is not a simulated year
        ts = ts[ts["year"] > 0]
    if columns != "all":
        ts = ts[["year", *[c for c in columns if c in ts.columns]]]
    return ts


def run_batch(task: dict[str, Any]) -> list[dict[str, Any]]:
    """Run a batch, write its metrics (and time-series) part, return one status record per run."""
    import pandas as pd

    from .posterior import drawn_record, run_overrides
    from .store import write_part

    base = _base(task)
    years = task["years"]
    keep_metrics = task["metrics"]
    rows: list[dict[str, Any]] = []
    series: list[Any] = []
    statuses: list[dict[str, Any]] = []
    scen_cache: tuple[tuple, Any] | None = None
    for run in task["runs"]:
        t0 = time.perf_counter()
        record: dict[str, Any] = {"run_id": run["run_id"], "status": "ok", "error": None}
        record.update(drawn_record(run))  # a posterior study's drawn parameters
        try:
            # Runs of a batch are consecutive, so most share their point: build its scenario once.
            key = (run["point"], run.get("posterior_draw"))
            if scen_cache is None or scen_cache[0] != key:
                overrides = run_overrides(run)
                scen = base.with_overrides(overrides, source="design point") if overrides else base
                scen_cache = (key, scen)
            if task["run_function"] == DEFAULT_RUN_FUNCTION:
                result = simulate(scen_cache[1], years, run["seed"], task["timeseries"])
            else:
                fn = resolve_function(task["run_function"])
                result = fn(scen_cache[1], years=years, seed=run["seed"])
            metrics = result.metrics
            names = list(metrics) if keep_metrics == "all" else keep_metrics
            for m in names:
                v = metrics.get(m, math.nan)
                record[m] = float(v) if v is not None else math.nan
            if task["timeseries"]:
                ts = _keep_timeseries(
                    result.timeseries, task["timeseries_every"], task["timeseries_columns"], years
                ).copy()
                ts.insert(0, "run_id", run["run_id"])
                series.append(ts)
            del result
        except Exception as exc:  # a failing run is recorded and the batch goes on
            record["status"] = "failed"
            record["error"] = f"{type(exc).__name__}: {exc}"
            tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
            record["_traceback"] = "".join(tb[-3:])[-2000:]
        record["duration_s"] = time.perf_counter() - t0
        statuses.append(
            {
                "run_id": record["run_id"],
                "status": record["status"],
                "error": record["error"],
                "duration_s": round(record["duration_s"], 6),
                **({"traceback": record.pop("_traceback")} if "_traceback" in record else {}),
            }
        )
        rows.append(record)
    token = task["token"]
    if series:
        write_part(task["out_dir"], "timeseries", token, pd.concat(series, ignore_index=True))
    df = pd.DataFrame(rows)
    for col in ("error",):
        df[col] = df[col].astype("string")
    # The metrics part is written last: its rename commits the batch.
    write_part(task["out_dir"], "metrics", token, df)
    return statuses
