"""Write what scenario discovery found: ``discover.md``, CSV tables and figures.

Files (in the output folder):

* ``discover.md`` -- the condition, the chosen box (limits, coverage, density, quasi-p-values,
  resampling statistics), the trade-off, the feature scores, the figures;
* ``boxes.csv`` -- the chosen box, one row per restricted factor (PRIM), or every CART leaf;
* ``trajectory.csv`` -- coverage, density, mass and restricted factors of every PRIM box (or CART
  leaf); ``feature_scores.csv``;
* ``figures/tradeoff.png``, ``figures/box_limits.png``, ``figures/pairs.png``,
  ``figures/feature_scores.png``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ..escaping import terminal_text, write_csv
from ..markdown import frame_table
from .discover import Discovery, in_box

__all__ = ["plot_box_limits", "plot_pairs", "plot_tradeoff", "write_discovery"]


def plot_tradeoff(d: Discovery, ax=None):
    """Coverage against density of every box (PRIM trajectory or CART leaves); chosen box ringed."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.2))
    t = d.trajectory
    sc = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=28, zorder=2)
    if d.method == "prim":
        ax.plot(t["coverage"], t["density"], color="0.7", lw=0.8, zorder=1)
    c = t.loc[d.chosen]
    ax.scatter([c["coverage"]], [c["density"]], s=160, facecolors="none", edgecolors="red", lw=1.5)
    ax.annotate(
        f"box {d.chosen}", (c["coverage"], c["density"]), textcoords="offset points", xytext=(8, 6)
    )
    ax.set_xlabel("coverage (share of cases of interest inside)")
    ax.set_ylabel("density (share of the box that is of interest)")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.figure.colorbar(sc, ax=ax, label="restricted factors")
    ax.set_title(f"{d.method.upper()}: {d.condition}", fontsize=10)
    return ax


def plot_box_limits(d: Discovery, ax=None):
    """Each restricted factor's range in the box, as a share of the range sampled."""
    lim = d.limits
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.6 + 0.5 * max(1, len(lim))))
    for i, (_, r) in enumerate(lim.iterrows()):
        ax.plot([0, 1], [i, i], color="0.85", lw=6, solid_capstyle="butt")
        if r["categories"]:
            ax.text(0.5, i, r["categories"], ha="center", va="center", fontsize=8)
            continue
        span = (r["max"] - r["min"]) or 1.0
        lo, hi = (r["lower"] - r["min"]) / span, (r["upper"] - r["min"]) / span
        ax.plot([lo, hi], [i, i], color="tab:red", lw=6, solid_capstyle="butt")
        ax.text(lo, i + 0.28, f"{r['lower']:.3g}", ha="center", fontsize=8)
        ax.text(hi, i + 0.28, f"{r['upper']:.3g}", ha="center", fontsize=8)
    ax.set_yticks(
        range(len(lim)), [f"{f} ({r})" for f, r in zip(lim["factor"], lim["role"], strict=True)]
    )
    ax.set_ylim(-0.6, len(lim) - 0.4)
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("share of the sampled range (grey), box limits (red)")
    s = d.stats
    ax.set_title(
        f"box {d.chosen}: coverage {s['coverage']:.2f}, density {s['density']:.2f}", fontsize=10
    )
    return ax


def plot_pairs(d: Discovery, max_factors: int = 3):
    """Pairwise scatter of the box's factors: cases of interest in red, the box drawn on top."""
    names = [f for f in d.limits["factor"] if pd.api.types.is_numeric_dtype(d.x[f])]
    if len(names) < 2:  # fill with the best-scored numeric factors
        extra = [f for f in d.scores.index if f not in names]
        names += [f for f in extra if pd.api.types.is_numeric_dtype(d.x[f])]
    names = names[:max_factors]
    pairs = list(itertools.combinations(names, 2))
    if not pairs:
        return None
    fig, axes = plt.subplots(1, len(pairs), figsize=(4.2 * len(pairs), 4), squeeze=False)
    lim = d.limits.set_index("factor")
    y = d.y.astype(bool)
    for ax, (a, b) in zip(axes[0], pairs, strict=True):
        ax.scatter(d.x.loc[~y, a], d.x.loc[~y, b], s=6, color="0.7", label="other")
        ax.scatter(d.x.loc[y, a], d.x.loc[y, b], s=6, color="tab:red", label=d.condition)
        lo_a, hi_a = _limits(lim, a, d.x)
        lo_b, hi_b = _limits(lim, b, d.x)
        ax.add_patch(
            plt.Rectangle(
                (lo_a, lo_b), hi_a - lo_a, hi_b - lo_b, fill=False, ec="black", lw=1.5, ls="--"
            )
        )
        ax.set_xlabel(a)
        ax.set_ylabel(b)
    axes[0][0].legend(loc="best", fontsize=8, markerscale=2)
    fig.suptitle(f"box {d.chosen} (dashed) over the cases", fontsize=10)
    fig.tight_layout()
    return fig


def _limits(lim: pd.DataFrame, name: str, x: pd.DataFrame) -> tuple[float, float]:
    if name in lim.index and not lim.loc[name, "categories"]:
        return float(lim.loc[name, "lower"]), float(lim.loc[name, "upper"])
    return float(x[name].min()), float(x[name].max())


