"""Readers for the public datasets the project calibrates against.

Each loader checks the header before reading the body, so a file in the wrong format fails at once
with a :class:`~deterrence_sim.data.DataFormatError` naming the file and every missing column.
Missing-value codes become NaN. Sources and citations are in ``docs/data.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import DataError, DataFormatError

__all__ = [
    "ATOP_ALLIANCE_COLUMNS",
    "ATOP_MEMBER_COLUMNS",
    "NMC_COLUMNS",
    "VDEM_COLUMNS",
    "load_atop_alliances",
    "load_atop_members",
    "load_nmc",
    "load_vdem",
]

#: COW National Material Capabilities, abridged v5.0 / v6.0 (``version`` is optional).
NMC_COLUMNS = (
    "stateabb",
    "ccode",
    "year",
    "milex",
    "milper",
    "irst",
    "pec",
    "tpop",
    "upop",
    "cinc",
)
#: V-Dem subset: electoral democracy index by COW code.
VDEM_COLUMNS = ("year", "COWcode", "v2x_polyarchy")
#: ATOP member level: who was in which alliance (phase), from when to when, with what obligation.
ATOP_MEMBER_COLUMNS = ("atopid", "member", "yrent", "yrexit", "defense")
#: ATOP alliance level: one row per alliance, members in mem1..memN.
ATOP_ALLIANCE_COLUMNS = ("atopid", "begyr", "endyr", "defense", "mem1")

_MEMBER_OPTIONAL = ("phase", "bilat", "offense", "neutral", "nonagg", "consul")

# COW's missing-value code in NMC is -9 (every negative value is read as missing, below); V-Dem
# leaves cells empty.


def _header(path: str | Path, what: str) -> tuple[Path, list[str]]:
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: {what} file not found")
    try:
        header = pd.read_csv(path, nrows=0)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read as a CSV {what} file: {exc}") from None
    return path, [str(c).strip() for c in header.columns]


def _require(path: Path, columns: list[str], required: tuple[str, ...], what: str, hint: str = ""):
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataFormatError(path, what, missing, hint)


def _read(path: Path, usecols: list[str], what: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, usecols=usecols, low_memory=False)
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read as a CSV {what} file: {exc}") from None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _numeric(df: pd.DataFrame, cols: list[str], path: Path, what: str) -> None:
    for c in cols:
        converted = pd.to_numeric(df[c], errors="coerce")
        bad = converted.isna() & df[c].notna() & (df[c].astype(str).str.strip() != "")
        if bad.any():
            example = df.loc[bad, c].iloc[0]
            raise DataError(
                f"{path}: column {c} of the {what} file must be numeric (found {example!r} "
                f"in row {int(np.flatnonzero(bad.to_numpy())[0]) + 2})"
            )
        df[c] = converted


def load_nmc(path: str | Path) -> pd.DataFrame:
    """COW National Material Capabilities, abridged CSV (v5.0 or v6.0), one row per state-year.

    Columns kept: ``stateabb, ccode, year, milex`` (thousands of current USD), ``milper``
    (thousands), ``irst`` (thousand tons), ``pec`` (thousand coal-ton equivalents), ``tpop``,
    ``upop`` (thousands), ``cinc`` (share of the system total), and ``version`` when present.
    The missing-value code -9 (and any other negative value) becomes NaN. (Singer, Bremer & Stuckey 1972; Singer 1987)
    """
    what = "COW National Material Capabilities (abridged)"
    path, columns = _header(path, what)
    hint = ""
    if "COWcode" in columns or "atopid" in columns:
        hint = "this looks like a V-Dem or ATOP file"
    _require(path, columns, NMC_COLUMNS, what, hint)
    keep = [*NMC_COLUMNS, *(["version"] if "version" in columns else [])]
    df = _read(path, keep, what)
    numeric = [c for c in NMC_COLUMNS if c != "stateabb"]
    _numeric(df, numeric, path, what)
    for c in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        # Every NMC quantity is a count or an amount: the code -9, or any negative value (a
        # damaged file), is missing.
        df[c] = df[c].astype(float).where(df[c] >= 0)
    df["ccode"] = df["ccode"].astype(int)
    df["year"] = df["year"].astype(int)
    df["stateabb"] = df["stateabb"].astype(str).str.strip()
    return df


def load_vdem(path: str | Path) -> pd.DataFrame:
    """V-Dem electoral democracy index: ``year, COWcode, v2x_polyarchy`` (0–1).

    Works on the full V-Dem country-year file too (only these columns are read). Rows without a
    COW code (V-Dem units that are not COW states) are dropped; an empty index cell is NaN.
    (Coppedge et al., V-Dem Dataset; Teorell et al. 2019)
    """
    what = "V-Dem (year, COWcode, v2x_polyarchy)"
    path, columns = _header(path, what)
    _require(path, columns, VDEM_COLUMNS, what)
    df = _read(path, list(VDEM_COLUMNS), what)
    _numeric(df, list(VDEM_COLUMNS), path, what)
    df = df.dropna(subset=["COWcode", "year"]).copy()
    df["COWcode"] = df["COWcode"].astype(int)
    df["year"] = df["year"].astype(int)
    df["v2x_polyarchy"] = df["v2x_polyarchy"].astype(float)
    return df.reset_index(drop=True)


def load_atop_members(path: str | Path) -> pd.DataFrame:
    """ATOP member-level CSV: one row per member and phase of an alliance.

    Kept: ``atopid, member`` (COW code), ``yrent``, ``yrexit`` (0 = still in force; kept as 0),
    ``defense`` (this member promises to defend the others) and, when present, ``phase, bilat,
    offense, neutral, nonagg, consul``. (Leeds, Ritter, Mitchell & Long 2002)
    """
    what = "ATOP member-level"
    path, columns = _header(path, what)
    hint = "this looks like the ATOP alliance-level file" if "mem1" in columns else ""
    _require(path, columns, ATOP_MEMBER_COLUMNS, what, hint)
    keep = [*ATOP_MEMBER_COLUMNS, *(c for c in _MEMBER_OPTIONAL if c in columns)]
    df = _read(path, keep, what)
    _numeric(df, keep, path, what)
    df = df.dropna(subset=["atopid", "member", "yrent"]).copy()
    df["yrexit"] = df["yrexit"].fillna(0)
    for c in keep:
        df[c] = df[c].fillna(0).astype(int)
    return df.reset_index(drop=True)


def load_atop_alliances(path: str | Path) -> pd.DataFrame:
    """ATOP alliance-level CSV: one row per alliance, with obligation flags and members.

    Kept: every column of the file (obligation flags, ``conditio``, ``milaid``, ``organ1``…), plus
    a ``members`` column: the list of member COW codes from ``mem1``…``memN``. ``endyr`` 0 means
    still in force. (Leeds, Ritter, Mitchell & Long 2002)
    """
    what = "ATOP alliance-level"
    path, columns = _header(path, what)
    hint = "this looks like the ATOP member-level file" if "yrent" in columns else ""
    _require(path, columns, ATOP_ALLIANCE_COLUMNS, what, hint)
    df = _read(path, columns, what)
    mem_cols = sorted(
        (c for c in df.columns if re.fullmatch(r"mem\d+", c)), key=lambda c: int(c[3:])
    )
    _numeric(df, ["atopid", "begyr", "endyr", "defense", *mem_cols], path, what)
    df["atopid"] = df["atopid"].astype(int)
    df["endyr"] = df["endyr"].fillna(0).astype(int)
    mems = df[mem_cols].to_numpy()
    df = df.copy()  # the wide file arrives fragmented; one copy before adding a column
    df["members"] = [[int(x) for x in row if not np.isnan(x)] for row in mems]
    return df


# --- Politically relevant dyad panel (issue 19): GML MIDs, capitals, territorial threat, ATOP
# conditions. Appended; each reader checks the header first like the ones above.

#: Gibler, Miller & Little MID v2.2.1 directed dispute-years (same layout as MID 5.0, ``midonset``).
GML_COLUMNS = (
    "dispnum",
    "ccode1",
    "ccode2",
    "year",
    "midonset",
    "sidea1",
    "orig1",
    "orig2",
    "hostlev1",
    "hostlev2",
)
_GML_OPTIONAL = ("revtype11", "revtype12", "revtype21", "revtype22", "hostlev", "fatality1")
#: COW capitals with coordinates and ISO start/end dates.
CAPITAL_COLUMNS = ("ccode", "stdate", "enddate", "lat", "lng")
#: Miller (2022) latent external territorial threat by state-year.
TERRTHREAT_COLUMNS = ("ccode", "year", "lterrthreat")
#: ATOP member level with the conditions on each member's defence promise and named threats.
ATOP_CONDITION_COLUMNS = (
    "atopid",
    "member",
    "yrent",
    "yrexit",
    "defense",
    "defcoadv",
    "defcoloc",
    "defcocon",
    "defconum",
    "defcodem",
    "defconpr",
    "statthr1",
    "statthr2",
)


def _read_checked(path: str | Path, what: str, required: tuple[str, ...], optional=()):
    path, columns = _header(path, what)
    _require(path, columns, required, what)
    keep = [*required, *(c for c in optional if c in columns)]
    return path, _read(path, keep, what)


def load_gml_dyads(path: str | Path) -> pd.DataFrame:
    """GML MID v2.2.1 directed dispute-years, 1816–2010: ``dispnum, ccode1, ccode2, year,
    midonset`` (1 in the dispute's first year), ``sidea1``, ``orig1``/``orig2`` (originators),
    ``hostlev1``/``hostlev2`` (1 none … 4 use of force, 5 war) and, when present, the revision
    types ``revtype11…22`` (1 territory) and the dispute's ``hostlev``; -9 → NaN.
    (Gibler, Miller & Little 2016, *ISQ* 60(4))"""
    what = "GML MID directed dispute-year"
    path, df = _read_checked(path, what, GML_COLUMNS, _GML_OPTIONAL)
    _numeric(df, list(df.columns), path, what)
    for c in df.columns:
        df[c] = df[c].astype(float).where(df[c] != -9)
    df = df.dropna(subset=["dispnum", "ccode1", "ccode2", "year"]).copy()
    for c in ("dispnum", "ccode1", "ccode2", "year"):
        df[c] = df[c].astype(int)
    return df.reset_index(drop=True)


def load_capitals(path: str | Path) -> pd.DataFrame:
    """COW capitals: ``ccode, styear, endyear, lat, lng`` (degrees), one row per capital spell
    (years from the ISO dates ``stdate``/``enddate``)."""
    what = "COW capitals"
    path, df = _read_checked(path, what, CAPITAL_COLUMNS)
    _numeric(df, ["ccode", "lat", "lng"], path, what)
    for col, out in (("stdate", "styear"), ("enddate", "endyear")):
        years = pd.to_datetime(df[col], errors="coerce").dt.year
        if years.isna().any():
            row = int(np.flatnonzero(years.isna().to_numpy())[0]) + 2
            raise DataError(f"{path}: column {col} must be a date (row {row})")
        df[out] = years.astype(int)
    df["ccode"] = df["ccode"].astype(int)
    return df[["ccode", "styear", "endyear", "lat", "lng"]].reset_index(drop=True)


def load_terrthreat(path: str | Path) -> pd.DataFrame:
    """Latent external territorial threat by state-year, 1816–2010: ``ccode, year,
    lterrthreat``. (Miller 2022, *Journal of Global Security Studies* 7(4))"""
    what = "territorial threat (ccode, year, lterrthreat)"
    path, df = _read_checked(path, what, TERRTHREAT_COLUMNS)
    _numeric(df, list(TERRTHREAT_COLUMNS), path, what)
    df = df.dropna(subset=["ccode", "year"]).copy()
    df["ccode"] = df["ccode"].astype(int)
    df["year"] = df["year"].astype(int)
    return df.reset_index(drop=True)


def load_atop_conditions(path: str | Path) -> pd.DataFrame:
    """ATOP member level with each member's defence promise and its conditions: ``atopid,
    member, yrent, yrexit`` (0 = in force), ``defense`` and ``defcoadv`` (only against named
    adversaries), ``defcoloc`` (only in named locations), ``defcocon`` (only in a named conflict),
    ``defconum`` (only against several attackers), ``defcodem`` (only if demands are refused),
    ``defconpr`` (only if not provoked), ``statthr1``/``statthr2`` (COW codes of named threats,
    0 none). Blank cells → 0. (Leeds, Ritter, Mitchell & Long 2002)"""
    what = "ATOP member-level (with defence conditions)"
    path, df = _read_checked(path, what, ATOP_CONDITION_COLUMNS)
    _numeric(df, list(ATOP_CONDITION_COLUMNS), path, what)
    df = df.dropna(subset=["atopid", "member", "yrent"]).copy()
    return df.fillna(0).astype(int).reset_index(drop=True)
