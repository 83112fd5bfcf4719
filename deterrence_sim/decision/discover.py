"""Scenario discovery: under which conditions does an outcome of interest occur?

Given a sweep (factors and a metric per run) and a condition on the metric (``above`` or
``below`` a value), find a few simple boxes -- ranges of a few factors -- that hold most of the
cases of interest (*coverage*) and little else (*density*) (Bryant & Lempert 2010).

* **PRIM** (Friedman & Fisher 1999), as implemented in the EMA Workbench (Kwakkel 2017):
  peeling then pasting gives a trajectory of nested boxes from "everything" to a small dense box;
  each box on the trajectory has a coverage, a density and a number of restricted factors (the
  coverage-density trade-off). For the chosen box each restriction gets a quasi-p-value (a
  one-sided binomial test of whether dropping it would lower the density, Bryant & Lempert 2010)
  and resampling statistics (how often PRIM on random halves of the data restricts the same
  factor at a box of the same coverage / density, in %).
* **CART** (Breiman et al. 1984; scikit-learn's tree): each leaf of a classification tree is a
  box; leaves with many cases of interest are the candidate scenarios.
* **Feature scores**: extra-trees importances (Geurts et al. 2006; Jaxa-Rozen & Kwakkel 2018) of
  every factor for the condition.

The box chosen by default is the one with the highest coverage among those whose density is at
least ``min_density`` (0.8); ties go to fewer restricted factors. When no box is that dense, the
box with the highest harmonic mean of coverage and density (F1 score) is chosen. ``box=N`` picks
box ``N`` of the trajectory instead.

The EMA Workbench is an optional dependency (``pip install 'deterrence-sim[decision]'``): it
takes ~3 s to import and pulls in seaborn, statsmodels and platypus, which a sweep does not need.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..experiment.posterior import DRAW_COLUMN, drawn_columns
from ..experiment.store import load, metric_columns, read_manifest
from .roles import factor_roles, names_with_role

__all__ = [
    "Discovery",
    "choose_box",
    "discover",
    "discovery_data",
    "feature_scores",
    "run_cart",
    "run_prim",
]

METHODS = ("prim", "cart")

#: Density the default box rule asks for (Bryant & Lempert 2010 report boxes of density >= 0.8).
MIN_DENSITY = 0.8


def _ema(module: str):
    """Import ``ema_workbench.analysis.<module>`` quietly, or say how to install it."""
    import importlib
    import logging

    try:
        with warnings.catch_warnings():
            # ema_workbench warns about its optional parallel back ends on import.
            warnings.simplefilter("ignore")
            mod = importlib.import_module(f"ema_workbench.analysis.{module}")
    except ImportError:
        raise UsageError(
            "scenario discovery needs the EMA Workbench: pip install 'deterrence-sim[decision]'"
        ) from None
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return mod


@dataclass
class Discovery:
    """What :func:`discover` found: the data, the trajectory or leaves, the chosen box."""

    method: str
    metric: str
    condition: str  # e.g. "post_exit_attacks > 0"
    x: pd.DataFrame
    y: np.ndarray  # 1 where the condition holds
    roles: dict[str, str]
    trajectory: pd.DataFrame  # PRIM: one row per box; CART: one row per leaf
    chosen: int
    limits: pd.DataFrame  # the chosen box: one row per restricted factor
    scores: pd.Series  # extra-trees importance of each factor
    dropped: int = 0  # runs left out because the metric was NaN
    notes: list[str] = field(default_factory=list)
    leaf_limits: dict[int, pd.DataFrame] = field(default_factory=dict)  # CART: every leaf

    @property
    def stats(self) -> dict[str, float]:
        row = self.trajectory.loc[self.chosen]
        return {k: float(row[k]) for k in ("coverage", "density", "mass", "res_dim")}


# --- data ---------------------------------------------------------------------------------------


def _as_features(df: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Factor columns as PRIM and CART take them: numbers stay numbers, the rest categories."""
    x = pd.DataFrame(index=df.index)
    for n in names:
        col = df[n]
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            x[n] = col.astype(str).astype("category")  # the workbench's CART needs categories
        elif pd.api.types.is_integer_dtype(col):
            x[n] = col.astype("int64")
        else:
            x[n] = col.astype("float64")
    # A factor held constant cannot bound anything.
    return x[[n for n in names if x[n].nunique() > 1]].reset_index(drop=True)


