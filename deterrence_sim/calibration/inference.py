"""Bayesian indirect inference for the two-stage deterrence core (docs/calibration.md).

The auxiliary models are the logits of :mod:`deterrence_sim.data.auxiliary`, fitted to the data
and to dyad-years simulated by the model (:mod:`.dyadsim`) on the same covariates with common
random numbers. The data's auxiliary estimate ``b`` is asymptotically normal around the binding
function ``b(θ)`` with the cluster-robust covariance ``Σ``; the simulated estimate from ``R``
stacked replicates adds ``Σ/R``. The posterior is then

    p(θ | b) ∝ prior(θ) · N(b; b_sim(θ), Σ (1 + 1/R))

— the indirect-inference likelihood of Gallant & McCulloch (2009) and Drovandi, Pettitt & Lee
(2015, "Bayesian indirect inference using a parametric auxiliary model"), sampled with an
adaptive random-walk Metropolis chain (Haario, Saksman & Tamminen 2001) started at its mode
(Nelder–Mead). We chose it over ABC-SMC and BOLFI because the simulator here is cheap (a
vectorised pass over the panel's dyad-years and one Newton logit, a fraction of a second), so the
likelihood can be evaluated exactly where ABC would need a tolerance and a surrogate would add
its own error; priors are flat over boxes wider than the schema allows nothing outside of.

Stage 1 (challenge: general deterrence) is sampled first; stage 2 (escalation of a challenge to
war: immediate deterrence) is sampled given stage 1's posterior median, on the challenges that
stage simulates — the selection between the stages (Fearon 1994; Signorino & Tarar 2006) is the
model's own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from .dyadsim import Draws, DyadYears, simulate

__all__ = [
    "STAGE1",
    "STAGE2",
    "Parameter",
    "StageFit",
    "aux_statistics",
    "world_with",
]

#: Terms of the auxiliary logits the model can speak to (matched by indirect inference).
CHALLENGE_TERMS = (
    "log_capability_ratio",
    "target_pact",
    "contiguous",
    "rivalry",
    "recent_disputes",
    "t",
    "t2",
    "t3",
    "claim",
    "declining",
)
ESCALATION_TERMS = ("log_capability_ratio", "target_pact", "contiguous", "declining")


@dataclass(frozen=True)
class Parameter:
    """A calibrated World parameter: its name, the scale it is searched on, its prior box."""

    name: str
    lo: float
    hi: float
    logit: bool = False  # searched as log-odds (probabilities)

    def to_search(self, value: float) -> float:
        return math.log(value / (1 - value)) if self.logit else value

    def from_search(self, z: float) -> float:
        return 1 / (1 + math.exp(-z)) if self.logit else z

    def in_prior(self, z: float) -> bool:
        v = self.from_search(z)
        return self.lo <= v <= self.hi

    def clamp(self, value: float) -> float:
        """The value moved inside the prior box (a start for the search)."""
        return min(max(value, self.lo), self.hi)

    @property
    def proposal_scale(self) -> float:
        """First random-walk step on the search scale (the chain then learns its own)."""
        return 0.1 if self.logit else 0.005 * (self.hi - self.lo)


#: Stage 1: challenge (MID initiation) — priors flat inside the boxes, wider than any value the
#: data support, inside the schema's own bounds.
STAGE1 = (
    Parameter("challenge_base_rate", 1e-5, 0.5, logit=True),
    Parameter("challenge_sharpness", 0.0, 60.0),
    Parameter("peace_weight", -5.0, 10.0),
    Parameter("recent_weight", -2.0, 5.0),
    Parameter("claim_weight", -2.0, 5.0),
    Parameter("contiguity_weight", -2.0, 6.0),
    Parameter("rivalry_weight", -2.0, 6.0),
)
#: Stage 2: escalation of a challenge to war, the declining side's preventive motive (the data show
#: it at this stage only: docs/deterrence-data.md) and the partner's resolve (Fearon's cbar, which
#: sets how often a demand is resisted; the data's "use of force" in a MID is not the model's
#: resisted demand, so only war given a challenge is matched and cbar is weakly identified).
STAGE2 = (
    Parameter("escalation_base_rate", 1e-4, 0.99, logit=True),
    Parameter("escalation_sharpness", 0.0, 60.0),
    Parameter("preventive_weight", -3.0, 5.0),
    Parameter("partner_resolve", 0.31, 2.0),
)


def world_with(base, values: dict[str, float]):
    """A World with these parameter values (validated like any scenario's)."""
    return base.model_copy(update=values)


@dataclass
class SimFrame:
    """A sample's covariates, replicated ``reps`` times, with its common random numbers and the
    auxiliary logits' design matrices (built once: only the simulated outcomes change)."""

    frame: pd.DataFrame
    dyads: DyadYears
    draws: Draws
    x_challenge: np.ndarray
    x_escalation: np.ndarray

    @classmethod
    def make(cls, sample: pd.DataFrame, reps: int, seed: int) -> SimFrame:
        stacked = pd.concat([sample] * reps, ignore_index=True)
        ones = np.ones((len(stacked), 1))
        return cls(
            stacked,
            DyadYears.from_frame(stacked),
            Draws.make(len(stacked), seed),
            np.hstack([ones, stacked[list(CHALLENGE_TERMS)].to_numpy(dtype=float)]),
            np.hstack([ones, stacked[list(ESCALATION_TERMS)].to_numpy(dtype=float)]),
        )

    def outcomes(self, world) -> pd.DataFrame:
        """The sample's covariates with simulated ``challenge``, ``force`` and ``war``."""
        out = self.frame.drop(columns=["challenge", "force", "war"], errors="ignore").copy()
        sim = simulate(self.dyads, world, self.draws)
        for c in sim.columns:
            out[c] = sim[c].to_numpy()
        return out

    def statistics(self, stage: str, world) -> tuple[pd.Series, int]:
        """The stage's auxiliary statistics on simulated outcomes (fast path), and its events."""
        sim = simulate(self.dyads, world, self.draws)
        from ..data.auxiliary import newton_logit

        if stage == "challenge":
            y = sim["challenge"].to_numpy()
            beta, _, _ = newton_logit(self.x_challenge, y)
            return pd.Series(beta, index=["const", *CHALLENGE_TERMS]), int(y.sum())
        mask = sim["challenge"].to_numpy() == 1
        y = sim["war"].to_numpy()[mask]
        beta, _, _ = newton_logit(self.x_escalation[mask], y)
        return pd.Series(beta, index=["const", *ESCALATION_TERMS]), int(y.sum())


def aux_statistics(frame: pd.DataFrame, stage: str, cluster: str | None = None):
    """(coefficients, covariance, n events) of one stage's auxiliary logit on a frame."""
    from ..data.auxiliary import fit_auxiliary

    terms = CHALLENGE_TERMS if stage == "challenge" else ESCALATION_TERMS
    fitted = fit_auxiliary(frame, stage, terms=terms, cluster=cluster)
    params = fitted.params.reindex(["const", *terms])
    cov = fitted.cov.reindex(index=params.index, columns=params.index)
    return params, cov, fitted.events


@dataclass
class StageFit:
    """A stage's posterior: draws (values, not search scale), the mode, the data's statistics."""

    stage: str
    parameters: tuple[Parameter, ...]
    draws: pd.DataFrame
    mode: dict[str, float]
    data_stats: pd.Series
    data_cov: pd.DataFrame
    acceptance: float
    evaluations: int
    notes: list[str] = field(default_factory=list)

    def median(self) -> dict[str, float]:
        return {p.name: float(self.draws[p.name].median()) for p in self.parameters}

    def interval(self, level: float = 0.95) -> dict[str, tuple[float, float]]:
        a = (1 - level) / 2
        return {
            p.name: (
                float(self.draws[p.name].quantile(a)),
                float(self.draws[p.name].quantile(1 - a)),
            )
            for p in self.parameters
        }


def _log_likelihood(stats, target, precision) -> float:
    diff = (stats - target).to_numpy()
    if not np.all(np.isfinite(diff)):
        return -np.inf
    return float(-0.5 * diff @ precision @ diff)


def make_objective(
    stage: str,
    parameters: tuple[Parameter, ...],
    base_world,
    sim: SimFrame,
    target: pd.Series,
    precision: np.ndarray,
) -> Callable[[np.ndarray], float]:
    """log p(θ | b) up to a constant, on the search scale."""

    def logpost(z: np.ndarray) -> float:
        if not all(p.in_prior(v) for p, v in zip(parameters, z, strict=True)):
            return -np.inf
        values = {p.name: p.from_search(v) for p, v in zip(parameters, z, strict=True)}
        try:
            stats, events = sim.statistics(stage, world_with(base_world, values))
        except (ValueError, np.linalg.LinAlgError, FloatingPointError):
            return -np.inf
        if events < 5:
            return -np.inf
        return _log_likelihood(stats, target, precision)

    return logpost


def find_mode(logpost, start: np.ndarray, evaluations: int) -> tuple[np.ndarray, float]:
    """Nelder–Mead on −log posterior from ``start`` (a step function under common random
    numbers: a simplex copes, gradient methods stall)."""
    res = minimize(
        lambda z: -logpost(z),
        start,
        method="Nelder-Mead",
        options={"maxfev": evaluations, "xatol": 1e-3, "fatol": 1e-3, "adaptive": True},
    )
    return res.x, -float(res.fun)


def adaptive_metropolis(
    logpost, start: np.ndarray, iterations: int, seed: int, scale: np.ndarray
) -> tuple[np.ndarray, float]:
    """Adaptive random-walk Metropolis (Haario et al. 2001): the proposal covariance is the
    chain's own, times 2.38²/d, after the first fifth of the iterations."""
    rng = np.random.default_rng(seed)
    d = len(start)
    chain = np.empty((iterations, d))
    z, lp = start.copy(), logpost(start)
    cov = np.diag(scale**2)
    accepted = 0
    adapt_from = max(50, iterations // 5)
    for i in range(iterations):
        if i >= adapt_from and i % 25 == 0:
            cov = np.cov(chain[:i].T) * 2.38**2 / d + np.eye(d) * 1e-8
        proposal = rng.multivariate_normal(z, cov)
        lp_new = logpost(proposal)
        if np.log(rng.random()) < lp_new - lp:
            z, lp = proposal, lp_new
            accepted += 1
        chain[i] = z
    return chain, accepted / iterations
