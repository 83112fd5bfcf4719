"""The two auxiliary logits of the deterrence calibration, usable on data and on simulated frames.

General deterrence (stage ``challenge``): does the challenger start a militarised dispute this
dyad-year? Immediate deterrence (stage ``escalation``): given a challenge, does it become a war
(``escalation_force``: does the challenger use force)? (Huth 1988; Huth & Russett 1988; Leeds
2003.) Indirect inference (Smith 1993; Gouriéroux, Monfort & Renault 1993) fits the *same* logits
to simulated dyad-years and matches the coefficients, so :func:`fit_auxiliary` takes any frame
with the columns of :mod:`.prd` and is cheap: ``cluster=None`` is a plain Newton–Raphson in numpy
(~10 ms on 50k rows), ``cluster="dyad"`` adds the cluster-robust covariance by undirected dyad
that the data fits report (the sandwich with statsmodels' small-sample factor).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "CHALLENGE_TERMS",
    "DESIGN_COLUMNS",
    "ESCALATION_TERMS",
    "STAGES",
    "AuxFit",
    "fit_auxiliary",
    "newton_logit",
    "sample_design_dyads",
    "with_peace_terms",
]

#: stage -> (outcome column, the column a row must have = 1 to be in the stage's unit, or None).
STAGES = {
    "challenge": ("challenge", None),
    "escalation": ("war", "challenge"),
    "escalation_force": ("force", "challenge"),
}
#: Stage 1 regressors: Leeds (2003)'s alliance terms, balance, geography, status, memory, period.
CHALLENGE_TERMS = (
    "log_capability_ratio",
    "target_pact",
    "challenger_pact",
    "shared_pact",
    "contiguous",
    "log_distance",
    "major1",
    "major2",
    "rivalry",
    "terr_threat1",
    "terr_threat2",
    "joint_dem",
    "recent_disputes",
    "t",
    "t2",
    "t3",
    "declining",
    "rising",
    "post1945",
)
#: Stage 2 regressors: fewer (about a hundred wars), the deterrence terms first. No joint
#: democracy: no challenge between two democracies became a war, so it separates perfectly.
ESCALATION_TERMS = (
    "log_capability_ratio",
    "target_pact",
    "challenger_pact",
    "contiguous",
    "major1",
    "major2",
    "rivalry",
    "terr_mid10",
    "recent_disputes",
    "declining",
    "post1945",
)
#: Covariates of a design dyad-year handed to the simulator (:func:`sample_design_dyads`).
DESIGN_COLUMNS = (
    "ccode1",
    "ccode2",
    "year",
    "dyad",
    "log_capability_ratio",
    "d5_log_ratio",
    "declining",
    "rising",
    "target_pact",
    "challenger_pact",
    "shared_pact",
    "contiguous",
    "log_distance",
    "major1",
    "major2",
    "rivalry",
    "peace_years",
    "recent_disputes",
    "terr_mid10",
    "terr_threat1",
    "terr_threat2",
    "joint_dem",
    "post1945",
)


SEPARATION = 15.0


@dataclass
class AuxFit:
    """One auxiliary logit: coefficients (logit scale, ``const`` first), their covariance, the
    estimation sample's size, events and clusters, whether Newton converged, and the terms dropped
    for having no variation in this frame."""

    params: pd.Series
    cov: pd.DataFrame
    n: int
    events: int
    clusters: int
    converged: bool
    dropped: tuple[str, ...]

    def ci(self, level: float = 0.95) -> pd.DataFrame:
        """Wald interval per term: columns ``low``, ``high``."""
        from scipy.stats import norm

        z = float(norm.ppf(0.5 + level / 2))
        se = np.sqrt(np.diag(self.cov.to_numpy()))
        return pd.DataFrame(
            {"low": self.params - z * se, "high": self.params + z * se}, index=self.params.index
        )


def _stage_frame(frame: pd.DataFrame, stage: str, terms, outcome: str | None):
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {', '.join(STAGES)}, not {stage!r}")
    default_outcome, given = STAGES[stage]
    y_col = outcome or default_outcome
    terms = tuple(terms if terms is not None else _default_terms(stage))
    derivable = {"t", "t2", "t3"} if "peace_years" in frame.columns else set()
    if "log_capability_ratio" in frame.columns:
        derivable.add("abs_log_capability_ratio")  # distance from parity, either direction
    needed = (y_col, *terms, *([given] if given else []))
    missing = [c for c in needed if c not in frame.columns and c not in derivable]
    if missing:
        raise ValueError(f"frame lacks column(s) {', '.join(missing)} for stage {stage!r}")
    d = frame if given is None else frame[frame[given] == 1]
    if "t" in terms and "t" not in d.columns and "peace_years" in d.columns:
        d = with_peace_terms(d)
    if "abs_log_capability_ratio" in terms and "abs_log_capability_ratio" not in d.columns:
        d = d.assign(abs_log_capability_ratio=d["log_capability_ratio"].abs())
    cols = [y_col, *terms, *(["dyad"] if "dyad" in d.columns else [])]
    d = d[cols].dropna()
    varying = tuple(t for t in terms if d[t].nunique() > 1)
    dropped = tuple(t for t in terms if t not in varying)
    return d, y_col, varying, dropped


def with_peace_terms(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``t``, ``t2``, ``t3``: peace_years / 10 and its square and cube (the cubic
    of Carter & Signorino 2010; scaled so the three coefficients are of similar size)."""
    out = frame.copy()
    out["t"] = out["peace_years"] / 10.0
    out["t2"] = out["t"] ** 2
    out["t3"] = out["t"] ** 3
    return out


