"""Directed dyad-year panels for the two-stage deterrence fit: politically relevant dyads and rivals.

``build_dyad_panel("prd")``: one row per ordered pair (``ccode1`` challenger → ``ccode2``
target) and year 1816–2010 with both states in COW NMC that year and the pair *politically
relevant* (Lemke & Reed 2001): directly contiguous that year (COW ``conttype`` 1–5: land, or at
most 400 miles of water — all of COW's direct contiguity; the narrower 150-mile rule is the
``contiguity_type`` ≤ 4 subset) or either state a COW major power that year.
``build_dyad_panel("rivals")``: the same columns for Thompson & Dreyer rival dyad-years (the
population of round one), so the two fits compare like with like. Built with vectorised merges.

=========================  ==================================================================
column                     definition (source)
=========================  ==================================================================
``log_capability_ratio``   log(cinc1 / cinc2), COW NMC v6; a missing CINC leaves NaN (the row
                           is kept, dropped by the fits); NMC v6 has no zero CINC, but a zero
                           would be floored at 1e-7 (below the smallest positive, 2.4e-7)
``d5_log_ratio``           log ratio now minus five years ago (same directed pair); NaN when
                           either is missing. Negative: the challenger is declining
``declining``              ``d5_log_ratio`` in the bottom decile of the PRD panel (cut point
                           in :data:`DECLINE_CUT`, computed once on the PRD panel, 1816–2010)
``rising``                 ``d5_log_ratio`` ≥ −:data:`DECLINE_CUT` (the mirror image: the target
                           is declining); a missing change counts as neither
``log_distance``           log great-circle km between capitals in force that year (COW
                           capitals, haversine, 6371 km radius; floored at 10 km)
``contiguous``             COW direct contiguity ``conttype`` 1–5 in force that year;
                           ``contiguity_type`` its value (1 land … 5 ≤ 400 mi water; 0 none)
``major1``, ``major2``     COW major power that year
``target_pact`` …          Leeds-style alliance terms, see :mod:`.pacts`
``rivalry``                Thompson & Dreyer rivals that year (Thompson & Dreyer 2012)
``terr_threat1/2``         latent territorial threat of challenger / target (Miller 2022)
``joint_dem``              both V-Dem polyarchy > 0.5 (a missing score counts as not > 0.5)
``post1945``               year ≥ 1946
``peace_years``            years since the pair's last GML MID year (either direction, any
                           hostility), counted from the pair's first panel year when none;
                           ``t``, ``t2``, ``t3`` = peace_years/10 and its powers (Carter &
                           Signorino 2010)
``recent_disputes``        GML MID onsets in the pair (either direction) in the 5 previous years
``terr_mid10``             a GML MID over territory (any side's ``revtype`` 1) in the pair in
                           the 10 previous years (a claim proxy; no claims data in the set)
``challenge``              GML MID initiation: the dispute's first year (``midonset``), the
                           challenger on side A (``sidea1``), both states originators
                           (``orig1``, ``orig2``; joiners are not challenges); GML to 2010
``challenge_mid5``         the same from MID 5.0 (``disponset``) — robustness; MID 5.0 to 2014
``force``, ``war``         a challenge in which the challenger used force (``hostlev1`` ≥ 4) /
                           in which both reached war (``hostlev1`` = ``hostlev2`` = 5)
``war_cow``                COW inter-state war onset, challenger the initiator; NaN after 2007
``dyad``                   undirected pair id min·1000 + max (for clustering)
=========================  ==================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from . import DataError, default_data_dir
from .conflict import load_contiguity, load_majors, load_mid_dyads, load_rivalries, load_wars
from .dyad_history import add_history, add_outcomes
from .loaders import (
    load_atop_conditions,
    load_capitals,
    load_gml_dyads,
    load_nmc,
    load_terrthreat,
    load_vdem,
)
from .pacts import add_pacts

__all__ = [
    "DECLINE_CUT",
    "POPULATIONS",
    "PRD_FILES",
    "PrdSources",
    "build_dyad_panel",
    "load_prd_sources",
]

PRD_FILES = {
    "nmc": "NMC-60-abridged.csv",
    "atop": "atop-member-level.csv",
    "gml": "gml-mid-dirdisps.csv",
    "mid5": "cow-mid-dirdisps.csv",
    "wars": "cow-war-inter.csv",
    "rivalries": "td-rivalries.csv",
    "contiguity": "cow-contdir.csv",
    "majors": "cow-majors.csv",
    "capitals": "cow-capitals.csv",
    "terr": "terrthreat.csv",
    "vdem": "vdem-polyarchy.csv",
}
_LOADERS = {
    "nmc": load_nmc,
    "atop": load_atop_conditions,
    "gml": load_gml_dyads,
    "mid5": load_mid_dyads,
    "wars": load_wars,
    "rivalries": load_rivalries,
    "contiguity": load_contiguity,
    "majors": load_majors,
    "capitals": load_capitals,
    "terr": load_terrthreat,
    "vdem": load_vdem,
}
FIRST_YEAR, LAST_YEAR = 1816, 2010
WAR_LAST_YEAR = 2007
CONTIGUITY_TYPES = (1, 2, 3, 4, 5)
#: Bottom-decile cut of the five-year change of the log capability ratio: the PRD panel's 10th
#: percentile, 1816–2010, is −0.319 (a fall of the challenger's relative capability by 27%+).
DECLINE_CUT = -0.32
_KEY = ["ccode1", "ccode2", "year"]
POPULATIONS = ("prd", "rivals", "all")
ALL_DYADS_LAST_YEAR = 1944


@dataclass
class PrdSources:
    """The loaded tables the panels are built from (each from its loader)."""

    nmc: pd.DataFrame
    atop: pd.DataFrame
    gml: pd.DataFrame
    mid5: pd.DataFrame
    wars: pd.DataFrame
    rivalries: pd.DataFrame
    contiguity: pd.DataFrame
    majors: pd.DataFrame
    capitals: pd.DataFrame
    terr: pd.DataFrame
    vdem: pd.DataFrame


def load_prd_sources(data_dir: str | Path | None = None) -> PrdSources:
    """Load the eleven files from ``data_dir`` (default ``$DETERRENCE_SIM_DATA`` or
    ``../shared/data``); a missing folder or file is a :class:`DataError` naming it."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    if folder is None or not folder.is_dir():
        raise DataError(f"data folder not found ({data_dir}): set DETERRENCE_SIM_DATA")
    missing = [f for f in PRD_FILES.values() if not (folder / f).is_file()]
    if missing:
        raise DataError(f"{folder}: missing data file(s) {', '.join(missing)}")
    return PrdSources(
        **{f.name: _LOADERS[f.name](folder / PRD_FILES[f.name]) for f in fields(PrdSources)}
    )


