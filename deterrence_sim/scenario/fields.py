"""The building blocks of every schema class: the strict base and the ``param()`` field helper.

``Strict`` is the one strict pydantic base of the package (unknown keys are errors, defaults are
validated); the experiment spec uses it too. ``param()`` attaches a field's unit, valid range,
meaning and source, from which ``docs/parameters.md`` is generated.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "MAX_CAPABILITY",
    "MAX_COUNT",
    "WORLD_GDP",
    "ScenarioBase",
    "Strict",
    "field_bounds",
    "iter_fields",
    "param",
]

#: World GDP, $bn (World Bank WDI, NY.GDP.MKTP.CD, world, 2023: about $105 trillion). No budget,
#: GDP, equipment stock or delivery capacity of one state can exceed what the whole world produces
#: in a year; bounding every money quantity by it keeps the arithmetic finite (issue 20).
WORLD_GDP = 105_000.0

#: Capability points are 4 x military expenditure in $bn (docs/model.md; COW NMC milex), and no
#: state can spend more than world GDP on its military.
MAX_CAPABILITY = 4 * WORLD_GDP

#: Beta-prior pseudo-counts of commitments: ATOP records about 750 alliances from 1815 to 2018, so
#: a prior worth more than 10,000 observed commitments has no empirical meaning.
MAX_COUNT = 10_000.0


def param(
    default: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    unit: str = "",
    meaning: str,
    source: str,
    hi_means: str | None = None,
) -> Any:
    """A scenario field with its valid range, unit, meaning and source (for the parameter table).

    ``hi_means`` names what the upper bound stands for (e.g. "world GDP"), for error messages."""
    extra = {"unit": unit, "source": source}
    if hi_means:
        extra["hi_means"] = hi_means
    return Field(default, ge=lo, le=hi, description=meaning, json_schema_extra=extra)


class Strict(BaseModel):
    """A pydantic model that rejects unknown keys, validates its defaults and refuses inf and nan
    (TOML writes them as ``inf``/``nan``; no parameter means anything there)."""

    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


class ScenarioBase(Strict):
    """The base of every scenario class: :class:`Strict`, plus strict types -- a number must be a
    number (``budget = true`` or ``budget = "1.2"`` is an error, not 1.0 or 1.2; an integer is
    still a valid float) -- and frozen: a validated scenario cannot be changed in place
    (``scenario.partners[0].governance = 5`` raises); :meth:`Scenario.with_overrides` makes a
    changed copy, validated again."""

    model_config = ConfigDict(strict=True, frozen=True)


def field_bounds(field) -> tuple[float | None, float | None]:
    """(lower, upper) bounds of a scenario field (None where unbounded)."""
    lo = hi = None
    for m in field.metadata:
        for name in ("ge", "gt"):
            lo = getattr(m, name, None) if getattr(m, name, None) is not None else lo
        for name in ("le", "lt"):
            hi = getattr(m, name, None) if getattr(m, name, None) is not None else hi
    return lo, hi


def iter_fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf field of a scenario model as (dotted name, FieldInfo), for the parameter table."""
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from iter_fields(ann, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field
