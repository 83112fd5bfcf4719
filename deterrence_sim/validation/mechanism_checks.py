"""Mechanism checks: every pure function of :mod:`deterrence_sim.mechanisms` against its
closed-form result or a Monte Carlo of its own model (exact and fast; no simulation runs)."""

from __future__ import annotations

import itertools
import math

import numpy as np

from .. import mechanisms as m
from .results import Check

__all__ = ["mechanism_checks"]


def _mechanism(
    *,
    id: str,
    claim: str,
    source: str,
    expected: str,
    measured: str,
    passed: bool,
    estimate=math.nan,
) -> Check:
    return Check(
        id=id,
        group="mechanism",
        claim=claim,
        source=source,
        expected=expected,
        measured=measured,
        passed=passed,
        estimate=estimate,
    )


def _contest_success() -> Check:
    grid = np.linspace(0.01, 50, 200)
    par = m.csf(grid, grid, 1.3)
    return _mechanism(
        id="M1",
        claim="Contest success function is 1/2 at parity and a^k/(a^k+b^k) otherwise",
        source="Tullock 1980; Hirshleifer 1989",
        expected="csf(a,a)=0.5; csf(3,1)=0.75; csf(2,1,k=2)=0.8 (|error| < 1e-12)",
        measured=f"max |csf(a,a)-0.5| = {np.max(np.abs(par - 0.5)):.1e}; csf(3,1) = {m.csf(3, 1):.4f}; "
        f"csf(2,1,2) = {m.csf(2, 1, 2):.4f}",
        passed=np.max(np.abs(par - 0.5)) < 1e-12
        and abs(m.csf(3, 1) - 0.75) < 1e-12
        and abs(m.csf(2, 1, 2) - 0.8) < 1e-12,
    )


def _logistic_choice() -> Check:
    xs = np.linspace(-30, 30, 121)
    sym = np.max(np.abs(m.logistic(xs) + m.logistic(-xs) - 1))
    return _mechanism(
        id="M2",
        claim="Logistic choice: P = 1/2 at the threshold, symmetric, monotone",
        source="McFadden 1974; McKelvey & Palfrey 1995",
        expected="logistic(x)+logistic(-x)=1; logistic_choice(theta, beta, theta)=0.5",
        measured=f"max symmetry error {sym:.1e}; P at threshold {m.logistic_choice(0.3, 20, 0.3):.3f}",
        passed=sym < 1e-12 and abs(m.logistic_choice(0.3, 20, 0.3) - 0.5) < 1e-12,
    )


def _attack_base_rate() -> Check:
    h_at = m.choice_hazard(0.3, 0.01, 2.0, 0.3)
    h_up = m.choice_hazard(0.8, 0.01, 2.0, 0.3)
    odds = (h_up / (1 - h_up)) / (0.01 / 0.99)
    return _mechanism(
        id="M2b",
        claim="Attack rule with a base rate: P = h0 at the threshold, odds times exp(beta) per unit EU",
        source="Quantal response (McKelvey & Palfrey 1995) with a base rate; docs/calibration.md",
        expected="choice_hazard(theta, h0, beta, theta) = h0; odds ratio for +0.5 EU = exp(0.5 beta)",
        measured=f"P at threshold {h_at:.4f} (h0 0.01); odds ratio {odds:.4f} (exp(1) = {math.e:.4f})",
        passed=abs(h_at - 0.01) < 1e-12 and abs(odds - math.e) < 1e-9,
    )


