"""A rivalry tie's dispute memory from the data, for ``scenario from-data``.

The two-stage deterrence core reads each dyad's history (docs/model.md §7.3.3): years since its
last militarized dispute, disputes in the last five years, a territorial claim, contiguity and
rivalry. :func:`dyad_memory` takes them from the politically relevant panel
(:mod:`deterrence_sim.data.prd`: COW contiguity, Thompson & Dreyer rivalries, the territorial MID
of the last ten years) as of the scenario's year, and the dispute years from GML MIDs (to 2010) and
MID 5.0 (to 2014) together, either direction; disputes after 2014 are in neither (a stated limit).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["dyad_memory"]

#: A rivalry tie's memory when the pair is not in the panel (not politically relevant).
QUIET = {
    "peace_years": 30,
    "recent_disputes": 0,
    "claim": False,
    "contiguous": False,
    "rival": False,
}


@cache
def _tables(data_dir: str | None):
    from .prd import build_dyad_panel, load_prd_sources

    sources = load_prd_sources(data_dir)
    panel = build_dyad_panel("prd", sources).set_index(["ccode1", "ccode2"]).sort_index()
    disputes = {}
    for table in (sources.gml, sources.mid5):
        for a, b, y in table[["ccode1", "ccode2", "year"]].itertuples(index=False):
            disputes.setdefault(frozenset((int(a), int(b))), set()).add(int(y))
    return panel, disputes


def dyad_memory(aggressor: int, partner: int, year: int, data_dir: str | Path | None = None):
    """``peace_years`` (as of the scenario's first year, the year after ``year``),
    ``recent_disputes``, ``claim``, ``contiguous`` and ``rival`` of the directed pair (COW codes)."""
    panel, disputes = _tables(str(data_dir) if data_dir is not None else None)
    key = (aggressor, partner)
    rows = panel.loc[[key]] if key in panel.index else panel.iloc[:0]
    rows = rows[rows["year"] <= year]
    out = dict(QUIET)
    if not rows.empty:
        last = rows.iloc[-1]
        gap = int(year - last["year"])
        out.update(
            claim=bool(last["terr_mid10"]) and gap < 10,
            contiguous=bool(last["contiguous"]),
            rival=bool(last["rivalry"]),
        )
    years = sorted(y for y in disputes.get(frozenset(key), ()) if y <= year)
    if years:
        out["peace_years"] = year - years[-1] + 1
        out["recent_disputes"] = min(5, sum(1 for y in years if year - 5 < y <= year))
    return out
