"""The metric registry: every yearly column and every per-run metric, declared once.

Each :class:`Column` (one value per year, ``RunResult.timeseries``) and each :class:`Metric` (one
value per run, ``RunResult.metrics``) carries its name, unit, a short label, its meaning and how it
is computed (``observe`` reads the model at the end of a year; ``compute`` reads the run's yearly
table). Everything else derives from the two tuples :data:`COLUMNS` and :data:`RUN_METRICS`:
:data:`TIMESERIES_COLUMNS`, :data:`METRICS`, the model's yearly row (:func:`observe_row`), the model's
:data:`COUNTERS`, the metric tables in ``docs/metrics.md`` (``python -m deterrence_sim.metrictable``),
the dashboard's cards (:data:`CARD_METRICS`) and the report's axis labels (:func:`axis_label`).

A metric that does not apply to a run (no exit in an open-ended program, no attack to take a share
of) is NaN, never 0. Exits are records (:mod:`deterrence_sim.exits`): each program's exit (donor,
partner, the first year without its aid, reason) is kept when it happens, and the post-exit metrics
are computed per exited program from its own partner's history, then averaged over the exits. The
definitions follow ``docs/model.md`` §8.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import mechanisms as m
from .exits import ExitRecord, PartnerHistory, per_exit_mean
from .yeartable import Columns, RunView, columns_of

if TYPE_CHECKING:
    from .model import DeterrenceModel

__all__ = [
    "CARD_METRICS",
    "COLUMNS",
    "COUNTERS",
    "METRICS",
    "REGISTRY",
    "RUN_METRICS",
    "TIMESERIES_COLUMNS",
    "YEARLY",
    "Column",
    "Metric",
    "axis_label",
    "bounds",
    "compute_metrics",
    "metrics_from",
    "observe_row",
]


@dataclass(frozen=True)
class Column:
    """A yearly reporter: one value per year, read from the model at the end of the year."""

    name: str
    unit: str
    label: str
    meaning: str
    observe: Callable[[DeterrenceModel], float]
    lower: float | None = None
    upper: float | None = None
    counter: bool = False  # a count of this year's events (``model.count(name)``)


@dataclass(frozen=True)
class Metric:
    """A per-run outcome, computed from the run's yearly table (:class:`RunView`)."""

    name: str
    unit: str
    label: str
    meaning: str
    compute: Callable[[RunView], float]
    lower: float | None = None
    upper: float | None = None


# --- yearly columns -------------------------------------------------------------------------------


class _Over:
    """A column that reduces one attribute over the partners or the donors (a sum, or a mean over
    their number). Callable on a model like any reporter; :func:`observe_row` also reads every
    such column of one group in a single pass over its agents."""

    def __init__(self, group: str, attr: str, mean: bool):
        self.group, self.attr, self.mean = group, attr, mean
        self._get = attrgetter(attr)

    def __call__(self, model: DeterrenceModel) -> float:
        agents = getattr(model, self.group)
        total = sum(map(self._get, agents))
        return total / max(len(agents), 1) if self.mean else total


def _partner_mean(attr: str) -> _Over:
    return _Over("partners", attr, mean=True)


def _partner_sum(attr: str) -> _Over:
    return _Over("partners", attr, mean=False)


def _donor_sum(attr: str) -> _Over:
    return _Over("donors", attr, mean=False)


def _this_year(counter: str) -> Callable[[DeterrenceModel], float]:
    def read(model: DeterrenceModel) -> float:
        return model.year_counts[counter]

    return read


def _civilian_harm(model: DeterrenceModel) -> float:
    # Insurgent violence falls hardest on civilians where governance is poor (Kalyvas 2006);
    # interstate wars add the share of the economy they destroy, in percent.
    return (
        sum(a.capability * (1 - a.host.governance) for a in model.insurgencies)
        + 100 * model.year_war_damage
    )


def _count(name: str, label: str, meaning: str) -> Column:
    return Column(name, "count", label, meaning, _this_year(name), lower=0.0, counter=True)