def _attack_utility() -> Check:
    eu0 = m.expected_attack_utility(0.0, 0.6, 0.2, 1.0, 0.3, 0.5)
    eu1 = m.expected_attack_utility(1.0, 0.6, 0.2, 1.0, 0.3, 0.5)
    euh = m.expected_attack_utility(0.5, 0.6, 0.2, 1.0, 0.3, 0.5)
    return _mechanism(
        id="M3",
        claim="Expected utility of attack mixes the with-donors and alone outcomes by q_hat",
        source="Bueno de Mesquita 1981; Huth 1988",
        expected="EU(q=0) = p0·V - c = 0.3; EU(q=1) = p1·V - c(1+h) = -0.25; EU(0.5) the average",
        measured=f"EU(0) = {eu0:.3f}, EU(1) = {eu1:.3f}, EU(0.5) = {euh:.3f}",
        passed=abs(eu0 - 0.3) < 1e-12 and abs(eu1 + 0.25) < 1e-12 and abs(euh - 0.025) < 1e-12,
    )


def _fearon_bargaining() -> Check:
    # Fearon: Monte Carlo of the defender's private cost against the closed form.
    rng = np.random.default_rng(7)
    p, cbar, ca = 0.4, 0.5, 0.1
    x = m.fearon_optimal_demand(p, cbar, ca)
    cb = rng.uniform(0, cbar, 200_000)
    war_mc = float(np.mean(x - p > cb))
    war_cf = m.fearon_war_probability(cbar, ca)
    demands = np.linspace(p, p + cbar, 2001)
    accept = np.clip((p + cbar - demands) / cbar, 0, 1)
    best = float(demands[np.argmax(demands * accept + (p - ca) * (1 - accept))])
    return _mechanism(
        id="M4",
        claim="Bargaining under private information: optimal demand and war probability",
        source="Fearon 1995",
        expected="x* = p + (cbar - c_a)/2 = 0.6 maximises the proposer's payoff; P(war) = (cbar-c_a)/(2cbar) = 0.4 "
        "matches a Monte Carlo within 0.005",
        measured=f"x* = {x:.3f} (grid optimum {best:.3f}); P(war) closed form {war_cf:.3f}, Monte Carlo {war_mc:.4f}",
        passed=abs(x - 0.6) < 1e-12 and abs(best - x) < 1e-3 and abs(war_mc - war_cf) < 0.005,
        estimate=war_mc,
    )


def _powell_prevention() -> Check:
    thr = m.powell_preventive_threshold(0.5, 0.2, 0.9)
    flips = (not m.prefers_preventive_war(thr * 0.999, 0.5, 0.2, 0.9)) and m.prefers_preventive_war(
        thr * 1.001, 0.5, 0.2, 0.9
    )
    return _mechanism(
        id="M5",
        claim="Preventive war iff delta·Δp > (1-delta)(1-p+c)",
        source="Powell 2006",
        expected="threshold (1-δ)(1-p+c)/δ = 0.0778 for p=0.5, c=0.2, δ=0.9; the decision flips there",
        measured=f"threshold {thr:.4f}; flips at threshold: {flips}",
        passed=abs(thr - 0.7 * 0.1 / 0.9) < 1e-12 and flips,
        estimate=thr,
    )


def _richardson_arms_race() -> Check:
    a, b, k, l_, g, h = 0.3, 0.25, 0.1, 0.2, 1.0, 0.5
    xe, ye = m.richardson_equilibrium(a, b, k, l_, g, h)
    xx, yy = 1.0, 1.0
    for _ in range(2000):
        xx, yy = m.richardson_step(xx, yy, a, b, k, l_, g, h)
    return _mechanism(
        id="M6",
        claim="Richardson arms race converges to x* = (kh + bg)/(ab - kl) when ab > kl",
        source="Richardson 1960",
        expected="iterates reach the closed-form equilibrium within 1e-6",
        measured=f"equilibrium ({xe:.4f}, {ye:.4f}); after 2000 steps ({xx:.4f}, {yy:.4f})",
        passed=m.richardson_stable(a, b, k, l_) and abs(xx - xe) < 1e-6 and abs(yy - ye) < 1e-6,
    )