def _default_terms(stage: str) -> tuple[str, ...]:
    return CHALLENGE_TERMS if stage == "challenge" else ESCALATION_TERMS


def _xb(x: np.ndarray, beta: np.ndarray) -> np.ndarray:
    # einsum, not BLAS: on a tall, narrow design it is several times faster here, and the
    # calibration's simulated side calls this hundreds of times.
    return np.einsum("ij,j->i", x, beta)


def _hessian(x: np.ndarray, beta: np.ndarray) -> np.ndarray:
    p = 1.0 / (1.0 + np.exp(-_xb(x, beta)))
    return np.einsum("ij,i,ik->jk", x, p * (1 - p), x, optimize=True)


def newton_logit(x: np.ndarray, y: np.ndarray, iters: int = 50, tol: float = 1e-8):
    """Maximum-likelihood logit by Newton–Raphson with step halving; (beta, H, converged).

    ``x`` includes the constant column. The estimator of :func:`fit_auxiliary`, and of the
    simulated side of indirect inference (``calibration.inference``), which keeps its design
    matrix and passes only new outcomes."""
    beta = np.zeros(x.shape[1])
    beta[0] = np.log((y.mean() + 1e-9) / (1 - y.mean() + 1e-9))  # start at the base rate
    ll_old = float(np.sum(y * beta[0] - np.logaddexp(0.0, _xb(x, beta))))
    converged = False
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-_xb(x, beta)))
        step = np.linalg.solve(
            _hessian(x, beta) + 1e-10 * np.eye(len(beta)), np.einsum("ij,i->j", x, y - p)
        )
        for _half in range(30):
            e = _xb(x, beta + step)
            ll = float(np.sum(y * e - np.logaddexp(0.0, e)))
            if ll >= ll_old - 1e-9:
                break
            step /= 2
        beta = beta + step
        converged = ll - ll_old < tol and float(np.max(np.abs(step))) < 1e-6
        ll_old = ll
        if converged:
            break
    # A coefficient beyond ±15 on the logit scale is (quasi-)separation, not an estimate.
    return beta, _hessian(x, beta), converged and bool(np.all(np.abs(beta) < SEPARATION))


