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


def test_the_attack_after_the_cliff_exit_is_explained_by_the_fall_in_belief(cliff_events):
    # classroom_cliff_exit, seed 0 (issue 13): year 12, belief 0.6 -> 0.31 at the exit, p = 0.80.
    text = _why_of(cliff_events, 12, "attack")
    assert text.startswith("Rival's chance of attacking: 80%")
    assert "believed Donor would defend Partner with probability 31%" in text
    assert "down from 60% before the exit in year 12" in text
    assert "expected gain 0.37, above its threshold 0.30" in text


def test_the_first_attack_reads_as_a_long_shot(cliff_events):
    text = _why_of(cliff_events, 1, "attack")
    assert "8% (a long shot" in text and "below its threshold 0.30" in text
    assert "down from" not in text  # no earlier decision to compare with


def test_coercion_intervention_and_sunset_have_their_numbers(cliff_events):
    assert "gave in" in _why_of(cliff_events, 33, "coercion")
    assert "demanded 77%" in _why_of(cliff_events, 33, "coercion")
    assert "honouring its commitment was 82%" in _why_of(cliff_events, 1, "intervention")
    assert "sunset year (12)" in _why_of(cliff_events, 12, "sunset")
    assert "stayed out" in _why_of(cliff_events, 25, "abandonment")


def test_every_key_kind_has_an_explainer_or_the_fallback():
    for kind in explain.KEY_KINDS:
        text = why(Ev(3, kind, ("A", "B"), {"probability": 0.5}))
        assert text and "None" not in text


def test_an_unknown_kind_lists_its_numbers():
    text = why(
        Ev(5, "surge", ("Donor", "Partner"), {"extra": 0.25, "years": 3, "reason": "attack"})
    )
    assert text == "Surge (Donor and Partner): extra 0.25, years 3, reason attack."


def test_a_preventive_strike_says_so():
    d = {"probability": 0.6, "q_hat": 0.2, "eu": 0.1, "threshold": 0.3, "p0": 0.7, "p1": 0.3,
         "rule": "preventive", "power_shift": 0.12}  # fmt: skip
    text = why(Ev(4, "attack", ("R", "P"), d))
    assert "preventive strike" in text and "12%" in text


def test_events_from_a_csv_frame_explain_the_same(cliff_events, tmp_path):
    import pandas as pd

    result = run_model(Scenario.preset("classroom_cliff_exit"), seed=0)
    result.save(tmp_path)
    from_csv = explain.as_events(pd.read_csv(tmp_path / "events.csv"))
    assert _why_of(from_csv, 12, "attack") == _why_of(cliff_events, 12, "attack")