def _absorption() -> Check:
    aid = np.linspace(0, 50, 501)
    u = m.absorption(aid, 1.5, 0.2, 1.0)
    return _mechanism(
        id="M7",
        claim="Absorption of aid saturates at capacity: increasing, concave, below (1-l)·capacity",
        source="Clemens et al. 2012; Paul et al. 2013",
        expected="u increasing and concave in aid, u < 1.2 = (1-0.2)·1.5; u = 0 at zero capacity",
        measured=f"u(50) = {u[-1]:.3f}; min Δu {np.min(np.diff(u)):.2e}; max Δ²u {np.max(np.diff(u, 2)):.2e}; "
        f"u(cap 0) = {m.absorption(5.0, 0.0):.1f}",
        passed=bool(np.all(np.diff(u) > 0) and np.all(np.diff(u, 2) <= 1e-12) and u[-1] < 1.2)
        and m.absorption(5.0, 0.0) == 0.0,
    )


def _leakage() -> Check:
    lk = m.leakage_rate(0.5, 0.4, 0.5, 2.0, 0.3)
    return _mechanism(
        id="M8",
        claim="Leakage l = l0(1-G)(1-alignment)exp(-θ·audit): falls with governance, alignment and audits",
        source="Collier & Hoeffler 2007; SIGAR 2021",
        expected=f"l(0.5, G 0.4, al 0.5, θ 2, audit 0.3) = {0.5 * 0.6 * 0.5 * math.exp(-0.6):.4f}; decreasing in G",
        measured=f"l = {lk:.4f}",
        passed=abs(lk - 0.5 * 0.6 * 0.5 * math.exp(-0.6)) < 1e-12
        and bool(np.all(np.diff(m.leakage_rate(0.5, np.linspace(0, 1, 11), 0.5, 2.0, 0.3)) < 0)),
    )


def _samaritans_dilemma() -> Check:
    e_hi = m.enforcement_probability(0.7, 0.5, 0.15, 0.9, 0.9, False)
    e_lo = m.enforcement_probability(0.7, 0.5, 0.15, 0.1, 0.1, False)
    e_pool = m.enforcement_probability(0.7, 0.5, 0.15, 0.9, 0.9, True)
    return _mechanism(
        id="M9",
        claim="Samaritan's dilemma: enforcement falls with stake×threat, pooling raises it",
        source="Buchanan 1975; Gibson et al. 2005; Ladwig 2017",
        expected="eps(stake·threat 0.81) = 0.295 < eps(0.01) = 0.695; pooled +0.15",
        measured=f"{e_hi:.3f} < {e_lo:.3f}; pooled {e_pool:.3f}",
        passed=abs(e_hi - 0.295) < 1e-12
        and abs(e_lo - 0.695) < 1e-12
        and abs(e_pool - 0.445) < 1e-12,
    )


def _intervention() -> Check:
    qs = [
        m.intervention_probability(-1.5, 1.1, 1.0, 1.0, 0.5, 0.4, lvl, False, 0.5, 0.3, 0.3, 0.8)
        for lvl in (0.0, 1.0, 2.0, 2.5)
    ]
    q_trip = m.intervention_probability(
        -1.5, 1.1, 1.0, 1.0, 0.5, 0.4, 2.0, True, 0.5, 0.3, 0.3, 0.8
    )
    return _mechanism(
        id="M10",
        claim="Intervention probability rises with commitment level and a tripwire",
        source="Leeds, Long & Mitchell 2000; Schelling 1966",
        expected="strictly increasing over none < assurance < pact < alliance; tripwire raises it",
        measured="q = " + ", ".join(f"{q:.3f}" for q in qs) + f"; pact + tripwire {q_trip:.3f}",
        passed=all(x < y for x, y in itertools.pairwise(qs)) and q_trip > qs[2],
    )


