"""One figure per stylized fact: what each analysis asks to be drawn, and the drawing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .arms import ExperimentResult
from .worlds import SUNSET

__all__ = ["Curves", "EffectLine", "Trajectories", "save_figure"]

#: (estimate, (lo, hi), n) as the statistics module returns it.
Interval = tuple[float, tuple[float, float], int]


@dataclass(kw_only=True)
class EffectLine:
    """A paired effect (with its 95% CI band) against a level of the experiment."""

    effects: dict[float, Interval]
    xlabel: str
    ylabel: str
    title: str

    def draw(self, ax) -> None:
        xs = list(self.effects)
        ax.plot(xs, [self.effects[x][0] for x in xs], marker="o")
        ax.fill_between(
            xs,
            [self.effects[x][1][0] for x in xs],
            [self.effects[x][1][1] for x in xs],
            alpha=0.25,
            label="95% CI",
        )
        ax.axhline(0, color="grey", lw=0.8)


@dataclass(kw_only=True)
class Trajectories:
    """Mean yearly trajectories of a column in some arms (±1.96 standard errors over seeds)."""

    result: ExperimentResult
    arms: list[str]
    column: str
    ylabel: str
    title: str
    xlabel: str = "year"

    def draw(self, ax) -> None:
        for arm in self.arms:
            tr = self.result.trajectory(arm, self.column)
            m = np.nanmean(tr, axis=0)
            se = np.nanstd(tr, axis=0, ddof=1) / math.sqrt(max(tr.shape[0], 1))
            years = np.arange(tr.shape[1])
            ax.plot(years, m, label=arm.replace("_", " "))
            ax.fill_between(years, m - 1.96 * se, m + 1.96 * se, alpha=0.2)
        if any("cliff" in a or "taper" in a for a in self.arms):
            ax.axvline(SUNSET, color="grey", ls="--", lw=0.8)


@dataclass(kw_only=True)
class Curves:
    """Means with 95% CIs against a level, one curve per commitment."""

    curves: dict[str, dict[float, Interval]]
    xlabel: str
    ylabel: str
    title: str

    def draw(self, ax) -> None:
        for label, pts in self.curves.items():
            xs = list(pts)
            ax.plot(xs, [pts[x][0] for x in xs], marker="o", label=f"commitment: {label}")
            ax.fill_between(xs, [pts[x][1][0] for x in xs], [pts[x][1][1] for x in xs], alpha=0.2)


Figure = EffectLine | Trajectories | Curves


def figure_file(name: str) -> str:
    """The file name of a fact's figure."""
    return f"{name}.png"


def save_figure(figure: Figure, path: Path) -> None:
    """Draw ``figure`` with its labels and save it as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    figure.draw(ax)
    ax.set_xlabel(figure.xlabel)
    ax.set_ylabel(figure.ylabel)
    ax.set_title(figure.title, fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
