"""Stylized facts 1-5 of docs/design.md §7 and the calibration base rates as statistical tests.

Each test runs the same paired experiment as `deterrence-sim validate` (common random numbers:
every arm runs seeds 0..N-1) through :func:`deterrence_sim.validation.run_checks` and asserts the
check's pre-stated pass rule. The tolerances are in the rules themselves (the ``expected`` column
of the report), e.g. fact 1b: the effect of aid on a very fragile partner is below 25% of its effect
on a well-governed one; base rate B1: the pooled intervention rate lies in [0.65, 0.85]. A failure
message carries the measured effect and its 95% CI.
"""

from __future__ import annotations

import math

import pytest

from deterrence_sim.validation import run_checks

#: Seeds per arm: enough for the 95% CIs to separate the effects from zero (see the report).
SEEDS = 100

pytestmark = pytest.mark.slow  # each group runs hundreds of model runs (5-25 s each)


def _assert_all(checks, expected_ids):
    assert [c.id for c in checks] == expected_ids
    for c in checks:
        assert c.seeds is None or c.seeds >= SEEDS // 2, c
        if c.ci is not None and not any(math.isnan(x) for x in c.ci):
            assert c.ci[0] <= c.estimate <= c.ci[1]
    failed = [
        f"{c.id} {c.claim}: expected {c.expected}; measured {c.measured}"
        for c in checks
        if not c.passed
    ]
    assert not failed, "\n".join(failed)


def test_fact1_aid_effect_grows_with_governance():
    _assert_all(run_checks(["fact1"], SEEDS), ["F1a", "F1b"])


def test_fact2_conditionality_works_only_when_enforced():
    _assert_all(run_checks(["fact2"], SEEDS), ["F2a", "F2b"])


def test_fact3_dependency_cliff_exit_and_taper():
    _assert_all(run_checks(["fact3"], SEEDS), ["F3a", "F3b", "F3c", "F3d"])


def test_fact4_aid_raises_rival_arming():
    _assert_all(run_checks(["fact4"], SEEDS), ["F4a", "F4b", "F4c"])


def test_fact5_attacks_fall_with_balance_and_commitment():
    # At the calibrated rates a commitment lowers a small attack probability a little: 4x seeds.
    _assert_all(run_checks(["fact5"], 4 * SEEDS), ["F5a", "F5b"])


def test_base_rates():
    # B1 needs more seeds: only about half of the runs see a war that calls on the pact.
    checks = run_checks(["pact_honoured"], 4 * SEEDS) + run_checks(
        ["aid_arming", "governance_gating"], SEEDS
    )
    _assert_all(checks, ["B1", "B2", "B3"])