def _aid_schedule() -> Check:
    taper = [m.aid_schedule(y, 1, 20, 4) for y in range(1, 25)]
    cliff = [m.aid_schedule(y, 1, 20, 0) for y in range(1, 25)]
    return _mechanism(
        id="M11",
        claim="Aid schedule: full aid, a linear taper to zero at the sunset, or a cliff",
        source="docs/model.md §7.1.1",
        expected="taper years 16-19 give 4/5, 3/5, 2/5, 1/5; 0 from year 20; the cliff drops 1 → 0 at year 20",
        measured="taper "
        + ", ".join(f"{v:.2f}" for v in taper[14:20])
        + f"; cliff years 19-20: {cliff[18]:.0f}, {cliff[19]:.0f}",
        passed=np.allclose(taper[15:19], [0.8, 0.6, 0.4, 0.2])
        and taper[19] == 0
        and cliff[18] == 1
        and cliff[19] == 0,
    )


def _burden_gini() -> Check:
    gi = (m.gini([1, 1, 1, 1]), m.gini([0, 0, 0, 4]))
    return _mechanism(
        id="M12",
        claim="Burden-share inequality: Gini 0 for equal shares, (n-1)/n when one pays all",
        source="Gini 1912",
        expected="gini(1,1,1,1) = 0; gini(0,0,0,4) = 0.75",
        measured=f"{gi[0]:.3f}, {gi[1]:.3f}",
        passed=abs(gi[0]) < 1e-12 and abs(gi[1] - 0.75) < 1e-12,
    )


def _institutionalisation() -> Check:
    return _mechanism(
        id="M13",
        claim="Reforms become the new baseline only after holding for the required years",
        source="North 1990; Andrews, Pritchett & Woolcock 2017",
        expected="institutionalised(4, 5) false, institutionalised(5, 5) true",
        measured=f"{m.institutionalised(4, 5)}, {m.institutionalised(5, 5)}",
        passed=(not m.institutionalised(4, 5)) and m.institutionalised(5, 5),
    )


#: The checks in report order (M1, M2, M2b, … M13).
def _capability() -> Check:
    """Upkeep, readiness, own training and crowd-out (issue 18) against their closed forms."""
    rate = m.sustainment_rate(0.65, 25)
    h = 0.1
    for _ in range(2000):
        h = m.human_capital_step(h, 0.1, 1.0, 0.35, 0.8, 0.06)
    h_star = m.sustainable_human_capital(0.35, 0.1, 0.8, 0.06)
    crowd = [m.crowd_out_share(a, 1.0, 0.3) for a in (0.0, 0.5, 1.0, 3.0)]
    ready = (m.readiness_share(0.3, 0.6), m.readiness_share(1.0, 0.5), m.readiness_share(0.0, 0.0))
    return _mechanism(
        id="M14",
        claim="Upkeep and readiness: sustainment rate s/(1-s)/L; readiness the funded share of "
        "upkeep; own training's human capital converges to its fixed point; crowd-out "
        "below 1 $ per absorbed $",
        source="US GAO (sustainment 60-70% of life-cycle cost); Feyzioglu, Swaroop & Zhu 1998",
        expected="sustainment_rate(0.65, 25) = 0.0743; readiness 0.5, 1, 1; H after 2000 "
        "steps = sustainable level (|error| < 1e-9); crowd-out 0, 0.15, 0.3, 0.3",
        measured=f"{rate:.4f}; {ready}; H {h:.6f} vs {h_star:.6f}; {crowd}",
        passed=abs(rate - 0.65 / 0.35 / 25) < 1e-12
        and ready == (0.5, 1.0, 1.0)
        and abs(h - h_star) < 1e-9
        and crowd == [0.0, 0.15, 0.3, 0.3],
    )


CHECKS = (
    _contest_success,
    _logistic_choice,
    _attack_base_rate,
    _attack_utility,
    _fearon_bargaining,
    _powell_prevention,
    _richardson_arms_race,
    _absorption,
    _leakage,
    _samaritans_dilemma,
    _intervention,
    _aid_schedule,
    _burden_gini,
    _institutionalisation,
    _capability,
)


def mechanism_checks() -> list[Check]:
    """Every mechanism against its closed form or a Monte Carlo of its own model (exact, fast)."""
    return [check() for check in CHECKS]
