"""Scenario loading, overrides, presets and error reporting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deterrence_sim import Scenario, ScenarioError

PRESETS = {
    "europe",
    "indo_pacific",
    "middle_east",
    "africa",
    "classroom_aligned_partner",
    "classroom_fragile_partner",
    "classroom_cliff_exit",
    "classroom_tapered_exit",
    "classroom_aid_surge",
}


def test_presets_listed_with_descriptions():
    presets = Scenario.presets()
    assert set(presets) >= PRESETS
    assert all(desc for desc in presets.values())


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_loads_and_round_trips_through_toml(name, tmp_path):
    sc = Scenario.preset(name)
    assert sc.name == name
    path = tmp_path / "s.toml"
    sc.to_toml(path)
    assert Scenario.from_toml(path) == sc


def test_overrides_with_wildcards_and_names_return_a_new_scenario():
    sc = Scenario.preset("europe")
    new = sc.with_overrides({"donors.*.policy.sunset_year": 10, "partners.EST.governance": 0.3})
    assert [d.policy.sunset_year for d in new.donors] == [10, 10]
    assert new.partners[0].governance == 0.3
    assert sc.partners[0].governance != 0.3  # the original is untouched
    assert (
        new.with_overrides({"donors.USA.policy.sunset_year": "open"}).donors[0].policy.sunset_year
        is None
    )


def test_glob_and_named_mix_overrides():
    sc = Scenario.preset("europe").with_overrides(
        {"partners.L*.alignment": 0.1, "donors.UKG.policy.instrument_mix": "equipment_heavy"}
    )
    assert {p.name: p.alignment for p in sc.partners if p.name.startswith("L")} == {
        "LAT": 0.1,
        "LIT": 0.1,
    }
    assert sc.donors[1].policy.instrument_mix.equipment == pytest.approx(0.7)


def test_resolve_lists_concrete_keys():
    sc = Scenario.preset("europe")
    assert sc.resolve("donors.*.policy.commitment") == [
        ("donors.USA.policy.commitment", "alliance"),
        ("donors.UKG.policy.commitment", "alliance"),
    ]
    with pytest.raises(ScenarioError, match="no item named 'XYZ'"):
        sc.resolve("partners.XYZ.governance")


@pytest.mark.parametrize(
    ("overrides", "key", "fragment"),
    [
        (
            {"donors.*.policy.conditionality": 2},
            "donors.*.policy.conditionality",
            "between 0 and 1",
        ),
        ({"donors.USA.policy.colour": 1}, "donors.USA.policy.colour", "unknown key 'colour'"),
        ({"partners.XX.governance": 1}, "partners.XX.governance", "no item named 'XX'"),
        ({"donors.USA.budget": "lots"}, "donors.USA.budget", "valid number"),
        (
            {"donors.USA.policy.commitment": "treaty"},
            "donors.USA.policy.commitment",
            "'bilateral_pact'",
        ),
        (
            {"donors.USA.policy.instrument_mix.equipment": 0.9},
            "donors.USA.policy.instrument_mix",
            "sum to 1",
        ),
        ({"ties.0.target": "ATLANTIS"}, "ties.0.target", "must name a partner"),
        # Field names that begin like pydantic's union tags ('int…') keep their own key.
        ({"partners.EST.interoperability": 2}, "partners.EST.interoperability", "between 0 and 1"),
        (
            {"world.intervention_intercept": 99},
            "world.intervention_intercept",
            "between -20 and 20",
        ),
        (
            {"donors.USA.policy.sunset_year": "soon"},
            "donors.USA.policy.sunset_year",
            "valid integer",
        ),
    ],
)
def test_each_kind_of_bad_override_names_key_value_and_allowed(overrides, key, fragment):
    with pytest.raises(ScenarioError) as err:
        Scenario.preset("europe").with_overrides(overrides)
    problems = err.value.problems
    assert len(problems) == 1
    assert problems[0].key == key
    assert fragment in problems[0].allowed
    assert key in str(err.value)


def test_all_problems_reported_at_once_with_file_name(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        """
name = "bad"
[world]
years = 0
[[donors]]
name = "D"
budget = -1
colour = "red"
[donors.policy]
instrument_mix = {training = 0.5, equipment = 0.6, intelligence = 0, governance = 0, stabilization = 0}
[[partners]]
name = "P"
governance = 1.5
[[ties]]
kind = "aid"
source = "D"
target = "NOBODY"
[[aggressors]]
name = "I"
kind = "insurgency"
""",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        Scenario.from_toml(path)
    keys = {p.key for p in err.value.problems}
    assert {
        "world.years",
        "donors.D.budget",
        "donors.D.colour",
        "donors.D.policy.instrument_mix",
        "partners.P.governance",
        "ties.0.target",
        "aggressors.I.host",
    } <= keys
    assert all(p.source == str(path) for p in err.value.problems)


def test_missing_file_and_invalid_toml(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        Scenario.from_toml(tmp_path / "nope.toml")
    bad = tmp_path / "broken.toml"
    bad.write_text("name = [", encoding="utf-8")
    with pytest.raises(ScenarioError, match="invalid TOML") as err:
        Scenario.from_toml(bad)
    assert str(bad) in str(err.value)


def test_unknown_preset_lists_the_presets():
    with pytest.raises(ScenarioError, match="europe"):
        Scenario.preset("atlantis")


def test_duplicate_names_rejected():
    data = {"donors": [{"name": "A"}], "partners": [{"name": "A"}]}
    with pytest.raises(ScenarioError, match="unique"):
        Scenario.from_dict(data)


@pytest.mark.parametrize("n", [10, 100, 1000])
def test_synthetic_worlds_have_linear_ties(n):
    sc = Scenario.synthetic(max(1, n // 10), n, max(1, n // 20), seed=1)
    assert len(sc.partners) == n
    # each partner has 1-2 aid ties and 1-2 rivalries
    assert n * 2 <= len(sc.ties) <= n * 4
    assert Scenario.synthetic(max(1, n // 10), n, max(1, n // 20), seed=1) == sc


# --- package structure --------------------------------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[1] / "deterrence_sim"


def test_scenario_does_not_import_the_data_loaders():
    # A fresh interpreter: this test run may already have imported deterrence_sim.data.
    code = (
        "import sys, deterrence_sim.scenario as s; "
        "s.Scenario.preset('europe'); "
        "print(sorted(m for m in sys.modules if m.startswith('deterrence_sim.data')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]", out.stdout
    # Not even lazily, inside a function: the schema sits upstream of the data loaders.
    for path in (PACKAGE / "scenario").glob("*.py"):
        imports = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip().startswith(("import ", "from "))
        ]
        assert not [line for line in imports if "..data" in line or "deterrence_sim.data" in line]


def _long_modules() -> dict[str, int]:
    lengths = {
        str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE.rglob("*.py")
    }
    return {name: n for name, n in lengths.items() if n > 700}


def test_no_module_is_longer_than_700_lines():
    assert _long_modules() == {}


def test_schema_classes_are_named_as_specs_not_as_agents():
    from deterrence_sim import scenario

    assert {"DonorSpec", "PartnerSpec", "AggressorSpec"} <= set(scenario.__all__)
    for old in ("Donor", "Partner", "Aggressor"):
        assert not hasattr(scenario, old)


def test_world_fields_keep_their_names_and_each_is_declared_once():
    from deterrence_sim.scenario import Strict, World

    phases = [b for b in World.__mro__[1:] if issubclass(b, Strict) and b is not Strict]
    assert len(phases) >= 5  # the coefficients are grouped by phase
    declared = [name for b in phases for name in vars(b).get("__annotations__", {})]
    assert len(declared) == len(set(declared)) == len(World.model_fields)
    assert list(World.model_fields)[:2] == ["years", "csf_decisiveness"]


def test_alliance_references_name_the_states_allowed():
    from deterrence_sim.scenario.problems import reference_problems

    data = {
        "donors": [{"name": "D"}],
        "partners": [{"name": "P"}],
        "alliances": [{"name": "N", "members": ["D", "P"], "covers": ["P", "D"]}],
    }
    found = {(p.key, p.value, p.allowed) for p in reference_problems(data, "s.toml")}
    assert found == {
        ("alliances.N.members", "P", "members must be donors (D)"),
        ("alliances.N.covers", "D", "an alliance covers partners (P)"),
    }
