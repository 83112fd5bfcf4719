"""The generated parameter table is current, and every scenario parameter has unit and source."""

from __future__ import annotations

import re
import subprocess
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


def test_event_table_is_generated_from_the_registry():
    from deterrence_sim import eventtable

    on_disk = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    assert on_disk == eventtable.render_table(), (
        "run: python -m deterrence_sim.eventtable > docs/events.md"
    )


# "DESIGN" followed by ".md" or " §": a citation of the old design file outside the repository.
_OUTSIDE_DESIGN = re.compile(r"DESIGN(\.md| §)")


def _tracked_text_files() -> list[Path]:
    """The repository's .py/.md/.toml files: git's list when there is one, else a walk."""
    suffixes = {".py", ".md", ".toml"}
    try:
        out = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        paths = [ROOT / line for line in out.splitlines()]
    except (OSError, subprocess.CalledProcessError):
        paths = [p for p in ROOT.rglob("*") if not any(x.startswith(".") for x in p.parts)]
    return [p for p in paths if p.suffix in suffixes and p.is_file()]


def test_no_file_cites_a_design_document_outside_the_repository():
    """Comments, docstrings and docs cite docs/design.md or docs/model.md, not the old design file."""
    own = ROOT / "docs" / "design.md"
    files = [p for p in _tracked_text_files() if p != own]
    assert any(p.name == "model.py" for p in files)  # the walk found the package
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in files
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if _OUTSIDE_DESIGN.search(line)
    ]
    assert not offenders, f"cite docs/design.md §N or docs/model.md instead: {offenders}"
