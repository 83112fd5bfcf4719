"""Exits as records: each program's exit is kept when it happens, and the post-exit metrics are
computed per exited program (docs/metrics.md)."""

from __future__ import annotations

import math

from deterrence_sim.model import DeterrenceModel
from deterrence_sim.run import run_model
from deterrence_sim.scenario import Scenario

POST_EXIT = (
    "post_exit_retention",
    "governance_at_sunset",
    "governance_10y_after_sunset",
    "post_exit_attacks",
)


def test_one_donor_leaving_while_another_stays_has_finite_post_exit_metrics():
    # The USA leaves its partners in year 10, the UK stays: total aid never reaches zero, which
    # made every post-exit metric NaN when the exit was inferred from the total.
    sc = Scenario.preset("europe").with_overrides(
        {"donors.USA.policy.sunset_year": 10, "donors.UKG.policy.sunset_year": "open"}
    )
    result = run_model(sc, years=40, seed=0)
    for name in POST_EXIT:
        assert math.isfinite(result.metrics[name]), name


def test_exit_records_name_donor_partner_year_and_reason():
    sc = Scenario.preset("europe").with_overrides({"donors.USA.policy.sunset_year": 10})
    model = DeterrenceModel(sc, seed=0)
    for _ in range(15):
        model.step()
    usa = [e for e in model.exits if e.donor == "USA"]
    aided = {p.partner.name for p in model.programs if p.donor.name == "USA"}
    assert {e.partner for e in usa} == aided
    assert {e.year for e in usa} == {10} and {e.reason for e in usa} == {"sunset"}
    events = [e for e in model.event_log if e.kind == "exit" and e.actors[0] == "USA"]
    assert len(events) == len(usa)
    model.release()


def test_open_ended_programs_have_no_exit_and_nan_metrics():
    sc = Scenario.preset("europe").with_overrides({"donors.*.policy.sunset_year": "open"})
    result = run_model(sc, years=30, seed=1)
    for name in POST_EXIT:
        assert math.isnan(result.metrics[name]), name
