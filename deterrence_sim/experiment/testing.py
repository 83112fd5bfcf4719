"""Run functions for testing the sweep machinery (spec key ``experiment.run_function``).

``failing_run_model`` wraps the real model and reads an instruction from the scenario's
``description`` (a string a spec can vary like any factor): ``"raise"`` makes the run fail,
``"sleep:0.2"`` waits 0.2 s first (to kill a sweep mid-run in tests), anything else runs normally.
``toy_run_model`` is a fast stand-in with the same result shape, deterministic in (scenario, seed),
for testing the store and executors without the cost of the model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ToyResult", "failing_run_model", "toy_run_model"]


def _instruction(scenario) -> None:
    text = (scenario.description or "").strip()
    if text.startswith("sleep:"):
        time.sleep(float(text.split(":", 1)[1]))
    if "raise" in text.split():
        raise RuntimeError(f"injected failure ({text!r})")


def failing_run_model(scenario, years: int | None = None, seed: int = 0):
    """The real ``run_model``, after obeying the scenario description's test instruction."""
    _instruction(scenario)
    from ..run import run_model

    return run_model(scenario, years=years, seed=seed)


@dataclass
class ToyResult:
    metrics: dict[str, float]
    timeseries: pd.DataFrame
    seed: int
    years: int


def toy_run_model(scenario, years: int | None = None, seed: int = 0) -> ToyResult:
    """A cheap deterministic function of the first donor's policy and the seed."""
    _instruction(scenario)
    years = years or scenario.world.years
    rng = np.random.default_rng(seed)
    pol = scenario.donors[0].policy if scenario.donors else None
    cond = pol.conditionality if pol else 0.0
    sunset = (pol.sunset_year or years) if pol else years
    gov = float(np.mean([p.governance for p in scenario.partners])) if scenario.partners else 0.5
    yrs = np.arange(1, years + 1)
    cap = np.minimum(yrs, sunset) * (1 + cond) * gov + rng.normal(0, 0.1, years).cumsum()
    attacks = rng.poisson(0.1 + 0.5 * (yrs > sunset), years)
    metrics: dict[str, Any] = {
        "attacks_per_year": float(attacks.mean()),
        "partner_capability_final": float(cap[-1]),
        "governance_at_sunset": float(gov + 0.1 * cond + rng.normal(0, 0.01)),
    }
    ts = pd.DataFrame({"year": yrs, "partner_capability": cap, "attacks": attacks})
    return ToyResult(metrics=metrics, timeseries=ts, seed=seed, years=years)