#: Every yearly column, in the order of ``RunResult.timeseries``; averages are over partners.
COLUMNS: tuple[Column, ...] = (
    Column("year", "year", "Year", "year of the run (0 = initial state)", lambda mo: mo.year),
    Column(
        "partner_capability", "points", "Partner capability",
        "mean effective capability of partners", _partner_mean("capability"), lower=0.0,
    ),
    Column(
        "partner_capability_own", "points", "Partner capability on own upkeep",
        "mean capability partners would have on their own upkeep alone",
        _partner_mean("capability_own"), lower=0.0,
    ),
    Column(
        "governance", "G", "Governance", "mean partner governance G",
        _partner_mean("governance"), 0.0, 1.0,
    ),
    Column(
        "dependency", "share", "Dependency", "mean share of partner upkeep paid by donors",
        _partner_mean("dependency"), 0.0, 1.0,
    ),
    Column(
        "readiness", "share", "Readiness", "mean partner readiness",
        _partner_mean("readiness"), 0.0, 1.0,
    ),
    Column(
        "human_capital", "share", "Human capital", "mean partner trained human capital H",
        _partner_mean("human_capital"), 0.0, 1.0,
    ),
    Column(
        "interoperability", "share", "Interoperability",
        "mean partner interoperability with donors", _partner_mean("interoperability"), 0.0, 1.0,
    ),
    Column(
        "equipment", "$bn", "Partner equipment", "total partner equipment stock",
        _partner_sum("equipment"), lower=0.0,
    ),
    Column(
        "own_spending", "$bn/yr", "Own defence spending",
        "total partner own defence spending", _partner_sum("own_spending"), lower=0.0,
    ),
    Column(
        "defence_share", "share of GDP", "Defence share of GDP",
        "mean partner defence share of GDP", _partner_mean("defence_share"), 0.0, 1.0,
    ),
    Column("gdp", "$bn", "Partner GDP", "total partner GDP", _partner_sum("gdp"), lower=0.0),
    Column(
        "gdp_lost", "$bn", "GDP lost (cumulative)",
        "cumulative partner GDP lost to war, coercion and insurgency",
        _partner_sum("gdp_lost"), lower=0.0,
    ),
    Column(
        "equipment_lost", "$bn", "Equipment lost (cumulative)",
        "cumulative partner equipment lost in fighting", _partner_sum("equipment_lost"), lower=0.0,
    ),
    _count("attacks", "Attacks", "attacks this year (state wars and insurgent attacks)"),
    _count("wars", "Wars", "wars this year (attacks by state aggressors)"),
    _count(
        "coercions", "Challenges", "challenges this year: coercive demands, the model's militarized disputes",
    ),
    _count("interventions", "Interventions", "donor interventions this year"),
    _count("abandonments", "Abandonments", "committed donors that stayed out of a war this year"),
    _count(
        "deterrence_failures", "Deterrence failures",
        "attacks on partners holding a live commitment this year",
    ),
    _count(
        "preventive_attacks", "Preventive attacks",
        "preventive attacks this year (Powell's condition fired)",
    ),
    Column(
        "aggressor_capability", "points", "Aggressor capability",
        "total capability of state aggressors",
        lambda mo: sum(a.capability for a in mo.states), lower=0.0,
    ),
    Column(
        "insurgency", "points", "Insurgent strength", "total insurgent strength",
        lambda mo: sum(a.capability for a in mo.insurgencies), lower=0.0,
    ),
    Column(
        "civilian_harm", "index", "Civilian harm",
        "civilian-harm index this year: insurgent strength x (1 - host governance) + GDP share "
        "lost in wars x 100",
        _civilian_harm, lower=0.0,
    ),
    Column("aid", "$bn", "Aid delivered", "aid delivered this year", _donor_sum("aid_year"), 0.0),
    Column("leaked", "$bn", "Aid diverted", "aid diverted this year", _partner_sum("leaked"), 0.0),
    Column(
        "donor_cost", "$bn", "Donor cost",
        "donors' cost this year: aid, audits, backlog premiums, interventions",
        _donor_sum("cost_year"), lower=0.0,
    ),
    Column(
        "donor_cost_total", "$bn", "Donor cost (cumulative)", "donors' cumulative cost",
        _donor_sum("cost_total"), lower=0.0,
    ),
    Column(
        "will", "share", "Political will", "mean donor political will",
        _Over("donors", "will", mean=True), 0.0, 1.0,
    ),
    Column(
        "backlog", "$bn", "Equipment backlog", "donors' equipment backlog",
        _donor_sum("backlog"), lower=0.0,
    ),
    Column(
        "institutionalised", "share", "Reform institutionalised",
        "share of partners whose reform has been institutionalised",
        _partner_mean("institutionalised"), 0.0, 1.0,
    ),
)  # fmt: skip

