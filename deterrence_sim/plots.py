"""Figures of a single run (the multi-panel `run.png`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # files only; the dashboard draws its own figures
import matplotlib.pyplot as plt

from .metrics import exit_year

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .run import RunResult

PANELS = [
    ("partner_capability", "Partner capability (points)"),
    ("governance", "Governance G"),
    ("readiness", "Readiness"),
    ("dependency", "Dependency on donor upkeep"),
    ("aggressor_capability", "Aggressor capability (points)"),
    ("aid", "Aid delivered ($bn/yr)"),
]


def plot_run(result: RunResult) -> Figure:
    """Six panels of the main series; wars (red) and the exit year (dashed) marked on each."""
    ts = result.timeseries
    fig, axes = plt.subplots(3, 2, figsize=(11, 8.5), sharex=True)
    war_years = ts.loc[ts["wars"] > 0, "year"].tolist()
    insurgent_years = ts.loc[(ts["attacks"] > ts["wars"]), "year"].tolist()
    ev = result.events
    early = ev.loc[(ev["kind"] == "exit") & (ev["actors"].str.count(",") == 0), "year"].tolist()
    exit_at = exit_year(ts.loc[ts["year"] >= 1, "aid"], ts.loc[ts["year"] >= 1, "year"])
    for ax, (col, title) in zip(axes.flat, PANELS, strict=True):
        ax.plot(ts["year"], ts[col], color="#1f4e79", lw=1.8)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
        for y in war_years:
            ax.axvline(y, color="#c0392b", alpha=0.5, lw=1.2)
        for y in insurgent_years:
            ax.axvline(y, color="#e67e22", alpha=0.35, lw=1.0, ls=":")
        for y in early:
            ax.axvline(y, color="black", lw=1.2, ls="-.")
        if exit_at is not None:
            ax.axvline(exit_at, color="black", lw=1.2, ls="--")
    for ax in axes[-1]:
        ax.set_xlabel("year")
    handles = [
        plt.Line2D([], [], color="#c0392b", alpha=0.6, label="war"),
        plt.Line2D([], [], color="#e67e22", ls=":", label="insurgent attack"),
        plt.Line2D([], [], color="black", ls="--", label="aid ends (exit)"),
        plt.Line2D([], [], color="black", ls="-.", label="early exit"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False)
    fig.suptitle(f"{result.scenario.name} — seed {result.seed}, {result.years} years")
    fig.tight_layout(rect=(0, 0.04, 1, 0.97))
    return fig
