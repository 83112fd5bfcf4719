""" "Why?" texts: pure functions of an event and the events before it."""

from __future__ import annotations

import pytest

from deterrence_sim import Scenario, run_model
from deterrence_sim.dashboard import explain
from deterrence_sim.dashboard.explain import Ev, why


@pytest.fixture(scope="module")
def cliff_events():
    return explain.as_events(run_model(Scenario.preset("classroom_cliff_exit"), seed=0).events)


def _why_of(events, year, kind):
    i = next(i for i, e in enumerate(events) if e.year == year and e.kind == kind)
    return why(events[i], events[:i])


def _first_after_exit(events, kind):
    exit_year = next(e.year for e in events if e.kind == "exit")
    return next(e.year for e in events if e.kind == kind and e.year > exit_year)


def test_the_war_after_the_cliff_exit_is_explained_by_both_stages(cliff_events):
    # classroom_cliff_exit, seed 0 (the two-stage core at its calibrated defaults): the program
    # ends in year 12; in year 28 the rival challenges (a 4% chance that year), the partner resists
    # and the demand escalates to war (91%), believing the donor would defend with 30%.
    year = _first_after_exit(cliff_events, "attack")
    text = _why_of(cliff_events, year, "attack")
    assert text.startswith("Rival's chance of challenging this year: 4%"), text
    assert "escalated to war was 91%" in text
    assert "believed Donor would defend Partner with probability 30%" in text
    assert "expected gain 0.48, above its threshold 0.30" in text


def test_an_unlikely_war_reads_as_a_long_shot(cliff_events):
    # 4% to challenge times 91% to escalate: under one in ten.
    year = _first_after_exit(cliff_events, "attack")
    assert "(a long shot that happened)" in _why_of(cliff_events, year, "attack")


def test_coercion_intervention_and_exit_have_their_numbers(cliff_events):
    resisted = _why_of(cliff_events, 28, "coercion")
    assert "Rival challenged Partner (chance this year 4%)" in resisted
    assert "demanded 100%" in resisted and "Partner resisted" in resisted
    conceded = _why_of(cliff_events, 36, "coercion")
    assert "gave in" in conceded and "as in year 28" in conceded
    defended = _why_of(cliff_events, 28, "intervention")
    assert "fought to defend" in defended and "honouring its commitment was 81%" in defended
    exit_text = _why_of(cliff_events, 12, "exit")
    assert "ended in year 12" in exit_text and "sunset clause" in exit_text


def test_every_explainer_named_in_the_registry_exists():
    from deterrence_sim.events import EVENT_KINDS

    named = {k for k, spec in EVENT_KINDS.items() if spec.explainer}
    assert named and set(explain.EXPLAINERS) == named
    assert set(explain.KEY_KINDS) <= set(EVENT_KINDS)


def test_every_key_kind_has_an_explainer_or_the_fallback():
    for kind in explain.KEY_KINDS:
        text = why(Ev(3, kind, ("A", "B"), {"probability": 0.5}))
        assert text and "None" not in text


def test_an_unknown_kind_lists_its_numbers():
    text = why(Ev(5, "airlift", ("Donor", "Partner"), {"extra": 0.25, "years": 3, "via": "air"}))
    assert text == "Airlift (Donor and Partner): extra 0.25, years 3, via air."


def test_surge_suspension_and_renegotiation_read_their_numbers():
    surge = why(Ev(5, "surge", ("D", "P"), {"multiplier": 1.5, "extra": 0.3, "headroom": 0.7}))
    assert surge == (
        "D raised its aid to P after the attack (×1.5, $0.30bn more this year); "
        "it could still find $0.70bn."
    )
    d = {"governance_change": -0.05, "leak_found": 0.0, "strikes": 3, "response": "cut"}
    cut = why(Ev(6, "suspension", ("D", "P"), d))
    assert cut.startswith("D cut its program in P for backsliding") and "strike 3" in cut
    d = {"conditionality": 0.1, "audit_intensity": 0.2, "years_since_rejection": 2}
    back = why(Ev(7, "renegotiation", ("D", "P"), d))
    assert "10% of aid conditional" in back and "2 years after the rejection" in back


def test_a_window_of_danger_says_so():
    d = {"probability": 0.6, "q_hat": 0.2, "eu": 0.1, "threshold": 0.3, "p0": 0.7, "p1": 0.3,
         "rule": "preventive", "power_shift": 0.12}  # fmt: skip
    text = why(Ev(4, "attack", ("R", "P"), d))
    assert "window of danger" in text and "12%" in text


def test_events_from_a_csv_frame_explain_the_same(cliff_events, tmp_path):
    import pandas as pd

    result = run_model(Scenario.preset("classroom_cliff_exit"), seed=0)
    result.save(tmp_path)
    from_csv = explain.as_events(pd.read_csv(tmp_path / "events.csv"))
    year = _first_after_exit(cliff_events, "attack")
    assert _why_of(from_csv, year, "attack") == _why_of(cliff_events, year, "attack")