#: Counters the model keeps only as run totals (not yearly columns): name -> meaning.
RUN_COUNTERS: dict[str, str] = {
    "insurgent_attacks": "attacks by insurgencies",
    "aggressor_wins": "attacks the aggressor won",
    "surges": "aid surges after an attack on an aided partner",
    "suspensions": "aid suspensions for backsliding",
    "program_exits": "exits aggressors read as a failed signal (an early exit, a program cut)",
    "resisted_demands": "coercive demands the partner resisted (a militarized standoff)",
    "insurgency_onsets": "new insurgencies breaking out in a host at peace",
    "concessions": "coercive demands the partner accepted, conceding GDP",
}


# --- per-run metrics ------------------------------------------------------------------------------


def exit_year(aid: pd.Series, years: pd.Series) -> int | None:
    """First year in which aid is zero after having been positive and stays zero; else None."""
    positive = list(aid > 1e-12)
    if not any(positive):
        return None
    last = max(i for i, p in enumerate(positive) if p)
    if last + 1 >= len(positive):
        return None
    return int(years.iloc[last + 1])


def _ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(b) and b > 0 else math.nan


def _intervention_rate(r: RunView) -> float:
    helped = r.total("interventions")
    called = helped + r.total("abandonments")
    return helped / called if called else math.nan


def _self_sufficiency(r: RunView) -> float:
    own, cap = r.run("partner_capability_own"), r.run("partner_capability")
    shares = [min(o / c, 1.0) for o, c in zip(own, cap, strict=True) if c > 0]
    if not shares:
        return math.nan
    # numpy's (pairwise) sum, as the pandas mean this replaced: the same number to the last bit.
    return float(np.sum(np.asarray(shares, dtype=float)) / len(shares))


def _per_exit(r: RunView, value: Callable[[ExitRecord, PartnerHistory], float]) -> float:
    """A post-exit quantity of each exited program's own partner, averaged over the exits."""
    exits, history = r.totals.get("exits"), r.totals.get("history")
    if not exits or history is None:
        return math.nan
    return per_exit_mean([value(e, history) for e in exits])


def _retention(e: ExitRecord, h: PartnerHistory) -> float:
    if e.year + 5 > h.last_year(e.partner):
        return math.nan
    return _ratio(
        h.at(h.capability, e.partner, e.year + 5), h.at(h.capability, e.partner, e.year - 1)
    )


def _governance_after(years: int) -> Callable[[ExitRecord, PartnerHistory], float]:
    def value(e: ExitRecord, h: PartnerHistory) -> float:
        if e.year + years > h.last_year(e.partner):
            return math.nan
        return h.at(h.governance, e.partner, e.year + years)

    return value


def _attacks_after(e: ExitRecord, h: PartnerHistory) -> float:
    return h.attacks_between(e.partner, e.year, e.year + 2)


def _attack_share_after(e: ExitRecord, h: PartnerHistory) -> float:
    total = h.attacks_between(e.partner, 1, h.last_year(e.partner))
    return _attacks_after(e, h) / total if total else math.nan


def _leakage_share(r: RunView) -> float:
    delivered = r.total("aid")
    return r.total("leaked") / delivered if delivered > 0 else math.nan


def _arms_growth(r: RunView) -> float:
    k0, k_end = r.first("aggressor_capability"), r.final("aggressor_capability")
    if r.totals["n_state_aggressors"] and k0 > 0:
        return (max(k_end, 1e-12) / k0) ** (1 / r.years) - 1
    return math.nan


def _burden_inequality(r: RunView) -> float:
    burdens = r.totals["burdens"]
    return m.gini(burdens) if len(burdens) >= 2 else math.nan


