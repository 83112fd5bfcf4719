"""The generated parameter table is current, and every scenario parameter has unit and source."""

from __future__ import annotations

from pathlib import Path

from deterrence_sim import paramtable
from deterrence_sim.scenario import Policy, World, iter_fields

ROOT = Path(__file__).resolve().parents[1]


def test_parameter_table_is_generated_from_the_schema():
    on_disk = (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert on_disk == paramtable.render(), (
        "run: python -m deterrence_sim.paramtable > docs/parameters.md"
    )


def test_every_world_and_policy_parameter_has_meaning_unit_and_source():
    for model in (World, Policy):
        for name, field in iter_fields(model):
            extra = field.json_schema_extra or {}
            assert field.description, name
            assert extra.get("unit"), name
            assert extra.get("source"), name


def test_metric_table_is_generated_from_the_registry():
    from deterrence_sim import metrictable

    on_disk = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert on_disk == metrictable.render_table(), (
        "run: python -m deterrence_sim.metrictable > docs/metrics.md"
    )
