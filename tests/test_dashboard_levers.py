"""The dashboard's lever table: levers ↔ scenario overrides, hints, and the link (URL query)."""

from __future__ import annotations

import pytest

from deterrence_sim import Scenario, ScenarioError
from deterrence_sim.dashboard import levers as lv


def test_levers_from_scenario_reproduce_the_scenario():
    scen = Scenario.preset("classroom_cliff_exit")
    levers = lv.levers_from_scenario(scen)
    pol = scen.donors[0].policy
    assert levers["open_ended"] is (pol.sunset_year is None)
    assert levers["taper_years"] == pol.taper_years
    assert lv.lever_overrides(scen, levers) == {}
    assert lv.apply_levers(scen, levers) is scen


@pytest.mark.parametrize("preset", sorted(Scenario.presets()))
def test_untouched_levers_change_nothing_in_any_preset(preset):
    scen = Scenario.preset(preset)
    assert lv.apply_levers(scen, lv.levers_from_scenario(scen)).to_dict() == scen.to_dict()


def test_every_shown_lever_is_a_policy_field_or_derived():
    scen = Scenario.preset("europe")
    names = {s.name for s in lv.available_levers(scen)}
    assert {"open_ended", "sunset_year", "taper_years", "conditionality", "budget_scale"} <= names
    policy = scen.donors[0].policy
    specs = {s.name: s for s in lv.LEVERS}
    for name in names - {"open_ended", "budget_scale"}:
        obj = policy
        for part in specs[name].field.split("."):
            obj = getattr(obj, part)  # an AttributeError here: a lever without a policy field
    assert set(lv.levers_from_scenario(scen)) == names
    # The exit-rule and surge levers of the agents' model are all shown.
    assert {"exit_rule", "milestone_years", "max_extension", "surge_on_attack", "surge_years",
            "backsliding_response"} <= names  # fmt: skip


def test_nested_and_new_levers_become_overrides():
    scen = Scenario.preset("classroom_cliff_exit")
    levers = {
        **lv.levers_from_scenario(scen),
        "exit_rule": "hybrid",
        "milestone_years": 4,
        "max_extension": 3,
        "surge_on_attack": 2.0,
        "backsliding_response": "cut",
    }
    policy = lv.apply_levers(scen, levers).donors[0].policy
    assert policy.exit_rule == "hybrid" and policy.milestones.years == 4
    assert policy.max_extension == 3 and policy.surge_on_attack == 2.0
    assert policy.backsliding_response == "cut"
    hints = lv.lever_hints(levers, scen)
    assert "max_extension" not in hints and "surge_years" not in hints
    assert "max_horizon" in hints  # only a conditions-based exit has a longest program


def test_moved_levers_become_overrides_for_every_donor():
    scen = Scenario.preset("europe")
    levers = {
        **lv.levers_from_scenario(scen),
        "open_ended": False,
        "sunset_year": 9,
        "taper_years": 4,
        "conditionality": 0.5,
        "instrument_mix": "governance_heavy",
        "tripwire": not scen.donors[0].policy.tripwire,
        "budget_scale": 2.0,
    }
    out = lv.apply_levers(scen, levers)
    for before, after in zip(scen.donors, out.donors, strict=True):
        assert after.policy.sunset_year == 9
        assert after.policy.taper_years == 4
        assert after.policy.conditionality == 0.5
        assert after.policy.instrument_mix.governance == pytest.approx(0.40)
        assert after.policy.tripwire is levers["tripwire"]
        assert after.budget == pytest.approx(2 * before.budget)


def test_open_ended_lever_removes_the_sunset():
    scen = Scenario.preset("classroom_cliff_exit")
    levers = {**lv.levers_from_scenario(scen), "open_ended": True}
    assert all(d.policy.sunset_year is None for d in lv.apply_levers(scen, levers).donors)


def test_invalid_lever_raises_scenario_error():
    scen = Scenario.preset("classroom_cliff_exit")
    levers = {**lv.levers_from_scenario(scen), "conditionality": 1.5}
    with pytest.raises(ScenarioError, match="conditionality"):
        lv.apply_levers(scen, levers)


def test_hints_name_levers_without_effect():
    scen = Scenario.preset("classroom_cliff_exit")  # no conditional aid
    levers = lv.levers_from_scenario(scen)
    hints = lv.lever_hints(levers, scen)
    assert "conditional" in hints["enforcement"]
    assert "conditional" in hints["channel"]  # pooling acts through enforcement
    assert "sunset_year" not in hints
    hints = lv.lever_hints({**levers, "conditionality": 0.4, "open_ended": True}, scen)
    assert "enforcement" not in hints
    assert "open-ended" in hints["sunset_year"] and "open-ended" in hints["taper_years"]


def test_the_link_round_trips_scenario_seed_and_levers():
    scen = Scenario.preset("europe")
    base = lv.levers_from_scenario(scen)
    moved = {**base, "taper_years": 7, "tripwire": True, "conditionality": 0.35}
    query = lv.query_from_state("europe", 12, moved, base)
    assert "taper_years=7" in query and "seed=12" in query and "enforcement" not in query
    name, seed, levers, problems = lv.state_from_query(
        query, Scenario.presets(), Scenario.preset, "classroom_cliff_exit"
    )
    assert (name, seed, levers, problems) == ("europe", 12, moved, [])


def test_a_bad_link_falls_back_and_says_what_it_ignored():
    name, seed, levers, problems = lv.state_from_query(
        "scenario=atlantis&seed=-3&taper_years=abc&colour=red",
        Scenario.presets(),
        Scenario.preset,
        "classroom_cliff_exit",
    )
    assert name == "classroom_cliff_exit" and seed == 0
    assert levers == lv.levers_from_scenario(Scenario.preset(name))
    assert len(problems) == 4 and any("atlantis" in p for p in problems)
