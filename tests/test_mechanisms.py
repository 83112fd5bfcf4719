"""Analytic and property tests of the pure mechanisms (docs/design.md §5; docs/model.md §7.0)."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence_sim import mechanisms as m

# Per-test settings rather than a global profile, so other test modules keep their own; no
# deadline because timing on a busy shared machine is not what these tests check.
prop = settings(max_examples=100, deadline=None)

unit = st.floats(0.0, 1.0)
nonneg = st.floats(0.0, 1e6)
real = st.floats(-1e3, 1e3)
weight = st.floats(0.0, 10.0)


# --- csf ------------------------------------------------------------------------------------


@pytest.mark.parametrize("a", [0.0, 1e-9, 0.3, 1.0, 7.5, 1e6])
@pytest.mark.parametrize("k", [0.0, 0.5, 1.0, 2.0, 10.0])
def test_csf_parity_is_half(a, k):
    assert m.csf(a, a, k) == pytest.approx(0.5)


def test_csf_known_values_and_zero():
    assert m.csf(0.0, 0.0) == 0.5
    assert m.csf(3.0, 1.0) == pytest.approx(0.75)
    assert m.csf(2.0, 1.0, k=2.0) == pytest.approx(0.8)
    assert m.csf(0.0, 1.0) == 0.0
    assert m.csf(1.0, 0.0) == 1.0
    assert isinstance(m.csf(1.0, 2.0), float)


def test_csf_monotone_and_vectorised():
    grid = np.linspace(0.0, 10.0, 201)
    up = m.csf(grid, 2.0, 1.5)
    down = m.csf(2.0, grid, 1.5)
    assert isinstance(up, np.ndarray) and up.shape == grid.shape
    assert np.all(np.diff(up) > 0)
    assert np.all(np.diff(down) < 0)


def test_csf_rejects_negative():
    with pytest.raises(ValueError):
        m.csf(-1.0, 1.0)


@prop
@given(nonneg, nonneg, st.floats(0.0, 20.0))
def test_csf_is_probability_and_symmetric(a, b, k):
    p = m.csf(a, b, k)
    assert 0.0 <= p <= 1.0
    assert p + m.csf(b, a, k) == pytest.approx(1.0, abs=1e-12)


@prop
@given(nonneg, nonneg, nonneg, st.floats(0.1, 10.0))
def test_csf_monotone_property(a1, a2, b, k):
    lo, hi = sorted((a1, a2))
    assert m.csf(lo, b, k) <= m.csf(hi, b, k)
    assert m.csf(b, lo, k) >= m.csf(b, hi, k)


# --- logistic choice and expected utility ---------------------------------------------------


def test_logistic_values_and_stability():
    assert m.logistic(0.0) == 0.5
    assert m.logistic(1e4) == 1.0
    assert m.logistic(-1e4) == 0.0
    assert isinstance(m.logistic(0.3), float)
    np.testing.assert_allclose(m.logistic(np.array([-2.0, 2.0])), 1 / (1 + np.exp([2.0, -2.0])))


def test_logistic_choice_at_threshold():
    assert m.logistic_choice(0.7, 5.0, 0.7) == pytest.approx(0.5)
    assert m.logistic_choice(5.0, 0.0, 0.0) == pytest.approx(0.5)


@prop
@given(real, real, st.floats(0.0, 50.0), real)
def test_logistic_choice_probability_monotone(u1, u2, beta, threshold):
    lo, hi = sorted((u1, u2))
    p_lo = m.logistic_choice(lo, beta, threshold)
    p_hi = m.logistic_choice(hi, beta, threshold)
    assert 0.0 <= p_lo <= p_hi <= 1.0


def test_expected_attack_utility():
    # No intervention expected: plain war value p0*V - c.
    assert m.expected_attack_utility(0.0, 0.6, 0.2, 10.0, 1.0) == pytest.approx(5.0)
    # Certain intervention with 50% escalation cost: p1*V - 1.5c.
    assert m.expected_attack_utility(1.0, 0.6, 0.2, 10.0, 1.0, 0.5) == pytest.approx(0.5)
    assert m.expected_attack_utility(0.5, 0.6, 0.2, 10.0, 1.0, 0.5) == pytest.approx(2.75)
    q = np.linspace(0, 1, 11)
    eu = m.expected_attack_utility(q, 0.6, 0.2, 10.0, 1.0, 0.5)
    assert np.all(np.diff(eu) < 0)


# --- Fearon 1995 ----------------------------------------------------------------------------


def test_fearon_war_probability_analytic():
    assert m.fearon_war_probability(0.4, 0.1) == pytest.approx(0.375, abs=1e-15)
    assert m.fearon_war_probability(0.1, 0.4) == 0.0
    assert m.fearon_war_probability(0.0, 0.1) == 0.0
    assert m.fearon_war_probability(-1.0, 0.1) == 0.0


def test_fearon_optimal_demand_formula_and_clipping():
    assert m.fearon_optimal_demand(0.4, 0.4, 0.1) == pytest.approx(0.55)
    # Proposer's own cost exceeds the defender's maximum: demand exactly the war share.
    assert m.fearon_optimal_demand(0.4, 0.1, 0.5) == pytest.approx(0.4)
    # Never more than the whole prize.
    assert m.fearon_optimal_demand(0.9, 0.5, 0.0) == 1.0
    assert m.fearon_optimal_demand(0.3, 0.0, 0.1) == pytest.approx(0.3)


def test_defender_resists():
    assert m.defender_resists(0.55, 0.4, 0.1) is True
    assert m.defender_resists(0.55, 0.4, 0.2) is False
    assert m.defender_resists(0.5, 0.4, 0.1 + 1e-12) is False


def test_fearon_monte_carlo_matches_war_probability():
    p, cbar, c_a = 0.4, 0.4, 0.1
    demand = m.fearon_optimal_demand(p, cbar, c_a)
    rng = np.random.default_rng(20240601)
    costs = rng.uniform(0.0, cbar, size=200_000)
    wars = sum(m.defender_resists(demand, p, float(c_b)) for c_b in costs)
    assert wars / costs.size == pytest.approx(m.fearon_war_probability(cbar, c_a), abs=0.005)


def test_fearon_demand_maximises_expected_payoff():
    p, cbar, c_a = 0.4, 0.4, 0.1
    grid = np.linspace(p - 0.1, min(1.0, p + cbar + 0.1), 20_001)
    war = np.clip((grid - p) / cbar, 0.0, 1.0)
    payoff = (1.0 - war) * grid + war * (p - c_a)
    best = grid[np.argmax(payoff)]
    assert best == pytest.approx(m.fearon_optimal_demand(p, cbar, c_a), abs=0.005)


# --- Powell 2006 ----------------------------------------------------------------------------


def test_powell_threshold_and_decision():
    p, c, delta = 0.6, 0.1, 0.9
    threshold = m.powell_preventive_threshold(p, c, delta)
    assert threshold == pytest.approx(0.05556, abs=1e-4)
    assert m.prefers_preventive_war(threshold + 1e-6, p, c, delta)
    assert not m.prefers_preventive_war(threshold - 1e-6, p, c, delta)
    assert m.powell_preventive_threshold(p, c, 1.0) == 0.0
    assert m.powell_preventive_threshold(p, c, 0.0) == float("inf")
    assert not m.prefers_preventive_war(1.0, p, c, 0.0)


# --- Richardson 1960 ------------------------------------------------------------------------


def test_richardson_stable_converges_to_equilibrium():
    a = b = 0.5
    k = l = 0.3  # noqa: E741
    g = h = 1.0
    assert m.richardson_stable(a, b, k, l)
    x_star, y_star = m.richardson_equilibrium(a, b, k, l, g, h)
    assert (x_star, y_star) == (pytest.approx(5.0), pytest.approx(5.0))
    x, y = 0.0, 0.0
    for _ in range(200):
        x, y = m.richardson_step(x, y, a, b, k, l, g, h)
    assert isinstance(x, float)
    assert (x, y) == (pytest.approx(5.0, abs=1e-9), pytest.approx(5.0, abs=1e-9))


def test_richardson_unstable_diverges():
    a = b = 0.5
    k = l = 0.6  # noqa: E741
    assert not m.richardson_stable(a, b, k, l)
    x, y = 0.0, 0.0
    for _ in range(200):
        x, y = m.richardson_step(x, y, a, b, k, l, 1.0, 1.0)
    assert x > 1e3 and y > 1e3


def test_richardson_equilibrium_asymmetric_and_singular():
    x_star, y_star = m.richardson_equilibrium(0.4, 0.5, 0.2, 0.1, 1.0, 2.0)
    # The fixed point makes the yearly change zero.
    assert m.richardson_step(x_star, y_star, 0.4, 0.5, 0.2, 0.1, 1.0, 2.0) == (
        pytest.approx(x_star),
        pytest.approx(y_star),
    )
    with pytest.raises(ValueError):
        m.richardson_equilibrium(0.5, 0.5, 0.5, 0.5, 1.0, 1.0)


# --- absorption and leakage -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("capacity", "leakage", "saturation"), [(1.0, 0.0, 1.0), (2.5, 0.3, 0.8), (10.0, 0.9, 2.0)]
)
def test_absorption_shape(capacity, leakage, saturation):
    aid = np.linspace(0.0, 50.0, 501)
    u = m.absorption(aid, capacity, leakage, saturation)
    assert u[0] == 0.0
    assert np.all(np.diff(u) > 0)
    assert np.all(np.diff(u, 2) <= 1e-12)
    bound = capacity * saturation * (1.0 - leakage)
    assert np.all(u < bound)
    # Near the bound for aid far beyond capacity.
    assert m.absorption(1e9, capacity, leakage, saturation) == pytest.approx(bound, rel=1e-6)


def test_absorption_scalar_and_zero_capacity():
    assert m.absorption(1.0, 1.0) == pytest.approx(0.5)
    assert isinstance(m.absorption(1.0, 1.0), float)
    assert m.absorption(0.0, 3.0) == 0.0
    assert m.absorption(5.0, 0.0) == 0.0
    assert m.absorption(5.0, -1.0) == 0.0
    np.testing.assert_array_equal(m.absorption(5.0, np.array([0.0, -2.0])), [0.0, 0.0])


def test_leakage_known_value():
    expected = 0.4 * 0.5 * 0.8 * np.exp(-2.0 * 0.5)
    assert m.leakage_rate(0.4, 0.5, 0.2, 2.0, 0.5) == pytest.approx(expected)
    assert m.leakage_rate(0.4, 0.0, 0.0, 1.0, 0.0) == pytest.approx(0.4)
    assert m.leakage_rate(0.4, 1.0, 0.0, 0.0, 0.0) == 0.0


@prop
@given(unit, unit, unit, st.floats(0.0, 100.0), st.floats(0.0, 100.0))
def test_leakage_in_range(base, governance, alignment, sensitivity, intensity):
    leak = m.leakage_rate(base, governance, alignment, sensitivity, intensity)
    assert 0.0 <= leak <= base
    # More auditing never raises leakage.
    assert m.leakage_rate(base, governance, alignment, sensitivity, intensity + 1.0) <= leak


# --- enforcement and intervention -----------------------------------------------------------


def test_enforcement_known_values():
    assert m.enforcement_probability(0.8, 0.5, 0.2, 1.0, 0.6, False) == pytest.approx(0.5)
    assert m.enforcement_probability(0.8, 0.5, 0.2, 1.0, 0.6, True) == pytest.approx(0.7)
    assert m.enforcement_probability(0.9, 0.0, 0.5, 0.0, 0.0, True) == 1.0
    assert m.enforcement_probability(0.1, 2.0, 0.0, 1.0, 1.0, False) == 0.0


@prop
@given(unit, weight, weight, unit, unit, unit, unit, st.booleans())
def test_enforcement_probability_monotone(base, discount, bonus, s1, s2, t1, t2, pooled):
    s_lo, s_hi = sorted((s1, s2))
    t_lo, t_hi = sorted((t1, t2))
    eps = m.enforcement_probability(base, discount, bonus, s_lo, t_lo, pooled)
    assert 0.0 <= eps <= 1.0
    assert m.enforcement_probability(base, discount, bonus, s_hi, t_lo, pooled) <= eps
    assert m.enforcement_probability(base, discount, bonus, s_lo, t_hi, pooled) <= eps
    assert m.enforcement_probability(base, discount, bonus, s_lo, t_lo, True) >= (
        m.enforcement_probability(base, discount, bonus, s_lo, t_lo, False)
    )


def test_intervention_calibration_example():
    # An intercept of logit(0.75) with everything else off reproduces the 75% reliability.
    q = m.intervention_probability(
        np.log(3.0), 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, False, 0.0, 0.0, 0.0, 1.0
    )
    assert q == pytest.approx(0.75)
    # Zero will does not divide by zero.
    q0 = m.intervention_probability(0.0, 0, 0, 0, 0, 1.0, 0, False, 0, 0, 1.0, 0.0)
    assert 0.0 <= q0 < 1e-6


@prop
@given(
    st.floats(-5.0, 5.0),
    st.lists(weight, min_size=5, max_size=5),
    unit,
    st.booleans(),
    unit,
    unit,
    st.floats(0.0, 10.0),
    st.floats(0.01, 10.0),
)
def test_intervention_probability_monotone(
    intercept, weights, commitment, tripwire, stake, interop, cost, will
):
    w_c, w_t, w_s, w_i, w_cost = weights

    def q(**kw):
        args = {
            "commitment_level": commitment,
            "tripwire": tripwire,
            "stake": stake,
            "interoperability": interop,
            "cost": cost,
            "will": will,
        } | kw
        return m.intervention_probability(intercept, w_c, w_t, w_s, w_i, w_cost, **args)

    base = q()
    assert 0.0 <= base <= 1.0
    assert q(commitment_level=commitment + 0.5) >= base
    assert q(tripwire=True) >= q(tripwire=False)
    assert q(stake=stake + 0.5) >= base
    assert q(interoperability=interop + 0.5) >= base
    assert q(cost=cost + 1.0) <= base
    assert q(will=will + 1.0) >= base


# --- aid schedule ---------------------------------------------------------------------------


def schedule(years, *args, **kwargs):
    return [m.aid_schedule(t, *args, **kwargs) for t in years]


def test_aid_schedule_before_start_and_open_ended():
    assert schedule(range(1, 5), 5, None, 0) == [0.0] * 4
    assert schedule(range(5, 40), 5, None, 3) == [1.0] * 35


def test_aid_schedule_cliff():
    assert schedule(range(1, 10), 2, 6, 0) == [0, 1, 1, 1, 1, 0, 0, 0, 0]


def test_aid_schedule_taper():
    # Start 1, sunset 10, taper 3: full to year 6, then 3/4, 2/4, 1/4, then 0.
    got = schedule(range(1, 13), 1, 10, 3)
    assert got == pytest.approx([1, 1, 1, 1, 1, 1, 0.75, 0.5, 0.25, 0, 0, 0])
    taper = got[6:9]
    assert all(0 < v < 1 for v in taper)
    assert all(x > y for x, y in pairwise(taper))


def test_aid_schedule_front_loaded():
    got = schedule(range(1, 13), 2, 11, 2, "front_loaded", 3, 1.5)
    assert got == pytest.approx([0, 1.5, 1.5, 1.5, 1, 1, 1, 1, 2 / 3, 1 / 3, 0, 0])
    open_ended = schedule(range(3, 9), 3, None, 0, "front_loaded", 2, 2.0)
    assert open_ended == [2.0, 2.0, 1.0, 1.0, 1.0, 1.0]
    # A taper that overlaps the surge window is not surged.
    assert schedule(range(1, 4), 1, 3, 2, "front_loaded", 3, 2.0) == pytest.approx(
        [2 / 3, 1 / 3, 0]
    )


def test_aid_schedule_bad_pacing():
    with pytest.raises(ValueError):
        m.aid_schedule(3, 1, None, 0, pacing="back_loaded")


@prop
@given(
    st.integers(1, 30),
    st.integers(1, 40),
    st.integers(0, 10),
    st.sampled_from(["steady", "front_loaded"]),
    st.integers(0, 5),
    st.floats(1.0, 3.0),
)
def test_aid_schedule_bounded_and_non_increasing(start, length, taper, pacing, surge, factor):
    sunset = start + length
    years = range(1, sunset + 5)
    got = schedule(years, start, sunset, taper, pacing, surge, factor)
    assert all(0.0 <= v <= factor for v in got)
    after_surge = [v for t, v in zip(years, got, strict=True) if t >= start + surge]
    assert all(x >= y for x, y in pairwise(after_surge))
    if pacing == "steady":
        program = got[start - 1 :]
        assert all(x >= y for x, y in pairwise(program))


# --- institutionalisation and gini ----------------------------------------------------------


def test_institutionalised():
    assert m.institutionalised(5, 5)
    assert m.institutionalised(6, 5)
    assert not m.institutionalised(4, 5)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 100])
def test_gini_extremes(n):
    assert m.gini([2.5] * n) == pytest.approx(0.0, abs=1e-12)
    assert m.gini([0.0] * (n - 1) + [7.0]) == pytest.approx((n - 1) / n)


def test_gini_edge_cases():
    assert m.gini([0.0, 0.0, 0.0]) == 0.0
    assert m.gini([]) == 0.0
    assert m.gini(np.array([1.0, 3.0])) == pytest.approx(0.25)
    assert m.gini(x for x in (1.0, 3.0)) == pytest.approx(0.25)
    with pytest.raises(ValueError):
        m.gini([1.0, -1.0])


@prop
@given(st.lists(st.floats(0.0, 1e6), min_size=1, max_size=50))
def test_gini_in_unit_interval(values):
    assert 0.0 <= m.gini(values) <= 1.0


# --- The plain-float fast paths agree with the array paths ----------------------------------

_fin = st.floats(0.0, 50.0, allow_nan=False)
_unit = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(a=_fin, b=_fin, k=st.floats(0.0, 5.0))
def test_csf_scalar_path_matches_array_path(a, b, k):
    assert m.csf(a, b, k) == pytest.approx(
        float(m.csf(np.array([a]), np.array([b]), k)[0]), abs=1e-12
    )


@settings(max_examples=200, deadline=None)
@given(aid=st.floats(-1.0, 50.0), cap=st.floats(0.0, 10.0), leak=_unit, sat=st.floats(0.1, 5.0))
def test_absorption_scalar_path_matches_array_path(aid, cap, leak, sat):
    arr = m.absorption(np.array([aid]), np.array([cap]), np.array([leak]), sat)[0]
    assert m.absorption(aid, cap, leak, sat) == pytest.approx(float(arr), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(base=_unit, g=_unit, al=_unit, theta=st.floats(0.0, 5.0), audit=_unit)
def test_leakage_scalar_path_matches_array_path(base, g, al, theta, audit):
    arr = m.leakage_rate(np.array([base]), np.array([g]), np.array([al]), theta, audit)[0]
    assert m.leakage_rate(base, g, al, theta, audit) == pytest.approx(float(arr), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    q=_unit, p0=_unit, p1=_unit, v=st.floats(0.0, 3.0), c=st.floats(0.0, 2.0), h=st.floats(0.0, 2.0)
)
def test_attack_utility_and_choice_scalar_paths_match(q, p0, p1, v, c, h):
    eu = m.expected_attack_utility(q, p0, p1, v, c, h)
    arr = m.expected_attack_utility(np.array([q]), p0, p1, v, c, h)[0]
    assert eu == pytest.approx(float(arr), abs=1e-12)
    assert m.logistic_choice(eu, 20.0, 0.3) == pytest.approx(
        float(m.logistic_choice(np.array([eu]), 20.0, 0.3)[0]), abs=1e-12
    )


def test_insurgent_gdp_loss_is_linear_when_small_and_saturates_at_its_cap():
    small = m.insurgent_gdp_loss(0.01, rate=0.02, cap=0.1)
    assert small == pytest.approx(0.02 * 0.01, rel=1e-3)
    assert m.insurgent_gdp_loss(1e6, rate=0.02, cap=0.1) == pytest.approx(0.1)
    losses = [m.insurgent_gdp_loss(s, rate=0.02, cap=0.1) for s in (0.0, 1.0, 5.0, 20.0)]
    assert losses[0] == 0.0 and all(a < b for a, b in pairwise(losses))
    assert m.insurgent_gdp_loss(3.0, rate=0.02, cap=0.0) == 0.0
