"""The rival directed dyad-year panel the deterrence core is calibrated against.

One row per ordered pair of Thompson & Dreyer strategic rivals (``challenger`` → ``target``) and
year inside the rivalry, 1816–2010, where both states are in COW NMC that year. Columns:

- capabilities: ``cinc_ratio`` (challenger's CINC over the target's, same year) and
  ``milex_ratio`` (military expenditure, same; NaN where either is missing);
- the target's third-party defence pacts (ATOP member level, ``defense == 1`` on the target's row,
  in force: ``yrent <= year`` and ``yrexit`` 0 or ``>= year``, with at least one other member in
  force that is not the challenger): ``target_pact`` (0/1), ``target_pact_major`` (a partner is a
  COW major power that year), ``ally_cinc`` (summed CINC of those partners);
- ``challenger_pact``: the challenger's own defence pacts with anyone but the target;
- ``contiguous`` (COW direct contiguity by land or by at most 150 miles of water, ``conttype``
  1–4, in force that year), ``challenger_major``, ``target_major``;
- ``peace_years``: years since the pair's last militarised dispute year (either direction, any
  hostility), counted from 1816 when there was none;
- outcomes (initiation in the dyad-year): ``mid_init`` (MID 5.0: the dispute's first year,
  challenger on side A and an originator; ``disponset == 1``, ``sidea1 == 1``, ``orig1 == 1``),
  ``force_init`` (that with ``hostlev1 >= 4``, use of force), ``war_init`` (COW inter-state war
  onset year with the challenger as initiator; ``cowinteronset == 1``, ``initiator1 == 1``).
  ``war_init`` is NaN after 2007 (the war list ends), MID outcomes after 2014.

Sources: Thompson & Dreyer (2012); COW NMC v6 (Singer, Bremer & Stuckey 1972); MID 5.0 (Palmer et
al. 2022); COW inter-state wars v4.0 (Sarkees & Wayman 2010); ATOP v4.01 (Leeds et al. 2002); COW
contiguity v3.2 (Stinnett et al. 2002); COW major powers (2017). How the panel compares with the
figures quoted in the calibration issue is in ``docs/calibration.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import DataError, default_data_dir
from .conflict import load_contiguity, load_majors, load_mid_dyads, load_rivalries, load_wars
from .loaders import load_atop_members, load_nmc

__all__ = ["PANEL_FILES", "PanelSources", "build_panel", "load_panel_sources"]

#: File names of the shared data (``../shared/data/README.md``) the panel is built from.
PANEL_FILES = {
    "nmc": "NMC-60-abridged.csv",
    "atop": "atop-member-level.csv",
    "mid": "cow-mid-dirdisps.csv",
    "wars": "cow-war-inter.csv",
    "rivalries": "td-rivalries.csv",
    "contiguity": "cow-contdir.csv",
    "majors": "cow-majors.csv",
}
FIRST_YEAR, LAST_YEAR = 1816, 2010
WAR_LAST_YEAR = 2007  # COW inter-state war data v4.0 end
MID_LAST_YEAR = 2014  # MID 5.0 end
USE_OF_FORCE = 4  # MID hostility level: 4 use of force, 5 war
CONTIGUOUS_TYPES = (1, 2, 3, 4)  # land, or separated by at most 150 miles of water


@dataclass
class PanelSources:
    """The loaded tables the panel is built from (each from its loader)."""

    nmc: pd.DataFrame
    atop: pd.DataFrame
    mid: pd.DataFrame
    wars: pd.DataFrame
    rivalries: pd.DataFrame
    contiguity: pd.DataFrame
    majors: pd.DataFrame


def load_panel_sources(data_dir: str | Path | None = None) -> PanelSources:
    """Load the seven files from ``data_dir`` (default: ``$DETERRENCE_SIM_DATA`` or
    ``../shared/data``); a missing folder or file is a :class:`DataError` naming it."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    if folder is None or not folder.is_dir():
        raise DataError(
            f"data folder not found{f' ({data_dir})' if data_dir else ''}: pass --data DIR or set "
            f"DETERRENCE_SIM_DATA (it must hold {', '.join(PANEL_FILES.values())})"
        )
    missing = [f for f in PANEL_FILES.values() if not (folder / f).is_file()]
    if missing:
        raise DataError(f"{folder}: missing data file(s) {', '.join(missing)}")
    f = {k: folder / v for k, v in PANEL_FILES.items()}
    return PanelSources(
        nmc=load_nmc(f["nmc"]),
        atop=load_atop_members(f["atop"]),
        mid=load_mid_dyads(f["mid"]),
        wars=load_wars(f["wars"]),
        rivalries=load_rivalries(f["rivalries"]),
        contiguity=load_contiguity(f["contiguity"]),
        majors=load_majors(f["majors"]),
    )


