"""Do a target's alliances deter challenges? Leeds (2003) re-tested on the rival panel.

Leeds (2003, *AJPS* 47(3), "Do alliances deter aggression?") finds that a target's defensive pact
with a third party lowers the probability that it is challenged. Here: a logit of initiation in
the rival directed dyad-year panel on the target's third-party defence pact, with the challenger's
own pacts, log capability ratio, contiguity, major-power status of both, and a cubic in
peace-years for temporal dependence (Beck, Katz & Tucker 1998; Carter & Signorino 2010), with
standard errors clustered by directed dyad. statsmodels does the estimation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["COVARIATES", "leeds_logit", "leeds_table"]

#: Regressors (besides the constant); ``t``, ``t2``, ``t3`` are peace-years / 10 and its powers.
COVARIATES = (
    "target_pact",
    "target_pact_major",
    "challenger_pact",
    "log_cinc_ratio",
    "contiguous",
    "challenger_major",
    "target_major",
    "t",
    "t2",
    "t3",
)


def _design(panel: pd.DataFrame, outcome: str) -> tuple[pd.Series, pd.DataFrame, pd.Series]:
    d = panel.dropna(subset=[outcome, "cinc_ratio"]).copy()
    d["log_cinc_ratio"] = np.log(d["cinc_ratio"])
    # Scaled so the cubic's coefficients are of comparable size (peace-years reach ~190).
    d["t"] = d["peace_years"] / 10.0
    d["t2"] = d["t"] ** 2
    d["t3"] = d["t"] ** 3
    x = d[list(COVARIATES)].astype(float)
    x.insert(0, "const", 1.0)
    return d[outcome].astype(float), x, d["dyad"]


def leeds_logit(panel: pd.DataFrame, outcome: str = "mid_init"):
    """The fitted statsmodels logit (cluster-robust covariance by directed dyad)."""
    import statsmodels.api as sm

    y, x, groups = _design(panel, outcome)
    codes = pd.factorize(groups)[0]
    model = sm.Logit(y, x)
    return model.fit(disp=0, cov_type="cluster", cov_kwds={"groups": codes})


def leeds_table(
    panel: pd.DataFrame, outcomes: tuple[str, ...] = ("mid_init", "force_init", "war_init")
) -> pd.DataFrame:
    """One row per outcome and regressor: ``outcome, term, coef, se, z, p, odds_ratio,
    or_low, or_high`` (95%, clustered), plus ``n`` and ``events`` of the estimation sample."""
    rows = []
    for outcome in outcomes:
        res = leeds_logit(panel, outcome)
        ci = res.conf_int()
        n = int(res.nobs)
        events = int(res.model.endog.sum())
        for term in res.params.index:
            rows.append(
                {
                    "outcome": outcome,
                    "term": term,
                    "coef": float(res.params[term]),
                    "se": float(res.bse[term]),
                    "z": float(res.tvalues[term]),
                    "p": float(res.pvalues[term]),
                    "odds_ratio": float(np.exp(res.params[term])),
                    "or_low": float(np.exp(ci.loc[term, 0])),
                    "or_high": float(np.exp(ci.loc[term, 1])),
                    "n": n,
                    "events": events,
                }
            )
    return pd.DataFrame(rows)
