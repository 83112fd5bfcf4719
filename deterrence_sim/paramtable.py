"""The parameter table of docs/parameters.md, generated from the scenario schema.

Every scenario field carries its meaning, unit, default, valid range and source; this module renders
them as one Markdown table per section so the docs can never drift from the code
(``python -m deterrence_sim.paramtable > docs/parameters.md``; a test checks the file is current).
"""

from __future__ import annotations

import typing

from pydantic import BaseModel

from .scenario import (
    AggressorSpec,
    Alliance,
    DonorSpec,
    InstrumentMix,
    PartnerSpec,
    Policy,
    Tie,
    World,
    field_bounds,
)

SECTIONS: list[tuple[str, type[BaseModel], str]] = [
    ("World (mechanism coefficients)", World, "world"),
    ("Donor", DonorSpec, "donors.<name>"),
    ("Donor policy (the levers)", Policy, "donors.<name>.policy"),
    ("Instrument mix", InstrumentMix, "donors.<name>.policy.instrument_mix"),
    ("Partner", PartnerSpec, "partners.<name>"),
    ("Aggressor", AggressorSpec, "aggressors.<name>"),
    ("Tie", Tie, "ties.<index>"),
    ("Alliance", Alliance, "alliances.<name>"),
]


def _range(field) -> str:
    args = typing.get_args(field.annotation)
    literal = [a for a in args if typing.get_origin(a) is typing.Literal]
    if typing.get_origin(field.annotation) is typing.Literal:
        return " \\| ".join(map(str, typing.get_args(field.annotation)))
    if literal:
        return " \\| ".join(map(str, typing.get_args(literal[0])))
    if field.annotation is bool:
        return "true \\| false"
    lo, hi = field_bounds(field)
    if lo is None and hi is None:
        return "—"
    return f"[{'' if lo is None else f'{lo:g}'}, {'∞' if hi is None else f'{hi:g}'}]"


def _default(field) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        return "(table)"
    value = field.default
    if value is None:
        return "open / none"
    return f"{value:g}" if isinstance(value, float) else str(value)


def render() -> str:
    lines = [
        "# Parameter table",
        "",
        "Generated from the scenario schema by `python -m deterrence_sim.paramtable`; do not edit by",
        "hand. Every parameter is a key of a scenario TOML file and can be overridden by dotted path",
        "(`--set 'donors.*.policy.sunset_year=10'`). Ranges are enforced when a scenario is loaded.",
        "Sources marked *assumption* or *calibrated* are modelling choices documented in",
        "[model.md](model.md); sunset-clause effects are hypotheses, not findings.",
        "",
    ]
    for title, model, prefix in SECTIONS:
        lines += [
            f"## {title}",
            "",
            f"Path: `{prefix}.<parameter>`",
            "",
            "| parameter | meaning | unit | default | valid range | source or rationale |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for name, field in model.model_fields.items():
            ann = field.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                continue
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            lines.append(
                f"| `{name}` | {field.description or ''} | {extra.get('unit', '')} | {_default(field)} "
                f"| {_range(field)} | {extra.get('source', '')} |"
            )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
