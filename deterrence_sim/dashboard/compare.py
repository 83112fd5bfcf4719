"""Compare two policies: the named A/B pairs, and A vs B over many seeds with intervals.

One seed is an anecdote: whether a policy "works" is a statement about a distribution. A
comparison runs A and B on the same seeds (common random numbers: seed ``s`` gives both arms the
same luck), so the per-seed difference B − A isolates the policy; its mean and 95% t-interval come
from :func:`deterrence_sim.stats.paired`, each arm's mean and interval from
:func:`deterrence_sim.stats.mean_ci`. No Solara here (tested in tests/test_dashboard_compare.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import Scenario, run_model
from ..stats import bounded_mean_ci, mean_ci, paired
from .levers import Levers, apply_levers

__all__ = [
    "COMPARISONS",
    "KEY_METRICS",
    "Comparison",
    "MetricSummary",
    "SeedComparison",
    "compare_levers",
    "compare_seeds",
]


@dataclass(frozen=True)
class Comparison:
    """A Compare-mode pair: lever changes for A and for B (on top of the current levers)."""

    description: str
    label_a: str
    changes_a: dict[str, Any]
    label_b: str
    changes_b: dict[str, Any]


#: Named comparisons. Each is applied on top of the current levers, so only the compared lever
#: differs between A and B.
COMPARISONS: dict[str, Comparison] = {
    "Cliff exit vs tapered exit": Comparison(
        "Both programs end at the sunset year; A stops at once, B tapers aid over 5 years.",
        "cliff exit",
        {"open_ended": False, "taper_years": 0},
        "5-year taper",
        {"open_ended": False, "taper_years": 5},
    ),
    "Open-ended vs sunset": Comparison(
        "A never ends; B ends at the sunset year with the current taper.",
        "open-ended",
        {"open_ended": True},
        "sunset",
        {"open_ended": False},
    ),
    "Conditionality: unenforced vs enforced": Comparison(
        "40% of aid is conditional on reform; A never punishes a missed benchmark, B usually does.",
        "unenforced conditions",
        {"conditionality": 0.4, "enforcement": 0.0},
        "enforced conditions",
        {"conditionality": 0.4, "enforcement": 0.9},
    ),
    "Equipment-heavy vs training-heavy": Comparison(
        "Same budget; A spends it mostly on equipment, B mostly on training.",
        "equipment-heavy",
        {"instrument_mix": "equipment_heavy"},
        "training-heavy",
        {"instrument_mix": "training_heavy"},
    ),
    "Assurance vs alliance with tripwire": Comparison(
        "A gives a verbal assurance; B an alliance commitment with troops on the ground.",
        "assurance",
        {"commitment": "assurance", "tripwire": False},
        "alliance + tripwire",
        {"commitment": "alliance", "tripwire": True},
    ),
    "Half vs double budget": Comparison(
        "A halves every donor's budget; B doubles it.",
        "half budget",
        {"budget_scale": 0.5},
        "double budget",
        {"budget_scale": 2.0},
    ),
}


def compare_levers(levers: Levers, comparison: str) -> tuple[Levers, Levers]:
    """Levers A and B of a named comparison, on top of the current ``levers``."""
    c = COMPARISONS[comparison]
    return {**levers, **c.changes_a}, {**levers, **c.changes_b}


#: Metrics summarised across seeds (name, short label), in order.
KEY_METRICS: tuple[tuple[str, str], ...] = (
    ("attacks_per_year", "Attacks per year"),
    ("wars", "Wars"),
    ("intervention_rate", "Donors intervened"),
    ("partner_capability_final", "Partner capability at the end"),
    ("post_exit_retention", "Capability kept after exit"),
    ("governance_10y_after_sunset", "Governance 10 y after exit"),
    ("donor_cost_total", "Donor cost"),
)


@dataclass(frozen=True)
class MetricSummary:
    """One metric over the seeds: each arm's mean and 95% interval, and the paired difference."""

    name: str
    label: str
    unit: str
    a: tuple[float, tuple[float, float], int]
    b: tuple[float, tuple[float, float], int]
    diff: tuple[float, tuple[float, float], int]
    differences: tuple[float, ...]  # B − A per seed (NaN where the metric does not apply)


@dataclass(frozen=True)
class SeedComparison:
    """A vs B over ``seeds``: per-seed metrics of each arm and the summaries."""

    seeds: tuple[int, ...]
    label_a: str
    label_b: str
    per_seed_a: list[dict[str, float]]
    per_seed_b: list[dict[str, float]]
    summaries: list[MetricSummary]


def _values(rows: Sequence[Mapping[str, float]], name: str) -> np.ndarray:
    return np.array([float(r.get(name, math.nan)) for r in rows], dtype=float)


#: Units of metrics that cannot leave [0, 1] or go below 0: their interval is a percentile
#: bootstrap clipped to the range (a t-interval would show "82% to 102%" for a share).
UNIT_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "share": (0.0, 1.0),
    "probability": (0.0, 1.0),
    "count": (0.0, None),
    "attacks/yr": (0.0, None),
    "$bn": (0.0, None),
}


def arm_interval(values: np.ndarray, unit: str) -> tuple[float, tuple[float, float], int]:
    """One arm's mean and 95% interval: bounded bootstrap for bounded units, else Student t."""
    if unit in UNIT_BOUNDS:
        lower, upper = UNIT_BOUNDS[unit]
        return bounded_mean_ci(values, lower=lower, upper=upper)
    return mean_ci(values)


def compare_seeds(
    base: Scenario,
    levers_a: Levers,
    levers_b: Levers,
    seeds: Sequence[int],
    catalogue: Mapping[str, str] | None = None,
    labels: tuple[str, str] = ("A", "B"),
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SeedComparison | None:
    """Run A and B on every seed (paired) and summarise :data:`KEY_METRICS`.

    ``catalogue``: metric name → unit; ``progress(done, total)`` is called after each seed;
    returns None when ``cancelled()`` turns true. Invalid levers raise ScenarioError before any run.
    """
    scen_a, scen_b = apply_levers(base, levers_a), apply_levers(base, levers_b)
    rows_a: list[dict[str, float]] = []
    rows_b: list[dict[str, float]] = []
    for i, seed in enumerate(seeds):
        if cancelled is not None and cancelled():
            return None
        rows_a.append(run_model(scen_a, seed=int(seed), keep_events=False).metrics)
        rows_b.append(run_model(scen_b, seed=int(seed), keep_events=False).metrics)
        if progress is not None:
            progress(i + 1, len(seeds))
    catalogue = catalogue or {}
    summaries = []
    for name, label in KEY_METRICS:
        if not any(name in r for r in rows_a):
            continue
        a, b = _values(rows_a, name), _values(rows_b, name)
        unit = catalogue.get(name, "")
        summaries.append(
            MetricSummary(
                name,
                label,
                unit,
                arm_interval(a, unit),
                arm_interval(b, unit),
                paired(b, a),
                tuple(float(x) for x in b - a),
            )
        )
    return SeedComparison(tuple(int(s) for s in seeds), *labels, rows_a, rows_b, summaries)
