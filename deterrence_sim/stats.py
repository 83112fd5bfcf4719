"""Interval estimates shared by validation, analysis and the calibration: one place for each.

- :func:`mean_ci`: mean with a Student-t interval (replications of a run are independent).
- :func:`paired`: mean per-seed difference with a t-interval (common random numbers pair runs).
- :func:`pooled_ratio_ci`: a ratio of sums with a cluster bootstrap over seeds.
- :func:`wilson_interval`: a binomial share (events / trials) that stays inside [0, 1]
  (Wilson 1927), for rare events such as yearly war initiation.
- :func:`bounded_mean_ci`: a mean of values bounded below (rates, shares, counts) with a
  percentile bootstrap, so the interval never crosses the bound the way a t-interval can.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import stats as _st

Interval = tuple[float, tuple[float, float], int]


def t_critical(n: int | np.ndarray, level: float = 0.95) -> float | np.ndarray:
    """Two-sided Student-t critical value for ``n`` observations (NaN where n < 2)."""
    arr = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        out = np.where(arr > 1, _st.t.ppf(0.5 + level / 2, np.maximum(arr - 1, 1)), np.nan)
    return float(out) if out.ndim == 0 else out


def _finite(x: Iterable[float]) -> np.ndarray:
    a = np.asarray(list(x) if not isinstance(x, np.ndarray) else x, dtype=float)
    return a[~np.isnan(a)]


def _too_few(a: np.ndarray) -> Interval:
    """The interval of fewer than two values: no spread to estimate, so NaN bounds (and a NaN mean
    when there is no value at all)."""
    m = float(a.mean()) if a.size else math.nan
    return m, (math.nan, math.nan), int(a.size)


def mean_ci(x: Iterable[float], level: float = 0.95) -> Interval:
    """Mean, ``level`` t-interval and n of the non-NaN values."""
    a = _finite(x)
    if a.size < 2:
        return _too_few(a)
    n, m = a.size, float(a.mean())
    half = float(t_critical(n, level)) * float(a.std(ddof=1)) / math.sqrt(n)
    return m, (m - half, m + half), n


def paired(a: Sequence[float], b: Sequence[float], level: float = 0.95) -> Interval:
    """Mean per-seed difference a - b with a t-interval (pairs with a NaN are dropped)."""
    return mean_ci(np.asarray(a, dtype=float) - np.asarray(b, dtype=float), level)


def unpaired_half_width(a: Sequence[float], b: Sequence[float], level: float = 0.95) -> float:
    """Half-width of the t-interval an unpaired comparison of the same runs would have."""
    a, b = _finite(a), _finite(b)
    n = min(a.size, b.size)
    if n < 2:
        return math.nan
    return float(t_critical(n, level)) * math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / n)


def pooled_ratio_ci(
    num: Sequence[float], den: Sequence[float], reps: int = 2000, seed: int = 12345
) -> Interval:
    """sum(num)/sum(den) with a 95% percentile interval from a bootstrap over seeds (clusters)."""
    n_arr, d_arr = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    keep = d_arr > 0
    n_arr, d_arr = n_arr[keep], d_arr[keep]
    k = n_arr.size
    if k == 0:
        return math.nan, (math.nan, math.nan), 0
    est = float(n_arr.sum() / d_arr.sum())
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, k, size=(reps, k))
    boot = n_arr[idx].sum(axis=1) / d_arr[idx].sum(axis=1)
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return est, (float(lo), float(hi)), k


def wilson_interval(events: float, trials: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial share; (NaN, NaN) without trials (Wilson 1927)."""
    if trials <= 0:
        return math.nan, math.nan
    z = float(_st.norm.ppf(0.5 + level / 2))
    p = events / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def bounded_mean_ci(
    x: Iterable[float],
    level: float = 0.95,
    lower: float | None = 0.0,
    upper: float | None = None,
    reps: int = 2000,
    seed: int = 12345,
) -> Interval:
    """Mean with a percentile-bootstrap interval, clipped to [lower, upper].

    For metrics that cannot leave a range (rates and counts ≥ 0, shares in [0, 1]): unlike a
    t-interval, the percentile interval of a bounded statistic stays inside the bounds.
    """
    a = _finite(x)
    if a.size < 2:
        return _too_few(a)
    n, m = a.size, float(a.mean())
    rng = np.random.default_rng(seed)
    boot = a[rng.integers(0, n, size=(reps, n))].mean(axis=1)
    alpha = (1 - level) / 2
    lo, hi = (float(v) for v in np.quantile(boot, [alpha, 1 - alpha]))
    if lower is not None:
        lo = max(lo, lower)
    if upper is not None:
        hi = min(hi, upper)
    return m, (lo, hi), n
