"""Calibration base rates the defaults are set to: pacts honoured about 75% of the time (Leeds,
Long & Mitchell 2000), aid raising the rival's arming (Collier & Hoeffler 2007), governance gating
aid's effect (Paul et al. 2013; McNerney et al. 2014)."""

from __future__ import annotations

import math

import numpy as np

from ..stats import paired, pooled_ratio_ci
from .arms import ExperimentResult
from .experiments import REACTIONS
from .results import Check, effect_check
from .results import fmt as _fmt
from .results import fmt_ci as _fmt_ci
from .worlds import YEARS

__all__ = ["analyse_arming", "analyse_gating", "analyse_pact"]


def analyse_pact(results: dict[str, ExperimentResult], figures: dict) -> list[Check]:
    r = results["pact"]
    est, ci, n = pooled_ratio_ci(
        r.values("pact", "interventions_total"),
        r.values("pact", "interventions_total") + r.values("pact", "abandonments_total"),
    )
    calls = int(
        np.sum(r.values("pact", "interventions_total") + r.values("pact", "abandonments_total"))
    )
    return [
        effect_check(
            id="B1",
            group="base rate",
            claim="Formal defence pacts are honoured in about 75% of attacks on a pact member",
            source="Leeds, Long & Mitchell 2000 (JCR 44(5))",
            expected="intervention rate of a bilateral-pact donor when its partner is attacked in [0.65, 0.85]",
            measured=f"{_fmt_ci(est, ci)} over {calls} calls in {n} seeds with wars",
            effect=(est, ci, n),
            passed=bool(0.65 <= est <= 0.85),
        )
    ]


def analyse_arming(results: dict[str, ExperimentResult], figures: dict) -> list[Check]:
    r = results["fact4"]
    k = REACTIONS[1]
    aid_final = r.values(f"aid_k{k}", "aggressor_final")
    none_final = r.values(f"none_k{k}", "aggressor_final")
    aid_total = r.values(f"aid_k{k}", "aid_total")
    pct = paired(100 * (aid_final / none_final - 1), np.zeros_like(aid_final))
    per_bn = paired(
        (aid_final - none_final) / np.where(aid_total > 0, aid_total, np.nan),
        np.zeros_like(aid_final),
    )
    return [
        effect_check(
            id="B2",
            group="base rate",
            claim="Aid to a partner raises its rival's military spending",
            source="Collier & Hoeffler 2007 (Unintended consequences: does aid promote arms races?)",
            expected="positive response: rival capability gain per $bn of aid delivered > 0 (CI above 0); size reported",
            measured=f"{_fmt_ci(*per_bn[:2])} points per $bn of aid; rival capability +{_fmt(pct[0], 1)}% "
            f"at year {YEARS} (reaction k={k})",
            effect=per_bn,
            passed=bool(per_bn[1][0] > 0),
        )
    ]


def analyse_gating(results: dict[str, ExperimentResult], figures: dict) -> list[Check]:
    r = results["gating"]
    key = "partner_capability_mean"
    hi = r.values("aid_g0.8", key) - r.values("none_g0.8", key)
    lo = r.values("aid_g0.2", key) - r.values("none_g0.2", key)
    diff = paired(hi, lo)
    ratio = float(np.nanmean(hi) / np.nanmean(lo)) if np.nanmean(lo) > 0 else math.inf
    return [
        effect_check(
            id="B3",
            group="base rate",
            claim="Governance gates aid effectiveness (absorptive capacity held fixed)",
            source="Paul et al. 2013 (RAND); McNerney et al. 2014 (RAND)",
            expected="aid effect on mean capability at G=0.8 minus at G=0.2 > 0 (CI above 0); ratio reported",
            measured=f"{_fmt_ci(*diff)} points; effect G=0.8 / G=0.2 = {_fmt(ratio, 2)}",
            effect=diff,
            passed=bool(diff[1][0] > 0),
        )
    ]
