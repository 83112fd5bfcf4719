"""History check for aid → capability (issue #18, item 2): the NMC military spending and
personnel of large US security-assistance recipients around the years their aid started, jumped
or ended. Descriptive only; the reading is in ``docs/capability-data.md`` §4.

Aid amounts are rounded public figures (Congressional Research Service and GAO reports named in
:data:`AID_EVENTS`); NMC has no aid series. Spending is read relative to the system total (as in
:mod:`.arms`) so that inflation does not masquerade as growth.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import default_data_dir
from .loaders import load_nmc

__all__ = ["AID_EVENTS", "AidEvent", "aid_event_table", "aid_series"]


@dataclass(frozen=True)
class AidEvent:
    """A change in US security assistance to one state: the first year of the new level."""

    state: str
    ccode: int
    year: int
    change: str  # "up" or "down"
    aid: str
    source: str
    confounder: str


AID_EVENTS: tuple[AidEvent, ...] = (
    AidEvent(
        "Egypt",
        651,
        1979,
        "up",
        "US military aid begins with the Egypt-Israel peace treaty; about $1.3 bn a year of FMF "
        "grants from FY1987 on",
        "CRS, Egypt: Background and U.S. Relations (RL33003)",
        "the peace treaty ends the war footing against Israel in the same year",
    ),
    AidEvent(
        "Israel",
        666,
        2009,
        "up",
        "2007 MOU: $30 bn FMF over FY2009-2018, from about $2.55 bn to $3.1 bn a year (up from "
        "about $2.4 bn in FY2008)",
        "CRS, U.S. Foreign Aid to Israel (RL33222)",
        "none as sharp; Gaza operations 2008-09 and 2014",
    ),
    AidEvent(
        "Jordan",
        663,
        2003,
        "up",
        "FMF rises from about $75 m a year in the late 1990s to $200 m+ a year from FY2003 (with "
        "supplementals), about $300 m by 2010",
        "CRS, Jordan: Background and U.S. Relations (RL33546)",
        "the Iraq war on its border (2003)",
    ),
    AidEvent(
        "Colombia",
        100,
        2000,
        "up",
        "Plan Colombia: about $1.3 bn appropriated in FY2000, then $0.5-0.7 bn a year, mostly to "
        "the military and police (about $6 bn FY2000-2008)",
        "GAO-09-71, Plan Colombia (2008)",
        "the 2002 'democratic security' policy and its war tax raised own spending",
    ),
    AidEvent(
        "South Korea",
        732,
        1977,
        "down",
        "US grant military assistance (MAP) phased out in the mid-1970s; FMS credits instead, "
        "ended in the mid-1980s",
        "CRS and US Defense Security Cooperation Agency historical facts books",
        "the fall of Saigon (1975) and the announced US troop withdrawal (1977)",
    ),
)


def aid_series(data_dir: str | Path | None = None) -> pd.DataFrame:
    """NMC rows of the events' states: ``state, ccode, year, milex_musd`` (current $m),
    ``milex_permille`` (per mille of the system's summed milex) and ``milper`` (thousands)."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    nmc = load_nmc(folder / "NMC-60-abridged.csv")
    nmc = nmc.assign(
        milex_permille=1000 * nmc["milex"] / nmc.groupby("year")["milex"].transform("sum")
    )
    codes = {e.ccode: e.state for e in AID_EVENTS}
    out = nmc[nmc["ccode"].isin(codes)].assign(state=lambda d: d["ccode"].map(codes))
    out["milex_musd"] = out["milex"] / 1000
    return out[["state", "ccode", "year", "milex_musd", "milex_permille", "milper"]]


def aid_event_table(data_dir: str | Path | None = None, years: int = 5) -> pd.DataFrame:
    """Per event: mean milex (per mille of the system, and current $m) and milper in the
    ``years`` before the change and in the ``years`` from it on, and the change in per cent."""
    series = aid_series(data_dir)
    rows = []
    for e in AID_EVENTS:
        s = series[series["ccode"] == e.ccode]
        before = s[s["year"].between(e.year - years, e.year - 1)]
        after = s[s["year"].between(e.year, e.year + years - 1)]
        row = {"state": e.state, "year": e.year, "aid": e.change}
        for col in ("milex_permille", "milex_musd", "milper"):
            b, a = before[col].mean(), after[col].mean()
            row[f"{col}_before"], row[f"{col}_after"] = b, a
            row[f"{col}_change_pct"] = 100 * (a / b - 1)
        rows.append(row)
    return pd.DataFrame(rows)
