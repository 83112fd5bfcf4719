"""Scenario files: the presets shipped with the package, reading TOML text and writing it back."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from ..errors import Problem, ScenarioError, parse_toml_text

__all__ = ["is_path", "parse_toml", "preset_text", "presets", "write_toml"]

_PRESETS = "deterrence_sim.scenarios"


def presets() -> dict[str, str]:
    """Preset names shipped with the package, each with its one-line description."""
    out = {}
    for entry in sorted(resources.files(_PRESETS).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            out[entry.name[:-5]] = (
                data.get("description", "").strip().splitlines()[0]
                if data.get("description")
                else ""
            )
    return out


def preset_text(name: str) -> str:
    """The TOML text of a preset; an unknown name is a ScenarioError listing the presets."""
    files = resources.files(_PRESETS).iterdir()
    if f"{name}.toml" not in {e.name for e in files}:  # by name: any text may come, however long
        allowed = "one of: " + ", ".join(presets())
        raise ScenarioError([Problem("presets", "scenario", name, allowed)])
    return (resources.files(_PRESETS) / f"{name}.toml").read_text(encoding="utf-8")


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """TOML text as a dict; invalid TOML is a ScenarioError naming the source."""
    return parse_toml_text(text, source, ScenarioError)


def is_path(name_or_path: str | Path) -> bool:
    """Whether :meth:`Scenario.load` reads `name_or_path` as a file (else as a preset name)."""
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text:
        return True
    try:
        return Path(text).exists()
    except OSError:  # not a usable path (e.g. too long): then it is a (bad) preset name
        return False


def write_toml(data: dict[str, Any], path: str | Path | None = None) -> str:
    """`data` as TOML text; also written to `path` when given."""
    text = tomli_w.dumps(data)
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
