"""Experiment spec validation, design sizes and seeds."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from deterrence_sim.experiment import SpecError, load_spec, spec_from_dict
from deterrence_sim.experiment.designs import build_design, design_size, from_unit
from deterrence_sim.experiment.runner import plan
from deterrence_sim.experiment.seeds import replication_seeds, seed_from_provenance

GOOD = """
[experiment]
name = "t"
scenario = "europe"
years = 5
replications = 3
seed = 7

[design]
kind = "grid"

[[factors]]
name = "sunset"
path = "donors.*.policy.sunset_year"
values = ["open", 5, 10]

[[factors]]
name = "conditionality"
path = "donors.*.policy.conditionality"
range = [0.0, 0.6]
steps = 4

[[factors]]
name = "partner_type"
[factors.bundles.strong]
"partners.*.governance" = 0.8
"partners.*.absorptive_capacity" = 1.5
[factors.bundles.fragile]
"partners.*.governance" = 0.3
"partners.*.absorptive_capacity" = 0.3
"""


def write(tmp_path, text: str, name: str = "spec.toml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def problems_of(tmp_path, text: str):
    path = write(tmp_path, text)
    with pytest.raises(SpecError) as info:
        load_spec(path)
    return path, info.value.problems


def test_good_spec_loads_and_grid_size_is_the_product(tmp_path):
    spec = load_spec(write(tmp_path, GOOD))
    assert [f.name for f in spec.factors] == ["sunset", "conditionality", "partner_type"]
    assert design_size(spec) == 3 * 4 * 2
    d = build_design(spec)
    assert len(d) == 24
    # First factor varies slowest; range levels print as written.
    assert d.points[0] == {"sunset": "open", "conditionality": 0.0, "partner_type": "strong"}
    assert d.points[-1] == {"sunset": 10, "conditionality": 0.6, "partner_type": "fragile"}
    assert spec.factor("conditionality").levels() == [0.0, 0.2, 0.4, 0.6]


def test_bundle_factor_sets_every_path_and_open_sunset_is_accepted(tmp_path):
    p = plan(load_spec(write(tmp_path, GOOD)))
    point = next(
        i
        for i, pt in enumerate(p.design.points)
        if pt["partner_type"] == "fragile" and pt["sunset"] == "open"
    )
    scen = p.base.with_overrides(p.point_overrides[point])
    assert all(q.governance == 0.3 and q.absorptive_capacity == 0.3 for q in scen.partners)
    assert all(d.policy.sunset_year is None for d in scen.donors)


def test_every_problem_is_reported_at_once_with_file_key_value_and_allowed(tmp_path):
    path, problems = problems_of(
        tmp_path,
        """
        [experiment]
        name = "bad"
        scenario = "europe"
        replications = 0
        colour = "blue"

        [design]
        kind = "factorial"

        [[factors]]
        name = "ghost"
        path = "donors.*.policy.no_such_lever"
        values = [1, 2]

        [[factors]]
        name = "conditionality"
        path = "donors.*.policy.conditionality"
        values = [0.2, 1.5]

        [output]
        metrics = ["attacks_per_year", "not_a_metric"]
        """,
    )
    keys = [p.key for p in problems]
    assert "experiment.replications" in keys
    assert "experiment.colour" in keys
    assert "design.kind" in keys
    assert "factors.ghost.path" in keys
    assert "factors.conditionality" in keys
    assert "output.metrics" in keys
    assert all(p.source == str(path) for p in problems)
    by_key = {p.key: p for p in problems}
    assert by_key["factors.ghost.path"].value == "donors.*.policy.no_such_lever"
    assert "conditionality" in by_key["factors.ghost.path"].allowed  # lists the allowed keys
    assert by_key["factors.conditionality"].value == 1.5
    assert by_key["output.metrics"].value == "not_a_metric"
    assert "grid" in by_key["design.kind"].allowed
    assert "allowed" in by_key["experiment.colour"].allowed
    # The message lists them all.
    msg = str(SpecError(problems))
    assert f"({len(problems)} problems)" in msg and "no_such_lever" in msg


@pytest.mark.parametrize(
    ("body", "key", "fragment"),
    [
        # A grid needs discrete levels.
        (
            '[[factors]]\nname = "c"\npath = "donors.*.policy.conditionality"\nrange = [0, 0.5]\n',
            "factors.c.steps",
            "steps",
        ),
        # Both values and range.
        (
            '[[factors]]\nname = "c"\npath = "donors.*.policy.conditionality"\n'
            "values = [0.1]\nrange = [0, 0.5]\nsteps = 2\n",
            "factors.c",
            "exactly one of values",
        ),
        # Neither path nor bundles.
        ('[[factors]]\nname = "c"\nvalues = [0.1]\n', "factors.c", "exactly one of path"),
        # A name the store uses itself.
        (
            '[[factors]]\nname = "seed"\npath = "donors.*.policy.conditionality"\nvalues = [0.1]\n',
            "factors.seed.name",
            "identifier",
        ),
        # A bundle path that matches nothing.
        (
            '[[factors]]\nname = "b"\n[factors.bundles.x]\n"partners.NOPE.governance" = 0.2\n',
            "factors.b.bundles",
            "no item named 'NOPE'",
        ),
        # A categorical value the scenario rejects.
        (
            '[[factors]]\nname = "mix"\npath = "donors.*.policy.instrument_mix"\n'
            'values = ["balanced", "gold_plated"]\n',
            "factors.mix",
            "balanced",
        ),
        # Unknown top-level section.
        ("[extras]\nx = 1\n", "extras", "unknown section"),
        # A [fixed] override the scenario rejects.
        ('[fixed]\n"world.years" = -3\n', "fixed.world.years", ""),
    ],
)
def test_each_kind_of_bad_spec(tmp_path, body, key, fragment):
    head = '[experiment]\nname = "x"\nscenario = "europe"\n'
    if "[[factors]]" not in body:
        body += '[[factors]]\nname = "c"\npath = "donors.*.policy.conditionality"\nvalues = [0.1]\n'
    _, problems = problems_of(tmp_path, head + body)
    matching = [p for p in problems if p.key == key]
    assert matching, [str(p) for p in problems]
    assert fragment in matching[0].allowed


@pytest.mark.parametrize(
    ("design", "allowed"),
    [
        ('kind = "sobol"\nn = 12', "power of 2"),
        ('kind = "sobol"', "base sample size"),
        ('kind = "lhs"', "number of points"),
        ('kind = "morris"\nn = 1', "at least 2"),
        ('kind = "list"', "needs [[design.points]]"),
    ],
)
def test_design_problems(tmp_path, design, allowed):
    _, problems = problems_of(
        tmp_path,
        f"""
