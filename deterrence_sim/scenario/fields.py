"""The building blocks of every schema class: the strict base and the ``param()`` field helper.

``Strict`` is the one strict pydantic base of the package (unknown keys are errors, defaults are
validated); the experiment spec uses it too. ``param()`` attaches a field's unit, valid range,
meaning and source, from which ``docs/parameters.md`` is generated.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Strict", "field_bounds", "iter_fields", "param"]


def param(
    default: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    unit: str = "",
    meaning: str,
    source: str,
) -> Any:
    """A scenario field with its valid range, unit, meaning and source (for the parameter table)."""
    extra = {"unit": unit, "source": source}
    return Field(default, ge=lo, le=hi, description=meaning, json_schema_extra=extra)


class Strict(BaseModel):
    """A pydantic model that rejects unknown keys, validates its defaults and refuses inf and nan
    (TOML writes them as ``inf``/``nan``; no parameter means anything there)."""

    model_config = ConfigDict(extra="forbid", validate_default=True, allow_inf_nan=False)


def field_bounds(field) -> tuple[float | None, float | None]:
    """(lower, upper) bounds of a scenario field (None where unbounded)."""
    lo = hi = None
    for m in field.metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
    return lo, hi


def iter_fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf field of a scenario model as (dotted name, FieldInfo), for the parameter table."""
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from iter_fields(ann, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field
