"""Simulated method of moments through a Gaussian-process emulator.

The moments are the yearly hazards of war and of coercion in the strata of the fit sample; the
distance is ``sum_j (sim_j - emp_j)^2 / var_j`` with ``var_j`` the binomial variance of the
empirical hazard (inverse-variance weights, so a stratum with few dyad-years counts less; the
rate is shrunk as ``(k+1)/(n+2)`` so a stratum without events does not get infinite weight).

A simulated hazard is a count of rare events: with common random numbers it is still a step
function of the parameters, which derivative-free searches handle badly. So the simulator is run
on a space-filling design (scrambled Sobol points, ``scipy.stats.qmc``), a Gaussian process
(scikit-learn, anisotropic RBF + white noise) is fitted to each outcome's log hazards across
strata, and the emulated distance is minimised (a dense Sobol screen, then L-BFGS-B from the best
points). A second, local design around the first minimum refines the emulator (history matching
in waves: Craig et al. 1997; Vernon, Goldstein & Bower 2010). Parameter uncertainty: a cluster
bootstrap of the empirical moments (resampling rivalries) re-minimised on the emulator gives
percentile intervals; this ignores emulator error and is therefore a lower bound.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "PARAMETERS",
    "Emulator",
    "Parameter",
    "design",
    "fit_emulator",
    "minimise",
    "moment_weights",
    "to_world",
]


@dataclass(frozen=True)
class Parameter:
    """A fitted World parameter and its search box (searched on a log scale when ``log``)."""

    name: str
    lo: float
    hi: float
    log: bool
    why: str

    def from_unit(self, u: np.ndarray | float) -> np.ndarray | float:
        if self.log:
            return np.exp(
                math.log(self.lo) + np.asarray(u) * (math.log(self.hi) - math.log(self.lo))
            )
        return self.lo + np.asarray(u) * (self.hi - self.lo)

    def to_unit(self, x: float) -> float:
        if self.log:
            return (math.log(x) - math.log(self.lo)) / (math.log(self.hi) - math.log(self.lo))
        return (x - self.lo) / (self.hi - self.lo)


#: The deterrence core fitted to the panel (the rest of the model keeps its documented values).
PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "attack_base_rate",
        1e-4,
        0.05,
        True,
        "level of war initiation: the yearly attack probability at EU = threshold",
    ),
    Parameter(
        "attack_sharpness",
        0.1,
        20.0,
        True,
        "how war initiation rises with the expected utility, hence with the capability ratio "
        "and with the expected intervention of a pact",
    ),
    Parameter(
        "coercion_rate",
        0.005,
        0.5,
        True,
        "level of coercion (any MID initiation short of an attack decision)",
    ),
    Parameter(
        "coercion_band",
        0.0,
        2.0,
        False,
        "how far below the threshold coercion starts, hence how coercion depends on the balance",
    ),
)


def to_world(u: Sequence[float]) -> dict[str, float]:
    """World overrides for a point of the unit cube."""
    return {p.name: float(p.from_unit(x)) for p, x in zip(PARAMETERS, u, strict=True)}


def design(
    n: int, seed: int, centre: Sequence[float] | None = None, half: float = 0.5
) -> np.ndarray:
    """``n`` scrambled Sobol points in the unit cube, or in a box of half-width ``half`` around
    ``centre`` (clipped to the cube)."""
    from scipy.stats import qmc

    pts = qmc.Sobol(len(PARAMETERS), scramble=True, seed=seed).random(n)
    if centre is None:
        return pts
    c = np.asarray(centre, dtype=float)
    lo, hi = np.clip(c - half, 0, 1), np.clip(c + half, 0, 1)
    return lo + pts * (hi - lo)


def moment_weights(emp: pd.DataFrame) -> np.ndarray:
    """Inverse binomial variance of each empirical hazard, from the shrunk rate (k+1)/(n+2)."""
    k, n = emp["events"].to_numpy(float), emp["dyad_years"].to_numpy(float)
    p = (k + 1) / (n + 2)
    return n / (p * (1 - p))


def _log_hazard(k: np.ndarray, n: np.ndarray) -> np.ndarray:
    # Log of the shrunk rate keeps strata without simulated events finite.
    return np.log((k + 0.5) / (n + 1))


class Emulator:
    """One Gaussian process per outcome, fitted to the log simulated hazards of all strata."""

    def __init__(self, keys: list[tuple[str, str, str]]):
        self.keys = keys  # (stratum, sample, outcome), the columns of the predictions
        self.models: dict[str, object] = {}
        self.columns: dict[str, np.ndarray] = {}

    def predict(self, u: np.ndarray) -> np.ndarray:
        """Emulated hazards, shape (points, len(keys))."""
        u = np.atleast_2d(u)
        out = np.empty((u.shape[0], len(self.keys)))
        for outcome, gp in self.models.items():
            out[:, self.columns[outcome]] = np.exp(gp.predict(u))
        return out


def fit_emulator(points: np.ndarray, sims: list[pd.DataFrame], seed: int = 0) -> Emulator:
    """Fit the emulator to simulated hazards (``sims[i]`` from ``simulate_hazards`` at
    ``points[i]``)."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

    first = sims[0]
    keys = list(zip(first["stratum"], first["sample"], first["outcome"], strict=True))
    emu = Emulator(keys)
    k = np.stack([s["sim_events"].to_numpy(float) for s in sims])
    n = np.stack([s["sim_dyad_years"].to_numpy(float) for s in sims])
    y = _log_hazard(k, n)
    for outcome in ("war", "coercion"):
        cols = np.flatnonzero(first["outcome"].to_numpy() == outcome)
        kernel = ConstantKernel(1.0, (1e-2, 1e2)) * RBF(
            np.full(points.shape[1], 0.3), (1e-2, 1e2)
        ) + WhiteKernel(0.05, (1e-4, 1.0))
        gp = GaussianProcessRegressor(
            kernel, normalize_y=True, n_restarts_optimizer=2, random_state=seed
        )
        with warnings.catch_warnings():
            # A length scale at its upper bound means the hazards do not depend on that
            # parameter (e.g. coercion on the attack sharpness): a finding, not a failure.
            warnings.simplefilter("ignore", ConvergenceWarning)
            gp.fit(points, y[:, cols])
        emu.models[outcome] = gp
        emu.columns[outcome] = cols
    return emu