#: Every per-run metric, in the order of ``RunResult.metrics``; "over the run" means years 1…T.
RUN_METRICS: tuple[Metric, ...] = (
    Metric(
        "attacks_per_year", "attacks/yr", "Attacks per year",
        "attacks (state wars and insurgent attacks) per year: attacks / T",
        lambda r: r.attacks / r.years, lower=0.0,
    ),
    Metric("wars", "count", "Wars", "wars started by state aggressors", lambda r: r.total("wars"), 0.0),
    Metric(
        "coercions", "count", "Coercive demands", "coercive (gray-zone) demands",
        lambda r: r.total("coercions"), lower=0.0,
    ),
    Metric(
        "deterrence_failures", "count", "Deterrence failures",
        "attacks on partners holding at least one live commitment",
        lambda r: r.total("deterrence_failures"), lower=0.0,
    ),
    Metric(
        "intervention_rate", "share", "Donors intervened",
        "interventions / (interventions + abandonments); NaN if no committed donor was called on",
        _intervention_rate, 0.0, 1.0,
    ),
    Metric(
        "partner_capability_mean", "points", "Partner capability (mean)",
        "mean over years of the mean effective partner capability",
        lambda r: r.mean("partner_capability"), lower=0.0,
    ),
    Metric(
        "partner_capability_final", "points", "Partner capability now",
        "mean effective partner capability in the final year",
        lambda r: r.final("partner_capability"), lower=0.0,
    ),
    Metric(
        "self_sufficiency", "ratio", "Self-sufficiency",
        "mean over years with capability > 0 of min(1, capability on own upkeep / capability)",
        _self_sufficiency, 0.0, 1.0,
    ),
    Metric(
        "post_exit_retention", "ratio", "Capability kept after exit",
        "per exited program: its partner's capability 5 years after the exit / the year before, "
        "averaged over exits; NaN without exit or too short a run",
        lambda r: _per_exit(r, _retention), lower=0.0,
    ),
    Metric(
        "readiness_mean", "share", "Readiness (mean)", "mean partner readiness over the run",
        lambda r: r.mean("readiness"), 0.0, 1.0,
    ),
    Metric(
        "interoperability_final", "share", "Interoperability now",
        "mean partner interoperability in the final year",
        lambda r: r.final("interoperability"), 0.0, 1.0,
    ),
    Metric(
        "dependency_mean", "share", "Dependency (mean)",
        "mean share of partner upkeep paid by donors over the run",
        lambda r: r.mean("dependency"), 0.0, 1.0,
    ),
    Metric(
        "partner_own_spending", "share of GDP", "Own defence spending",
        "mean partner defence spending as a share of GDP over the run",
        lambda r: r.mean("defence_share"), 0.0, 1.0,
    ),
    Metric(
        "governance_mean", "G", "Governance (mean)", "mean partner governance over the run",
        lambda r: r.mean("governance"), 0.0, 1.0,
    ),
    Metric(
        "governance_final", "G", "Governance now", "mean partner governance in the final year",
        lambda r: r.final("governance"), 0.0, 1.0,
    ),
    Metric(
        "governance_at_sunset", "G", "Governance at exit",
        "per exited program: its partner's governance in the exit year (end of year), averaged "
        "over exits; NaN without exit",
        lambda r: _per_exit(r, _governance_after(0)), 0.0, 1.0,
    ),
    Metric(
        "governance_10y_after_sunset", "G", "Governance 10 y after exit",
        "per exited program: its partner's governance 10 years after the exit year, averaged over "
        "exits; NaN without exit or too short a run",
        lambda r: _per_exit(r, _governance_after(10)), 0.0, 1.0,
    ),
    Metric(
        "reform_institutionalised", "share", "Reform institutionalised",
        "share of partners whose reform was institutionalised",
        lambda r: r.final("institutionalised"), 0.0, 1.0,
    ),
    Metric(
        "leakage_share", "share", "Aid diverted",
        "aid diverted / aid delivered, summed over the run; NaN without aid",
        _leakage_share, 0.0, 1.0,
    ),
    Metric(
        "donor_cost_total", "$bn", "Donor cost",
        "donors' cumulative cost (aid, audits, backlog premiums, interventions)",
        lambda r: r.final("donor_cost_total"), lower=0.0,
    ),
    Metric(
        "cost_per_sustained_capability", "$bn/point", "Cost per sustained capability",
        "donor cost / total final partner capability (mean x number of partners); NaN if none "
        "is left",
        lambda r: _ratio(
            r.final("donor_cost_total"), r.final("partner_capability") * r.totals["n_partners"]
        ),
        lower=0.0,
    ),
    Metric(
        "aggressor_arms_growth", "1/yr", "Aggressor arms growth",
        "annual growth rate (K_T/K_0)^(1/T) - 1 of state aggressors' total capability "
        "(arms-race index); NaN without one",
        _arms_growth, lower=-1.0,
    ),
    Metric(
        "post_exit_attack_share", "share", "Attacks just after exit",
        "per exited program: the share of the attacks on its partner that fall in the exit year "
        "and the 2 following years, averaged over exits; NaN without exit or attacks",
        lambda r: _per_exit(r, _attack_share_after), 0.0, 1.0,
    ),
    Metric(
        "post_exit_attacks", "count", "Attacks in the 3 years after exit",
        "per exited program: attacks on its partner in the exit year and the 2 following years, "
        "averaged over exits; NaN without exit",
        lambda r: _per_exit(r, _attacks_after), lower=0.0,
    ),
    Metric(
        "preventive_attacks", "count", "Preventive attacks",
        "attacks fired by Powell's preventive-war condition",
        lambda r: r.total("preventive_attacks"), lower=0.0,
    ),
    Metric(
        "aggressor_win_share", "share", "Attacks won by the aggressor",
        "share of attacks the aggressor won; NaN without attacks",
        lambda r: r.totals["aggressor_wins"] / r.attacks if r.attacks else math.nan, 0.0, 1.0,
    ),
    Metric(
        "partner_losses", "$bn", "Partner equipment lost",
        "partner equipment lost in fighting (cumulative)",
        lambda r: r.final("equipment_lost"), lower=0.0,
    ),
    Metric(
        "insurgent_violence", "points", "Insurgent violence",
        "mean total insurgent strength over the run", lambda r: r.mean("insurgency"), lower=0.0,
    ),
    Metric(
        "civilian_harm", "index/yr", "Civilian harm",
        "mean yearly civilian-harm index: insurgent strength x (1 - host governance) (violence "
        "against civilians is worst where governance is poor; Kalyvas 2006) plus 100 x the share "
        "of partner GDP destroyed in wars",
        lambda r: r.mean("civilian_harm"), lower=0.0,
    ),
    Metric(
        "gdp_lost_share", "share", "GDP lost",
        "partner GDP lost to war, coercion and insurgency / partner GDP summed over the run "
        "(trade-disruption index)",
        lambda r: _ratio(r.final("gdp_lost"), r.total("gdp")), lower=0.0,
    ),
    Metric(
        "burden_share_inequality", "Gini", "Burden-share inequality",
        "Gini of donors' cumulative cost relative to capability; NaN with fewer than 2 donors",
        _burden_inequality, 0.0, 1.0,
    ),
    Metric(
        "industrial_backlog", "$bn", "Equipment backlog", "mean total donor equipment backlog",
        lambda r: r.mean("backlog"), lower=0.0,
    ),
    Metric(
        "program_rejections", "count", "Programs rejected",
        "programs partners rejected as too intrusive",
        lambda r: float(r.totals["program_rejections"]), lower=0.0,
    ),
    Metric(
        "early_exits", "count", "Early exits",
        "donors that left early when will fell below the floor",
        lambda r: float(r.totals["early_exits"]), lower=0.0,
    ),
)  # fmt: skip


