"""A partner's capability: upkeep, readiness, own training, crowd-out.

Pure functions; sources in the package docstring."""

from __future__ import annotations

# --- Capability: upkeep, readiness, own training, crowd-out -------------------------------


def sustainment_rate(sustainment_share: float, service_life: float) -> float:
    """Yearly sustainment cost per $ of acquisition value, ``s / (1 - s) / L``.

    ``s`` is sustainment's share of a weapon system's life-cycle cost (acquisition + sustainment;
    US GAO: 60–70 % for major systems), ``L`` its service life in years (20–30 for major
    systems). With s = 0.65 and L = 25: 0.074 $ of upkeep per $ of equipment a year. Raises
    ``ValueError`` for ``s`` outside [0, 1) or ``L <= 0``.
    """
    if not 0.0 <= sustainment_share < 1.0:
        raise ValueError(f"sustainment share must be in [0, 1), got {sustainment_share!r}")
    if service_life <= 0:
        raise ValueError(f"service life must be positive, got {service_life!r}")
    return sustainment_share / (1.0 - sustainment_share) / service_life


def readiness_share(funded: float, need: float) -> float:
    """Share of the equipment kept in service: ``clip(funded / need, 0, 1)``, 1 with no need.

    Equipment without funded spares, fuel and maintenance stands idle (a mission-capable rate);
    both in $bn/yr.
    """
    if need <= 0:
        return 1.0
    return min(1.0, max(0.0, funded / need))


def human_capital_step(
    h: float, training: float, scale: float, rate: float, gating: float, attrition: float
) -> float:
    """Next year's trained human capital ``H`` (0–1).

    ``H + rate·(training/scale)·gating·(1 − H)``, then attrition ``× (1 − attrition)``:
    training money ``training`` ($bn/yr, aid and the partner's own) acts relative to the force's
    size ``scale`` (its own defence budget, $bn/yr); ``gating`` (0–1) is how well governance turns
    training into skill; ``attrition`` (1/yr) is turnover. Clipped to [0, 1].
    """
    gain = rate * max(training, 0.0) / max(scale, 1e-9) * gating * (1.0 - h)
    return min(1.0, max(0.0, (h + gain) * (1.0 - attrition)))


def sustainable_human_capital(rate: float, share: float, gating: float, attrition: float) -> float:
    """Human capital a partner keeps on its own training alone: the fixed point of
    :func:`human_capital_step` with ``training = share·scale``, ``H* = x(1 − a)/(x(1 − a) + a)``
    where ``x = rate·share·gating`` and ``a = attrition``. Dimensionless, in [0, 1)."""
    x = rate * share * gating * (1.0 - attrition)
    if x + attrition <= 0:
        return 0.0
    return x / (x + attrition)


def crowd_out_share(absorbed: float, own_budget: float, rate: float) -> float:
    """Share of its own defence budget a partner stops spending because aid arrives:
    ``rate · min(1, absorbed / own_budget)`` (fungibility). ``absorbed`` is aid that reached the
    forces after leakage and absorption ($bn/yr), ``own_budget`` the partner's own budget at its
    baseline share ($bn/yr). Each absorbed $ replaces ``rate`` $ of own spending (until aid
    matches the budget), so with ``rate < 1`` more aid always adds resources. (Feyzioglu,
    Swaroop & Zhu 1998; Collier & Hoeffler 2007)
    """
    if own_budget <= 0:
        return 0.0
    return rate * min(1.0, max(absorbed, 0.0) / own_budget)
