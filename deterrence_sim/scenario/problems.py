"""Turning pydantic's validation errors into problems a person can act on.

A pydantic error location mixes field names, list indices and internal tags (union branches,
validators). One schema walker (:func:`locate`) reads such a location against the model it came
from; :func:`pydantic_problems` then names the dotted key (list items by their name), the value
given and what is allowed there. The scenario and the experiment spec both use it.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from ..errors import MISSING, Problem
from .fields import field_bounds

__all__ = ["locate", "pydantic_problems", "reference_problems"]


def _submodel(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model a field holds (and whether it holds a list of them), or (None, False) for a leaf."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation) or (None,)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item, True
    return None, False


def locate(
    root: type[BaseModel], loc: tuple
) -> tuple[tuple, type[BaseModel] | None, FieldInfo | None]:
    """Walk a pydantic error location through the schema of `root`.

    Returns the part of `loc` that names fields (list indices kept; tags that pydantic appends for
    union branches and validators, e.g. ``int`` or ``function-before[…]``, dropped by stopping at
    the first leaf field), the model whose field was looked up last, and that field (None for an
    unknown key, which is kept as the last part: it is the key of an ``extra_forbidden`` error).
    """
    out: list = []
    model: type[BaseModel] | None = root
    owner: type[BaseModel] | None = root
    field: FieldInfo | None = None
    list_item = False
    for i, part in enumerate(loc):
        if list_item and isinstance(part, int):
            out.append(part)
            list_item = False
            continue
        list_item = False
        if model is None or not isinstance(part, str):
            break
        owner, field = model, model.model_fields.get(part)
        if field is None:
            if i == len(loc) - 1:
                out.append(part)
            break
        out.append(part)
        model, list_item = _submodel(field.annotation)
        if model is None:
            break
    return tuple(out), owner, field


def _label(container: list, index: int) -> str:
    """A list item's name when it has one (``donors.USA``), else its index."""
    item = container[index] if 0 <= index < len(container) else None
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        return item["name"]
    return str(index)


def _dotted(loc: tuple, data: Any) -> tuple[str, Any]:
    """A field location as a dotted key with list items named, and the raw value there."""
    parts: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list):
            parts.append(_label(node, part))
            node = node[part] if 0 <= part < len(node) else MISSING
        elif isinstance(node, Mapping) and part in node:
            parts.append(str(part))
            node = node[part]
        else:  # a missing key: name it, there is no value
            parts.append(str(part))
            node = MISSING
    return ".".join(parts), node


def _range_text(field: FieldInfo | None, kind: str) -> str | None:
    """'must be between 0 and 1', with open ends said as such and the upper bound's meaning."""
    if field is None:
        return None
    lo, hi = field_bounds(field)
    ops = {type(m).__name__: m for m in field.metadata}
    low = None if lo is None else (f"greater than {lo:g}" if "Gt" in ops else f"at least {lo:g}")
    high = None if hi is None else (f"less than {hi:g}" if "Lt" in ops else f"at most {hi:g}")
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    if high and extra.get("hi_means") and kind.startswith("less"):
        high += f" ({extra['hi_means']})"
    if low and high:
        if "Gt" not in ops and "Lt" not in ops and not extra.get("hi_means"):
            return f"must be between {lo:g} and {hi:g}"
        return f"must be {low} and {high}"
    return f"must be {low or high}" if (low or high) else None


def _allowed_text(err: dict, owner: type[BaseModel] | None, field: FieldInfo | None) -> str:
    kind = err["type"]
    ctx = err.get("ctx", {}) or {}
    if kind == "extra_forbidden":
        allowed = list(owner.model_fields) if owner is not None else []
        return "unknown key" + (f"; allowed keys here: {', '.join(allowed)}" if allowed else "")
    if kind == "missing":
        return "required key is missing"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _range_text(field, kind) or err["msg"]
    if kind == "finite_number":
        return "must be a finite number (not inf or nan)"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"][0].lower() + err["msg"][1:]


def pydantic_problems(
    exc: ValidationError,
    data: Mapping[str, Any],
    source: str,
    root: type[BaseModel],
    prefix: str = "",
) -> list[Problem]:
    """One problem per bad key of `data` (validated as `root`); keys start with `prefix` if given."""
    problems = []
    for err in exc.errors():
        loc, owner, field = locate(root, tuple(err["loc"]))
        key, value = _dotted(loc, data)
        if prefix:
            key = f"{prefix}.{key}" if key else prefix
        if err["type"] == "missing":
            value = MISSING
        problems.append(Problem(source, key, value, _allowed_text(err, owner, field)))
    # One problem per key is enough (unions report each branch); a non-finite number fails
    # every branch of a union, and saying so is the useful one.
    by_key: dict[str, Problem] = {}
    for p in problems:
        if p.key not in by_key or "finite number" in p.allowed:
            by_key[p.key] = p
    return list(by_key.values())


def _names(data: Mapping[str, Any], section: str) -> list[str]:
    items = data.get(section, [])
    if not isinstance(items, list):
        return []
    return [i["name"] for i in items if isinstance(i, Mapping) and isinstance(i.get("name"), str)]


def _known(names: list[str]) -> str:
    """The names a reference may use, as an error message lists them."""
    return ", ".join(names) or "none defined"


def _listed(value: Any) -> list:
    """A list from the data, or nothing (a value of the wrong type is the schema's to report)."""
    return value if isinstance(value, list) else []