def _spell_years(df: pd.DataFrame, key: list[str], start: str, end: str) -> pd.DataFrame:
    """Expand inclusive spells into one row per year, clipped to the panel's years."""
    lo = df[start].clip(lower=FIRST_YEAR)
    hi = df[end].clip(upper=LAST_YEAR)
    n = (hi - lo + 1).clip(lower=0).to_numpy()
    out = df.loc[df.index.repeat(n), key].reset_index(drop=True)
    out["year"] = np.concatenate([np.arange(s, s + k) for s, k in zip(lo, n, strict=True)])
    return out


def _directed(pairs: pd.DataFrame) -> pd.DataFrame:
    """Both orders of (ccode1, ccode2, year) pairs, without self-pairs and duplicates."""
    flipped = pairs.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    both = pd.concat([pairs[_KEY], flipped[_KEY]], ignore_index=True)
    return both[both["ccode1"] != both["ccode2"]].drop_duplicates(_KEY)


def _contiguity_years(contiguity: pd.DataFrame) -> pd.DataFrame:
    cont = contiguity[contiguity["conttype"].isin(CONTIGUITY_TYPES)]
    years = _spell_years(cont, ["ccode1", "ccode2", "conttype"], "styear", "endyear")
    years = years.sort_values("conttype").drop_duplicates(["ccode1", "ccode2", "year"])
    flipped = years.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    return pd.concat([years, flipped], ignore_index=True).drop_duplicates(_KEY)


