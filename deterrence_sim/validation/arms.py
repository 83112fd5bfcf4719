"""Paired experiments: arms (scenario overrides) on a base world, every arm on the same seeds.

Common random numbers make an effect the mean over seeds of the per-seed difference between two
arms, far sharper than a comparison of independent runs. The runs go through the experiment
runner's executors (:func:`deterrence_sim.experiment.inmemory.map_runs`); what each run reports
is :func:`measure`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .worlds import SUNSET, YEARS, arm_scenario, overrides_key

__all__ = ["TRAJECTORIES", "Experiment", "ExperimentResult", "measure", "run_experiments"]

#: Yearly columns every run keeps whole (for the figures).
TRAJECTORIES = (
    "governance",
    "partner_capability",
    "readiness",
    "attacks",
    "aggressor_capability",
    "dependency",
)


@dataclass(frozen=True)
class Experiment:
    """Arms (name -> overrides) on a base world, each run with the same seeds."""

    name: str
    base: str
    arms: dict[str, dict[str, Any]]
    years: int = YEARS


@dataclass
class ExperimentResult:
    """Measurements by arm: ``runs[arm]`` is a list (one per seed, in seed order) of dicts."""

    experiment: Experiment
    runs: dict[str, list[dict[str, Any]]]

    def values(self, arm: str, key: str) -> np.ndarray:
        return np.array([r[key] for r in self.runs[arm]], dtype=float)

    def trajectory(self, arm: str, key: str) -> np.ndarray:
        return np.vstack([r["trajectories"][key] for r in self.runs[arm]])


def measure(result) -> dict[str, Any]:
    """What every validation run reports: all metrics, windows around the sunset year, totals,
    and yearly trajectories (for the figures)."""
    ts = result.timeseries
    ts = ts[ts["year"] >= 0]
    by_year = ts.set_index("year")

    def at(year: int, col: str) -> float:
        return float(by_year[col].get(year, math.nan))

    def window(a: int, b: int, col: str, how: str = "mean") -> float:
        part = ts[(ts["year"] >= a) & (ts["year"] <= b)][col]
        if part.empty:
            return math.nan
        return float(part.sum() if how == "sum" else part.mean())

    run = ts[ts["year"] >= 1]
    out: dict[str, Any] = dict(result.metrics)
    out.update(
        readiness_pre=at(SUNSET - 1, "readiness"),
        readiness_post=window(SUNSET + 1, SUNSET + 3, "readiness"),
        attacks_pre=window(SUNSET - 5, SUNSET - 1, "attacks", "sum"),
        attacks_post=window(SUNSET, SUNSET + 4, "attacks", "sum"),
        capability_pre=at(SUNSET - 1, "partner_capability"),
        capability_post5=at(SUNSET + 5, "partner_capability"),
        governance_mean=float(run["governance"].mean()),
        governance_final=float(ts["governance"].iloc[-1]),
        aggressor_final=float(ts["aggressor_capability"].iloc[-1]),
        aggressor_initial=float(ts["aggressor_capability"].iloc[0]),
        interventions_total=float(run["interventions"].sum()),
        abandonments_total=float(run["abandonments"].sum()),
        aid_total=float(run["aid"].sum()),
        trajectories={c: ts[c].to_numpy(dtype=float) for c in TRAJECTORIES},
    )
    return out


def run_arm(job: tuple[str, str, str, tuple, int, int]) -> tuple[str, str, int, dict[str, Any]]:
    """One (experiment, arm, seed) run, measured (module level: worker processes import it)."""
    from ..run import run_model

    experiment, arm, base, key, seed, years = job
    result = run_model(arm_scenario(base, key), years=years, seed=seed)
    return experiment, arm, seed, measure(result)


def run_experiments(
    experiments: Sequence[Experiment],
    seeds: int,
    workers: int = 1,
    progress: bool = False,
    executor: str = "process",
    scheduler: str | None = None,
) -> dict[str, ExperimentResult]:
    """Run every arm of every experiment for seeds 0..seeds-1 on the runner's executor."""
    from ..experiment.inmemory import map_runs

    # Validate every arm before any run: a bad override fails fast with its own message.
    for e in experiments:
        for ov in e.arms.values():
            arm_scenario(e.base, overrides_key(ov))
    jobs = [
        (e.name, arm, e.base, overrides_key(ov), s, e.years)
        for e in experiments
        for arm, ov in e.arms.items()
        for s in range(seeds)
    ]
    collected: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for exp, arm, seed, values in map_runs(
        run_arm,
        jobs,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
        desc="validate",
    ):
        collected.setdefault((exp, arm), {})[seed] = values
    return {
        e.name: ExperimentResult(
            e, {arm: [collected[(e.name, arm)][s] for s in range(seeds)] for arm in e.arms}
        )
        for e in experiments
    }