[experiment]
name = "x"
scenario = "europe"
[design]
{design}
[[factors]]
name = "c"
path = "donors.*.policy.conditionality"
range = [0.0, 0.5]
[[factors]]
name = "e"
path = "donors.*.policy.enforcement"
range = [0.0, 0.5]
""",
    )
    assert any(allowed in p.allowed and p.key.startswith("design") for p in problems), problems


def test_list_design_points_must_name_declared_factors(tmp_path):
    _, problems = problems_of(
        tmp_path,
        """
        [experiment]
        name = "x"
        scenario = "europe"
        [design]
        kind = "list"
        [[design.points]]
        c = 0.1
        extra = 3
        [[design.points]]
        c = 2.0
        [[factors]]
        name = "c"
        path = "donors.*.policy.conditionality"
        """,
    )
    keys = {p.key for p in problems}
    assert "design.points[0]" in keys  # unknown 'extra'
    assert "factors.c" in keys  # 2.0 is out of range


def test_missing_file_invalid_toml_and_unknown_scenario(tmp_path):
    with pytest.raises(SpecError, match="file not found"):
        load_spec(tmp_path / "nope.toml")
    with pytest.raises(SpecError, match="invalid TOML"):
        load_spec(write(tmp_path, "[experiment\nname=1"))
    _, problems = problems_of(tmp_path, '[experiment]\nname = "x"\nscenario = "atlantis"\n')
    scen = [p for p in problems if p.key == "experiment.scenario"]
    assert scen and scen[0].value == "atlantis" and "europe" in scen[0].allowed


def test_scenario_path_is_relative_to_the_spec(tmp_path):
    from deterrence_sim import Scenario

    (tmp_path / "sub").mkdir()
    Scenario.preset("europe").with_overrides({"world.years": 12}).to_toml(
        tmp_path / "sub" / "w.toml"
    )
    spec = load_spec(
        write(
            tmp_path,
            '[experiment]\nname = "x"\nscenario = "sub/w.toml"\n[design]\nkind = "list"\n'
            "[[design.points]]\n",
        )
    )
    assert spec.years() == 12


def sampling_spec(kind: str, n: int, second_order: bool = False, seed: int = 3):
    return spec_from_dict(
        {
            "experiment": {"name": "s", "scenario": "europe", "seed": seed},
            "design": {"kind": kind, "n": n, "second_order": second_order},
            "factors": [
                {"name": "c", "path": "donors.*.policy.conditionality", "range": [0.0, 0.6]},
                {
                    "name": "sunset",
                    "path": "donors.*.policy.sunset_year",
                    "range": [5, 20],
                    "integer": True,
                },
                {
                    "name": "mix",
                    "path": "donors.*.policy.instrument_mix",
                    "values": ["balanced", "equipment_heavy", "training_heavy"],
                },
            ],
        }
    )


@pytest.mark.parametrize(
    ("kind", "n", "second", "size"),
    [
        ("sobol", 8, False, 8 * (3 + 2)),
        ("sobol", 8, True, 8 * (2 * 3 + 2)),
        ("morris", 5, False, 5 * (3 + 1)),
        ("lhs", 17, False, 17),
    ],
)
def test_sampling_design_sizes(kind, n, second, size):
    spec = sampling_spec(kind, n, second)
    assert design_size(spec) == size
    d = build_design(spec)
    assert len(d) == size and d.unit.shape == (size, 3)
    assert all(0 <= p["c"] <= 0.6 for p in d.points)
    assert all(isinstance(p["sunset"], int) and 5 <= p["sunset"] <= 20 for p in d.points)
    assert {p["mix"] for p in d.points} <= {"balanced", "equipment_heavy", "training_heavy"}


def test_sampling_designs_are_seeded():
    a = build_design(sampling_spec("lhs", 20, seed=1)).unit
    b = build_design(sampling_spec("lhs", 20, seed=1)).unit
    c = build_design(sampling_spec("lhs", 20, seed=2)).unit
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    s1 = build_design(sampling_spec("sobol", 8, seed=1)).unit
    s2 = build_design(sampling_spec("sobol", 8, seed=1)).unit
    assert np.array_equal(s1, s2)


def test_unit_mapping_covers_integers_and_categories_evenly():
    spec = sampling_spec("lhs", 4)
    sunset, mix = spec.factor("sunset"), spec.factor("mix")
    us = (np.arange(16_000) + 0.5) / 16_000
    counts = np.bincount([from_unit(sunset, u) - 5 for u in us])
    assert len(counts) == 16 and counts.min() == counts.max() == 1000
    assert [from_unit(mix, u) for u in (0.0, 0.34, 0.99, 1.0)] == [
        "balanced",
        "equipment_heavy",
        "training_heavy",
        "training_heavy",
    ]


def test_replication_seeds_are_common_and_rebuildable(tmp_path):
    seeds = replication_seeds(42, 5)
    assert len({s for s, _ in seeds}) == 5
    assert seeds == replication_seeds(42, 5)
    assert seeds[:3] == replication_seeds(42, 3)  # adding replications keeps the first ones
    for s, key in seeds:
        assert seed_from_provenance(42, key) == s
    p = plan(load_spec(write(tmp_path, GOOD)))
    table = p.runs_table()
    # Common random numbers: every point uses the same seed for replication r.
    per_rep = table.groupby("replication")["seed"].nunique()
    assert (per_rep == 1).all()
    assert table["run_id"].is_unique and len(table) == 24 * 3


def test_spec_hash_ignores_comments_but_not_values(tmp_path):
    a = load_spec(write(tmp_path, GOOD, "a.toml"))
    b = load_spec(write(tmp_path, "# a comment\n" + GOOD, "b.toml"))
    c = load_spec(write(tmp_path, GOOD.replace("seed = 7", "seed = 8"), "c.toml"))
    assert a.sha256() == b.sha256() != c.sha256()


def test_spec_hash_ignores_report_settings(tmp_path):
    a = load_spec(write(tmp_path, GOOD, "a.toml"))
    b = load_spec(write(tmp_path, GOOD + '\n[report]\nx = "conditionality"\n', "b.toml"))
    assert a.sha256() == b.sha256()