def reference_problems(data: Mapping[str, Any], source: str) -> list[Problem]:
    """Checks across sections: unique names, ties and hosts naming states that exist."""
    problems: list[Problem] = []
    donors, partners, aggressors = (_names(data, s) for s in ("donors", "partners", "aggressors"))
    if not data.get("partners"):
        # A world without partners has no one to aid or defend: every metric would be empty.
        allowed = (
            "at least one [[partners]] table (a scenario with no states runs nothing); "
            "start from a preset: deterrence-sim scenarios"
        )
        problems.append(Problem(source, "partners", data.get("partners", MISSING), allowed))
    seen: set[str] = set()
    for section, names in (("donors", donors), ("partners", partners), ("aggressors", aggressors)):
        for n in names:
            if n in seen:
                problems.append(
                    Problem(source, f"{section}.{n}.name", n, "state names must be unique")
                )
            seen.add(n)
    expect = {
        "aid": (donors, partners, "a donor", "a partner"),
        "rivalry": (list(aggressors), partners, "an aggressor", "a partner"),
    }
    ties = data.get("ties", [])
    if isinstance(ties, list):
        for i, tie in enumerate(ties):
            kind = tie.get("kind") if isinstance(tie, Mapping) else None
            if not isinstance(kind, str) or kind not in expect:  # else reported by the schema
                continue
            src_ok, dst_ok, src_what, dst_what = expect[tie["kind"]]
            for end, names, what in (("source", src_ok, src_what), ("target", dst_ok, dst_what)):
                if end in tie and tie[end] not in names:
                    allowed = f"must name {what} of this scenario ({_known(names)})"
                    problems.append(Problem(source, f"ties.{i}.{end}", tie[end], allowed))
    aggs = data.get("aggressors", [])
    if isinstance(aggs, list):
        for a in aggs:
            if not isinstance(a, Mapping):
                continue
            label = a.get("name", "?")
            if a.get("kind") == "insurgency" and a.get("host") not in partners:
                problems.append(
                    Problem(
                        source,
                        f"aggressors.{label}.host",
                        a.get("host", MISSING),
                        f"an insurgency needs a host partner ({_known(partners)})",
                    )
                )
    alliances = data.get("alliances", [])
    if isinstance(alliances, list):
        for al in alliances:
            if not isinstance(al, Mapping):
                continue
            for key, names, rule in (
                ("members", donors, "members must be donors"),
                ("covers", partners, "an alliance covers partners"),
            ):
                for n in _listed(al.get(key)):
                    if n not in names:
                        where = f"alliances.{al.get('name', '?')}.{key}"
                        problems.append(Problem(source, where, n, f"{rule} ({_known(names)})"))
    problems += _duplicate_problems(data, source)
    problems += _alliance_commitment_problems(data, source)
    return problems


def _duplicate_problems(data: Mapping[str, Any], source: str) -> list[Problem]:
    """Two ties of one kind between the same states (the model would run both: aid counted twice,
    a rivalry's prize twice) and two alliances of one name."""
    problems = []
    seen: dict[tuple, int] = {}
    for i, tie in enumerate(_listed(data.get("ties"))):
        if not isinstance(tie, Mapping):
            continue
        key = (tie.get("kind"), tie.get("source"), tie.get("target"))
        if not all(isinstance(k, str) for k in key):
            continue
        if key in seen:
            problems.append(
                Problem(
                    source,
                    f"ties.{i}",
                    f"{key[0]} {key[1]} -> {key[2]}",
                    f"one {key[0]} tie per pair of states (ties.{seen[key]} is the same tie); "
                    "merge them",
                )
            )
        seen.setdefault(key, i)
    names: set[str] = set()
    for al in _listed(data.get("alliances")):
        name = al.get("name") if isinstance(al, Mapping) else None
        if isinstance(name, str) and name in names:
            problems.append(
                Problem(source, f"alliances.{name}.name", name, "alliance names must be unique")
            )
        names.add(name)
    return problems


def _alliance_covers(data: Mapping[str, Any]) -> dict[str, set[str]]:
    """Donor name -> partners some alliance it belongs to covers (an empty `covers` list means
    every partner one of its members aids)."""
    ties = [t for t in _listed(data.get("ties")) if isinstance(t, Mapping)]
    out: dict[str, set[str]] = {}
    for al in _listed(data.get("alliances")):
        if not isinstance(al, Mapping):
            continue
        members = [m for m in _listed(al.get("members")) if isinstance(m, str)]
        covered = {c for c in _listed(al.get("covers")) if isinstance(c, str)} or {
            t.get("target") for t in ties if t.get("kind") == "aid" and t.get("source") in members
        }
        for m in members:
            out.setdefault(m, set()).update(covered)
    return out


def _alliance_commitment_problems(data: Mapping[str, Any], source: str) -> list[Problem]:
    """An 'alliance' commitment needs an alliance of the donor that covers the partner."""
    donors = {
        d["name"]: d
        for d in _listed(data.get("donors"))
        if isinstance(d, Mapping) and isinstance(d.get("name"), str)
    }
    covers = _alliance_covers(data)
    problems = []
    for i, tie in enumerate(_listed(data.get("ties"))):
        if (
            not isinstance(tie, Mapping)
            or tie.get("kind") != "aid"
            or not isinstance(tie.get("source"), str)
            or tie["source"] not in donors
            or not isinstance(tie.get("target"), str)
        ):
            continue
        policy = donors[tie["source"]].get("policy") or {}
        commitment = tie.get("commitment") or (
            policy.get("commitment", "bilateral_pact") if isinstance(policy, Mapping) else None
        )
        if commitment == "alliance" and tie.get("target") not in covers.get(tie["source"], set()):
            problems.append(
                Problem(
                    source,
                    f"ties.{i}.commitment",
                    f"alliance ({tie['source']} -> {tie.get('target')})",
                    "commitment 'alliance' needs an alliance with this donor as a member that covers"
                    " this partner (add it to [[alliances]] or use 'bilateral_pact')",
                )
            )
    return problems
