"""Build a :class:`~deterrence_sim.Scenario` for one year from COW NMC, V-Dem and ATOP data.

The mapping (documented with its reasons in ``docs/data.md``):

- **Capability** of every state in $bn of military expenditure: COW NMC ``milex`` (thousands of
  current USD) / 1e6, or with ``capability="cinc"`` the state's CINC share times the summed
  ``milex`` of all states that year (a milex-equivalent, so both modes share a unit). A missing
  ``milex`` falls back to the latest reported value within ``lookback`` years, then to the CINC
  equivalent; each fallback is written into the scenario's description.
- Partners: ``equipment`` = capability ($bn; with the default readiness and training the
  effective capability is then close to the milex figure), ``gdp`` implied by an assumed defence
  share of 2% (NMC has no GDP), ``absorptive_capacity`` = 0.5·sqrt(capability) $bn/yr (an
  assumption: bigger forces absorb more), ``governance`` = V-Dem ``v2x_polyarchy``.
- Donors: ``capability``; ``budget`` 0.5% and ``industrial_capacity`` 1% of it (assumptions).
- **Commitments** from ATOP member-level rows in force in ``year`` (``yrent <= year`` and
  ``yrexit`` 0 or ``>= year``): a donor is committed to a partner when both are members of the same
  alliance and the donor's row carries a defence obligation (``defense == 1``). A pact with exactly
  two members in force is bilateral, otherwise multilateral. The donor's policy commitment is the
  strongest it holds: ``alliance`` (multilateral) > ``bilateral_pact`` > ``none``. Each
  multilateral pact that commits a donor becomes an ``Alliance`` of the donors in it (a donor joins
  at most one: the pact covering most of its partners).
- **Aggressors**: ``capability`` as for donors; arms ``growth`` from the state's own military
  expenditure over the ``GROWTH_WINDOW`` years before ``year`` (geometric mean growth of NMC
  ``milex``, else of its CINC equivalent; clipped to ±``GROWTH_CLIP``), turned into the Richardson
  growth rate that makes capability grow at that rate against the partners it faces at the
  start: ``g = rate + fatigue - reaction·(partners' capability)/K``. The attack, coercion and
  intervention-belief coefficients are the package defaults, calibrated to rival dyad-years
  (``docs/calibration.md``).
- **Ties**: an ``aid`` tie from every donor to every partner (stake 0.7 with a pact, 0.4 without;
  0.5 when no ATOP data is given) and a ``rivalry`` tie from every aggressor to every partner
  (prize 1). Alignment of a partner is 0.8 if it holds a pact with a donor, 0.5 if not.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import UsageError
from ..scenario import COMMITMENTS, Scenario
from . import DataError
from .loaders import load_atop_members, load_nmc, load_vdem

__all__ = [
    "ASSUMED_DEFENCE_SHARE",
    "KNOWN_ALLIANCES",
    "StateData",
    "arms_growth",
    "scenario_from_data",
    "state_data",
]

#: Defence share of GDP used to imply a partner's GDP from its milex (NATO's 2% guideline;
#: world average ~2.2%, SIPRI). NMC has no GDP column.
ASSUMED_DEFENCE_SHARE = 0.02
#: Readable names for well-known ATOP alliance ids.
KNOWN_ALLIANCES = {
    3180: "NATO",  # North Atlantic Treaty, 1949
    4175: "EU",  # Treaty on European Union (Maastricht 1992) and its mutual-defence clause
}
_MILEX_UNIT = 1e6  # NMC milex is in thousands of USD; 1e6 thousands = $1bn.
#: The presets' units (docs/model.md §9): capability points = 4 × milex ($bn) for donors and
#: aggressors; partner equipment = 3.5 × milex, so that with the default readiness and training a
#: partner's effective capability is also about 4 × its milex.
CAPABILITY_PER_MILEX = 4.0
EQUIPMENT_PER_MILEX = 3.5
_STAKE_PACT, _STAKE_NO_PACT, _STAKE_UNKNOWN = 0.7, 0.4, 0.5
#: Years of military expenditure an aggressor's arms growth is measured over, and its bound.
GROWTH_WINDOW = 5
GROWTH_CLIP = 0.25
_ALIGN_PACT, _ALIGN_NO_PACT = 0.8, 0.5


@dataclass
class StateData:
    """The figures derived for one state (see the module docstring for units and sources)."""

    abb: str
    ccode: int
    year: int
    milex_bn: float  # military expenditure, $bn (current USD), NaN if unknown
    milex_year: int | None  # year the milex figure comes from
    cinc: float  # share of the system total, NaN if unknown
    cinc_equivalent_bn: float  # cinc x system milex that year, $bn
    capability: float  # the figure used as capability ($bn)
    polyarchy: float = math.nan
    polyarchy_year: int | None = None
    notes: list[str] = field(default_factory=list)


def _names(value: str | Iterable[str], what: str) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    out = [str(x).strip().upper() for x in items if str(x).strip()]
    if len(set(out)) != len(out):
        raise UsageError(f"{what}: a state is listed twice ({', '.join(out)})")
    return out


def _frame(obj: Any, loader, what: str) -> tuple[pd.DataFrame, str]:
    if isinstance(obj, pd.DataFrame):
        return obj, f"<{what} table>"
    if isinstance(obj, str | Path):
        return loader(obj), str(obj)
    raise UsageError(
        f"{what}: expected a file path or a pandas DataFrame, got {type(obj).__name__}"
    )


def _source_name(obj: Any, what: str) -> str:
    # File name only: a full path would make the written scenario specific to one machine.
    return f"{what} ({Path(obj).name})" if isinstance(obj, str | Path) else f"{what} (table)"


def arms_growth(
    nmc: pd.DataFrame, abb: str, year: int, window: int = GROWTH_WINDOW
) -> tuple[float, str]:
    """Yearly growth rate of a state's military expenditure over the ``window`` years up to
    ``year`` (geometric mean of NMC ``milex``; its CINC share when milex is missing at either
    end), clipped to ±``GROWTH_CLIP``, with a note saying what it was measured on."""
    rows = nmc[(nmc["stateabb"] == abb) & nmc["year"].between(year - window, year)]
    rows = rows.sort_values("year")
    for col in ("milex", "cinc"):
        ok = rows.dropna(subset=[col])
        ok = ok[ok[col] > 0]
        if len(ok) >= 2 and int(ok["year"].iloc[-1]) > int(ok["year"].iloc[0]):
            first, last = ok.iloc[0], ok.iloc[-1]
            span = int(last["year"]) - int(first["year"])
            rate = (float(last[col]) / float(first[col])) ** (1.0 / span) - 1.0
            rate = min(max(rate, -GROWTH_CLIP), GROWTH_CLIP)
            what = "milex" if col == "milex" else "CINC share"
            return (
                rate,
                f"{abb} arms growth {rate:+.1%}/yr ({what}, {int(first['year'])}–{int(last['year'])})",
            )
    return 0.0, f"{abb} arms growth 0 (no milex or CINC series before {year})"


def _latest(rows: pd.DataFrame, col: str, year: int, lookback: int) -> tuple[float, int | None]:
    """The value of ``col`` in ``year``, else the latest non-missing one up to ``lookback`` years
    earlier, with the year it comes from."""
    window = rows[(rows["year"] <= year) & (rows["year"] >= year - lookback)]
    window = window.dropna(subset=[col]).sort_values("year")
    if window.empty:
        return math.nan, None
    last = window.iloc[-1]
    return float(last[col]), int(last["year"])


def state_data(
    abbs: Sequence[str],
    year: int,
    nmc: pd.DataFrame | str | Path,
    vdem: pd.DataFrame | str | Path | None = None,
    *,
    vdem_year: int | None = None,
    capability: str = "milex",
    lookback: int = 5,
) -> dict[str, StateData]:
    """Capability and governance figures for states (COW abbreviations) in one year.

    ``capability`` is ``"milex"`` ($bn) or ``"cinc"`` (CINC × system milex, $bn). ``vdem_year``
    defaults to ``year``. Raises :class:`DataError` for an unknown abbreviation or a year outside
    the data.
    """
    if capability not in ("milex", "cinc"):
        raise UsageError(f"capability = {capability!r}: must be 'milex' or 'cinc'")
    nmc_df, nmc_src = _frame(nmc, load_nmc, "NMC")
    years = nmc_df["year"]
    if not (years == year).any():
        raise DataError(
            f"{nmc_src}: no rows for year {year} (the file covers {int(years.min())}–{int(years.max())})"
        )
    system_milex_bn = float(nmc_df.loc[years == year, "milex"].sum(skipna=True)) / _MILEX_UNIT
    known = sorted(set(nmc_df["stateabb"]))
    vdem_df, vdem_src = _frame(vdem, load_vdem, "V-Dem") if vdem is not None else (None, "")
    vyear = year if vdem_year is None else int(vdem_year)

    out: dict[str, StateData] = {}
    for abb in abbs:
        rows = nmc_df[nmc_df["stateabb"] == abb]
        if rows.empty:
            close = difflib.get_close_matches(abb, known, n=5, cutoff=0.3)
            hint = f"; close matches: {', '.join(close)}" if close else ""
            raise DataError(f"{nmc_src}: no state with COW abbreviation {abb!r}{hint}")
        in_year = rows[rows["year"] == year]
        if in_year.empty:
            raise DataError(
                f"{nmc_src}: {abb} is not a state system member in {year} "
                f"(rows for {int(rows['year'].min())}–{int(rows['year'].max())})"
            )
        ccode = int(in_year["ccode"].iloc[0])
        notes: list[str] = []
        milex, milex_year = _latest(rows, "milex", year, lookback)
        milex_bn = milex / _MILEX_UNIT
        if milex_year is not None and milex_year != year:
            notes.append(f"{abb} milex {year} missing; used {milex_year}")
        cinc = float(in_year["cinc"].iloc[0])
        cinc_bn = cinc * system_milex_bn if not math.isnan(cinc) else math.nan
        if capability == "cinc" or math.isnan(milex_bn):
            if capability == "milex":
                notes.append(
                    f"{abb} milex missing {year - lookback}–{year}; used CINC × system milex"
                )
            cap = cinc_bn
        else:
            cap = milex_bn
        if math.isnan(cap):
            raise DataError(f"{nmc_src}: neither milex nor cinc is known for {abb} in {year}")
        sd = StateData(abb, ccode, year, milex_bn, milex_year, cinc, cinc_bn, cap, notes=notes)
        if vdem_df is not None:
            vrows = vdem_df[vdem_df["COWcode"] == ccode]
            sd.polyarchy, sd.polyarchy_year = _latest(vrows, "v2x_polyarchy", vyear, lookback)
            if sd.polyarchy_year is None:
                notes.append(
                    f"{abb} (COW {ccode}) has no polyarchy score near {vyear} in {vdem_src}"
                )
            elif sd.polyarchy_year != vyear:
                notes.append(f"{abb} polyarchy {vyear} missing; used {sd.polyarchy_year}")
        out[abb] = sd
    return out


@dataclass
class _Pact:
    atopid: int
    members: int  # members in force that year


def _pacts(
    atop: pd.DataFrame, year: int, donors: dict[str, int], partners: dict[str, int]
) -> dict[tuple[str, str], list[_Pact]]:
    """Defence pacts in force in ``year`` binding donor and partner, keyed by (donor, partner)."""
    active = atop[(atop["yrent"] <= year) & ((atop["yrexit"] == 0) | (atop["yrexit"] >= year))]
    # A member with two phase rows overlapping the year counts once.
    size = active.groupby("atopid")["member"].nunique()
    out: dict[tuple[str, str], list[_Pact]] = {}
    for d, dcode in donors.items():
        d_ids = set(active.loc[(active["member"] == dcode) & (active["defense"] == 1), "atopid"])
        for p, pcode in partners.items():
            p_ids = set(active.loc[active["member"] == pcode, "atopid"])
            shared = sorted(d_ids & p_ids)
            if shared:
                out[(d, p)] = [_Pact(int(a), int(size[a])) for a in shared]
    return out


def _alliance_name(atopid: int) -> str:
    return KNOWN_ALLIANCES.get(atopid, f"ATOP{atopid}")


@dataclass(frozen=True)
class _Roles:
    """The states of a data-built scenario, by role (COW abbreviations, in the order given)."""

    donors: list[str]
    partners: list[str]
    aggressors: list[str]


def scenario_from_data(
    year: int,
    donors: str | Iterable[str],
    partners: str | Iterable[str],
    aggressors: str | Iterable[str],
    nmc: pd.DataFrame | str | Path | None = None,
    vdem: pd.DataFrame | str | Path | None = None,
    atop: pd.DataFrame | str | Path | None = None,
    *,
    capability: str = "milex",
    vdem_year: int | None = None,
    lookback: int = 5,
    name: str | None = None,
    history: str | Path | None = None,
) -> Scenario:
    """A scenario for ``year`` with states named by COW abbreviation (e.g. ``USA, EST, RUS``).

    ``nmc`` (required), ``vdem`` and ``atop`` are file paths or tables from the loaders of this
    package (``atop`` is the ATOP *member-level* file). Without ``vdem`` partners keep the default
    governance; without ``atop`` donors keep the default commitment; with ``history`` (the folder
    of the conflict data) each rivalry tie carries the dyad's dispute memory, contiguity and
    rivalry as of ``year`` (:func:`deterrence_sim.data.dyad_memory.dyad_memory`). See the module
    docstring and ``docs/data.md`` for the mapping; provenance and any fallbacks go into the
    description.
    """
    if nmc is None:
        raise UsageError("scenario_from_data needs nmc= (the COW NMC abridged CSV or its table)")
    roles = _roles(donors, partners, aggressors)
    every = roles.donors + roles.partners + roles.aggressors
    figures = state_data(
        every, year, nmc, vdem, vdem_year=vdem_year, capability=capability, lookback=lookback
    )
    sources = [_source_name(nmc, "COW NMC")]
    if vdem is not None:
        sources.append(_source_name(vdem, "V-Dem"))
    pacts = None
    if atop is not None:
        sources.append(_source_name(atop, "ATOP member-level"))
        pacts = _pacts_of(atop, year, roles, figures)
    aggressor_tables, growth_notes = _aggressor_tables(roles, figures, nmc, year)
    description = _summary(year, roles, capability)
    if vdem is not None:
        description.append(f"Governance: V-Dem v2x_polyarchy ({vdem_year or year}).")
    description.append(_commitments_line(year, pacts))
    if growth_notes:
        description.append("Arms growth (NMC, preceding years): " + "; ".join(growth_notes) + ".")
    description.append("Sources: " + ", ".join(sources) + ".")
    notes = [n for sd in figures.values() for n in sd.notes]
    if notes:
        description.append("Fallbacks: " + "; ".join(notes) + ".")
    data = {
        "name": name or f"data-{year}",
        "description": "\n".join(description),
        "donors": _donor_tables(roles, figures, pacts),
        "partners": _partner_tables(roles, figures, pacts),
        "aggressors": aggressor_tables,
        "ties": _with_memory(_ties(roles, pacts), figures, year, history),
        "alliances": _alliances(roles, pacts),
    }
    return Scenario.from_dict(data, source=f"from-data {year}")


def _roles(
    donors: str | Iterable[str], partners: str | Iterable[str], aggressors: str | Iterable[str]
) -> _Roles:
    """The names by role; UsageError without a donor or a partner, or with a state in two roles."""
    roles = _Roles(
        _names(donors, "donors"), _names(partners, "partners"), _names(aggressors, "aggressors")
    )
    if not roles.donors or not roles.partners:
        raise UsageError("scenario_from_data needs at least one donor and one partner")
    every = roles.donors + roles.partners + roles.aggressors
    dup = sorted({n for n in every if every.count(n) > 1})
    if dup:
        raise UsageError(f"{', '.join(dup)}: a state can have only one role")
    return roles


_Pacts = dict[tuple[str, str], list[_Pact]]


def _pacts_of(atop: Any, year: int, roles: _Roles, figures: dict[str, StateData]) -> _Pacts:
    """The ATOP defence pacts in force in ``year`` between each donor and partner."""
    atop_df, _ = _frame(atop, load_atop_members, "ATOP member-level")
    return _pacts(
        atop_df,
        year,
        {d: figures[d].ccode for d in roles.donors},
        {p: figures[p].ccode for p in roles.partners},
    )


def _r(x: float, nd: int = 3) -> float:
    return float(round(x, nd))


def _donor_tables(
    roles: _Roles, figures: dict[str, StateData], pacts: _Pacts | None
) -> list[dict[str, Any]]:
    """Donors: capability, budget and industry from military spending; the strongest pact held."""
    tables: list[dict[str, Any]] = []
    for d in roles.donors:
        cap = figures[d].capability
        table: dict[str, Any] = {
            "name": d,
            "capability": _r(CAPABILITY_PER_MILEX * cap),
            "budget": _r(max(0.1, 0.005 * cap)),
            "industrial_capacity": _r(max(0.5, 0.01 * cap)),
        }
        if pacts is not None:
            level = "none"
            for (dd, _p), plist in pacts.items():
                if dd != d:
                    continue
                for pact in plist:
                    kind = "bilateral_pact" if pact.members == 2 else "alliance"
                    if COMMITMENTS.index(kind) > COMMITMENTS.index(level):
                        level = kind
            table["policy"] = {"commitment": level}
        tables.append(table)
    return tables


def _partner_tables(
    roles: _Roles, figures: dict[str, StateData], pacts: _Pacts | None
) -> list[dict[str, Any]]:
    """Partners: equipment, GDP and absorptive capacity; governance from V-Dem; alignment."""
    tables: list[dict[str, Any]] = []
    for p in roles.partners:
        sd = figures[p]
        cap = sd.capability
        table: dict[str, Any] = {
            "name": p,
            "equipment": _r(EQUIPMENT_PER_MILEX * cap),
            "gdp": _r(cap / ASSUMED_DEFENCE_SHARE, 1),
            "defence_share": ASSUMED_DEFENCE_SHARE,
            "absorptive_capacity": _r(max(0.1, 0.5 * math.sqrt(cap))),
        }
        if not math.isnan(sd.polyarchy):
            table["governance"] = _r(sd.polyarchy)
        if pacts is not None:
            has = any(pp == p for (_d, pp) in pacts)
            table["alignment"] = _ALIGN_PACT if has else _ALIGN_NO_PACT
        tables.append(table)
    return tables


def _aggressor_tables(
    roles: _Roles, figures: dict[str, StateData], nmc: Any, year: int
) -> tuple[list[dict[str, Any]], list[str]]:
    """State aggressors: capability, and the growth that reproduces their recent arms growth."""
    from ..scenario import AggressorSpec as _AggressorSpec

    nmc_table, _ = _frame(nmc, load_nmc, "NMC")
    spec = _AggressorSpec(name="_")
    faced = sum(CAPABILITY_PER_MILEX * figures[p].capability for p in roles.partners)
    tables = []
    notes = []
    for a in roles.aggressors:
        cap = CAPABILITY_PER_MILEX * figures[a].capability
        rate, note = arms_growth(nmc_table, a, year)
        notes.append(note)
        # Richardson with growth as a rate: K' = K + g·K + k·faced − a·K grows at `rate`
        # when g = rate + a − k·faced/K (bounded by the schema's range).
        g = rate + spec.fatigue - spec.reaction * faced / max(cap, 1e-9)
        g = min(max(g, -0.5), 0.5)
        tables.append({"name": a, "kind": "state", "capability": _r(cap), "growth": _r(g)})
    return tables, notes


def _ties(roles: _Roles, pacts: _Pacts | None) -> list[dict[str, Any]]:
    """An aid tie from every donor to every partner (stake and commitment from the pacts), and a
    rivalry from every aggressor to every partner."""
    ties: list[dict[str, Any]] = []
    for d in roles.donors:
        for p in roles.partners:
            if pacts is None:
                stake = _STAKE_UNKNOWN
            else:
                stake = _STAKE_PACT if (d, p) in pacts else _STAKE_NO_PACT
            tie = {"kind": "aid", "source": d, "target": p, "stake": stake}
            if pacts is not None:
                # Each tie carries the commitment that binds this donor to this partner.
                found = pacts.get((d, p), [])
                tie["commitment"] = (
                    "none"
                    if not found
                    else "alliance"
                    if any(pact.members > 2 for pact in found)
                    else "bilateral_pact"
                )
            ties.append(tie)
    for a in roles.aggressors:
        for p in roles.partners:
            ties.append({"kind": "rivalry", "source": a, "target": p, "prize": 1.0})
    return ties


def _with_memory(
    ties: list[dict[str, Any]], figures: dict[str, StateData], year: int, history
) -> list[dict[str, Any]]:
    """Rivalry ties with the dyad's dispute memory from the conflict data (when given)."""
    if history is None:
        return ties
    from .dyad_memory import dyad_memory

    for tie in ties:
        if tie["kind"] == "rivalry":
            a, p = figures[tie["source"]].ccode, figures[tie["target"]].ccode
            tie.update(dyad_memory(a, p, year, history))
    return ties