def _relevant_pairs(s: PrdSources, states: pd.DataFrame) -> pd.DataFrame:
    """Contiguous pairs ∪ (major power × every state), directed, both states in NMC."""
    cont = _contiguity_years(s.contiguity)[_KEY]
    majors = _spell_years(s.majors, ["ccode"], "styear", "endyear").drop_duplicates()
    mp = majors.rename(columns={"ccode": "ccode1"}).merge(
        states.rename(columns={"ccode": "ccode2"})[["ccode2", "year"]], on="year"
    )
    return _directed(pd.concat([cont, mp], ignore_index=True))


def _rival_pairs(s: PrdSources) -> pd.DataFrame:
    r = _spell_years(s.rivalries, ["ccode1", "ccode2"], "styear", "endyear")
    return _directed(r)


def _state_years(nmc: pd.DataFrame) -> pd.DataFrame:
    s = nmc[nmc["year"].between(FIRST_YEAR, LAST_YEAR)][["ccode", "year", "cinc"]]
    return s.drop_duplicates(["ccode", "year"])


def _side(df: pd.DataFrame, side: int) -> pd.DataFrame:
    """A state-year table renamed for one side of the dyad: ccode → ccode{side}, x → x{side}."""
    return df.rename(columns={c: f"{c}{side}" for c in df.columns if c != "year"})


def _add_capabilities(panel: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    for side in (1, 2):
        panel = panel.merge(_side(states, side), on=[f"ccode{side}", "year"], how="inner")
    c1, c2 = (panel[f"cinc{k}"].where(panel[f"cinc{k}"] > 0, 1e-7) for k in (1, 2))
    panel["log_capability_ratio"] = np.log(c1 / c2)
    lag = panel[[*_KEY, "log_capability_ratio"]].copy()
    lag["year"] += 5
    lag = lag.rename(columns={"log_capability_ratio": "_lag5"})
    panel = panel.merge(lag, on=_KEY, how="left")
    panel["d5_log_ratio"] = panel["log_capability_ratio"] - panel.pop("_lag5")
    panel["declining"] = (panel["d5_log_ratio"] <= DECLINE_CUT).astype(int)
    panel["rising"] = (panel["d5_log_ratio"] >= -DECLINE_CUT).astype(int)
    return panel


def _add_distance(panel: pd.DataFrame, capitals: pd.DataFrame) -> pd.DataFrame:
    cap = _spell_years(capitals, ["ccode", "lat", "lng"], "styear", "endyear")
    cap = cap.drop_duplicates(["ccode", "year"], keep="last")
    for side in (1, 2):
        panel = panel.merge(_side(cap, side), on=[f"ccode{side}", "year"], how="left")
    lat1, lat2, lng1, lng2 = (np.radians(panel[c]) for c in ("lat1", "lat2", "lng1", "lng2"))
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    )
    km = 2 * 6371.0 * np.arcsin(np.sqrt(h))
    panel["log_distance"] = np.log(np.maximum(km, 10.0))
    return panel.drop(columns=["lat1", "lat2", "lng1", "lng2"])


