"""Sobol indices (Saltelli 2002; Saltelli et al. 2010) and Morris elementary effects (Morris 1991;
Campolongo, Cariboni & Saltelli 2007), computed by SALib (Herman & Usher 2017) on the per-point
mean over replications."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..experiment import store

__all__ = ["morris_indices", "sobol_indices"]


def _point_means(df: pd.DataFrame, metric: str, n_points: int) -> np.ndarray:
    y = df.groupby("point")[metric].mean().reindex(range(n_points))
    return y.to_numpy(dtype=float)


def _unit_matrix(out_dir: Path, factors: list[str]) -> np.ndarray:
    pts = store.load_runs(out_dir).drop_duplicates("point").sort_values("point")
    return pts[[f"u.{f}" for f in factors]].to_numpy(dtype=float)


def _sensitivity_inputs(out_dir: Path, metric: str, df: pd.DataFrame | None):
    """Manifest, factor names, per-point means of ``metric`` and the SALib problem (factors on
    their normalised range [0, 1]); ValueError when a design point has no value."""
    man = store.read_manifest(out_dir)
    factors = man["design"]["factors"]
    df = store.load(out_dir) if df is None else df
    y = _point_means(df, metric, man["design"]["points"])
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{metric}: {int((~np.isfinite(y)).sum())} design points have no value")
    problem = {"num_vars": len(factors), "names": factors, "bounds": [[0.0, 1.0]] * len(factors)}
    return man, factors, y, problem


def sobol_indices(out_dir: str | Path, metric: str, df: pd.DataFrame | None = None) -> pd.DataFrame:
    """First-order and total Sobol indices (with 95% bootstrap half-widths) of ``metric``.

    Uses the per-point mean over replications. Raises ValueError when a point has no value.
    """
    from SALib.analyze import sobol

    out_dir = Path(out_dir)
    man, factors, y, problem = _sensitivity_inputs(out_dir, metric, df)
    design = man["spec"]["design"]
    res = sobol.analyze(
        problem,
        y,
        calc_second_order=bool(design.get("second_order")),
        seed=man["root_seed"],
    )
    return pd.DataFrame(
        {
            "factor": factors,
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    )


def morris_indices(
    out_dir: str | Path, metric: str, df: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Morris mu* (with 95% CI half-width), mu and sigma of ``metric`` per factor.

    Elementary effects are per unit of the factor's normalised range [0, 1], so factors are
    comparable.
    """
    from SALib.analyze import morris

    out_dir = Path(out_dir)
    man, factors, y, problem = _sensitivity_inputs(out_dir, metric, df)
    x = _unit_matrix(out_dir, factors)
    res = morris.analyze(
        problem, x, y, num_levels=man["spec"]["design"]["levels"], seed=man["root_seed"]
    )
    return pd.DataFrame(
        {
            "factor": factors,
            "mu_star": res["mu_star"],
            "mu_star_conf": res["mu_star_conf"],
            "mu": res["mu"],
            "sigma": res["sigma"],
        }
    )
