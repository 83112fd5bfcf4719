"""Run functions with known answers, wired through the sweep runner like the model (test hooks).

Set ``run_function`` in a spec to one of these to check the decision tools end to end on a
problem whose answer is known; they read their inputs from the scenario (so factors are ordinary
scenario paths) and ignore ``years``.

* :func:`planted_failure`: ``failure = 1`` exactly when the partner's governance exceeds 0.6
  and the aggressor's growth rate exceeds 0.1 (1/yr): scenario discovery must find that box.
* :func:`zdt1`: the two-objective test problem ZDT1 (Zitzler, Deb & Thiele 2000) on the three
  policy shares conditionality, enforcement and audit intensity as its decision variables in
  [0, 1]. Its Pareto front is ``f2 = 1 - sqrt(f1)``, ``f1`` in [0, 1]; the hypervolume of the
  front against the reference point (1.1, 1.1) is ``0.1 + 2/3 + 0.11 = 0.8767``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["GOVERNANCE_LIMIT", "GROWTH_LIMIT", "ZDT1_HYPERVOLUME", "planted_failure", "zdt1"]

GOVERNANCE_LIMIT = 0.6
GROWTH_LIMIT = 0.1
#: Hypervolume of ZDT1's Pareto front against the reference point (1.1, 1.1).
ZDT1_HYPERVOLUME = 0.1 + 2 / 3 + 0.11


@dataclass
class SyntheticResult:
    metrics: dict[str, float]
    timeseries: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"year": [1]}))


def planted_failure(scenario, years: int = 1, seed: int = 0) -> SyntheticResult:
    """``failure`` (0/1) and a continuous ``margin``; failure iff G > 0.6 and growth > 0.1."""
    g = scenario.partners[0].governance
    growth = scenario.aggressors[0].growth
    fail = g > GOVERNANCE_LIMIT and growth > GROWTH_LIMIT
    margin = min(g - GOVERNANCE_LIMIT, (growth - GROWTH_LIMIT) * 10)
    return SyntheticResult({"failure": float(fail), "margin": margin})


def zdt1(scenario, years: int = 1, seed: int = 0) -> SyntheticResult:
    """ZDT1 with x = (conditionality, enforcement, audit_intensity) of the first donor."""
    p = scenario.donors[0].policy
    x = [p.conditionality, p.enforcement, p.audit_intensity]
    f1 = x[0]
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    f2 = g * (1 - math.sqrt(f1 / g))
    return SyntheticResult({"f1": f1, "f2": f2})