def _alliances(roles: _Roles, pacts: _Pacts | None) -> list[dict[str, Any]]:
    """Multilateral pacts as alliances, the one covering most donor-partner links first."""
    alliances: list[dict[str, Any]] = []
    if not pacts:
        return alliances
    cover: dict[int, set[tuple[str, str]]] = {}
    for key, plist in pacts.items():
        for pact in plist:
            if pact.members > 2:
                cover.setdefault(pact.atopid, set()).add(key)
    assigned: set[str] = set()
    for atopid in sorted(cover, key=lambda a: (-len(cover[a]), a)):
        members = sorted({d for d, _p in cover[atopid]} - assigned, key=roles.donors.index)
        if members:
            alliances.append({"name": _alliance_name(atopid), "members": members})
            assigned.update(members)
    return alliances


def _summary(year: int, roles: _Roles, capability: str) -> list[str]:
    """The description's first lines: who aids whom, and where capability comes from."""
    d, p, a = roles.donors, roles.partners, roles.aggressors
    lines = [
        f"Built from data for {year}: {', '.join(d)} aid {', '.join(p)}"
        + (f" against {', '.join(a)}." if a else "."),
        f"Capability: {'COW NMC milex, $bn' if capability == 'milex' else 'CINC x system milex, $bn'} ({year}).",
    ]
    return lines


def _commitments_line(year: int, pacts: _Pacts | None) -> str:
    if pacts is None:
        return "Commitments: not derived (no ATOP file); policy defaults used."
    bound = [
        f"{d}-{p} ({', '.join(_alliance_name(x.atopid) for x in plist)})"
        for (d, p), plist in sorted(pacts.items())
    ]
    return (
        f"Commitments: ATOP defence pacts in force in {year}: "
        + (", ".join(bound) if bound else "none")
        + "."
    )