def plot_scores(d: Discovery, ax=None):
    s = d.scores
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 0.6 + 0.35 * len(s)))
    colors = ["tab:blue" if d.roles.get(n) == "lever" else "tab:orange" for n in s.index]
    ax.barh(range(len(s))[::-1], s.to_numpy(), color=colors)
    ax.set_yticks(range(len(s))[::-1], [f"{n} ({d.roles.get(n, '?')})" for n in s.index])
    ax.set_xlabel("extra-trees importance")
    ax.set_title(f"which factors matter for {d.condition}", fontsize=10)
    return ax


def write_discovery(d: Discovery, out: str | Path, source: str = "") -> Path:
    """Write ``discover.md``, the CSV files and the figures into ``out``; return the report path."""
    out = Path(out)
    figs = out / "figures"
    figs.mkdir(parents=True, exist_ok=True)
    _write_tables(d, out)
    names = _write_figures(d, figs)
    lines = _summary_lines(d, source) + _detail_lines(d)
    lines += ["## Figures", "", *[f"![{n[:-4]}](figures/{n})" for n in names], ""]
    path = out / "discover.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _write_tables(d: Discovery, out: Path) -> None:
    write_csv(d.limits, out / "boxes.csv", index=False)
    write_csv(d.trajectory, out / "trajectory.csv")
    write_csv(d.scores.rename_axis("factor"), out / "feature_scores.csv")
    if d.method == "cart":
        leaves = [t.assign(leaf=i) for i, t in d.leaf_limits.items()]
        write_csv(pd.concat(leaves, ignore_index=True), out / "leaves.csv", index=False)


def _save(fig, path: Path, tight: bool = True) -> None:
    if tight:
        fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _write_figures(d: Discovery, figs: Path) -> list[str]:
    """The trade-off, box limits, pairs and feature-score figures; their file names."""
    _save(plot_tradeoff(d).figure, figs / "tradeoff.png")
    names = ["tradeoff.png"]
    if len(d.limits):
        _save(plot_box_limits(d).figure, figs / "box_limits.png")
        names.append("box_limits.png")
    fig = plot_pairs(d)
    if fig is not None:
        _save(fig, figs / "pairs.png", tight=False)
        names.append("pairs.png")
    _save(plot_scores(d).figure, figs / "feature_scores.png")
    names.append("feature_scores.png")
    return names


def _summary_lines(d: Discovery, source: str) -> list[str]:
    """The question, the cases and the chosen box with its limits."""
    s = d.stats
    inside = in_box(d.x, d.limits)
    n_coi = int(d.y.sum())
    what = "PRIM box" if d.method == "prim" else "CART leaf"
    # Factor names are identifiers and the condition a metric name and a number (both checked);
    # the folder's path is the one free text, shown as code (where only a backtick could break out).
    factors = ", ".join(f"{n} ({r})" for n, r in d.roles.items())
    shown = terminal_text(source).replace("`", "'").replace("\n", " ")
    return [
        f"# Where does {d.condition} hold?",
        "",
        f"Source: `{shown}`. {len(d.y)} cases, {n_coi} of interest "
        f"({n_coi / len(d.y):.1%}); factors: {factors}.",
        *[f"\n*{n}*" for n in d.notes],
        "",
        f"## The chosen {what} ({d.chosen})",
        "",
        f"Coverage **{s['coverage']:.3f}** (share of the cases of interest inside the box), "
        f"density **{s['density']:.3f}** (share of the box's cases that are of interest), "
        f"mass {s['mass']:.3f} ({int(inside.sum())} cases), {int(s['res_dim'])} restricted "
        "factors.",
        "",
        frame_table(d.limits) if len(d.limits) else "(no restriction: the box is everything)",
        "",
    ]


def _detail_lines(d: Discovery) -> list[str]:
    """PRIM's trajectory with its quasi-p-values, or CART's leaves; then the feature scores."""
    if d.method == "prim":
        lines = [
            "`qp_lower`/`qp_upper`: quasi-p-values of each limit (one-sided binomial test that "
            "the density would fall without it; Bryant & Lempert 2010) -- above 0.05 the limit "
            "may be noise. `reproduce_coverage`/`reproduce_density`: % of PRIM runs on random "
            "halves of the data that restrict the factor at a box of similar coverage/density.",
            "",
            "## Coverage-density trade-off (peeling trajectory)",
            "",
            frame_table(d.trajectory.reset_index()),
            "",
        ]
    else:
        leaves = d.trajectory.reset_index().sort_values("density", ascending=False)
        lines = [
            "## Every leaf of the tree",
            "",
            frame_table(leaves),
            "",
            "Limits: `leaves.csv`.",
            "",
        ]
    return [
        *lines,
        "## Feature scores",
        "",
        frame_table(d.scores.rename_axis("factor").reset_index()),
        "",
    ]


def box_summary(d: Discovery) -> str:
    """One line per restricted factor, for the terminal."""
    s = d.stats
    head = (
        f"{d.method} box {d.chosen}: coverage {s['coverage']:.2f}, density {s['density']:.2f}, "
        f"mass {s['mass']:.2f}"
    )
    rows = []
    for _, r in d.limits.iterrows():
        rng = r["categories"] or f"{r['lower']:.4g} .. {r['upper']:.4g}"
        rows.append(f"  {r['factor']:24s} {rng}")
    return "\n".join([head, *rows]) if rows else head + " (no restriction)"