def _rival_years(rivalries: pd.DataFrame) -> pd.DataFrame:
    """Directed rival pairs by year inside the rivalry and inside 1816–2010."""
    rows = []
    for r in rivalries.itertuples():
        lo, hi = max(r.styear, FIRST_YEAR), min(r.endyear, LAST_YEAR)
        for a, b in ((r.ccode1, r.ccode2), (r.ccode2, r.ccode1)):
            for y in range(lo, hi + 1):
                rows.append((r.rivalryno, a, b, y))
    df = pd.DataFrame(rows, columns=["rivalry", "challenger", "target", "year"])
    # Two rivalries over the same pair and year (rare) count the dyad-year once.
    return df.drop_duplicates(["challenger", "target", "year"]).reset_index(drop=True)


def _spell_years(df: pd.DataFrame, key: list[str], start: str, end: str) -> pd.DataFrame:
    """Expand spells (start..end inclusive) into one row per year."""
    lengths = (df[end] - df[start] + 1).clip(lower=0).to_numpy()
    out = df.loc[df.index.repeat(lengths), key].reset_index(drop=True)
    out["year"] = np.concatenate(
        [np.arange(s, s + n) for s, n in zip(df[start], lengths, strict=True)]
    )
    return out


def _defence_ties(atop: pd.DataFrame) -> pd.DataFrame:
    """(state, ally, year) for every defence pact in force in which ``state`` promises defence,
    with each other member in force that year as ``ally``."""
    a = atop.copy()
    a["end"] = np.where(a["yrexit"] == 0, LAST_YEAR, a["yrexit"])
    a = a[a["yrent"] <= a["end"]]
    years = _spell_years(a, ["atopid", "member", "defense"], "yrent", "end").drop_duplicates()
    own = years[years["defense"] == 1][["atopid", "member", "year"]]
    ties = own.merge(
        years[["atopid", "member", "year"]], on=["atopid", "year"], suffixes=("", "_ally")
    )
    ties = ties[ties["member"] != ties["member_ally"]]
    return ties.rename(columns={"member": "state", "member_ally": "ally"})[
        ["state", "ally", "year"]
    ].drop_duplicates()


def _peace_years(panel: pd.DataFrame, mid: pd.DataFrame) -> np.ndarray:
    """Years since the pair's last MID year before this one (either direction, any hostility),
    counted from 1816 when there was none (Beck, Katz & Tucker 1998)."""
    lo = np.minimum(mid["ccode1"], mid["ccode2"])
    hi = np.maximum(mid["ccode1"], mid["ccode2"])
    by_pair: dict[tuple[int, int], np.ndarray] = {
        k: np.unique(g.to_numpy()) for k, g in mid["year"].groupby([lo.to_numpy(), hi.to_numpy()])
    }
    pa = np.minimum(panel["challenger"], panel["target"]).to_numpy()
    pb = np.maximum(panel["challenger"], panel["target"]).to_numpy()
    years = panel["year"].to_numpy()
    out = np.empty(len(panel), dtype=int)
    none = np.array([], dtype=int)
    for i, (a, b, y) in enumerate(zip(pa, pb, years, strict=True)):
        past = by_pair.get((int(a), int(b)), none)
        k = np.searchsorted(past, y)  # disputes strictly before y
        last = past[k - 1] if k > 0 else FIRST_YEAR - 1
        out[i] = y - last - 1
    return out


