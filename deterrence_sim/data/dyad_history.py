"""Dispute memory and dispute outcomes of a directed dyad-year panel (GML MIDs, MID 5.0, COW wars).

Memory (Beck, Katz & Tucker 1998; Carter & Signorino 2010): years since the pair's last dispute
year, dispute onsets in the last five years, a territorial dispute in the last ten. Outcomes:
MID initiation (challenge) by the challenger against the target and how far it went. Column
definitions are in :mod:`.prd`'s table; everything here is a vectorised merge.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["add_history", "add_outcomes"]

_KEY = ["ccode1", "ccode2", "year"]
USE_OF_FORCE, WAR = 4, 5
RECENT_YEARS, TERRITORY_YEARS = 5, 10
WAR_LAST_YEAR = 2007  # COW inter-state war data v4.0 end


def _pair(df: pd.DataFrame) -> pd.DataFrame:
    """lo/hi: the undirected pair of ccode1/ccode2."""
    out = df.copy()
    out["lo"] = np.minimum(out["ccode1"], out["ccode2"])
    out["hi"] = np.maximum(out["ccode1"], out["ccode2"])
    return out


def _following(df: pd.DataFrame, years: int) -> pd.DataFrame:
    """Each (lo, hi, year) event repeated in the ``years`` years after it."""
    rep = df.loc[df.index.repeat(years)].reset_index(drop=True)
    rep["year"] = rep["year"] + np.tile(np.arange(1, years + 1), len(df))
    return rep


def _peace_years(panel: pd.DataFrame, dispute_years: pd.DataFrame) -> np.ndarray:
    p = _pair(panel[_KEY]).reset_index()
    p["first"] = p.groupby(["lo", "hi"])["year"].transform("min")
    past = dispute_years[["lo", "hi", "year"]].drop_duplicates().rename(columns={"year": "last"})
    past["year"] = past["last"]
    merged = pd.merge_asof(
        p.sort_values("year"),
        past.sort_values("year"),
        on="year",
        by=["lo", "hi"],
        allow_exact_matches=False,
    ).set_index("index")
    merged = merged.loc[p["index"]]
    since = np.where(merged["last"].notna(), merged["year"] - merged["last"] - 1, 0)
    none = merged["year"] - merged["first"]
    return np.where(merged["last"].notna(), since, none).astype(int)


def _window_count(panel: pd.DataFrame, events: pd.DataFrame, years: int, name: str):
    counts = _following(events[["lo", "hi", "year"]], years)
    counts = counts.groupby(["lo", "hi", "year"]).size().rename(name).reset_index()
    merged = _pair(panel[_KEY]).merge(counts, on=["lo", "hi", "year"], how="left")
    return merged[name].fillna(0).astype(int).to_numpy()


def add_history(panel: pd.DataFrame, gml: pd.DataFrame) -> pd.DataFrame:
    """``peace_years``, ``t``/``t2``/``t3`` (peace_years/10 and powers), ``recent_disputes``
    (onsets in the five previous years) and ``terr_mid10`` (a territorial MID begun in the ten
    previous years), all over both directions of the pair, from GML dispute-years."""
    g = _pair(gml)
    out = panel.copy()
    out["peace_years"] = _peace_years(out, g)
    out["t"] = out["peace_years"] / 10.0
    out["t2"] = out["t"] ** 2
    out["t3"] = out["t"] ** 3
    # Each pair's first year in each dispute (a joiner's pair starts when it joins).
    starts = g.groupby(["dispnum", "lo", "hi"], as_index=False)["year"].min()
    out["recent_disputes"] = _window_count(out, starts, RECENT_YEARS, "recent_disputes")
    rev = [c for c in ("revtype11", "revtype12", "revtype21", "revtype22") if c in g.columns]
    terr_disp = g.loc[(g[rev] == 1).any(axis=1), "dispnum"].unique()
    terr = starts[starts["dispnum"].isin(terr_disp)]
    out["terr_mid10"] = (_window_count(out, terr, TERRITORY_YEARS, "terr") > 0).astype(int)
    return out


def _keys(df: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    return df.loc[mask, _KEY].drop_duplicates()


def _indicator(panel: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    k = keys.copy()
    k["_hit"] = 1
    return panel[_KEY].merge(k, on=_KEY, how="left")["_hit"].fillna(0).astype(int).to_numpy()


def add_outcomes(
    panel: pd.DataFrame, gml: pd.DataFrame, mid5: pd.DataFrame, wars: pd.DataFrame
) -> pd.DataFrame:
    """``challenge`` / ``force`` / ``war`` (GML), ``challenge_mid5`` (MID 5.0) and ``war_cow``
    (COW war onset with the challenger as initiator; NaN after 2007)."""
    out = panel.copy()
    init = (gml["midonset"] == 1) & (gml["sidea1"] == 1) & (gml["orig1"] == 1) & (gml["orig2"] == 1)
    out["challenge"] = _indicator(out, _keys(gml, init))
    out["force"] = _indicator(out, _keys(gml, init & (gml["hostlev1"] >= USE_OF_FORCE)))
    war = init & (gml["hostlev1"] == WAR) & (gml["hostlev2"] == WAR)
    out["war"] = _indicator(out, _keys(gml, war))
    m5 = (mid5["disponset"] == 1) & (mid5["sidea1"] == 1) & (mid5["orig1"] == 1)
    if "orig2" in mid5.columns:
        m5 &= mid5["orig2"] == 1
    out["challenge_mid5"] = _indicator(out, _keys(mid5, m5))
    w = (wars["cowinteronset"] == 1) & (wars["initiator1"] == 1)
    war_cow = _indicator(out, _keys(wars, w)).astype(float)
    out["war_cow"] = np.where(out["year"] <= WAR_LAST_YEAR, war_cow, np.nan)
    return out