def objective(pred: np.ndarray, target: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted squared distance for each row of ``pred`` (emulated hazards of the moments)."""
    return ((pred - target) ** 2 * weights).sum(axis=1)


def minimise(
    emu: Emulator,
    moments: np.ndarray,
    target: np.ndarray,
    weights: np.ndarray,
    screen: np.ndarray,
    polish: int = 4,
) -> tuple[np.ndarray, float]:
    """The unit-cube point minimising the emulated distance over ``moments`` (column indices):
    best of a screen of points, polished with L-BFGS-B (scipy) from the ``polish`` best."""
    from scipy.optimize import minimize

    def f(u: np.ndarray) -> float:
        return float(objective(emu.predict(u)[:, moments], target, weights)[0])

    values = objective(emu.predict(screen)[:, moments], target, weights)
    best_u, best_f = screen[int(np.argmin(values))], float(values.min())
    for i in np.argsort(values)[:polish]:
        res = minimize(f, screen[i], method="L-BFGS-B", bounds=[(0.0, 1.0)] * screen.shape[1])
        if res.fun < best_f:
            best_u, best_f = np.clip(res.x, 0, 1), float(res.fun)
    return best_u, best_f


def curvature_se(
    emu: Emulator,
    moments: np.ndarray,
    target: np.ndarray,
    weights: np.ndarray,
    u: np.ndarray,
    h: float = 0.02,
) -> np.ndarray:
    """Approximate standard errors in the unit cube from the curvature of the emulated distance
    (J/2 is the minimum-distance objective; its Hessian's inverse is the asymptotic covariance
    under inverse-variance weights). NaN where the Hessian is not positive definite."""
    d = len(u)

    def f(x: np.ndarray) -> float:
        return float(objective(emu.predict(np.clip(x, 0, 1))[:, moments], target, weights)[0]) / 2

    hess = np.empty((d, d))
    f0 = f(u)
    for i in range(d):
        for j in range(i, d):
            ei, ej = np.eye(d)[i] * h, np.eye(d)[j] * h
            if i == j:
                val = (f(u + ei) - 2 * f0 + f(u - ei)) / h**2
            else:
                val = (f(u + ei + ej) - f(u + ei - ej) - f(u - ei + ej) + f(u - ei - ej)) / (
                    4 * h**2
                )
            hess[i, j] = hess[j, i] = val
    try:
        cov = np.linalg.inv(hess)
        var = np.diag(cov)
        return np.where(var > 0, np.sqrt(np.abs(var)), np.nan)
    except np.linalg.LinAlgError:
        return np.full(d, np.nan)