def discovery_data(
    out_dir: str | Path,
    metric: str,
    above: float | None = None,
    below: float | None = None,
    role: str = "all",
    per_point: bool = False,
) -> tuple[pd.DataFrame, np.ndarray, dict[str, str], int]:
    """(factors, 0/1 cases of interest, roles, runs dropped for NaN) from a results folder.

    ``per_point`` averages the metric over the replications of each design point first (the
    condition then applies to the mean, and each point counts once).
    """
    if (above is None) == (below is None):
        raise UsageError("give exactly one of --above X or --below X")
    df = load(out_dir)
    if df.empty:
        raise UsageError(f"{out_dir}: no finished runs to analyse")
    kept = metric_columns(out_dir, df)
    if metric not in kept:
        raise UsageError(
            f"{out_dir}: no metric {metric!r}; kept metrics: {', '.join(kept) or 'none'}"
        )
    roles = factor_roles(out_dir)
    df, drawn = drawn_columns(df, read_manifest(out_dir))  # a posterior's drawn parameters
    if drawn:
        roles = {
            **{n: r for n, r in roles.items() if n != DRAW_COLUMN},
            **dict.fromkeys(drawn, "uncertainty"),
        }
    names = [n for n in names_with_role(roles, role) if n in df.columns]
    if not names:
        raise UsageError(f"{out_dir}: no factors with role {role!r} (roles: {roles})")
    if per_point:  # a replication's posterior draw is not a trait of the point: left out
        names = [n for n in names if df.groupby("point")[n].nunique(dropna=False).max() <= 1]
        first = df.groupby("point", sort=True)[names].first()
        df = first.assign(**{metric: df.groupby("point", sort=True)[metric].mean()})
    values = df[metric].to_numpy(dtype=float)
    ok = ~np.isnan(values)
    if not ok.any():
        raise UsageError(
            f"{out_dir}: {metric} is undefined (NaN) in every run, so no box can separate its "
            "cases; choose a metric defined in these runs (see docs/metrics.md for when each is "
            "undefined)"
        )
    df, values = df[ok], values[ok]
    y = (values > above) if above is not None else (values < below)
    x = _as_features(df, names)
    if not len(x.columns):
        raise UsageError(f"{out_dir}: every factor with role {role!r} is constant")
    return x, y.astype(int), {n: roles[n] for n in x.columns}, int((~ok).sum())


# --- PRIM ---------------------------------------------------------------------------------------


def _restrictions(
    box_lim: pd.DataFrame, x: pd.DataFrame, qp: dict[str, list[float]] | None
) -> pd.DataFrame:
    """One row per restricted factor: its limits, the data's range, quasi-p-values."""
    rows = []
    for n in x.columns:
        lo, hi = box_lim.loc[0, n], box_lim.loc[1, n]
        if pd.api.types.is_numeric_dtype(x[n]):
            mn, mx = x[n].min(), x[n].max()
            if lo <= mn and hi >= mx:
                continue
            row: dict[str, Any] = {
                "factor": n,
                "lower": float(lo),
                "upper": float(hi),
                "min": float(mn),
                "max": float(mx),
                "categories": "",
            }
        else:
            full = set(x[n].unique())
            if set(lo) >= full:
                continue
            row = {
                "factor": n,
                "lower": math.nan,
                "upper": math.nan,
                "min": math.nan,
                "max": math.nan,
                "categories": ", ".join(sorted(map(str, lo))),
            }
        q = (qp or {}).get(n, [-1, -1])
        row["qp_lower"] = float(q[0]) if q[0] != -1 else math.nan
        row["qp_upper"] = float(q[1]) if q[1] != -1 else math.nan
        rows.append(row)
    cols = ["factor", "lower", "upper", "categories", "min", "max", "qp_lower", "qp_upper"]
    return pd.DataFrame(rows, columns=cols)


def run_prim(
    x: pd.DataFrame,
    y: np.ndarray,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
):
    """PRIM's first box (peeling and pasting) on binary ``y``; the EMA Workbench's PrimBox."""
    prim = _ema("prim")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas deprecation chatter inside the workbench
        alg = prim.Prim(
            x,
            np.asarray(y, dtype=int),
            # The workbench counts y >= threshold as cases of interest and keeps a box only if
            # its density reaches it: a tiny threshold counts the 1s and keeps the trajectory
            # whatever its density (the rule in choose_box picks the box).
            threshold=1e-9,
            peel_alpha=peel_alpha,
            paste_alpha=paste_alpha,
            mass_min=mass_min,
        )
        return alg.find_box()


def _prim_trajectory(box) -> pd.DataFrame:
    t = box.peeling_trajectory[["coverage", "density", "mass", "res_dim", "n", "k"]].copy()
    t.index.name = "box"
    return t.astype({"res_dim": int, "n": int, "k": int})


