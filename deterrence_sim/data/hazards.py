"""Empirical yearly hazards of war and coercion by stratum of the rival dyad-year panel.

A stratum is a capability-ratio bin (challenger's CINC over the target's) × whether the target
has a third-party defence pact × a period (``fit`` 1816–1945, ``holdout`` 1946–2010: the system
changed in 1945 — nuclear weapons, bipolarity, the UN). The hazard of an outcome is the share of
the stratum's dyad-years in which the challenger initiated it, with a Wilson 95% interval
(rare events: well under 1% a year for war). ``war`` is war initiation (years to 2007),
``coercion`` any MID initiation (threat, display, use of force or war; years to 2014), ``force``
use-of-force MID initiation (reported, not fitted).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from ..stats import wilson_interval

__all__ = [
    "DESCRIPTIVE_BINS",
    "OUTCOMES",
    "PERIODS",
    "RATIO_BINS",
    "hazard_table",
    "stratify",
]

#: Capability-ratio bins of the strata (left-closed). Four bins keep every stratum above ~300
#: dyad-years (and several events) in both periods; the six of the issue's table are reported too.
RATIO_BINS = (0.0, 0.67, 1.5, 3.0, math.inf)
DESCRIPTIVE_BINS = (0.0, 0.33, 0.67, 1.5, 3.0, 10.0, math.inf)
#: Samples by year (inclusive): fit on the 19th century and the world wars, hold out the Cold War on.
PERIODS = {"fit": (1816, 1945), "holdout": (1946, 2010)}
#: Model outcome -> panel column.
OUTCOMES = {"war": "war_init", "coercion": "mid_init", "force": "force_init"}


def _bin_label(lo: float, hi: float) -> str:
    return f"<{hi:g}" if lo == 0 else f">={lo:g}" if math.isinf(hi) else f"{lo:g}-{hi:g}"


def stratify(panel: pd.DataFrame, bins: tuple[float, ...] = RATIO_BINS) -> pd.DataFrame:
    """The panel with ``ratio_bin`` (label), ``sample`` (fit/holdout) and ``stratum`` columns; a
    stratum is named ``"ratio <bin>, pact"`` or ``"ratio <bin>, no pact"`` (samples kept apart)."""
    out = panel.copy()
    labels = [_bin_label(lo, hi) for lo, hi in itertools.pairwise(bins)]
    out["ratio_bin"] = pd.cut(out["cinc_ratio"], list(bins), right=False, labels=labels)
    out["sample"] = None
    for name, (lo, hi) in PERIODS.items():
        out.loc[out["year"].between(lo, hi), "sample"] = name
    pact = np.where(out["target_pact"] == 1, "pact", "no pact")
    out["stratum"] = "ratio " + out["ratio_bin"].astype(str) + ", " + pact
    return out.dropna(subset=["ratio_bin", "sample"])


def hazard_table(
    panel: pd.DataFrame,
    outcomes: tuple[str, ...] = ("war", "coercion"),
    bins: tuple[float, ...] = RATIO_BINS,
    by_sample: bool = True,
) -> pd.DataFrame:
    """One row per stratum, sample and outcome: ``stratum, sample, outcome, ratio_bin,
    target_pact, dyad_years, events, empirical, ci_low, ci_high`` (yearly hazards, Wilson 95%).
    ``by_sample=False`` pools the periods (``sample`` = ``all``)."""
    s = stratify(panel, bins)
    if not by_sample:
        s["sample"] = "all"
    rows = []
    keys = ["stratum", "sample", "ratio_bin", "target_pact"]
    for (stratum, sample, rbin, pact), g in s.groupby(keys, observed=True, sort=False):
        for outcome in outcomes:
            y = g[OUTCOMES[outcome]].dropna()
            n, k = len(y), float(y.sum())
            lo, hi = wilson_interval(k, n)
            rows.append(
                {
                    "stratum": stratum,
                    "sample": sample,
                    "outcome": outcome,
                    "ratio_bin": str(rbin),
                    "target_pact": int(pact),
                    "dyad_years": n,
                    "events": int(k),
                    "empirical": k / n if n else math.nan,
                    "ci_low": lo,
                    "ci_high": hi,
                }
            )
    order = {b: i for i, b in enumerate(s["ratio_bin"].cat.categories)}
    df = pd.DataFrame(rows)
    df["_o"] = df["ratio_bin"].map(order)
    df = df.sort_values(["sample", "outcome", "target_pact", "_o"], kind="stable")
    return df.drop(columns="_o").reset_index(drop=True)