# --- views derived from the registry --------------------------------------------------------------

#: Yearly reporters: name -> meaning with unit (one column each in RunResult.timeseries).
TIMESERIES_COLUMNS: dict[str, str] = {c.name: f"{c.meaning} ({c.unit})" for c in COLUMNS}
#: Every per-run metric: name -> (unit, meaning). Order is the order of RunResult.metrics.
METRICS: dict[str, tuple[str, str]] = {x.name: (x.unit, x.meaning) for x in RUN_METRICS}
#: Counters the model keeps per year and in total.
COUNTERS: tuple[str, ...] = (*(c.name for c in COLUMNS if c.counter), *RUN_COUNTERS)
#: Run metrics by name, then yearly columns by name (a few names are both: ``wars`` per year and
#: per run).
REGISTRY: dict[str, Metric] = {x.name: x for x in RUN_METRICS}
YEARLY: dict[str, Column] = {c.name: c for c in COLUMNS}

#: The run metrics the dashboard shows as cards, in order (labels come from the registry).
CARD_ORDER = (
    "attacks_per_year",
    "wars",
    "deterrence_failures",
    "intervention_rate",
    "partner_capability_final",
    "self_sufficiency",
    "post_exit_retention",
    "readiness_mean",
    "governance_at_sunset",
    "dependency_mean",
    "governance_10y_after_sunset",
    "donor_cost_total",
    "aggressor_arms_growth",
)
CARD_METRICS: tuple[tuple[str, str], ...] = tuple((n, REGISTRY[n].label) for n in CARD_ORDER)


