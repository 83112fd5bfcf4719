"""Plots of experiment results: a lever with CI bands, a heatmap over two levers, yearly series,
sensitivity indices. Axes are labelled from the metric registry (label and unit)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..metrics import axis_label
from .summaries import ci_summary, factor_levels

__all__ = ["is_numeric_levels", "plot_heatmap", "plot_indices", "plot_lever", "plot_timeseries"]


def _label_axes(ax, xlabel: str, ylabel: str, title: str, legend: bool) -> None:
    """Labels, title, an optional legend and a light grid: the finish of every CI plot."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if legend:
        ax.legend(fontsize="small")
    ax.grid(alpha=0.3)


def is_numeric_levels(levels: list) -> bool:
    """Whether every level is a number (then the x axis is numeric, not categorical)."""
    return all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
        for v in levels
    )


def plot_lever(
    df: pd.DataFrame,
    metric: str,
    x: str,
    hue: str | None = None,
    level: float = 0.95,
    x_levels: list | None = None,
    hue_levels: list | None = None,
    ax=None,
    bounded: bool = False,
):
    """Mean of ``metric`` against lever ``x`` with a CI band, one line per level of ``hue``.

    Other factors are averaged over (marginal means: each level pools its runs). ``bounded``: see
    :func:`~deterrence_sim.analysis.ci_summary`.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    xs = factor_levels(df, x, x_levels)
    numeric = is_numeric_levels(xs)
    pos = {v: (float(v) if numeric else i) for i, v in enumerate(xs)}
    groups = (
        [(None, df)]
        if hue is None
        else [(h, df[df[hue] == h]) for h in factor_levels(df, hue, hue_levels)]
    )
    for h, sub in groups:
        s = ci_summary(sub, x, [metric], level, bounded)
        s = s.set_index(x).reindex(xs).dropna(subset=[f"{metric}_mean"])
        px = [pos[v] for v in s.index]
        label = None if h is None else f"{hue} = {h}"
        line = ax.plot(px, s[f"{metric}_mean"], marker="o", label=label)[0]
        ax.fill_between(
            px, s[f"{metric}_lo"], s[f"{metric}_hi"], alpha=0.2, color=line.get_color(), lw=0
        )
    if not numeric:
        ax.set_xticks(range(len(xs)), [str(v) for v in xs])
    title = f"{axis_label(metric)} vs {x} (mean, {level:.0%} CI)"
    _label_axes(ax, x, axis_label(metric), title, legend=hue is not None)
    return ax


def plot_heatmap(
    df: pd.DataFrame,
    metric: str,
    x: str,
    y: str,
    x_levels: list | None = None,
    y_levels: list | None = None,
    ax=None,
):
    """Mean of ``metric`` over two levers (other factors averaged over), values annotated."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    xs = factor_levels(df, x, x_levels)
    ys = factor_levels(df, y, y_levels)
    table = df.groupby([y, x], sort=False)[metric].mean().unstack(x)
    vals = table.reindex(index=ys, columns=xs).to_numpy(dtype=float)
    im = ax.imshow(vals, aspect="auto", origin="lower", cmap="viridis")
    ax.set_xticks(range(len(xs)), [str(v) for v in xs])
    ax.set_yticks(range(len(ys)), [str(v) for v in ys])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    finite = vals[np.isfinite(vals)]
    mid = (finite.min() + finite.max()) / 2 if finite.size else 0
    for (i, j), v in np.ndenumerate(vals):
        if np.isfinite(v):
            colour = "black" if v > mid else "white"
            ax.text(j, i, f"{v:.3g}", ha="center", va="center", fontsize=7, color=colour)
    ax.figure.colorbar(im, ax=ax, label=axis_label(metric))
    ax.set_title(f"{axis_label(metric)}: mean over {y} × {x}")
    return ax


def plot_timeseries(
    ts: pd.DataFrame,
    column: str,
    by: str | None = None,
    by_levels: list | None = None,
    ax=None,
    bounded: bool = False,
):
    """Mean yearly ``column`` across runs, one line per level of ``by`` (95% CI band)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4))
    groups = (
        [(None, ts)]
        if by is None
        else [(lv, ts[ts[by] == lv]) for lv in factor_levels(ts, by, by_levels)]
    )
    for lv, sub in groups:
        s = ci_summary(sub, "year", [column], bounded=bounded).sort_values("year")
        line = ax.plot(s["year"], s[f"{column}_mean"], label=None if lv is None else f"{by} = {lv}")
        ax.fill_between(
            s["year"],
            s[f"{column}_lo"],
            s[f"{column}_hi"],
            alpha=0.2,
            color=line[0].get_color(),
            lw=0,
        )
    label = axis_label(column, yearly=True)
    _label_axes(ax, "year", label, f"{label} by year (mean, 95% CI)", legend=by is not None)
    return ax


def plot_indices(indices: pd.DataFrame, metric: str = "", ax=None):
    """Bar chart of Sobol S1/ST with confidence bars, or a Morris tornado of mu* (and sigma)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.35 * len(indices) + 1.5))
    if "ST" in indices:
        d = indices.sort_values("ST")
        yy = np.arange(len(d))
        ax.barh(yy - 0.2, d["ST"], 0.4, xerr=d["ST_conf"], label="total (ST)", capsize=2)
        ax.barh(yy + 0.2, d["S1"], 0.4, xerr=d["S1_conf"], label="first order (S1)", capsize=2)
        ax.set_xlabel("Sobol index")
    else:
        d = indices.sort_values("mu_star")
        yy = np.arange(len(d))
        ax.barh(yy - 0.2, d["mu_star"], 0.4, xerr=d["mu_star_conf"], label="μ*", capsize=2)
        ax.barh(yy + 0.2, d["sigma"], 0.4, label="σ", alpha=0.6)
        ax.set_xlabel("elementary effect (per unit of normalised range)")
    ax.set_yticks(yy, d["factor"])
    ax.axvline(0, color="black", lw=0.5)
    ax.legend(fontsize="small", loc="lower right")
    ax.set_title(f"Sensitivity of {axis_label(metric)}" if metric else "Sensitivity")
    ax.grid(alpha=0.3, axis="x")
    return ax
