"""Readers for the arms-race and civil-conflict data behind the capability side (issue #18).

Four files as distributed by the ``peacesciencer`` R package (Miller 2022, *CMPS* 39(6)):
Gibler–Rider–Hutchison arms races, UCDP/PRIO armed conflict years, UCDP onsets and COW intra-state
wars. Each loader checks the header first (a :class:`~deterrence_sim.data.DataFormatError` names the
file and every missing column) and makes the numeric columns numeric. UCDP codes states by
Gleditsch & Ward (GW), COW by COW code: :func:`gw_to_cow` maps one to the other.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .conflict import _int_columns, _load

__all__ = [
    "ACD_COLUMNS",
    "GW_COW_DIFFERENCES",
    "INTRA_WAR_COLUMNS",
    "ONSET_COLUMNS",
    "RACE_COLUMNS",
    "gw_to_cow",
    "load_arms_races",
    "load_intra_wars",
    "load_ucdp_acd",
    "load_ucdp_onsets",
]

#: Gibler, Rider & Hutchison (2005) conventional arms races (non-directed, years inclusive).
RACE_COLUMNS = ("race_id", "ccode1", "ccode2", "styear", "endyear")
#: UCDP/PRIO Armed Conflict Dataset v25.1 as distributed by peacesciencer (one row per conflict,
#: year and secondary supporter: rows repeat a conflict-year once per ``gwno_a_2nd``/``gwno_b_2nd``).
ACD_COLUMNS = (
    "conflict_id",
    "year",
    "gwno_a",
    "intensity_level",
    "type_of_conflict",
    "start_date2",
    "ep_end",
)
_ACD_OPTIONAL = ("gwno_a_2nd", "gwno_b", "gwno_b_2nd", "incompatibility", "start_date")
#: UCDP conflict onsets v19.1 by GW state-year.
ONSET_COLUMNS = ("gwcode", "year", "sumnewconf", "sumonset2")
_ONSET_OPTIONAL = ("sumonset1", "sumonset3", "sumonset5", "sumonset10")
#: COW intra-state wars v4.1, one row per war, side pair and year.
INTRA_WAR_COLUMNS = ("warnum", "year", "cowintraonset", "primary_state", "ccodea", "intnl")
_INTRA_OPTIONAL = ("wartype", "ccodeb", "outcome", "sideadeaths", "sidebdeaths", "ongo2007")

#: Where Gleditsch–Ward and COW codes differ for post-1945 states (Gleditsch & Ward 1999):
#: GW code -> (COW code before the switch year, COW code from the switch year on).
#: GW 260 is West Germany and then unified Germany; COW codes the GFR 260 to 1990, Germany 255
#: from 1991 (NMC has both in 1990). GW 678 is North Yemen and then unified Yemen; COW codes the
#: YAR 678 to 1989, Yemen 679 from 1990 (unification 22 May 1990). GW 340 is Serbia after 2006;
#: COW keeps 345 (Yugoslavia/Serbia) throughout. GW 711 (Tibet to 1950) has no COW code.
GW_COW_DIFFERENCES: dict[int, tuple[int | None, int | None, int]] = {
    260: (260, 255, 1991),
    678: (678, 679, 1990),
    340: (345, 345, 0),
    711: (None, None, 0),
}

_CONFLICT_TYPES = {
    "extrasystemic": 1,
    "interstate": 2,
    "intrastate": 3,
    "II": 4,
    "internationalized intrastate": 4,
}


def gw_to_cow(gw: pd.Series | np.ndarray, year: pd.Series | np.ndarray) -> pd.Series:
    """COW codes for Gleditsch–Ward codes in given years (NaN where COW has no such state).

    Most codes coincide; the exceptions are in :data:`GW_COW_DIFFERENCES`."""
    gw = pd.Series(np.asarray(gw), dtype=float)
    year = pd.Series(np.asarray(year), dtype=float)
    out = gw.copy()
    for code, (before, after, switch) in GW_COW_DIFFERENCES.items():
        hit = gw == code
        early = hit & (year < switch)
        out[early] = np.nan if before is None else before
        out[hit & ~early] = np.nan if after is None else after
    return out


def load_arms_races(path: str | Path) -> pd.DataFrame:
    """Gibler–Rider–Hutchison conventional arms races during rivalries: ``race_id, ccode1, ccode2,
    styear, endyear`` (years inclusive, non-directed). (Gibler, Rider & Hutchison 2005, *JPR*
    42(2))"""
    df = _load(path, "Gibler-Rider-Hutchison arms race", RACE_COLUMNS, ())
    return _int_columns(df, RACE_COLUMNS)


def load_ucdp_acd(path: str | Path) -> pd.DataFrame:
    """UCDP/PRIO Armed Conflict Dataset, one row per conflict-year (1946–2024 in v25.1).

    The peacesciencer export repeats a conflict-year once per secondary supporter; rows are
    collapsed to one per ``conflict_id, year``, keeping ``supporters_a`` and ``supporters_b``
    (the number of distinct secondary states backing side A, the government in an intrastate
    conflict, and side B, the rebels). ``type_code`` is UCDP's numeric type (1 extrasystemic,
    2 interstate, 3 intrastate, 4 internationalized intrastate), read from either the text
    labels of the export or numbers. ``episode_start`` is the year of ``start_date2`` (the start
    of the active episode). ``gwno_a`` is the government side (GW code).
    (Gleditsch et al. 2002; Davies et al. 2025)"""
    text = ("type_of_conflict", "start_date2", "incompatibility", "start_date")
    df = _load(path, "UCDP/PRIO armed conflict", ACD_COLUMNS, _ACD_OPTIONAL, text)
    raw = df["type_of_conflict"].astype(str).str.strip()
    df["type_code"] = raw.map(_CONFLICT_TYPES).fillna(pd.to_numeric(raw, errors="coerce"))
    df["episode_start"] = pd.to_datetime(df["start_date2"], errors="coerce").dt.year
    keys = ["conflict_id", "year"]
    out = df.drop_duplicates(keys).copy()
    for col, name in (("gwno_a_2nd", "supporters_a"), ("gwno_b_2nd", "supporters_b")):
        if col in df:
            counts = df.groupby(keys)[col].nunique().rename(name)
            out = out.drop(columns=[col]).merge(counts, on=keys, how="left")
        else:
            out[name] = 0
    return _int_columns(out, ("conflict_id", "year", "gwno_a", "intensity_level", "ep_end"))


def load_ucdp_onsets(path: str | Path) -> pd.DataFrame:
    """UCDP onsets by GW state-year (1946–2017 in v19.1): ``gwcode, year, sumnewconf`` (new
    conflicts) and ``sumonset2`` (onsets after at least two years of peace) plus the other
    ``sumonset*`` columns present. (Pettersson, Högbladh & Öberg 2019, *JPR* 56(4))"""
    df = _load(path, "UCDP onset", ONSET_COLUMNS, _ONSET_OPTIONAL)
    return _int_columns(df, ("gwcode", "year"))


def load_intra_wars(path: str | Path) -> pd.DataFrame:
    """COW intra-state wars v4.1, 1816–2007: ``warnum, year, cowintraonset, primary_state,
    ccodea`` (side A, -8 for a non-state side → NaN), ``intnl`` (1 internationalized) and, when
    present, ``wartype, ccodeb, outcome, sideadeaths, sidebdeaths, ongo2007``.
    (Dixon & Sarkees 2016; Sarkees & Wayman 2010)"""
    df = _load(path, "COW intra-state war", INTRA_WAR_COLUMNS, _INTRA_OPTIONAL, ("wartype",))
    for c in ("ccodea", "ccodeb"):
        if c in df:
            df[c] = df[c].where(df[c] >= 0)
    return _int_columns(df, ("warnum", "year"))
