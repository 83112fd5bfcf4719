"""Yearly reporters and per-run outcome metrics: the evaluation criteria of DESIGN §6.

The model records one row of :data:`TIMESERIES_COLUMNS` per year; :func:`metrics_from` turns the
yearly table and the run's totals into the metrics of :data:`METRICS`. A metric that does not apply
to a run (no exit in an open-ended program, no attack to take a share of) is NaN, never 0.

The *exit year* is the first year in which the total aid flow is zero after having been positive
(a sunset, or every donor's early exit) and stays zero; runs whose aid never ends have none.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import mechanisms as m

if TYPE_CHECKING:
    from .model import DeterrenceModel

#: Yearly reporters (one column each in RunResult.timeseries); averages are over partners.
TIMESERIES_COLUMNS: dict[str, str] = {
    "year": "year of the run (0 = initial state)",
    "partner_capability": "mean effective capability of partners (capability points)",
    "partner_capability_own": "mean capability partners would have on their own upkeep alone (points)",
    "governance": "mean partner governance G (0–1)",
    "dependency": "mean share of partner upkeep paid by donors (0–1)",
    "readiness": "mean partner readiness (0–1)",
    "human_capital": "mean partner trained human capital H (0–1)",
    "interoperability": "mean partner interoperability with donors (0–1)",
    "equipment": "total partner equipment stock ($bn)",
    "own_spending": "total partner own defence spending ($bn/yr)",
    "defence_share": "mean partner defence share of GDP",
    "gdp": "total partner GDP ($bn)",
    "gdp_lost": "cumulative partner GDP lost to war, coercion and insurgency ($bn)",
    "equipment_lost": "cumulative partner equipment lost in fighting ($bn)",
    "attacks": "attacks this year (state wars and insurgent attacks)",
    "wars": "wars this year (attacks by state aggressors)",
    "coercions": "coercive demands this year",
    "interventions": "donor interventions this year",
    "abandonments": "committed donors that stayed out of a war this year",
    "deterrence_failures": "attacks on partners holding a live commitment this year",
    "preventive_attacks": "preventive attacks this year (Powell's condition fired)",
    "aggressor_capability": "total capability of state aggressors (points)",
    "insurgency": "total insurgent strength (points)",
    "civilian_harm": "civilian-harm index this year: insurgent strength x (1 - host governance) + GDP share lost in wars x 100",
    "aid": "aid delivered this year ($bn)",
    "leaked": "aid diverted this year ($bn)",
    "donor_cost": "donors' cost this year: aid, audits, backlog premiums, interventions ($bn)",
    "donor_cost_total": "donors' cumulative cost ($bn)",
    "will": "mean donor political will (0–1)",
    "backlog": "donors' equipment backlog ($bn)",
    "institutionalised": "share of partners whose reform has been institutionalised",
}

#: Every per-run metric: name -> (unit, meaning). Order is the order of RunResult.metrics.
METRICS: dict[str, tuple[str, str]] = {
    "attacks_per_year": ("attacks/yr", "attacks (state wars and insurgent attacks) per year"),
    "wars": ("count", "wars started by state aggressors"),
    "coercions": ("count", "coercive (gray-zone) demands"),
    "deterrence_failures": ("count", "attacks on partners that held a live commitment"),
    "intervention_rate": (
        "share",
        "interventions / committed donors called on in wars; NaN without wars on committed partners",
    ),
    "partner_capability_mean": ("points", "mean effective partner capability over the run"),
    "partner_capability_final": ("points", "mean effective partner capability in the final year"),
    "self_sufficiency": (
        "ratio",
        "capability partners would have on own upkeep / actual, averaged over years",
    ),
    "post_exit_retention": (
        "ratio",
        "partner capability 5 years after exit / the year before exit; NaN without exit",
    ),
    "readiness_mean": ("share", "mean partner readiness over the run"),
    "interoperability_final": ("share", "mean partner interoperability in the final year"),
    "dependency_mean": ("share", "mean share of partner upkeep paid by donors over the run"),
    "partner_own_spending": ("share of GDP", "mean partner defence spending as a share of GDP"),
    "governance_mean": ("G", "mean partner governance over the run"),
    "governance_final": ("G", "mean partner governance in the final year"),
    "governance_at_sunset": ("G", "mean partner governance in the exit year; NaN without exit"),
    "governance_10y_after_sunset": (
        "G",
        "mean partner governance 10 years after exit; NaN without exit or too short a run",
    ),
    "reform_institutionalised": ("share", "share of partners whose reform was institutionalised"),
    "leakage_share": (
        "share",
        "aid diverted / aid delivered (the diverted share); NaN without aid",
    ),
    "donor_cost_total": ("$bn", "donors' cumulative cost"),
    "cost_per_sustained_capability": (
        "$bn/point",
        "donor cost per point of final partner capability; NaN if none left",
    ),
    "aggressor_arms_growth": (
        "1/yr",
        "annual growth rate of state aggressors' capability (arms-race index); NaN without one",
    ),
    "post_exit_attack_share": (
        "share",
        "share of attacks falling in the 3 years after exit; NaN without exit or attacks",
    ),
    "post_exit_attacks": ("count", "attacks in the 3 years after exit; NaN without exit"),
    "preventive_attacks": ("count", "attacks fired by Powell's preventive-war condition"),
    "aggressor_win_share": ("share", "share of attacks the aggressor won; NaN without attacks"),
    "partner_losses": ("$bn", "partner equipment lost in fighting"),
    "insurgent_violence": ("points", "mean insurgent strength over the run"),
    "civilian_harm": (
        "index/yr",
        "mean yearly civilian-harm index: insurgent violence weighted by poor governance plus the percentage of GDP destroyed in wars",
    ),
    "gdp_lost_share": (
        "share",
        "partner GDP lost to war, coercion and insurgency / partner GDP summed over the run (trade-disruption index)",
    ),
    "burden_share_inequality": (
        "Gini",
        "inequality of donors' cost relative to capability; NaN with fewer than 2 donors",
    ),
    "industrial_backlog": ("$bn", "mean donor equipment backlog"),
    "program_rejections": ("count", "programs partners rejected as too intrusive"),
    "early_exits": ("count", "donors that left early when will fell below the floor"),
}


def exit_year(aid: pd.Series, years: pd.Series) -> int | None:
    """First year in which aid is zero after having been positive and stays zero; else None."""
    positive = list(aid > 1e-12)
    if not any(positive):
        return None
    last = max(i for i, p in enumerate(positive) if p)
    if last + 1 >= len(positive):
        return None
    return int(years.iloc[last + 1])


def _sum(values: pd.Series) -> float:
    # math.fsum is exact, so metrics do not depend on the summation order of a pandas version.
    return math.fsum(values.to_list())


def _mean(values: pd.Series) -> float:
    return _sum(values) / len(values) if len(values) else math.nan


def _at(ts: pd.DataFrame, year: int, column: str) -> float:
    # Years are consecutive from the first row, so the row is found by position (a boolean mask
    # per lookup cost more than the rest of the metrics together).
    years = ts["year"]
    i = year - int(years.iat[0]) if len(ts) else -1
    if 0 <= i < len(ts) and years.iat[i] == year:
        return float(ts[column].iat[i])
    return math.nan


def _ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(b) and b > 0 else math.nan


def metrics_from(ts: pd.DataFrame, totals: dict[str, Any]) -> dict[str, float]:
    """Per-run metrics from the yearly table (year 0 included) and the run's totals."""
    run = ts[ts["year"] >= 1]
    years = max(len(run), 1)
    exit_at = exit_year(run["aid"], run["year"])
    last_year = int(ts["year"].iloc[-1])
    attacks = float(_sum(run["attacks"]))
    out: dict[str, float] = {}
    out["attacks_per_year"] = attacks / years
    out["wars"] = float(_sum(run["wars"]))
    out["coercions"] = float(_sum(run["coercions"]))
    out["deterrence_failures"] = float(_sum(run["deterrence_failures"]))
    called = float(_sum(run["interventions"]) + _sum(run["abandonments"]))
    out["intervention_rate"] = float(_sum(run["interventions"])) / called if called else math.nan
    out["partner_capability_mean"] = float(_mean(run["partner_capability"]))
    out["partner_capability_final"] = float(ts["partner_capability"].iloc[-1])
    cap = run["partner_capability"]
    valid = cap > 0
    out["self_sufficiency"] = (
        float((run.loc[valid, "partner_capability_own"] / cap[valid]).clip(upper=1.0).mean())
        if valid.any()
        else math.nan
    )
    if exit_at is not None and exit_at + 5 <= last_year:
        out["post_exit_retention"] = _ratio(
            _at(ts, exit_at + 5, "partner_capability"), _at(ts, exit_at - 1, "partner_capability")
        )
    else:
        out["post_exit_retention"] = math.nan
    out["readiness_mean"] = float(_mean(run["readiness"]))
    out["interoperability_final"] = float(ts["interoperability"].iloc[-1])
    out["dependency_mean"] = float(_mean(run["dependency"]))
    out["partner_own_spending"] = float(_mean(run["defence_share"]))
    out["governance_mean"] = float(_mean(run["governance"]))
    out["governance_final"] = float(ts["governance"].iloc[-1])
    out["governance_at_sunset"] = (
        _at(ts, exit_at, "governance") if exit_at is not None else math.nan
    )
    if exit_at is not None and exit_at + 10 <= last_year:
        out["governance_10y_after_sunset"] = _at(ts, exit_at + 10, "governance")
    else:
        out["governance_10y_after_sunset"] = math.nan
    out["reform_institutionalised"] = float(ts["institutionalised"].iloc[-1])
    delivered = float(_sum(run["aid"]))
    out["leakage_share"] = float(_sum(run["leaked"])) / delivered if delivered > 0 else math.nan
    out["donor_cost_total"] = float(ts["donor_cost_total"].iloc[-1])
    out["cost_per_sustained_capability"] = _ratio(
        out["donor_cost_total"], out["partner_capability_final"] * totals["n_partners"]
    )
    k0, k_end = (
        float(ts["aggressor_capability"].iloc[0]),
        float(ts["aggressor_capability"].iloc[-1]),
    )
    if totals["n_state_aggressors"] and k0 > 0:
        out["aggressor_arms_growth"] = (max(k_end, 1e-12) / k0) ** (1 / years) - 1
    else:
        out["aggressor_arms_growth"] = math.nan
    if exit_at is not None:
        window = run[(run["year"] >= exit_at) & (run["year"] < exit_at + 3)]
        out["post_exit_attacks"] = float(_sum(window["attacks"]))
        out["post_exit_attack_share"] = out["post_exit_attacks"] / attacks if attacks else math.nan
    else:
        out["post_exit_attacks"] = math.nan
        out["post_exit_attack_share"] = math.nan
    out["preventive_attacks"] = float(_sum(run["preventive_attacks"]))
    out["aggressor_win_share"] = totals["aggressor_wins"] / attacks if attacks else math.nan
    out["partner_losses"] = float(ts["equipment_lost"].iloc[-1])
    out["insurgent_violence"] = float(_mean(run["insurgency"]))
    out["civilian_harm"] = float(_mean(run["civilian_harm"]))
    out["gdp_lost_share"] = _ratio(float(ts["gdp_lost"].iloc[-1]), float(_sum(run["gdp"])))
    burdens = totals["burdens"]
    out["burden_share_inequality"] = m.gini(burdens) if len(burdens) >= 2 else math.nan
    out["industrial_backlog"] = float(_mean(run["backlog"]))
    out["program_rejections"] = float(totals["program_rejections"])
    out["early_exits"] = float(totals["early_exits"])
    return {name: float(out[name]) for name in METRICS}


def compute_metrics(
    model: DeterrenceModel, timeseries: pd.DataFrame | None = None
) -> dict[str, float]:
    """Per-run metrics of a model, for the years it has run (``timeseries``: the model's yearly
    table when the caller already has it)."""
    totals = {
        "n_partners": len(model.partners),
        "n_state_aggressors": sum(a.kind == "state" for a in model.aggressors),
        "aggressor_wins": model.counts["aggressor_wins"],
        "burdens": [d.cost_total / d.capability for d in model.donors if d.capability > 0],
        "program_rejections": sum(p.rejected for p in model.programs),
        "early_exits": sum(d.exited for d in model.donors),
    }
    return metrics_from(model.timeseries() if timeseries is None else timeseries, totals)
