"""Means with confidence intervals per group, and paired differences between levels of a factor.

Works on the tidy frame of :func:`deterrence_sim.experiment.load` (one row per run: factors and
metrics). Replications are independent runs with different seeds, so a mean over them carries a
Student-t interval; a metric that cannot leave a range (rates, shares, counts: see
:mod:`deterrence_sim.metrics`) can instead get a percentile-bootstrap interval that stays inside
it (``bounded=True``). Across design points the runs share seeds, so differences between points
are paired. Every interval comes from :mod:`deterrence_sim.stats`.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from .. import stats
from ..metrics import REGISTRY, bounds

__all__ = ["ci_summary", "factor_levels", "factor_names", "paired_difference", "point_summary"]


def _range_of(name: str) -> tuple[float | None, float | None]:
    return bounds(name) if name in REGISTRY else bounds(name, yearly=True)


def _bounded_columns(g, metric: str, level: float) -> tuple[pd.Series, pd.Series] | None:
    """Bootstrap interval per group for a metric with a declared range; None if it has none."""
    lower, upper = _range_of(metric)
    if lower is None and upper is None:
        return None
    cis = g[metric].apply(
        lambda x: stats.bounded_mean_ci(x.to_numpy(), level, lower=lower, upper=upper)[1]
    )
    return cis.map(lambda c: c[0]), cis.map(lambda c: c[1])


def ci_summary(
    df: pd.DataFrame,
    by: list[str] | str,
    metrics: list[str],
    level: float = 0.95,
    bounded: bool = False,
) -> pd.DataFrame:
    """Mean, standard deviation, count and ``level`` CI of each metric per group of ``by``.

    Columns ``<metric>_mean``, ``_sd``, ``_n``, ``_lo``, ``_hi``. NaN values (a metric that does
    not apply to a run) are left out of that metric's count. ``bounded``: metrics with a declared
    range get a bootstrap interval inside it instead of a t-interval.
    """
    by = [by] if isinstance(by, str) else list(by)
    g = df.groupby(by, sort=False, dropna=False)
    out = g.size().rename("runs").to_frame()
    for m in metrics:
        mean = g[m].mean()
        sd = g[m].std(ddof=1)
        n = g[m].count()
        out[f"{m}_mean"] = mean
        out[f"{m}_sd"] = sd
        out[f"{m}_n"] = n
        inside = _bounded_columns(g, m, level) if bounded else None
        if inside is None:
            half = (
                stats.t_critical(n.to_numpy(), level)
                * sd.to_numpy()
                / np.sqrt(np.maximum(n.to_numpy(), 1))
            )
            out[f"{m}_lo"] = mean - half
            out[f"{m}_hi"] = mean + half
        else:
            out[f"{m}_lo"], out[f"{m}_hi"] = inside
    return out.reset_index()


def point_summary(
    df: pd.DataFrame,
    factors: list[str],
    metrics: list[str],
    level: float = 0.95,
    bounded: bool = False,
) -> pd.DataFrame:
    """:func:`ci_summary` per design point (one row per point, with its factor values)."""
    return ci_summary(df, ["point", *factors], metrics, level, bounded).sort_values("point")


def factor_levels(df: pd.DataFrame, factor: str, spec_levels: list[Any] | None = None) -> list:
    """The levels of a factor in a sensible order: the spec's order, else sorted."""
    present = list(pd.unique(df[factor]))
    if spec_levels:
        from ..experiment.store import toml_text

        ordered = []
        for v in spec_levels:
            for p in present:
                if p == v or str(p) == toml_text(v):
                    ordered.append(p)
                    break
        rest = [p for p in present if p not in ordered]
        return ordered + rest
    try:
        return sorted(present)
    except TypeError:
        return present


def factor_names(df: pd.DataFrame) -> list[str]:
    """Factor columns of a loaded frame (from its ``factors`` JSON column)."""
    if "factors" not in df.columns or df.empty:
        return []
    return list(json.loads(df["factors"].iloc[0]))


def paired_difference(
    df: pd.DataFrame, factor: str, a: Any, b: Any, metrics: list[str], level: float = 0.95
) -> pd.DataFrame:
    """Effect of switching ``factor`` from ``a`` to ``b``, paired by seed (common random numbers).

    Runs are matched on every other factor and the replication (so on the seed); per metric the
    mean paired difference ``b - a`` with its ``level`` CI, and for comparison the CI half-width
    an unpaired comparison of the same runs would have. Pairs where either value is NaN are left
    out.
    """
    others = [c for c in factor_names(df) if c != factor and c in df.columns]
    key = [*others, "replication"]
    left = df[df[factor] == a].set_index(key)
    right = df[df[factor] == b].set_index(key)
    rows = []
    for m in metrics:
        joined = (
            left[[m]]
            .rename(columns={m: "a"})
            .join(right[[m]].rename(columns={m: "b"}), how="inner")
            .dropna()
        )
        diff, (lo, hi), n = stats.paired(joined["b"], joined["a"], level)
        rows.append(
            {
                "metric": m,
                "pairs": n,
                "mean_a": joined["a"].mean(),
                "mean_b": joined["b"].mean(),
                "difference": diff,
                "lo": lo,
                "hi": hi,
                "unpaired_half_width": stats.unpaired_half_width(joined["a"], joined["b"], level),
            }
        )
    return pd.DataFrame(rows)
