"""Arms races (Richardson 1960) and insurgent dynamics.

Pure functions; sources in the package docstring."""

from __future__ import annotations

import math

from ._numbers import _expit

# --- Arms races: Richardson 1960 -----------------------------------------------------------


# Richardson's own letters (a, b, k, l, g, h) are kept, ``l`` included, so the code reads like
# the textbook equations; callers pass them by these names.
def richardson_step(
    x: float,
    y: float,
    a: float,
    b: float,
    k: float,
    l: float,  # noqa: E741
    g: float,
    h: float,
) -> tuple[float, float]:
    """One year of Richardson's arms dynamics, discretised with a unit step.

    ``x' = x + g + k*y - a*x``, ``y' = y + h + l*x - b*y``. ``x``, ``y`` are arms levels (any
    common unit, e.g. $bn of military stock); ``k``, ``l`` reaction to the rival (per year);
    ``a``, ``b`` fatigue (share lost per year); ``g``, ``h`` grievance (arms units per year).
    (Richardson 1960, Arms and Insecurity)
    """
    x_next = x + g + k * y - a * x
    y_next = y + h + l * x - b * y
    return float(x_next), float(y_next)


def richardson_equilibrium(
    a: float,
    b: float,
    k: float,
    l: float,  # noqa: E741
    g: float,
    h: float,
) -> tuple[float, float]:
    """Fixed point of the Richardson system, in arms units.

    ``x* = (k*h + b*g)/(a*b - k*l)``, ``y* = (l*g + a*h)/(a*b - k*l)``. Raises ``ValueError`` when
    ``a*b == k*l``: the two reaction lines are parallel and there is no equilibrium. When the
    system is unstable the fixed point exists (possibly negative) but is never reached.
    (Richardson 1960)
    """
    det = a * b - k * l
    if det == 0 or math.isclose(a * b, k * l, rel_tol=1e-12, abs_tol=1e-15):
        raise ValueError("Richardson system has no equilibrium when a*b == k*l")
    return float((k * h + b * g) / det), float((l * g + a * h) / det)


def richardson_stable(a: float, b: float, k: float, l: float) -> bool:  # noqa: E741
    """Whether the Richardson arms race settles: ``a*b > k*l`` (fatigue outweighs reaction).

    For annual fatigue rates ``a, b`` in (0, 1] and non-negative reactions this is also exactly
    the condition for ``richardson_step`` iterates to converge. (Richardson 1960)
    """
    return bool(a * b > k * l)


# --- Insurgency -------------------------------------------------------------------------------


def insurgent_step(
    *,
    strength: float,
    max_strength: float,
    growth: float,
    grievance: float,
    suppression: float,
    host_share: float,
    stabilization: float,
    volatility: float,
    shock: float,
) -> float:
    """One year of an insurgency's strength (points), never below 0.

    ``S' = max(0, S + r·g·S(1 − S/S_max) − σ·h·S − u) · exp(v·ε − v²/2)``: logistic growth at rate
    ``r`` scaled by grievance ``g`` (Fearon & Laitin 2003; Collier & Hoeffler 2004), suppression of
    a share ``σ·h`` of its strength — ``σ`` the host's governance-weighted suppression rate, ``h`` its
    contest share, so suppression saturates instead of growing with the host's absolute size
    (UCDP/PRIO: termination does not rise with the host's spending) —, stabilization ``u``
    (points), and a mean-one lognormal shock (``ε`` standard normal, ``v`` the volatility).
    """
    s = strength + growth * grievance * strength * (1 - strength / max_strength)
    s -= suppression * host_share * strength + stabilization
    s = max(0.0, s)
    return s * math.exp(volatility * shock - volatility * volatility / 2)


def insurgency_onset_probability(
    governance: float, *, intercept: float, linear: float, quadratic: float
) -> float:
    """Yearly probability that an insurgency breaks out in a host at peace,
    ``logistic(a + b1·G + b2·G²)``: highest in anocracies, lowest in democracies (Hegre et al.
    2001; Fearon & Laitin 2003; fitted to UCDP/PRIO onsets on V-Dem polyarchy)."""
    return _expit(intercept + linear * governance + quadratic * governance * governance)


def insurgent_gdp_loss(strength: float, *, rate: float, cap: float) -> float:
    """Share of its GDP a host loses in a year to insurgent violence of ``strength`` (points).

    ``cap·(1 − exp(−rate·S/cap))``: about ``rate·S`` while violence is low, saturating at ``cap``
    (Abadie & Gardeazabal 2003: violence costs a share of output that grows with its intensity
    but not without bound). 0 when ``cap`` is 0."""
    if cap <= 0:
        return 0.0
    return cap * (1 - math.exp(-rate * strength / cap))
