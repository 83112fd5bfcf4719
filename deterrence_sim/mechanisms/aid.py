"""Aid delivery (absorption, leakage, enforcement, intervention) and programs over time.

Pure functions; sources in the package docstring."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from scipy.special import expit

from ._numbers import _SCALAR_TYPES, ArrayLike, _out, _scalars

#: How a program spreads its aid over its years (``aid_schedule``).
PACINGS = ("steady", "front_loaded")


# --- Aid delivery: absorption, leakage, enforcement ---------------------------------------


def absorption(
    aid: ArrayLike, capacity: ArrayLike, leakage: ArrayLike = 0.0, saturation: float = 1.0
) -> ArrayLike:
    """Usable aid after leakage, with absorption that saturates at the partner's capacity.

    ``u = (1 - leakage) * aid / (1 + aid / (capacity * saturation))``: increasing and concave in
    aid, bounded above by ``capacity * saturation * (1 - leakage)``; 0 when
    ``capacity * saturation <= 0``. Money in ($bn/yr), effective money out ($bn/yr). Accepts numpy
    arrays. (Clemens et al. 2012 on diminishing returns to aid; Paul et al. 2013, RAND, on
    absorptive capacity in building partner capacity)
    """
    # Negative aid would mean the partner funds the donor; treat it as no aid.
    # Called for every instrument of every partner every year: the scalar test and the clips are
    # written out (same values as max/min, NaN included).
    if (
        type(aid) in _SCALAR_TYPES
        and type(capacity) in _SCALAR_TYPES
        and type(leakage) in _SCALAR_TYPES
        and type(saturation) in _SCALAR_TYPES
    ):
        ceiling_ = capacity * saturation
        if ceiling_ <= 0:
            return 0.0
        a_ = 0.0 if aid < 0 else float(aid)
        kept = 1.0 - (0.0 if leakage < 0.0 else 1.0 if leakage > 1.0 else leakage)
        return kept * a_ / (1.0 + a_ / ceiling_)
    a = np.maximum(np.asarray(aid, dtype=float), 0.0)
    ceiling = np.asarray(capacity, dtype=float) * saturation
    usable = 1.0 - np.clip(np.asarray(leakage, dtype=float), 0.0, 1.0)
    positive = ceiling > 0
    safe_ceiling = np.where(positive, ceiling, 1.0)
    # A vanishing capacity overflows a/ceiling to inf, which correctly gives u = 0.
    with np.errstate(over="ignore"):
        u = np.where(positive, usable * a / (1.0 + a / safe_ceiling), 0.0)
    return _out(u)


def leakage_rate(
    base: ArrayLike,
    governance: ArrayLike,
    alignment: ArrayLike,
    audit_sensitivity: ArrayLike,
    audit_intensity: ArrayLike,
) -> ArrayLike:
    """Share of aid diverted, ``l = base*(1-G)*(1-alignment)*exp(-audit_sensitivity*audit)``.

    ``G`` (governance) and ``alignment`` are in [0, 1]; audit intensity and sensitivity are
    non-negative (their product is dimensionless). The result is a share in ``[0, base]``.
    Accepts numpy arrays. (Collier & Hoeffler 2007 on fungibility of aid; Biddle, Macdonald &
    Baker 2018 on misaligned partners; SIGAR 2021 on diversion)
    """
    if _scalars(base, governance, alignment, audit_sensitivity, audit_intensity):
        g_, al_ = min(max(governance, 0.0), 1.0), min(max(alignment, 0.0), 1.0)
        audit_ = max(audit_sensitivity * audit_intensity, 0.0)
        return max(base, 0.0) * (1.0 - g_) * (1.0 - al_) * math.exp(-audit_)
    g = np.clip(np.asarray(governance, dtype=float), 0.0, 1.0)
    al = np.clip(np.asarray(alignment, dtype=float), 0.0, 1.0)
    # Audits can only cut leakage, never raise it, whatever sign a caller passes.
    audit = np.maximum(
        np.asarray(audit_sensitivity, dtype=float) * np.asarray(audit_intensity, dtype=float), 0.0
    )
    base_arr = np.maximum(np.asarray(base, dtype=float), 0.0)
    return _out(base_arr * (1.0 - g) * (1.0 - al) * np.exp(-audit))


def enforcement_probability(
    base: float,
    stake_discount: float,
    pooling_bonus: float,
    stake: float,
    threat: float,
    pooled: bool,
) -> float:
    """Probability that a donor actually withholds conditional aid after a missed benchmark.

    ``eps = clip(base - stake_discount*stake*threat + pooling_bonus*pooled, 0, 1)``. The
    Samaritan's dilemma: a donor with a high stake in a partner under high threat cannot bring
    itself to punish (Buchanan 1975; Gibson et al. 2005); conditions set jointly by pooled donors
    are harder to waive (Ladwig 2017 on leverage over clients). Dimensionless probability.
    """
    eps = base - stake_discount * stake * threat + pooling_bonus * float(bool(pooled))
    return float(min(1.0, max(0.0, eps)))


def intervention_probability(
    intercept: float,
    w_commitment: float,
    w_tripwire: float,
    w_stake: float,
    w_interop: float,
    w_cost: float,
    commitment_level: float,
    tripwire: bool,
    stake: float,
    interoperability: float,
    cost: float,
    will: float,
) -> float:
    """Probability that a committed donor intervenes when its partner is attacked.

    ``q = logistic(intercept + w_commitment*commitment_level + w_tripwire*tripwire
    + w_stake*stake + w_interop*interoperability - w_cost*cost/max(will, 1e-6))``. Weights are
    per unit of their input; cost and will share a unit so their ratio is dimensionless. The
    intercept is calibrated so formal pacts are honoured about 75% of the time (Leeds, Long &
    Mitchell 2000, JCR 44(5)); troops on the ground raise it (Schelling 1966 on tripwires).
    """
    # A donor with no political will left still has a finite (if tiny) chance of acting.
    z = (
        intercept
        + w_commitment * commitment_level
        + w_tripwire * float(bool(tripwire))
        + w_stake * stake
        + w_interop * interoperability
        - w_cost * cost / max(will, 1e-6)
    )
    return float(expit(z))


# --- Programs over time -------------------------------------------------------------------


def aid_schedule(
    year: int,
    start_year: int,
    sunset_year: int | None,
    taper_years: int,
    pacing: str = "steady",
    surge_years: int = 3,
    surge_factor: float = 1.5,
) -> float:
    """Multiplier of a donor's full annual aid in ``year`` (years counted from 1).

    - Before ``start_year``: 0.
    - Open-ended (``sunset_year is None``): 1 in every year from the start.
    - Finite, sunset ``S`` and taper ``T``: 1 before ``S - T``; in taper year ``t`` (``S-T <= t <
      S``) the multiplier is ``(S - t) / (T + 1)``, i.e. ``T/(T+1), ..., 2/(T+1), 1/(T+1)`` —
      strictly decreasing, positive in every taper year, and the step to 0 at ``S`` equals the
      earlier steps; 0 from ``S`` on. ``T = 0`` is a cliff: 1 up to ``S - 1``, 0 from ``S``.
    - ``pacing="front_loaded"``: full-aid (pre-taper) years among the first ``surge_years``
      program years are multiplied by ``surge_factor``; taper years are never surged, so the
      exit stays a smooth ramp down.

    Dimensionless, in ``[0, max(1, surge_factor)]``. Raises ``ValueError`` for an unknown pacing.
    (docs/design.md §5.1; Paul et al. 2013 on consistency of support)
    """
    if pacing not in PACINGS:
        raise ValueError(f"unknown pacing {pacing!r}; expected one of {PACINGS}")
    if year < start_year:
        return 0.0

    if sunset_year is not None:
        if year >= sunset_year:
            return 0.0
        taper = max(int(taper_years), 0)
        if year >= sunset_year - taper:
            return float((sunset_year - year) / (taper + 1))

    if pacing == "front_loaded" and year - start_year < surge_years:
        return float(surge_factor)
    return 1.0


def institutionalised(years_held: int, years_required: int) -> bool:
    """Whether a reform has held long enough (consecutive years) to become the new baseline.

    ``years_held >= years_required``. Reforms revert unless sustained until they become
    self-enforcing rules (North 1990; Andrews, Pritchett & Woolcock 2017, Building State
    Capability).
    """
    return bool(years_held >= years_required)


def gini(values: Iterable[float] | np.ndarray) -> float:
    """Gini coefficient of non-negative values: 0 for equal shares, ``(n-1)/n`` when one of n
    holds everything. Used for inequality of burden shares (any money unit). 0 for all-zero or
    empty input. Raises ``ValueError`` for negative values. (Gini 1912)
    """
    # list() lets generators through; np.asarray alone would wrap one as an object scalar.
    raw = values if isinstance(values, np.ndarray) else list(values)
    x = np.sort(np.asarray(raw, dtype=float).ravel())
    if x.size == 0:
        return 0.0
    if np.any(x < 0):
        raise ValueError("gini needs non-negative values")
    total = x.sum()
    if total <= 0:
        return 0.0
    n = x.size
    ranks = np.arange(1, n + 1)
    # Rank-weighted form of the mean absolute difference: O(n log n) instead of O(n^2).
    g = 2.0 * np.dot(ranks, x) / (n * total) - (n + 1.0) / n
    return float(min(1.0, max(0.0, g)))
