"""Text made safe for where it goes: CSV files, Markdown tables and the terminal.

Names in scenarios and specs are free text a user (or someone who shares a file) chooses, and they
end up in files other people open:

- **CSV** (:func:`write_csv`): a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is read as a formula by spreadsheet programs (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``).
  As the OWASP "CSV Injection" page recommends, such a cell gets a leading single quote, which
  spreadsheets show as text. Only text cells are changed: numbers (``-0.5``) stay numbers, and a
  text cell that is just a number (``"-5"`` in a factor mixing ``"open"`` and years) is left as it
  is. ``defusedcsv`` does the same for the standard ``csv`` module, but pandas writes CSV with its
  own writer, so the package uses this small function instead.
- **Markdown** (:func:`md_cell`): ``|`` would split a table row, and HTML (``<img onerror=...>``)
  would be rendered by a Markdown viewer; both are escaped.
- **Terminal** (:func:`terminal_text`): control characters (ESC sequences can clear the screen or
  write the clipboard: ESC]52) are shown escaped, never sent as they are.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["csv_cell", "md_cell", "md_text", "neutralise", "terminal_text", "write_csv"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def csv_cell(value: Any) -> Any:
    """A cell value as it is safe to write to CSV (text that a spreadsheet would run gets ``'``)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def _texts(values: pd.Series | pd.Index) -> bool:
    return values.dtype == object or pd.api.types.is_string_dtype(values.dtype)


def neutralise(df: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """A copy of ``df`` (a frame or a series) with every text cell, column name and index label
    made safe."""
    out = df.copy()
    if isinstance(out, pd.Series):
        if _texts(out):
            out = out.map(csv_cell)
        out.name = csv_cell(out.name)
    else:
        for col in out.columns:
            if _texts(out[col]):
                out[col] = out[col].map(csv_cell)
        out.columns = [csv_cell(c) for c in out.columns]
    if _texts(out.index) and not isinstance(out.index, pd.MultiIndex):
        out.index = out.index.map(csv_cell)
    return out


def write_csv(df: pd.DataFrame | pd.Series, path: str | Path, **kwargs: Any) -> None:
    """``df.to_csv(path, **kwargs)`` with formula-like text cells neutralised (see above)."""
    neutralise(df).to_csv(path, **kwargs)


def md_text(value: Any) -> str:
    """Free text for a Markdown paragraph: HTML escaped (it would run in a viewer), control
    characters shown escaped; line breaks and Markdown emphasis kept."""
    return html.escape(terminal_text(str(value)), quote=False)


def md_cell(value: Any) -> str:
    """Text for one Markdown table cell: HTML escaped, ``|`` escaped, on one line."""
    text = terminal_text(str(value)).replace("\n", " ")
    return html.escape(text, quote=False).replace("|", "\\|")


def terminal_text(text: str) -> str:
    """``text`` with control characters (escape sequences, backspace, ...) shown escaped; line
    breaks and tabs are kept."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