def _cluster_cov(x, y, beta, hess_inv, groups: np.ndarray) -> np.ndarray:
    """Cluster-robust sandwich with statsmodels' default small-sample correction."""
    p = 1.0 / (1.0 + np.exp(-(x @ beta)))
    scores = x * (y - p)[:, None]
    codes, inverse = np.unique(groups, return_inverse=True)
    summed = np.zeros((len(codes), x.shape[1]))
    np.add.at(summed, inverse, scores)
    g, n, k = len(codes), len(y), x.shape[1]
    factor = g / (g - 1) * (n - 1) / (n - k)
    return factor * hess_inv @ (summed.T @ summed) @ hess_inv


def fit_auxiliary(
    frame: pd.DataFrame,
    stage: str = "challenge",
    terms=None,
    *,
    cluster: str | None = "dyad",
    outcome: str | None = None,
) -> AuxFit:
    """Fit stage ``stage``'s logit (see :data:`STAGES`) of ``outcome`` (default: the stage's) on
    ``terms`` (default :data:`CHALLENGE_TERMS` / :data:`ESCALATION_TERMS`) plus a constant.
    Rows with a missing value are dropped; a term without variation is dropped (listed in
    ``dropped``). ``cluster="dyad"``: covariance clustered by the frame's ``dyad`` column;
    ``None``: the inverse Hessian (the fast path for simulated frames)."""
    d, y_col, varying, dropped = _stage_frame(frame, stage, terms, outcome)
    if cluster is not None and cluster not in d.columns:
        raise ValueError(f"frame lacks the cluster column {cluster!r} (or pass cluster=None)")
    y = d[y_col].to_numpy(dtype=float)
    x = np.column_stack([np.ones(len(d)), d[list(varying)].to_numpy(dtype=float)])
    names = ["const", *varying]
    if len(d) <= len(names) or y.sum() == 0 or y.sum() == len(y):
        raise ValueError(f"stage {stage!r}: {len(d)} rows and {int(y.sum())} events cannot fit")
    beta, hess, converged = newton_logit(x, y)
    hess_inv = np.linalg.pinv(hess)
    clusters = len(d)
    if cluster is not None:
        groups = d[cluster].to_numpy()
        cov = _cluster_cov(x, y, beta, hess_inv, groups)
        clusters = len(np.unique(groups))
    else:
        cov = hess_inv
    return AuxFit(
        params=pd.Series(beta, index=names),
        cov=pd.DataFrame(cov, index=names, columns=names),
        n=len(d),
        events=int(y.sum()),
        clusters=clusters,
        converged=converged,
        dropped=dropped,
    )


def sample_design_dyads(
    panel: pd.DataFrame,
    n: int,
    stratify_by: tuple[str, ...] = ("contiguous", "post1945", "target_pact", "rivalry"),
    seed: int = 0,
) -> pd.DataFrame:
    """``n`` representative dyad-years of ``panel`` (its :data:`DESIGN_COLUMNS`): a stratified
    random sample with proportional allocation over the cells of ``stratify_by`` (each cell keeps
    its share of the panel; at least one row per non-empty cell), drawn without replacement when
    the panel is large enough. Rows missing the capability ratio are left out (the fits drop
    them too). Reproducible by ``seed``."""
    missing = [c for c in (*DESIGN_COLUMNS, *stratify_by) if c not in panel.columns]
    if missing:
        raise ValueError(f"panel lacks column(s) {', '.join(missing)}")
    pool = panel.dropna(subset=["log_capability_ratio"])
    rng = np.random.default_rng(seed)
    sizes = pool.groupby(list(stratify_by)).size()
    quota = np.maximum(1, np.round(sizes / sizes.sum() * n)).astype(int)
    picks = []
    for key, idx in pool.groupby(list(stratify_by)).indices.items():
        k = int(quota.loc[key])
        picks.append(rng.choice(idx, size=k, replace=k > len(idx)))
    rows = np.concatenate(picks)
    return pool.iloc[rows][list(DESIGN_COLUMNS)].reset_index(drop=True)
