"""Write what a robust search found: ``optimize.md`` and its figures.

* ``figures/convergence.png`` -- hypervolume of the non-dominated set by generation;
* ``figures/parallel.png`` -- parallel coordinates of the Pareto policies: levers, then
  objectives, each axis scaled to its range over the Pareto set (labels give the range), the
  chosen policy drawn in red (Inselberg 1985; as in Kasprzyk et al. 2013).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..markdown import frame_table

__all__ = ["plot_convergence", "plot_parallel", "write_optimize_report"]


def plot_convergence(history: pd.DataFrame, normalised: bool, ax=None):
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.8))
    ax.plot(history["generation"], history["hypervolume"], marker="o", ms=3)
    ax.set_xlabel("generation")
    ax.set_ylabel("hypervolume" + (" (normalised objectives)" if normalised else ""))
    ax.set_title("convergence: hypervolume of the non-dominated set", fontsize=10)
    ax.grid(alpha=0.3)
    return ax


def _numeric(col: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype=float), None
    cats = sorted(col.astype(str).unique())
    return col.astype(str).map({c: i for i, c in enumerate(cats)}).to_numpy(dtype=float), cats


def plot_parallel(pareto: pd.DataFrame, axes_names: list[str], chosen_row: Any = None):
    """Parallel coordinates of the Pareto set over ``axes_names`` (levers then objectives)."""
    fig, ax = plt.subplots(figsize=(1.6 * len(axes_names) + 1.5, 4.2))
    scaled = np.zeros((len(pareto), len(axes_names)))
    labels = []
    for j, name in enumerate(axes_names):
        v, cats = _numeric(pareto[name])
        lo, hi = np.nanmin(v), np.nanmax(v)
        scaled[:, j] = (v - lo) / (hi - lo) if hi > lo else 0.5
        if cats is not None:
            labels.append(f"{name}\n{cats[0]} .. {cats[-1]}")
        else:
            labels.append(f"{name}\n{lo:.3g} .. {hi:.3g}")
    for i in range(len(pareto)):
        is_chosen = chosen_row is not None and pareto.index[i] == chosen_row
        ax.plot(
            range(len(axes_names)),
            scaled[i],
            color="tab:red" if is_chosen else "tab:blue",
            alpha=1.0 if is_chosen else 0.35,
            lw=2.2 if is_chosen else 1.0,
            zorder=3 if is_chosen else 2,
        )
    for j in range(len(axes_names)):
        ax.axvline(j, color="0.6", lw=0.8, zorder=1)
    ax.set_xticks(range(len(axes_names)), labels, fontsize=8)
    ax.set_yticks([0, 1], ["low", "high"])
    ax.set_xlim(-0.2, len(axes_names) - 0.8)
    ax.set_title("Pareto policies (red: the policy stress-tested)", fontsize=10)
    fig.tight_layout()
    return fig


def write_optimize_report(
    spec,
    out_dir: Path,
    table: pd.DataFrame,
    history: pd.DataFrame,
    chosen: dict[str, Any],
    stress_dir: Path | None,
    normalised: bool,
) -> Path:
    figs = out_dir / "figures"
    figs.mkdir(exist_ok=True)
    ax = plot_convergence(history, normalised)
    ax.figure.tight_layout()
    ax.figure.savefig(figs / "convergence.png", dpi=120)
    plt.close(ax.figure)
    levers = [f.name for f in spec.levers]
    objectives = [o.name for o in spec.objectives]
    pareto = table[table["pareto"]]
    chosen_row = next(
        (i for i, r in pareto.iterrows() if all(r[k] == v for k, v in chosen.items())), None
    )
    fig = plot_parallel(pareto, levers + objectives, chosen_row)
    fig.savefig(figs / "parallel.png", dpi=120)
    plt.close(fig)

    sizes = spec.sizes()
    last = history.iloc[-1]
    lines = [
        f"# Robust search: {spec.name}" + (" (--quick)" if spec.quick else ""),
        "",
        f"{spec.optimize.algorithm.upper()} over the levers {', '.join(levers)}; "
        f"{sizes['population']} candidates × {sizes['generations']} generations; each policy "
        f"run in {sizes['samples']} futures (LHS over "
        f"{', '.join(f.name for f in spec.uncertainties) or 'no uncertainties'}) × "
        f"{sizes['replications']} replication seeds (common random numbers).",
        "",
        f"{int(last['evaluated'])} distinct policies evaluated ({int(last['runs'])} runs); "
        f"{len(pareto)} on the Pareto front; final hypervolume {last['hypervolume']:.4f}"
        + (" (objectives normalised, reference 1.1 × generation 0's worst)" if normalised else "")
        + ".",
        "",
        "## Objectives",
        "",
        *[
            f"* **{o.name}**: {o.label}, {'minimised' if o.direction == 'min' else 'maximised'}"
            + (f" -- {o.description}" if o.description else "")
            for o in spec.objectives
        ],
        "",
        "## Pareto set",
        "",
        frame_table(pareto.drop(columns=["pareto"]).sort_values(objectives[0]), digits=4),
        "",
        f"Chosen for the stress test ({spec.optimize.choose}): "
        + ", ".join(f"{k} = {v}" for k, v in chosen.items())
        + (
            f"; its sweep over {sizes['stress_samples']} fresh futures is in `stress/` "
            f"(run `deterrence-sim discover {stress_dir} --metric ...`)."
            if stress_dir
            else "."
        ),
        "",
        "![convergence](figures/convergence.png)",
        "",
        "![parallel coordinates](figures/parallel.png)",
        "",
    ]
    path = out_dir / "optimize.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