def _add_flags(panel: pd.DataFrame, s: PrdSources) -> pd.DataFrame:
    cont = _contiguity_years(s.contiguity).rename(columns={"conttype": "contiguity_type"})
    panel = panel.merge(cont, on=_KEY, how="left")
    panel["contiguity_type"] = panel["contiguity_type"].fillna(0).astype(int)
    panel["contiguous"] = (panel["contiguity_type"] > 0).astype(int)
    majors = _spell_years(s.majors, ["ccode"], "styear", "endyear").drop_duplicates()
    majors["major"] = 1
    for side in (1, 2):
        panel = panel.merge(_side(majors, side), on=[f"ccode{side}", "year"], how="left")
        panel[f"major{side}"] = panel[f"major{side}"].fillna(0).astype(int)
    riv = _rival_pairs(s)
    riv["rivalry"] = 1
    panel = panel.merge(riv, on=_KEY, how="left")
    panel["rivalry"] = panel["rivalry"].fillna(0).astype(int)
    panel["post1945"] = (panel["year"] >= 1946).astype(int)
    return panel


def _add_states(panel: pd.DataFrame, s: PrdSources) -> pd.DataFrame:
    terr = s.terr[["ccode", "year", "lterrthreat"]].rename(columns={"lterrthreat": "terr_threat"})
    dem = s.vdem.rename(columns={"COWcode": "ccode", "v2x_polyarchy": "polyarchy"})
    dem = dem.drop_duplicates(["ccode", "year"])
    for side in (1, 2):
        panel = panel.merge(_side(terr, side), on=[f"ccode{side}", "year"], how="left")
        panel = panel.merge(_side(dem, side), on=[f"ccode{side}", "year"], how="left")
    panel["joint_dem"] = ((panel["polyarchy1"] > 0.5) & (panel["polyarchy2"] > 0.5)).astype(int)
    return panel


def _all_pairs(states: pd.DataFrame) -> pd.DataFrame:
    """Every ordered pair of system members, 1816–1944 (Leeds 2003's window)."""
    early = states[states["year"] <= ALL_DYADS_LAST_YEAR][["ccode", "year"]]
    pairs = early.rename(columns={"ccode": "ccode1"}).merge(
        early.rename(columns={"ccode": "ccode2"}), on="year"
    )
    return pairs[pairs["ccode1"] != pairs["ccode2"]][_KEY]


def _pairs(population: str, s: PrdSources, states: pd.DataFrame) -> pd.DataFrame:
    if population == "prd":
        return _relevant_pairs(s, states)
    if population == "rivals":
        return _rival_pairs(s)
    if population == "all":
        return _all_pairs(states)
    raise DataError(f"population must be one of {', '.join(POPULATIONS)}, not {population!r}")


def build_dyad_panel(population: str = "prd", sources: PrdSources | None = None) -> pd.DataFrame:
    """The directed dyad-year panel of ``population``, one row per (ccode1, ccode2, year), with
    every column of the module table: ``"prd"`` politically relevant dyads 1816–2010,
    ``"rivals"`` Thompson & Dreyer rivals 1816–2010, ``"all"`` every pair 1816–1944 (the check
    on Leeds 2003's window; all pairs to 2010 would be 1.7 million rows)."""
    if population not in POPULATIONS:
        raise DataError(f"population must be one of {', '.join(POPULATIONS)}, not {population!r}")
    s = sources if sources is not None else load_prd_sources()
    states = _state_years(s.nmc)
    pairs = _pairs(population, s, states)
    pairs = pairs[pairs["year"].between(FIRST_YEAR, LAST_YEAR)]
    panel = _add_capabilities(pairs, states)
    panel = _add_distance(panel, s.capitals)
    panel = _add_flags(panel, s)
    panel = _add_states(panel, s)
    panel = add_pacts(panel, s.atop)
    panel = add_history(panel, s.gml)
    panel = add_outcomes(panel, s.gml, s.mid5, s.wars)
    lo = np.minimum(panel["ccode1"], panel["ccode2"])
    panel["dyad"] = lo * 1000 + np.maximum(panel["ccode1"], panel["ccode2"])
    panel.insert(0, "population", population)
    return panel.sort_values(_KEY).reset_index(drop=True)