def _lookup(name: str, yearly: bool) -> Column | Metric | None:
    return (YEARLY if yearly else REGISTRY).get(name)


#: Units an axis label does not repeat (the label says it, or there is nothing to add).
_SILENT_UNITS = ("count", "year")


def axis_label(name: str, yearly: bool = False) -> str:
    """A plot axis label for a run metric (or, ``yearly``, a yearly column): its label with the
    unit ("Donor cost ($bn)"); an unknown name (a custom run function's metric) is returned as it is."""
    x = _lookup(name, yearly)
    if x is None:
        return name
    if x.unit in _SILENT_UNITS:
        return x.label
    return f"{x.label}, {x.unit}" if x.label.endswith(")") else f"{x.label} ({x.unit})"


def bounds(name: str, yearly: bool = False) -> tuple[float | None, float | None]:
    """The range a run metric (``yearly``: a column) cannot leave ((None, None) when unbounded or
    unknown)."""
    x = _lookup(name, yearly)
    return (None, None) if x is None else (x.lower, x.upper)


# --- computing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _RowPlan:
    """How :func:`observe_row` reads the columns: per agent group, one getter of all its
    :class:`_Over` attributes and their (position, mean?) slots; the counters by name; every
    other column by its own ``observe``."""

    groups: tuple[tuple[str, attrgetter, tuple[tuple[int, bool], ...]], ...]
    counters: tuple[tuple[int, str], ...]
    others: tuple[tuple[int, Callable[[DeterrenceModel], float]], ...]


def _row_plan() -> _RowPlan:
    grouped: dict[str, list[tuple[int, _Over]]] = {}
    counters, others = [], []
    for i, c in enumerate(COLUMNS):
        if isinstance(c.observe, _Over):
            grouped.setdefault(c.observe.group, []).append((i, c.observe))
        elif c.counter:  # its observe reads model.year_counts[c.name] (_count)
            counters.append((i, c.name))
        else:
            others.append((i, c.observe))
    groups = tuple(
        (group, attrgetter(*(o.attr for _, o in at)), tuple((i, o.mean) for i, o in at))
        for group, at in grouped.items()
    )
    return _RowPlan(groups, tuple(counters), tuple(others))


_PLAN = _row_plan()


def observe_row(model: DeterrenceModel) -> list[float]:
    """The model's yearly row, in the order of :data:`COLUMNS`: the same values as each column's
    ``observe``, with every partner (donor) attribute read in one pass over the partners
    (donors). Sums run in agent order, as ``sum`` over one attribute does."""
    row: list[float] = [0.0] * len(COLUMNS)
    for group, get, slots in _PLAN.groups:
        agents = getattr(model, group)
        if not agents:
            sums = (0,) * len(slots)
        elif len(slots) > 1:
            sums = map(sum, zip(*map(get, agents), strict=True))
        else:
            sums = (sum(map(get, agents)),)
        n = len(agents) or 1
        for (i, mean), total in zip(slots, sums, strict=True):
            row[i] = total / n if mean else total
    counts = model.year_counts
    for i, name in _PLAN.counters:
        row[i] = counts[name]
    for i, read in _PLAN.others:
        row[i] = read(model)
    return row


def metrics_from(ts: pd.DataFrame | Columns, totals: dict[str, Any]) -> dict[str, float]:
    """Per-run metrics from the yearly table (year 0 included; a DataFrame or plain columns)
    and the run's totals."""
    view = RunView(columns_of(ts) if isinstance(ts, pd.DataFrame) else ts, totals)
    return {x.name: float(x.compute(view)) for x in RUN_METRICS}


def compute_metrics(
    model: DeterrenceModel, timeseries: pd.DataFrame | Columns | None = None
) -> dict[str, float]:
    """Per-run metrics of a model, for the years it has run (``timeseries``: the model's yearly
    table, as a DataFrame or plain columns, when the caller already has it)."""
    totals = {
        "n_partners": len(model.partners),
        "n_state_aggressors": sum(a.kind == "state" for a in model.aggressors),
        "aggressor_wins": model.counts["aggressor_wins"],
        "burdens": [d.cost_total / d.capability for d in model.donors if d.capability > 0],
        "program_rejections": sum(p.rejected for p in model.programs),
        "early_exits": sum(d.exited for d in model.donors),
        "exits": list(model.exits),
        "history": model.history,
    }
    return metrics_from(model.columns() if timeseries is None else timeseries, totals)
