"""Pure mechanism functions of the deterrence model (docs/design.md §5; docs/model.md §7).

Every function here maps numbers to numbers: no Mesa, no model state, no randomness. That keeps
each mechanism testable against its analytic result and lets the agents stay thin.

Mechanisms and sources:

- Contest success function ``csf`` (Tullock 1980, Efficient rent seeking; Hirshleifer 1989,
  Conflict and rent-seeking success functions, Public Choice 63).
- Quantal-response choice ``logistic`` / ``logistic_choice`` (McFadden 1974; McKelvey & Palfrey
  1995).
- Yearly attack probability with a base rate ``attack_probability`` (quantal response around a
  threshold; the base rate calibrated to rival dyad-years, ``docs/calibration.md``).
- Expected utility of attack with uncertain intervention ``expected_attack_utility`` (Bueno de
  Mesquita 1981, The War Trap; Huth 1988, Extended Deterrence and the Prevention of War).
- Bargaining under private information ``fearon_optimal_demand``, ``fearon_war_probability``,
  ``defender_resists`` (Fearon 1995, Rationalist Explanations for War, IO 49(3)).
- Preventive war as a commitment problem ``powell_preventive_threshold``,
  ``prefers_preventive_war`` (Powell 2006, War as a Commitment Problem, IO 60(1)).
- Arms-race dynamics ``richardson_step``, ``richardson_equilibrium``, ``richardson_stable``
  (Richardson 1960, Arms and Insecurity).
- Saturating absorption of aid ``absorption`` (Clemens et al. 2012; Paul et al. 2013, RAND, What
  Works Best When Building Partner Capacity).
- Diversion of aid ``leakage_rate`` (Collier & Hoeffler 2007; Biddle, Macdonald & Baker 2018,
  Small footprint, small payoff, JSS 41(1-2); SIGAR 2021).
- Enforcement of conditionality ``enforcement_probability`` (Buchanan 1975; Gibson et al. 2005;
  Ladwig 2017, The Forgotten Front).
- Donor intervention in a crisis ``intervention_probability`` (Leeds, Long & Mitchell 2000,
  Reevaluating Alliance Reliability, JCR 44(5); Schelling 1966, Arms and Influence).
- Program schedule with sunset and taper ``aid_schedule`` (docs/design.md §5.1).
- Durable reform ``institutionalised`` (North 1990; Andrews, Pritchett & Woolcock 2017).
- Burden-share inequality ``gini`` (Gini 1912).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from scipy.special import expit

__all__ = [
    "absorption",
    "aid_schedule",
    "choice_hazard",
    "crowd_out_share",
    "csf",
    "defender_resists",
    "dispute_memory",
    "enforcement_probability",
    "expected_attack_utility",
    "expected_help",
    "fearon_optimal_demand",
    "fearon_war_probability",
    "gini",
    "human_capital_step",
    "institutionalised",
    "insurgency_onset_probability",
    "insurgent_step",
    "intervention_probability",
    "leakage_rate",
    "logistic",
    "logistic_choice",
    "powell_preventive_threshold",
    "prefers_preventive_war",
    "readiness_share",
    "resistance_probability",
    "richardson_equilibrium",
    "richardson_stable",
    "richardson_step",
    "sustainable_human_capital",
    "sustainment_rate",
]

ArrayLike = float | np.ndarray

PACINGS = ("steady", "front_loaded")


_SCALAR_TYPES = frozenset((float, int))


def _scalars(*xs: object) -> bool:
    # The model calls these functions on single numbers thousands of times a run; plain-float
    # arithmetic there is several times faster than a round trip through numpy. The loop, not
    # all(...) over a generator, because it is about twice as fast on a handful of arguments.
    for x in xs:  # noqa: SIM110
        if type(x) not in _SCALAR_TYPES:
            return False
    return True


def _expit(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _out(x: ArrayLike) -> ArrayLike:
    # Callers in the model work with plain floats (event payloads, comparisons); arrays are only
    # returned when an array came in.
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


# --- Contests and choice ------------------------------------------------------------------


def csf(a: ArrayLike, b: ArrayLike, k: float = 1.0) -> ArrayLike:
    """Probability that the side with strength ``a`` beats the side with strength ``b``.

    Ratio (Tullock) form ``a^k / (a^k + b^k)``; 0.5 when both strengths are 0. ``k >= 0`` is the
    decisiveness of fighting (k = 0: a coin toss; large k: the stronger side almost surely wins).
    Strengths are in any common unit of effective capability; the result is a probability.
    Accepts numpy arrays. (Tullock 1980; Hirshleifer 1989)
    """
    if _scalars(a, b, k):
        if a < 0 or b < 0:
            raise ValueError("csf strengths must be non-negative")
        if k < 0:
            raise ValueError("csf decisiveness k must be non-negative")
        if a == 0 or b == 0 or k == 0:
            # 0 vs 0, or k = 0 (a coin toss), is even; otherwise the side with nothing loses.
            return 0.5 if (a == b or k == 0) else (1.0 if b == 0 else 0.0)
        return _expit(k * (math.log(a) - math.log(b)))
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
    if _scalars(aid, capacity, leakage, saturation):
        ceiling_ = capacity * saturation
        if ceiling_ <= 0:
            return 0.0
        a_ = max(float(aid), 0.0)
        return (1.0 - min(max(leakage, 0.0), 1.0)) * a_ / (1.0 + a_ / ceiling_)
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
