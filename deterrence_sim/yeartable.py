"""A run's yearly table as plain columns (name -> one value per year, year 0 included), the
reductions the per-run metrics read from it (:class:`RunView`), and its DataFrame.

The model keeps its yearly rows as lists and the metrics read them as lists: a europe run's
metrics took longer through pandas than its forty years of simulation. The DataFrame
(``RunResult.timeseries``) is built only when someone reads it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = ["Columns", "RunView", "columns_of", "timeseries_frame"]

#: A run's yearly table as plain columns: name -> one value per year, year 0 included.
Columns = Mapping[str, Sequence[float]]


class RunView:
    """A run's yearly table (year 0 included) and totals, with the reductions metrics use.

    The table is plain columns (lists), not a DataFrame: a europe run's metrics took longer
    through pandas than its forty years of simulation."""

    def __init__(self, columns: Columns, totals: dict[str, Any]):
        self.columns = columns
        years = columns["year"]
        keep = [i for i, y in enumerate(years) if y >= 1]
        # The model's rows are in year order, so years 1..T are a tail of the table.
        tail = len(years) - len(keep)
        self._keep: slice | list[int] = (
            slice(tail, None) if keep == [*range(tail, len(years))] else keep
        )
        self.years = max(len(keep), 1)
        self.attacks = float(math.fsum(self.run("attacks")))
        self.totals = totals

    def run(self, column: str) -> list[float]:
        """The column's values in years 1…T."""
        values = self.columns[column]
        if isinstance(self._keep, slice):
            return list(values[self._keep])
        return [values[i] for i in self._keep]

    def total(self, column: str) -> float:
        """Sum over years 1…T (``math.fsum`` is exact, so no summation order matters)."""
        return float(math.fsum(self.run(column)))

    def mean(self, column: str) -> float:
        """Mean over years 1…T."""
        values = self.run(column)
        return math.fsum(values) / len(values) if len(values) else math.nan

    def first(self, column: str) -> float:
        return float(self.columns[column][0])

    def final(self, column: str) -> float:
        return float(self.columns[column][-1])


def timeseries_frame(columns: Columns) -> pd.DataFrame:
    """The yearly table as a DataFrame (``RunResult.timeseries``), years as integers."""
    df = pd.DataFrame(columns)
    df["year"] = df["year"].astype(int)
    return df


def columns_of(ts: pd.DataFrame) -> Columns:
    """A DataFrame's columns as plain lists."""
    return {name: ts[name].to_list() for name in ts.columns}
