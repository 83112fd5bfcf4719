"""Bargaining under private information (Fearon 1995) and preventive war (Powell 2006).

Pure functions; sources in the package docstring."""

from __future__ import annotations

import math

import numpy as np

from ._numbers import ArrayLike, _out, _scalars

# --- Bargaining: Fearon 1995 ----------------------------------------------------------------


def fearon_optimal_demand(p: float, cbar: float, c_a: float) -> float:
    """Optimal demand of a proposer facing a defender whose war cost is private information.

    A gets share ``p`` of a unit prize by war at cost ``c_a``; the defender's cost ``c_b`` is
    uniform on ``[0, cbar]`` and it accepts iff ``x - p <= c_b``. Maximising
    ``x*P(accept) + (p - c_a)*P(war)`` gives ``x* = p + (cbar - c_a)/2``, clipped to
    ``[p, p + cbar]`` and to at most 1. Shares of the prize (dimensionless). With ``cbar <= 0``
    the defender's cost is known to be 0 and A demands ``p``. (Fearon 1995, the risk-return
    trade-off, IO 49(3))
    """
    if cbar <= 0:
        return float(min(p, 1.0))
    x = p + (cbar - c_a) / 2.0
    x = min(max(x, p), p + cbar)
    return float(min(x, 1.0))


def fearon_war_probability(cbar: float, c_a: float) -> float:
    """Probability that the optimal demand is rejected: ``max(0, (cbar - c_a) / (2*cbar))``.

    Equals ``(x* - p)/cbar`` for the unclipped demand of ``fearon_optimal_demand``; 0 when
    ``cbar <= 0`` (no private information, no war). Dimensionless. (Fearon 1995)
    """
    if cbar <= 0:
        return 0.0
    return float(min(1.0, max(0.0, (cbar - c_a) / (2.0 * cbar))))


def defender_resists(demand: float, p: float, c_b: float) -> bool:
    """Whether a defender with war cost ``c_b`` rejects demand ``x`` (shares of a unit prize).

    Fighting yields ``1 - p - c_b``, accepting yields ``1 - x``; the defender resists iff
    ``x - p > c_b`` (ties go to peace). (Fearon 1995)
    """
    return bool(demand - p > c_b)


# --- Preventive war: Powell 2006 -----------------------------------------------------------


def powell_preventive_threshold(p: float, c: float, delta: float) -> float:
    """Smallest per-period shift of power ``Delta_p`` that makes preventive war rational.

    ``(1 - delta) * (1 - p + c) / delta`` with ``p`` the declining state's current war share,
    ``c`` its war cost (share of the per-period prize) and ``delta`` in (0, 1] the discount factor.
    Returns ``inf`` for ``delta <= 0``: a state that ignores the future never fights to prevent
    it. (Powell 2006, War as a Commitment Problem, IO 60(1))
    """
    if delta <= 0:
        return math.inf
    return float((1.0 - delta) * (1.0 - p + c) / delta)


def prefers_preventive_war(delta_p: float, p: float, c: float, delta: float) -> bool:
    """Whether an expected power shift ``delta_p`` makes fighting now better than waiting.

    ``delta * delta_p > (1 - delta) * (1 - p + c)``; shares of the prize, ``delta`` a discount
    factor. Written without division so ``delta = 0`` needs no special case. (Powell 2006)
    """
    return bool(delta * delta_p > (1.0 - delta) * (1.0 - p + c))


def resistance_probability(p: ArrayLike, cbar: float, c_a: float) -> ArrayLike:
    """Probability that a target resists the challenger's optimal demand (Fearon 1995).

    The target's war cost is uniform on ``[0, cbar]``; the challenger demands
    ``x* = fearon_optimal_demand(p, cbar, c_a)`` and the target resists iff ``x* - p > c_b``, so
    ``P = (x* - p)/cbar`` (0 when ``cbar <= 0``). Shares of a unit prize; accepts numpy arrays.
    """
    if cbar <= 0:
        return 0.0 if _scalars(p) else _out(np.zeros_like(np.asarray(p, dtype=float)))
    if _scalars(p):
        return (fearon_optimal_demand(p, cbar, c_a) - p) / cbar
    pa = np.asarray(p, dtype=float)
    x = np.minimum(np.clip(pa + (cbar - c_a) / 2.0, pa, pa + cbar), 1.0)
    return _out((x - pa) / cbar)
