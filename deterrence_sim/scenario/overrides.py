"""Dotted-path overrides: find and set values of a scenario by paths like ``donors.*.policy.kappa``.

A path's segments name a field, an item of a list of named tables by its name (or index), or a
wildcard (``*``, or a glob like ``P*``). A path that matches nothing is explained (the allowed
keys or item names there), and a bad value is reported once per override even when a wildcard set
it in many places.
"""

from __future__ import annotations

import copy
import fnmatch
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import MISSING, Problem, ScenarioError
from .problems import _label

if TYPE_CHECKING:
    from .core import Scenario

__all__ = ["resolve", "with_overrides"]


def resolve(scenario: Scenario, path: str) -> list[tuple[str, Any]]:
    """The (concrete dotted key, value) pairs a dotted path with wildcards matches."""
    data = scenario.model_dump(mode="python")
    matches, problem = _match(data, path.split("."), [])
    if problem:
        raise ScenarioError([Problem(scenario.name, path, MISSING, problem)])
    return [(_named_key(data, k), _get(data, k)) for k in matches]


def with_overrides(
    scenario: Scenario, overrides: Mapping[str, Any], source: str = "overrides"
) -> Scenario:
    """A new scenario with values set by dotted paths, validated again; every problem at once."""
    data = scenario.model_dump(mode="python")
    problems: list[Problem] = []
    origin: dict[str, str] = {}  # concrete dotted key -> the override path that set it
    for path, value in overrides.items():
        matches, problem = _match(data, str(path).split("."), [])
        if problem:
            problems.append(Problem(source, str(path), value, problem))
            continue
        for keys in matches:
            origin[_named_key(data, keys)] = str(path)
            _set(data, keys, copy.deepcopy(value))
    if problems:
        raise ScenarioError(problems)
    try:
        return type(scenario).from_dict(drop_none(data), source=f"{scenario.name} with {source}")
    except ScenarioError as exc:
        # Report a bad value once per override (a wildcard may have set it in many places).
        merged: dict[tuple[str, str], Problem] = {}
        for p in exc.problems:
            key = next(
                (o for k, o in origin.items() if p.key == k or p.key.startswith(k + ".")), None
            )
            if key is None:
                merged[(p.key, p.allowed)] = p
            else:
                merged.setdefault((key, p.allowed), Problem(source, key, overrides[key], p.allowed))
        raise ScenarioError(list(merged.values())) from None


def drop_none(obj: Any) -> Any:
    """A plain structure without None values (TOML has no null; pydantic fills the defaults)."""
    if isinstance(obj, dict):
        return {k: drop_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [drop_none(v) for v in obj]
    return obj


def _match(
    node: Any, segments: list[str], prefix: list, named: tuple[str, ...] = ()
) -> tuple[list[list], str | None]:
    """Concrete key lists matching a dotted path, or an explanation of why nothing matches."""
    where = ".".join(named) or "(top level)"
    if not segments:
        return [prefix], None
    seg, rest = segments[0], segments[1:]
    if isinstance(node, list):
        labels = [_label(node, i) for i in range(len(node))]
        # A name wins over an index: in a list holding an item named "0", "0" is that item.
        picked = [i for i, lab in enumerate(labels) if fnmatch.fnmatchcase(lab, seg)]
        if not picked and seg.isdigit() and int(seg) < len(node):
            picked = [int(seg)]
        if not picked:
            return [], f"no item named '{seg}' under {where}; items: {', '.join(labels) or 'none'}"
        out: list[list] = []
        for i in picked:
            found, problem = _match(node[i], rest, [*prefix, i], (*named, labels[i]))
            if problem:
                return [], problem
            out += found
        return out, None
    if isinstance(node, dict):
        keys = (
            [k for k in node if fnmatch.fnmatchcase(k, seg)]
            if any(c in seg for c in "*?[")
            else ([seg] if seg in node else [])
        )
        if not keys:
            return [], f"unknown key '{seg}' under {where}; allowed keys: {', '.join(node)}"
        out = []
        for k in keys:
            found, problem = _match(node[k], rest, [*prefix, k], (*named, k))
            if problem:
                return [], problem
            out += found
        return out, None
    return [], f"{where} is a value, it has no key '{seg}'"


def _named_key(data: Any, keys: list) -> str:
    """A key list as a dotted string, list items by name."""
    parts = []
    for k in keys:
        parts.append(_label(data, k) if isinstance(k, int) else str(k))
        data = data[k]
    return ".".join(parts)


def _get(data: Any, keys: list) -> Any:
    for k in keys:
        data = data[k]
    return data


def _set(data: Any, keys: list, value: Any) -> None:
    for k in keys[:-1]:
        data = data[k]
    data[keys[-1]] = value
