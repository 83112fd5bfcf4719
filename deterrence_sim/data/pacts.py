"""Alliance terms of a directed dyad-year, coded from ATOP's member level (Leeds 2003's design).

A defence pact deters a challenger only if its terms would bring the ally in against *that*
challenger (Leeds 2003, *AJPS* 47(3); Johnson & Leeds 2011). ATOP codes each member's promise and
its conditions per alliance phase (Leeds, Ritter, Mitchell & Long 2002), so the coding works on
member-years: a member row is in force in ``year`` when ``yrent <= year <= yrexit`` (``yrexit``
0 = still in force, read as 2018, past the panel's end).

============================  ==============================================================
column                        coding
============================  ==============================================================
``target_pact``               some *other* member X of an alliance the target belongs to that
                              year promises defence (X's own row ``defense == 1``; the promise
                              that protects the target is the ally's, not the target's) and the
                              promise applies against this challenger (below); an alliance of
                              which the challenger is itself a member that year never counts
                              (that is a dispute inside the alliance).
applies: no condition         counts.
``defcoadv`` (named adversary)  counts only if the challenger is ``statthr1`` or ``statthr2`` of
                              X's row; when both are 0 (the adversary is not a state ATOP
                              names, e.g. "revolution" or "any power") it does **not** count:
                              that it covers this challenger cannot be shown.
``defcocon`` (named conflict)   same rule as ``defcoadv`` (counts only if the challenger is a
                              named threat).
``defconum`` (several attackers)  does not count: a dyadic challenge has one challenger.
``defcoloc`` (location)       counts: location clauses name the members' territories or their
                              region, and a militarised challenge is made at the target's
                              territory (ATOP does not code the place in a machine-readable way;
                              ``target_pact_any`` shows the result without any condition).
``defcodem``, ``defconpr``    count (non-compliance with demands, non-provocation: they
                              restrict *when*, not *against whom*).
``target_pact_strict``        as ``target_pact`` but a location-conditioned promise does not
                              count either (the sensitivity of the ``defcoloc`` choice).
``target_pact_any``           the round-one coding: any other member's defence promise in an
                              alliance without the challenger, conditions ignored.
``challenger_pact``           an alliance without the target in which another member promises
                              to defend the challenger (conditions ignored: the challenger's
                              expected help, Leeds 2003's control).
``shared_pact``               challenger and target are members of the same alliance that year
                              in which at least one member promises defence.
============================  ==============================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["IN_FORCE_UNTIL", "add_pacts", "member_years"]

#: ``yrexit == 0`` (still in force) is read as this year, after every panel year.
IN_FORCE_UNTIL = 2018
_KEY = ["ccode1", "ccode2", "year"]


def member_years(atop: pd.DataFrame) -> pd.DataFrame:
    """One row per (alliance, member, year in force) with the member's defence terms; a member
    with several phases in one year keeps the widest promise (max of ``defense``, min of each
    condition: the least conditional phase)."""
    a = atop.copy()
    a["end"] = np.where(a["yrexit"] == 0, IN_FORCE_UNTIL, a["yrexit"])
    a = a[a["end"] >= a["yrent"]]
    n = (a["end"] - a["yrent"] + 1).to_numpy()
    out = a.loc[a.index.repeat(n)].reset_index(drop=True)
    out["year"] = np.concatenate([np.arange(s, s + k) for s, k in zip(a["yrent"], n, strict=True)])
    conds = ["defcoadv", "defcoloc", "defcocon", "defconum", "defcodem", "defconpr"]
    agg = {"defense": "max", **dict.fromkeys(conds, "min"), "statthr1": "max", "statthr2": "max"}
    return out.groupby(["atopid", "member", "year"], as_index=False).agg(agg)


def _ally_promises(my: pd.DataFrame) -> pd.DataFrame:
    """(atopid, year, protected state, ally) for every other member X promising defence."""
    promisers = my[my["defense"] == 1]
    pairs = my[["atopid", "year", "member"]].merge(
        promisers, on=["atopid", "year"], suffixes=("", "_ally")
    )
    pairs = pairs[pairs["member"] != pairs["member_ally"]]
    return pairs.rename(columns={"member": "protected", "member_ally": "ally"})


def _drop_alliances_with(hits: pd.DataFrame, my: pd.DataFrame, who: str) -> pd.DataFrame:
    """Remove rows whose alliance has ``who`` (a panel column) as a member that year."""
    members = my[["atopid", "member", "year"]].rename(columns={"member": who})
    members["_in"] = 1
    hits = hits.merge(members, on=["atopid", who, "year"], how="left")
    return hits[hits["_in"].isna()].drop(columns="_in")


def _flag(panel: pd.DataFrame, hits: pd.DataFrame, name: str) -> pd.Series:
    keys = hits[_KEY].drop_duplicates()
    keys[name] = 1
    merged = panel[_KEY].merge(keys, on=_KEY, how="left")
    return merged[name].fillna(0).astype(int).to_numpy()


def _target_hits(
    panel: pd.DataFrame, promises: pd.DataFrame, my: pd.DataFrame, strict: bool = False
) -> pd.DataFrame:
    """Panel keys × alliances whose promise to the target applies against the challenger
    (``strict``: location-conditioned promises do not count either)."""
    p = promises
    bad_any = (p["defconum"] == 1) | ((p["defcoloc"] == 1) if strict else False)
    conditional = (p["defcoadv"] == 1) | (p["defcocon"] == 1)
    general = p[~bad_any & ~conditional][["atopid", "year", "protected"]].drop_duplicates()
    keys = panel[_KEY]
    hits_g = keys.merge(general.rename(columns={"protected": "ccode2"}), on=["ccode2", "year"])
    named = p[~bad_any & conditional]
    named = pd.concat(
        [
            named[["atopid", "year", "protected", t]].rename(columns={t: "threat"})
            for t in ("statthr1", "statthr2")
        ]
    )
    named = named[named["threat"] > 0].drop_duplicates()
    named = named.rename(columns={"protected": "ccode2", "threat": "ccode1"})
    hits_n = keys.merge(named, on=["ccode1", "ccode2", "year"])
    hits = pd.concat([hits_g, hits_n], ignore_index=True)
    return _drop_alliances_with(hits, my, "ccode1")


def _any_hits(panel: pd.DataFrame, promises: pd.DataFrame, my: pd.DataFrame, side: str):
    """Panel keys × alliances in which another member promises to defend ``side`` (ccode1 or
    ccode2), without the other side of the dyad as a member."""
    other = "ccode2" if side == "ccode1" else "ccode1"
    prot = promises[["atopid", "year", "protected"]].drop_duplicates()
    hits = panel[_KEY].merge(prot.rename(columns={"protected": side}), on=[side, "year"])
    return _drop_alliances_with(hits, my, other)


def _shared(panel: pd.DataFrame, my: pd.DataFrame) -> np.ndarray:
    defence = my.groupby(["atopid", "year"])["defense"].transform("max") == 1
    m = my[defence][["atopid", "member", "year"]]
    both = m.rename(columns={"member": "ccode1"}).merge(
        m.rename(columns={"member": "ccode2"}), on=["atopid", "year"]
    )
    both = both[both["ccode1"] != both["ccode2"]]
    return _flag(panel, both, "shared_pact")


def add_pacts(panel: pd.DataFrame, atop: pd.DataFrame) -> pd.DataFrame:
    """The panel (``ccode1`` challenger, ``ccode2`` target, ``year``) with ``target_pact``,
    ``target_pact_strict``, ``target_pact_any``, ``challenger_pact`` and ``shared_pact`` (0/1;
    see the module table).
    ``atop`` is :func:`~deterrence_sim.data.loaders.load_atop_conditions`'s frame."""
    my = member_years(atop)
    promises = _ally_promises(my)
    out = panel.copy()
    out["target_pact"] = _flag(out, _target_hits(out, promises, my), "target_pact")
    strict = _target_hits(out, promises, my, strict=True)
    out["target_pact_strict"] = _flag(out, strict, "target_pact_strict")
    out["target_pact_any"] = _flag(out, _any_hits(out, promises, my, "ccode2"), "any")
    out["challenger_pact"] = _flag(out, _any_hits(out, promises, my, "ccode1"), "cp")
    out["shared_pact"] = _shared(out, my)
    return out


def target_allies(panel: pd.DataFrame, atop: pd.DataFrame) -> pd.DataFrame:
    """(ccode1, ccode2, year, ally): each state whose defence promise to the target applies
    against this challenger (the ``target_pact`` coding, one row per ally; the challenger itself
    is never an ally of its target). The calibration weighs their capabilities as the help the
    challenger must expect."""
    my = member_years(atop)
    promises = _ally_promises(my)
    hits = _target_hits(panel, promises, my)[[*_KEY, "atopid"]].drop_duplicates()
    allies = hits.merge(
        promises[["atopid", "year", "protected", "ally"]].rename(columns={"protected": "ccode2"}),
        on=["atopid", "year", "ccode2"],
    )
    allies = allies[allies["ally"] != allies["ccode1"]]
    return allies[[*_KEY, "ally"]].drop_duplicates().reset_index(drop=True)