def build_panel(sources: PanelSources | None = None) -> pd.DataFrame:
    """The rival directed dyad-year panel (see the module docstring for every column)."""
    s = sources if sources is not None else load_panel_sources()
    panel = _rival_years(s.rivalries)

    nmc = s.nmc[["ccode", "year", "cinc", "milex"]]
    for side in ("challenger", "target"):
        cols = {"ccode": side, "cinc": f"cinc_{side}", "milex": f"milex_{side}"}
        panel = panel.merge(nmc.rename(columns=cols), on=[side, "year"], how="inner")
    with np.errstate(divide="ignore", invalid="ignore"):
        panel["cinc_ratio"] = panel["cinc_challenger"] / panel["cinc_target"]
        panel["milex_ratio"] = panel["milex_challenger"] / panel["milex_target"]
    for col in ("cinc_ratio", "milex_ratio"):
        panel.loc[~np.isfinite(panel[col]), col] = np.nan

    majors = _spell_years(s.majors, ["ccode"], "styear", "endyear").drop_duplicates()
    major_set = set(zip(majors["ccode"], majors["year"], strict=True))
    panel["challenger_major"] = [
        int((c, y) in major_set) for c, y in zip(panel["challenger"], panel["year"], strict=True)
    ]
    panel["target_major"] = [
        int((c, y) in major_set) for c, y in zip(panel["target"], panel["year"], strict=True)
    ]

    ties = _defence_ties(s.atop)
    ties["ally_major"] = [
        int((c, y) in major_set) for c, y in zip(ties["ally"], ties["year"], strict=True)
    ]
    ties = ties.merge(
        nmc.rename(columns={"ccode": "ally", "cinc": "ally_cinc"})[["ally", "year", "ally_cinc"]],
        on=["ally", "year"],
        how="left",
    )
    t = panel[["challenger", "target", "year"]].merge(
        ties.rename(columns={"state": "target"}), on=["target", "year"]
    )
    t = t[t["ally"] != t["challenger"]]
    agg = t.groupby(["challenger", "target", "year"]).agg(
        target_pact_major=("ally_major", "max"), ally_cinc=("ally_cinc", "sum")
    )
    panel = panel.merge(agg.reset_index(), on=["challenger", "target", "year"], how="left")
    panel["target_pact"] = panel["target_pact_major"].notna().astype(int)
    panel["target_pact_major"] = panel["target_pact_major"].fillna(0).astype(int)
    panel["ally_cinc"] = panel["ally_cinc"].fillna(0.0)
    c = panel[["challenger", "target", "year"]].merge(
        ties.rename(columns={"state": "challenger"}), on=["challenger", "year"]
    )
    c = c[c["ally"] != c["target"]]
    own = set(zip(c["challenger"], c["target"], c["year"], strict=True))
    panel["challenger_pact"] = [
        int(k in own) for k in zip(panel["challenger"], panel["target"], panel["year"], strict=True)
    ]

    panel["contiguous"] = _contiguous(panel, s.contiguity)
    _add_outcomes(panel, s.mid, s.wars)
    mid = s.mid
    panel["peace_years"] = _peace_years(panel, mid)
    panel["dyad"] = panel["challenger"].astype(str) + "-" + panel["target"].astype(str)
    return panel.sort_values(["challenger", "target", "year"]).reset_index(drop=True)


def _contiguous(panel: pd.DataFrame, contiguity: pd.DataFrame) -> list[int]:
    """1 where the pair is directly contiguous (COW types in CONTIGUOUS_TYPES) that year."""
    cont = contiguity[contiguity["conttype"].isin(CONTIGUOUS_TYPES)]
    cont_years = _spell_years(cont, ["ccode1", "ccode2"], "styear", "endyear")
    pairs = set(zip(cont_years["ccode1"], cont_years["ccode2"], cont_years["year"], strict=True))
    pairs |= {(b, a, y) for a, b, y in pairs}
    keys = zip(panel["challenger"], panel["target"], panel["year"], strict=True)
    return [int(k in pairs) for k in keys]


def _add_outcomes(panel: pd.DataFrame, mid: pd.DataFrame, wars: pd.DataFrame) -> None:
    """MID initiation, use of force (MID 5.0, to MID_LAST_YEAR) and war initiation (COW, to
    WAR_LAST_YEAR) by the challenger, in place; NaN past each source's last year."""
    init = mid[(mid["disponset"] == 1) & (mid["sidea1"] == 1) & (mid["orig1"] == 1)]
    any_init = set(zip(init["ccode1"], init["ccode2"], init["year"], strict=True))
    force = init[init["hostlev1"] >= USE_OF_FORCE]
    force_init = set(zip(force["ccode1"], force["ccode2"], force["year"], strict=True))
    wonset = wars[(wars["cowinteronset"] == 1) & (wars["initiator1"] == 1)]
    war_init = set(zip(wonset["ccode1"], wonset["ccode2"], wonset["year"], strict=True))
    keys = list(zip(panel["challenger"], panel["target"], panel["year"], strict=True))
    years = panel["year"].to_numpy()
    for name, events, last in (
        ("mid_init", any_init, MID_LAST_YEAR),
        ("force_init", force_init, MID_LAST_YEAR),
        ("war_init", war_init, WAR_LAST_YEAR),
    ):
        panel[name] = np.where(years <= last, [float(k in events) for k in keys], np.nan)