def choose_box(trajectory: pd.DataFrame, min_density: float = MIN_DENSITY) -> int:
    """The default box (see the module docstring): densest-enough with most coverage, else F1."""
    t = trajectory
    dense = t[t["density"] >= min_density]
    if not dense.empty:
        best = dense.sort_values(["coverage", "res_dim", "density"], ascending=[False, True, False])
        return int(best.index[0])
    f1 = 2 * t["coverage"] * t["density"] / (t["coverage"] + t["density"]).replace(0, np.nan)
    return int(f1.fillna(0).idxmax())


def _resample(box, i: int, iterations: int, seed: int) -> pd.DataFrame:
    """How often PRIM on random halves restricts each factor (%), near box ``i``'s statistics."""
    state = np.random.get_state()  # noqa: NPY002 - the workbench uses the global generator
    np.random.seed(seed)  # noqa: NPY002 - its halves come from numpy's global generator
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores = box.resample(i, iterations=iterations)
    finally:
        np.random.set_state(state)  # noqa: NPY002
    return scores.rename(
        columns={
            "reproduce coverage": "reproduce_coverage",
            "reproduce density": "reproduce_density",
        }
    )


# --- CART ---------------------------------------------------------------------------------------


_SEP = "\x1f"  # joins a categorical factor's name and a category in one-hot column names


def _one_hot(x: pd.DataFrame) -> pd.DataFrame:
    """Numbers as they are, one 0/1 column per category of the others."""
    return pd.get_dummies(x, prefix_sep=_SEP).astype(float)


def run_cart(x: pd.DataFrame, y: np.ndarray, mass_min: float = 0.05, seed: int = 0):
    """A classification tree (leaves of at least ``mass_min`` of the data), scikit-learn's CART.

    Categorical factors enter one-hot; a split on a category's column keeps or drops that
    category. (The workbench's CART wrapper is not used: with categorical factors its leaves
    come out empty.)
    """
    from sklearn.tree import DecisionTreeClassifier

    dummies = _one_hot(x)
    clf = DecisionTreeClassifier(min_samples_leaf=max(1, int(mass_min * len(x))), random_state=seed)
    clf.fit(dummies.to_numpy(), np.asarray(y, dtype=int))
    return clf, dummies


