"""Robustness metrics: one number per policy from its outcomes over an ensemble of futures.

Pure functions on a matrix ``values[policy, sample]`` (one metric, each sample one future: a draw
of the uncertainties, averaged over its replications), after McPhail et al. (2018):

* ``mean`` -- expected value over the ensemble (Laplace's principle of insufficient reason);
* ``percentile`` -- the ``q``-th percentile of the outcome where lower is better (``q = 90``: the
  outcome in the worst 10% of futures), the ``(100 - q)``-th where higher is better;
* ``regret`` -- the ``q``-th percentile over samples of the shortfall against the best policy in
  that same sample (Savage 1951; ``q = 100`` is minimax regret);
* ``satisficing`` -- the share of samples where the outcome meets ``threshold`` (Starr 1963).

Every function returns a number where **lower is better** (a share to maximise is returned as
``1 - share``, a quantity to maximise is negated), so that all objectives can be minimised
together; :func:`display_value` turns it back into the metric's own units and sense.
NaN outcomes (a metric undefined in that future) are left out of that policy's statistic; a
policy with no defined outcome at all gets ``WORST``.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["STATISTICS", "WORST", "display_value", "robustness"]

STATISTICS = ("mean", "percentile", "regret", "satisficing")
#: Score of a policy whose metric is undefined in every sample (worse than anything real).
WORST = 1e12


def robustness(
    values: np.ndarray,
    statistic: str,
    direction: str = "min",
    q: float = 90.0,
    threshold: float | None = None,
    best: np.ndarray | None = None,
) -> np.ndarray:
    """The score (lower is better) of each row of ``values`` (policies x samples).

    ``best``: for ``regret``, the best outcome in each sample over the policies compared (default
    the rows of ``values`` themselves).
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError("values must be a (policies, samples) matrix")
    sign = 1.0 if direction == "min" else -1.0
    lower_better = sign * v  # now lower is better everywhere
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: handled below
        if statistic == "mean":
            out = np.nanmean(lower_better, axis=1)
        elif statistic == "percentile":
            out = np.nanpercentile(lower_better, q, axis=1)
        elif statistic == "regret":
            ref = sign * np.asarray(best, dtype=float) if best is not None else None
            if ref is None:
                ref = np.nanmin(lower_better, axis=0)
            out = np.nanpercentile(lower_better - ref[None, :], q, axis=1)
        elif statistic == "satisficing":
            if threshold is None:
                raise ValueError("satisficing needs a threshold")
            ok = (v <= threshold) if direction == "min" else (v >= threshold)
            defined = ~np.isnan(v)
            n = defined.sum(axis=1)
            share = np.where(n > 0, (ok & defined).sum(axis=1) / np.maximum(n, 1), np.nan)
            out = 1.0 - share
        else:
            raise ValueError(f"unknown statistic {statistic!r}; allowed: {', '.join(STATISTICS)}")
    return np.where(np.isnan(out), WORST, out)


def display_value(score: float, statistic: str, direction: str) -> float:
    """A score back in the metric's own sense (a mean or percentile, a regret, a share met)."""
    if score >= WORST:
        return float("nan")
    if statistic == "satisficing":
        return 1.0 - score
    if statistic == "regret":
        return score
    return score if direction == "min" else -score
