"""Contests, choice and intervention beliefs: who wins, who chooses to fight.

Pure functions; sources in the package docstring."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from scipy.special import expit

from ._numbers import _SCALAR_TYPES, ArrayLike, _expit, _out, _scalars

# --- Contests and choice ------------------------------------------------------------------


def csf(a: ArrayLike, b: ArrayLike, k: float = 1.0) -> ArrayLike:
    """Probability that the side with strength ``a`` beats the side with strength ``b``.

    Ratio (Tullock) form ``a^k / (a^k + b^k)``; 0.5 when both strengths are 0. ``k >= 0`` is the
    decisiveness of fighting (k = 0: a coin toss; large k: the stronger side almost surely wins).
    Strengths are in any common unit of effective capability; the result is a probability.
    Accepts numpy arrays. (Tullock 1980; Hirshleifer 1989)
    """
    # The model's hottest call (about 25 a year in a europe run): the scalar test and, for two
    # positive strengths, _expit are written out rather than called.
    if type(a) in _SCALAR_TYPES and type(b) in _SCALAR_TYPES and type(k) in _SCALAR_TYPES:
        if a > 0 and b > 0 and k > 0:
            z = k * (math.log(a) - math.log(b))
            if z >= 0:
                return 1.0 / (1.0 + math.exp(-z))
            e = math.exp(z)
            return e / (1.0 + e)
        if a < 0 or b < 0:
            raise ValueError("csf strengths must be non-negative")
        if k < 0:
            raise ValueError("csf decisiveness k must be non-negative")
        if a == 0 or b == 0 or k == 0:
            # 0 vs 0, or k = 0 (a coin toss), is even; otherwise the side with nothing loses.
            return 0.5 if (a == b or k == 0) else (1.0 if b == 0 else 0.0)
        return _expit(k * (math.log(a) - math.log(b)))  # NaN in, NaN out
    a_arr = np.asarray(a, dtype=float)
    b_arr = np.asarray(b, dtype=float)
    if np.any(a_arr < 0) or np.any(b_arr < 0):
        raise ValueError("csf strengths must be non-negative")
    if k < 0:
        raise ValueError("csf decisiveness k must be non-negative")
    # Written as logistic(k * log(a/b)) so a large k or a huge strength ratio cannot overflow a^k.
    with np.errstate(divide="ignore", invalid="ignore"):
        z = k * (np.log(a_arr) - np.log(b_arr))
        p = expit(z)
    # nan arises only for 0 vs 0 (or k = 0 against a zero strength), where the contest is even.
    p = np.where(np.isnan(p), 0.5, p)
    return _out(p)


def logistic(x: ArrayLike) -> ArrayLike:
    """Standard logistic ``1 / (1 + exp(-x))``, dimensionless, numerically stable for any x.

    Accepts numpy arrays. (Verhulst 1838; used here as the logit link of McFadden 1974)
    """
    if _scalars(x):
        return _expit(x)
    return _out(expit(np.asarray(x, dtype=float)))


def logistic_choice(utility: ArrayLike, beta: float, threshold: float) -> ArrayLike:
    """Probability of acting, ``logistic(beta * (utility - threshold))``.

    ``utility`` and ``threshold`` share a unit (e.g. share of the prize); ``beta`` (1/that unit)
    is the precision of choice: 0 is a coin toss, large beta is a near-deterministic threshold
    rule. Quantal response (McFadden 1974; McKelvey & Palfrey 1995).
    """
    if _scalars(utility, beta, threshold):
        return _expit(beta * (utility - threshold))
    u = np.asarray(utility, dtype=float)
    return logistic(beta * (u - threshold))


def choice_hazard(
    utility: ArrayLike,
    base_rate: float,
    sharpness: float,
    threshold: float,
    log_odds: ArrayLike = 0.0,
) -> ArrayLike:
    """Yearly probability of a choice, ``logistic(logit(h) + beta·(EU - theta) + z)``.

    ``h`` (``base_rate``, in (0, 1)) is the chance when the expected utility ``EU`` equals the
    threshold ``theta`` and the shift ``z`` (``log_odds``: dispute memory, contiguity, era) is 0;
    ``beta`` (``sharpness``, 1/utility) multiplies the odds by ``exp(beta)`` per unit of utility.
    The random-utility (logit) choice of McFadden 1974 with an intercept, the form of the
    two-stage deterrence model's challenge and escalation decisions (docs/model.md §7.3.3;
    Huth 1988; Signorino & Tarar 2006). Accepts numpy arrays.
    """
    if not 0.0 < base_rate < 1.0:
        raise ValueError(f"base rate must be in (0, 1), got {base_rate!r}")
    offset = math.log(base_rate / (1.0 - base_rate))
    if _scalars(utility, sharpness, threshold, log_odds):
        return _expit(offset + log_odds + sharpness * (utility - threshold))
    u = np.asarray(utility, dtype=float)
    return logistic(offset + np.asarray(log_odds, dtype=float) + sharpness * (u - threshold))


def dispute_memory(
    *,
    peace_years: ArrayLike,
    recent_disputes: ArrayLike,
    claim: ArrayLike,
    contiguous: ArrayLike,
    rival: ArrayLike,
    post1945: ArrayLike,
    peace_weight: float,
    recent_weight: float,
    claim_weight: float,
    contiguity_weight: float,
    rivalry_weight: float,
    era_weight: float,
) -> ArrayLike:
    """Log-odds shift of a dyad's challenge hazard from its history, issue and setting.

    ``peace_weight·exp(-peace_years/10) + recent_weight·recent_disputes + claim_weight·claim +
    contiguity_weight·contiguous + rivalry_weight·rival + era_weight·post1945``: peace years decay
    the risk (Beck, Katz & Tucker 1998; a 10-year scale), recent disputes and a territorial claim
    raise it (Vasquez 1993; Hensel 2001), neighbours have the opportunity (Most & Starr 1989),
    rivals expect to fight (Thompson & Dreyer 2012), and the post-1945 system has its own rate.
    Weights in log-odds, counts and 0/1 flags; accepts numpy arrays.
    """
    if _scalars(peace_years, recent_disputes, claim, contiguous, rival, post1945):
        decay = math.exp(-peace_years / 10.0)
    else:
        decay = np.exp(-np.asarray(peace_years, dtype=float) / 10.0)
    return (
        peace_weight * decay
        + recent_weight * recent_disputes
        + claim_weight * claim
        + contiguity_weight * contiguous
        + rivalry_weight * rival
        + era_weight * post1945
    )


def expected_help(beliefs: Iterable[float], forces: Iterable[float]) -> tuple[float, float]:
    """(probability that at least one guarantor intervenes, expected force if any does): each
    guarantor comes with probability ``q_i`` and force ``F_i`` independently, and the force given
    that someone comes is ``sum(q_i F_i) / (1 - prod(1 - q_i))``. Probabilities, points."""
    q_none, expected = 1.0, 0.0
    for q, f in zip(beliefs, forces, strict=True):
        q_none *= 1.0 - q
        expected += q * f
    q_any = 1.0 - q_none
    return q_any, (expected / q_any if q_any > 0 else 0.0)


def expected_attack_utility(
    q_hat: ArrayLike,
    p0: ArrayLike,
    p1: ArrayLike,
    prize: ArrayLike,
    cost: ArrayLike,
    escalation_cost: ArrayLike = 0.0,
) -> ArrayLike:
    """Aggressor's expected utility of attacking a partner whose donors may intervene.

    ``EU = q_hat*(p1*V - c*(1+h)) + (1-q_hat)*(p0*V - c)`` where ``q_hat`` is the believed
    probability that donors intervene, ``p0`` the win probability against the partner alone, ``p1``
    against partner plus intervening donors, ``V`` the prize, ``c`` the cost of war (same unit as
    V) and ``h`` the proportional extra cost when donors join. Accepts numpy arrays.
    (Bueno de Mesquita 1981, expected-utility theory of war; Huth 1988, extended deterrence)
    """
    if _scalars(q_hat, p0, p1, prize, cost, escalation_cost):
        return q_hat * (p1 * prize - cost * (1.0 + escalation_cost)) + (1.0 - q_hat) * (
            p0 * prize - cost
        )
    q = np.asarray(q_hat, dtype=float)
    with_donors = np.asarray(p1, dtype=float) * prize - np.asarray(cost, dtype=float) * (
        1.0 + np.asarray(escalation_cost, dtype=float)
    )
    alone = np.asarray(p0, dtype=float) * prize - np.asarray(cost, dtype=float)
    return _out(q * with_donors + (1.0 - q) * alone)


def attrition(attacker: float, side: float, war_losses: float) -> tuple[float, float]:
    """(share of its force the aggressor loses, share the defenders lose) in one war.

    Each side loses ``war_losses`` times the other's share of the forces engaged; the defenders'
    share is computed with the aggressor's capability after its own loss (docs/model.md §7.4).
    Lanchester-style proportional attrition: an assumption, not a fitted law."""
    total = attacker + side
    if total <= 0:
        return 0.0, 0.0
    aggressor_share = war_losses * side / total
    remaining = attacker * (1 - aggressor_share)
    return aggressor_share, war_losses * remaining / total