def _leaf_bounds(clf, columns: list[str], x: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """Leaf node -> {factor: (low, high) or set of categories} along its path from the root."""
    tree = clf.tree_
    leaves: dict[int, dict[str, Any]] = {}
    stack: list[tuple[int, dict[str, Any]]] = [(0, {})]
    while stack:
        node, bounds = stack.pop()
        left_child, right_child = tree.children_left[node], tree.children_right[node]
        if left_child == -1:
            leaves[node] = bounds
            continue
        col, thr = columns[tree.feature[node]], float(tree.threshold[node])
        left, right = dict(bounds), dict(bounds)
        if _SEP in col:  # the 0/1 column of one category: left drops it, right keeps only it
            name, cat = col.split(_SEP, 1)
            allowed = bounds.get(name, set(x[name].astype(str).unique()))
            left[name], right[name] = allowed - {cat}, allowed & {cat}
        else:
            lo, hi = bounds.get(col, (-math.inf, math.inf))
            left[col], right[col] = (lo, min(hi, thr)), (max(lo, thr), hi)
        stack += [(left_child, left), (right_child, right)]
    return dict(sorted(leaves.items()))


def _cart_leaves(clf, dummies: pd.DataFrame, x: pd.DataFrame, y: np.ndarray):
    """Every leaf as a box: its statistics and its limits (one row per restricted factor)."""
    member = clf.apply(dummies.to_numpy())
    n_coi = max(int(np.sum(y)), 1)
    rows, limits = [], {}
    for i, (node, bounds) in enumerate(_leaf_bounds(clf, list(dummies.columns), x).items()):
        inside = member == node
        table = []
        for name, b in bounds.items():
            if isinstance(b, set):
                table.append(
                    {
                        "factor": name,
                        "lower": math.nan,
                        "upper": math.nan,
                        "categories": ", ".join(sorted(b)),
                        "min": math.nan,
                        "max": math.nan,
                    }
                )
            else:
                mn, mx = float(x[name].min()), float(x[name].max())
                table.append(
                    {
                        "factor": name,
                        "lower": max(b[0], mn),
                        "upper": min(b[1], mx),
                        "categories": "",
                        "min": mn,
                        "max": mx,
                    }
                )
        cols = ["factor", "lower", "upper", "categories", "min", "max"]
        limits[i] = pd.DataFrame(table, columns=cols)
        rows.append(
            {
                "coverage": float(np.sum(y[inside])) / n_coi,
                "density": float(np.mean(y[inside])),
                "mass": float(np.mean(inside)),
                "res_dim": len(table),
            }
        )
    t = pd.DataFrame(rows)
    t.index.name = "box"
    return t, limits


# --- feature scores -----------------------------------------------------------------------------


def feature_scores(x: pd.DataFrame, y: np.ndarray, seed: int = 0) -> pd.Series:
    """Extra-trees importance of each factor for the condition (sums to 1), highest first."""
    from sklearn.ensemble import ExtraTreesClassifier

    # One-hot categories; a factor's score is the sum over its dummies.
    dummies = _one_hot(x)
    owner = [c.split(_SEP)[0] for c in dummies.columns]
    # max_features = D/3 follows Jaxa-Rozen & Kwakkel (2018); 100 trees as the workbench's default.
    clf = ExtraTreesClassifier(
        n_estimators=100,
        max_features=max(1, round(len(x.columns) / 3)),
        random_state=seed,
        n_jobs=1,
    )
    clf.fit(dummies.to_numpy(dtype=float), np.asarray(y, dtype=int))
    s = pd.Series(clf.feature_importances_, index=owner).groupby(level=0).sum()
    return s.sort_values(ascending=False).rename("importance")


# --- the whole analysis -------------------------------------------------------------------------


def discover(
    out_dir: str | Path,
    metric: str,
    above: float | None = None,
    below: float | None = None,
    method: str = "prim",
    box: int | None = None,
    min_density: float = MIN_DENSITY,
    role: str = "all",
    per_point: bool = False,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
    resamples: int = 10,
    seed: int = 0,
) -> Discovery:
    """Find where ``metric`` is above (or below) a value in the sweep at ``out_dir``."""
    if method not in METHODS:
        raise UsageError(f"--method {method!r}: allowed: {', '.join(METHODS)}")
    x, y, roles, dropped = discovery_data(out_dir, metric, above, below, role, per_point)
    condition = f"{metric} > {above:g}" if above is not None else f"{metric} < {below:g}"
    notes = []
    if dropped:
        notes.append(f"{dropped} runs left out: {metric} is undefined (NaN) for them.")
    if y.sum() == 0 or y.sum() == len(y):
        raise UsageError(
            f"{out_dir}: {condition} holds in {int(y.sum())} of {len(y)} runs: "
            "nothing to discover (choose another threshold)"
        )
    scores = feature_scores(x, y, seed=seed)
    if method == "prim":
        prim_box = run_prim(x, y, peel_alpha=peel_alpha, mass_min=mass_min)
        trajectory = _prim_trajectory(prim_box)
        chosen = choose_box(trajectory, min_density) if box is None else box
        if not 0 <= chosen < len(trajectory):
            raise UsageError(f"--box {box}: the trajectory has boxes 0 to {len(trajectory) - 1}")
        limits = _restrictions(prim_box.box_lims[chosen], x, prim_box.qp[chosen])
        if resamples and len(limits):
            res = _resample(prim_box, chosen, resamples, seed)
            limits = limits.merge(res, left_on="factor", right_index=True, how="left")
        leaf_limits: dict[int, pd.DataFrame] = {}
    else:
        clf, dummies = run_cart(x, y, mass_min=mass_min, seed=seed)
        trajectory, leaf_limits = _cart_leaves(clf, dummies, x, y)
        chosen = choose_box(trajectory, min_density) if box is None else box
        if not 0 <= chosen < len(trajectory):
            raise UsageError(f"--box {box}: the tree has leaves 0 to {len(trajectory) - 1}")
        limits = leaf_limits[chosen]
    limits.insert(1, "role", [roles.get(f, "") for f in limits["factor"]])
    return Discovery(
        method=method,
        metric=metric,
        condition=condition,
        x=x,
        y=y,
        roles=roles,
        trajectory=trajectory,
        chosen=chosen,
        limits=limits,
        scores=scores,
        dropped=dropped,
        notes=notes,
        leaf_limits=leaf_limits,
    )


def in_box(x: pd.DataFrame, limits: pd.DataFrame) -> np.ndarray:
    """Which rows of ``x`` fall inside a box given as :attr:`Discovery.limits`."""
    inside = np.ones(len(x), dtype=bool)
    for _, r in limits.iterrows():
        col = x[r["factor"]]
        if r["categories"]:
            inside &= col.astype(str).isin(r["categories"].split(", ")).to_numpy()
        else:
            inside &= ((col >= r["lower"]) & (col <= r["upper"])).to_numpy()
    return inside
