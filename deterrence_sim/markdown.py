"""Markdown tables for the reports (``analyse``, ``decision discover``, ``decision optimize``)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from .escaping import md_cell

__all__ = ["frame_table", "md_table"]


def md_table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A Markdown table of already formatted cells, one inner sequence per row.

    Every cell is escaped (:func:`~deterrence_sim.escaping.md_cell`): a name holding ``|`` or
    HTML cannot break the table or run in a Markdown viewer."""
    lines = ["| " + " | ".join(map(md_cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(md_cell, r)) + " |" for r in rows]
    return "\n".join(lines)


def _cell(v: object, digits: int) -> str:
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.{digits}g}"
    return str(v)


def frame_table(df: pd.DataFrame, digits: int = 3) -> str:
    """A data frame as a Markdown table: floats to ``digits`` significant figures, NaN left blank."""
    rows = [[_cell(v, digits) for v in row] for row in df.itertuples(index=False)]
    return md_table(rows, list(df.columns))
