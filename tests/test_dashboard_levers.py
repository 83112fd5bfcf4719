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


def _from_link(query: str, scenario: str = "classroom_cliff_exit"):
    return lv.state_from_query(
        f"scenario={scenario}&{query}", Scenario.presets(), Scenario.preset, "classroom_cliff_exit"
    )


@pytest.mark.parametrize(
    "bad",
    [
        "budget_scale=1e308",
        "budget_scale=inf",
        "budget_scale=nan",
        "budget_scale=-1",
        "sunset_year=1000000",
        "sunset_year=0",
        "taper_years=100000",
        "taper_years=2.5",
        "surge_years=1e400",
        "conditionality=1.01",
        "tripwire=maybe",
        "open_ended=2",
        "commitment=eternal",
        "exit_rule=SUNSET",
        "seed=99999999999999999999999",
    ],
)
def test_a_bad_link_value_is_ignored_by_name_and_the_rest_applies(bad):
    rest = "audit_intensity=0.3" + ("" if bad.startswith("seed") else "&seed=4")
    name, seed, levers, problems = _from_link(f"{bad}&{rest}")
    base = lv.levers_from_scenario(Scenario.preset(name))
    key, raw = bad.split("=")
    assert len(problems) == 1 and key in problems[0] and raw[:10] in problems[0], problems
    assert levers["audit_intensity"] == 0.3  # the rest of the link still applies
    if key != "seed":
        assert seed == 4 and levers[key] == base[key]
    # what is kept builds a valid scenario: no "invalid scenario" banner instead of a notice
    assert lv.apply_levers(Scenario.preset(name), levers).donors  # raises ScenarioError if invalid


def test_a_link_value_inside_every_range_is_taken():
    scen = Scenario.preset("classroom_cliff_exit")
    for spec in lv.available_levers(scen):
        if spec.kind in ("int", "float"):
            lo, hi = spec.bounds(scen)
            for value in (lo, hi):
                text = str(int(value)) if spec.kind == "int" else repr(float(value))
                got, problem = lv.lever_from_text(spec, text, scen)
                assert problem == "" and got == value, (spec.name, value)
        elif spec.kind == "choice":
            for choice in spec.choices:
                assert lv.lever_from_text(spec, choice, scen) == (choice, "")
        else:
            assert lv.lever_from_text(spec, "0", scen) == (False, "")
            assert lv.lever_from_text(spec, "on", scen) == (True, "")


def test_the_sunset_slider_and_the_link_share_the_horizon_bound():
    scen = Scenario.preset("europe")
    spec = next(s for s in lv.LEVERS if s.name == "sunset_year")
    assert spec.bounds(scen) == (1, scen.world.years)
    assert lv.lever_from_text(spec, str(scen.world.years), scen)[1] == ""
    assert lv.lever_from_text(spec, str(scen.world.years + 1), scen)[1]


def test_the_lever_choices_are_the_schema_vocabulary():
    from typing import get_args

    from deterrence_sim.scenario import Policy

    for spec in lv.LEVERS:
        if spec.kind == "choice" and spec.name != "instrument_mix":
            assert spec.choices == get_args(Policy.model_fields[spec.name].annotation), spec.name
