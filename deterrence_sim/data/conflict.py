"""Readers for the conflict data the deterrence core is calibrated against.

Five files as distributed by the ``peacesciencer`` R package (Miller 2022, *CMPS* 39(6)), COW codes
matching COW NMC: MID 5.0 directed dispute-years, COW inter-state wars (directed dyad-years),
Thompson & Dreyer strategic rivalries, COW direct contiguity and COW major powers. Each loader
checks the header first (a :class:`~deterrence_sim.data.DataFormatError` names the file and every
missing column), makes every listed column numeric, and turns COW's missing-value code -9 and
blank cells into NaN. Sources and units are in ``docs/data.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import DataError
from .loaders import _header, _numeric, _read, _require

__all__ = [
    "CONTIGUITY_COLUMNS",
    "MAJORS_COLUMNS",
    "MID_COLUMNS",
    "RIVALRY_COLUMNS",
    "WAR_COLUMNS",
    "load_contiguity",
    "load_majors",
    "load_mid_dyads",
    "load_rivalries",
    "load_wars",
]

#: MID 5.0 directed dispute-years (``ccode1`` acts toward ``ccode2`` in ``year``).
MID_COLUMNS = (
    "dispnum",
    "ccode1",
    "ccode2",
    "year",
    "disponset",
    "sidea1",
    "orig1",
    "hostlev1",
)
_MID_OPTIONAL = ("dispongoing", "sidea2", "orig2", "hostlev2", "hiact1", "hiact2", "fatality1")
#: COW inter-state wars v4.0, directed dyad-years.
WAR_COLUMNS = ("warnum", "ccode1", "ccode2", "year", "cowinteronset", "initiator1")
_WAR_OPTIONAL = ("cowinterongoing", "sidea1", "initiator2", "outcome1", "batdeath1", "batdeath2")
#: Thompson & Dreyer strategic rivalries (one row per rivalry, non-directed).
RIVALRY_COLUMNS = ("rivalryno", "ccode1", "ccode2", "styear", "endyear")
_RIVALRY_OPTIONAL = ("rivalryname", "region", "type1", "type2", "type3")
#: COW direct contiguity v3.2, non-directed pairs with ISO start/end dates.
CONTIGUITY_COLUMNS = ("ccode1", "ccode2", "conttype", "stdate", "enddate")
#: COW major powers (State System Membership v2016): one row per spell.
MAJORS_COLUMNS = ("ccode", "styear", "endyear")

_MISSING = -9  # COW's missing-value code


def _load(
    path: str | Path,
    what: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    text: tuple[str, ...] = (),
    hint_if: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Check the header, read required + present optional columns, make numbers numeric, -9 → NaN."""
    path, columns = _header(path, what)
    hint = next((h for col, h in (hint_if or {}).items() if col in columns), "")
    _require(path, columns, required, what, hint)
    keep = [*required, *(c for c in optional if c in columns)]
    df = _read(path, keep, what)
    numeric = [c for c in keep if c not in text]
    _numeric(df, numeric, path, what)
    for c in numeric:
        df[c] = df[c].astype(float).where(df[c] != _MISSING)
    return df


def _int_columns(df: pd.DataFrame, cols: tuple[str, ...]) -> pd.DataFrame:
    """Drop rows missing a key column and store the keys as integers."""
    df = df.dropna(subset=list(cols)).copy()
    for c in cols:
        df[c] = df[c].astype(int)
    return df.reset_index(drop=True)


def load_mid_dyads(path: str | Path) -> pd.DataFrame:
    """MID 5.0 directed dispute-years: one row per dispute, ordered pair and year, 1816–2014.

    Kept: ``dispnum, ccode1, ccode2, year``; ``disponset`` (1 in the dispute's first year),
    ``sidea1`` (1 if ``ccode1`` is on the initiating side), ``orig1`` (1 if an originator),
    ``hostlev1`` (highest hostility of ``ccode1``: 1 none, 2 threat, 3 display, 4 use of force,
    5 war) and, when present, ``dispongoing, sidea2, orig2, hostlev2, hiact1, hiact2, fatality1``
    (fatality levels, -9 → NaN). (Palmer et al. 2022, *CMPS* 39(4))
    """
    df = _load(
        path,
        "MID 5.0 directed dispute-year",
        MID_COLUMNS,
        _MID_OPTIONAL,
        hint_if={"cowinteronset": "this looks like the COW inter-state war file"},
    )
    return _int_columns(df, ("dispnum", "ccode1", "ccode2", "year"))


def load_wars(path: str | Path) -> pd.DataFrame:
    """COW inter-state wars v4.0, directed dyad-years 1816–2007.

    Kept: ``warnum, ccode1, ccode2, year``, ``cowinteronset`` (1 in the war's first year),
    ``initiator1`` (1 if ``ccode1`` started the war; ``sidea1`` in this file is a side number,
    not an initiator flag) and, when present, ``cowinterongoing, sidea1, initiator2, outcome1``,
    ``batdeath1, batdeath2`` (battle deaths; -9 → NaN). (Sarkees & Wayman 2010)
    """
    df = _load(
        path,
        "COW inter-state war (directed dyad-year)",
        WAR_COLUMNS,
        _WAR_OPTIONAL,
        hint_if={"disponset": "this looks like the MID directed dispute-year file"},
    )
    return _int_columns(df, ("warnum", "ccode1", "ccode2", "year"))


def load_rivalries(path: str | Path) -> pd.DataFrame:
    """Thompson & Dreyer strategic rivalries 1494–2010, one row per (non-directed) rivalry.

    Kept: ``rivalryno, ccode1, ccode2, styear, endyear`` (years, inclusive) and, when present,
    ``rivalryname, region, type1, type2, type3`` (text; blanks → NaN). (Thompson & Dreyer 2012)
    """
    text = ("rivalryname", "region", "type1", "type2", "type3")
    df = _load(path, "Thompson & Dreyer rivalry", RIVALRY_COLUMNS, _RIVALRY_OPTIONAL, text)
    return _int_columns(df, RIVALRY_COLUMNS)


def load_contiguity(path: str | Path) -> pd.DataFrame:
    """COW direct contiguity v3.2: non-directed pairs with ``conttype`` (1 land border; 2–5
    separated by at most 12, 24, 150, 400 miles of water) and the years the relation starts and
    ends (``styear``, ``endyear``, from the ISO dates ``stdate``, ``enddate``).
    (Stinnett et al. 2002, *CMPS* 19(2))
    """
    what = "COW direct contiguity"
    df = _load(path, what, CONTIGUITY_COLUMNS, (), text=("stdate", "enddate"))
    for col, out in (("stdate", "styear"), ("enddate", "endyear")):
        years = pd.to_datetime(df[col], errors="coerce").dt.year
        bad = years.isna() & df[col].notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise DataError(
                f"{path}: column {col} of the {what} file must be a date "
                f"(found {df.loc[bad, col].iloc[0]!r} in row {row})"
            )
        df[out] = years
    return _int_columns(df, ("ccode1", "ccode2", "conttype", "styear", "endyear"))


def load_majors(path: str | Path) -> pd.DataFrame:
    """COW major powers: ``ccode, styear, endyear`` (years, inclusive), one row per spell (a state
    can have several, e.g. Germany 1816–1918, 1925–1945, 1991–). (COW State System Membership v2016)
    """
    df = _load(path, "COW major powers", MAJORS_COLUMNS, ())
    return _int_columns(df, MAJORS_COLUMNS)
