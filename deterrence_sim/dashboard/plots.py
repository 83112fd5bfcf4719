"""Matplotlib figures for the dashboard (network map, time series), built from :mod:`.data` views.

Figures are made with ``matplotlib.figure.Figure`` directly, not pyplot: no global figure registry
to leak, and safe when the Solara server renders several sessions at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .data import EDGE_STYLES, ROLE_MARKERS, NetworkView, Panel, SunsetMark, governance_colour

__all__ = ["network_figure", "timeseries_figure"]

#: Line colour per series (stable across panels and runs).
SERIES_COLOURS = {
    "partner_capability": "#2e7d32",
    "aggressor_capability": "#c62828",
    "governance": "#1565c0",
    "readiness": "#ef6c00",
    "dependency": "#6a1b9a",
    "attacks": "#e53935",
    "wars": "#4e342e",
    "donor_cost": "#455a64",
    "insurgency": "#8d6e63",
    "aid": "#00897b",
}


def _capability_text(cap: float) -> str:
    return f"{cap:,.0f}" if abs(cap) >= 100 else f"{cap:.3g}"


def network_figure(view: NetworkView, title: str | None = None) -> Figure:
    """The world as a network: states (size = capability, colour = governance, shape = role)."""
    fig = Figure(figsize=(6.4, 4.0), dpi=85)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.93)
    ax = fig.add_subplot()
    pos = {n.name: (n.x, n.y) for n in view.nodes}
    # Parallel ties between the same pair are bent by a different amount so that aid and
    # commitment arrows between a donor and a partner stay visible side by side.
    bends = {"aid": 0.0, "commitment": 0.18, "alliance": 0.35, "rivalry": 0.0, "attack": -0.12}
    for e in view.edges:
        if e.source not in pos or e.target not in pos:
            continue
        (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops=dict(
                arrowstyle="-|>" if e.kind != "alliance" else "-",
                color=e.colour,
                linestyle=e.style,
                linewidth=e.width,
                shrinkA=14,
                shrinkB=14,
                connectionstyle=f"arc3,rad={bends.get(e.kind, 0.0)}",
                alpha=0.95 if e.highlighted else 0.75,
            ),
            zorder=3 if e.highlighted else 1,
        )
    for role, marker in ROLE_MARKERS.items():
        nodes = [n for n in view.nodes if n.role == role]
        if not nodes:
            continue
        ax.scatter(
            [n.x for n in nodes],
            [n.y for n in nodes],
            s=[n.size for n in nodes],
            c=[n.colour for n in nodes],
            marker=marker,
            edgecolors="#212121",
            linewidths=1.0,
            zorder=2,
        )
    for n in view.nodes:
        # Labels beside the symbol (left of donors, right of the others), so that symbols in a
        # crowded column never cover a neighbour's label.
        radius = (n.size**0.5) / 2 + 4  # points
        left = n.role == "donor"
        ax.annotate(
            f"{n.label}\n{_capability_text(n.capability)}",
            (n.x, n.y),
            xytext=(-radius if left else radius, 0),
            textcoords="offset points",
            ha="right" if left else "left",
            va="center",
            fontsize=8,
            zorder=4,
            bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.8),
        )
    for x, text in ((0.0, "Donors"), (1.0, "Partners"), (2.0, "Aggressors")):
        ax.text(x, 1.2, text, ha="center", va="bottom", fontsize=10, weight="bold")
    ax.set_xlim(-0.75, 2.75)
    ax.set_ylim(-0.5, 1.3)
    ax.set_axis_off()
    kinds_present = {e.kind for e in view.edges} | {"attack" for e in view.edges if e.highlighted}
    handles = [
        Line2D([], [], color=c, linestyle=s, linewidth=min(w, 3.0), label=lab)
        for kind, (c, s, w, lab) in EDGE_STYLES.items()
        if kind in kinds_present
    ]
    handles += [
        Line2D(
            [], [], marker="o", linestyle="", color=governance_colour(g), markersize=8, label=lab
        )
        for g, lab in ((0.15, "poor governance"), (0.85, "good governance"))
    ]
    ax.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False)
    ax.set_title(title or f"Year {view.year}", fontsize=11)
    return fig


def timeseries_figure(
    runs: Sequence[tuple[str, Sequence[tuple[Panel, Any]]]],
    marks: Sequence[Sequence[SunsetMark]] = (),
    horizon: int | None = None,
) -> Figure:
    """Time-series panels (2×2) for one run, or two runs overlaid (A solid, B dashed).

    ``runs``: (label, :func:`~.data.timeseries_panels` output) per run; ``marks``: each run's
    sunset marks (a dotted line at the taper start, a dashed line at the sunset); ``horizon``: the
    x-axis end in years, so the axes do not rescale while the model steps.
    """
    panels = list(runs[0][1]) if runs else []
    n = max(1, len(panels))
    ncols = 2 if n > 1 else 1
    nrows = (n + ncols - 1) // ncols
    # A fixed layout and fixed legend places: the constrained layout engine and loc="best" cost
    # more than all the drawing, and this figure is redrawn every simulated year.
    height = 2.5 * nrows + 0.3
    fig = Figure(figsize=(7.6, height), dpi=85)
    fig.subplots_adjust(
        left=0.08, right=0.98, bottom=0.45 / height, top=1 - 0.7 / height, hspace=0.6, wspace=0.22
    )
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    styles = ("solid", "dashed")
    for i, (panel, _) in enumerate(panels):
        ax = axes[i]
        for r, (_, run_panels) in enumerate(runs):
            frame = {p.title: f for p, f in run_panels}.get(panel.title)
            if frame is None:
                continue
            for j, (col, lab) in enumerate(panel.series):
                colour = SERIES_COLOURS.get(col)
                # Colour names the series, line style the run: label each series once.
                name = lab if r == 0 else None
                if panel.kind == "bar":
                    width = 0.8 / (len(panel.series) * len(runs))
                    offset = (j + r * len(panel.series)) * width - 0.4 + width / 2
                    ax.bar(
                        frame["year"] + offset,
                        frame[col],
                        width=width,
                        color=colour,
                        alpha=1.0 if r == 0 else 0.5,
                        label=name,
                        hatch=None if r == 0 else "//",
                    )
                else:
                    ax.plot(
                        frame["year"],
                        frame[col],
                        color=colour,
                        linestyle=styles[r % 2],
                        linewidth=1.8,
                        label=name,
                    )
        drawn: set[tuple[str, int]] = set()
        for r, run_marks in enumerate(marks):
            for m in run_marks:
                # Same sunset in A and B: one line; otherwise A black, B grey.
                for kind, x, ls in (("sunset", m.sunset, "--"), ("taper", m.taper_start, ":")):
                    if (kind, x) in drawn or (kind == "taper" and x == m.sunset):
                        continue
                    drawn.add((kind, x))
                    ax.axvline(
                        x, color="#212121" if r == 0 else "#9e9e9e", linestyle=ls, linewidth=1.1
                    )
        if horizon:
            ax.set_xlim(0, horizon + 0.5)
        if panel.kind == "bar":
            ax.set_ylim(0, max(1.0, ax.get_ylim()[1]))
            ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_title(panel.title, fontsize=9, pad=16)
        ax.set_ylabel(panel.unit, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        # Legend in a row between the title and the axes, where it never hides a line.
        ax.legend(
            fontsize=7,
            frameon=False,
            loc="lower left",
            bbox_to_anchor=(0.0, 0.99),
            ncol=3,
            borderaxespad=0.0,
            handlelength=1.5,
            columnspacing=1.0,
        )
    for ax in axes[len(panels) :]:
        ax.set_axis_off()
    for ax in axes[(nrows - 1) * ncols :]:
        ax.set_xlabel("year", fontsize=8)
    notes = []
    if len(runs) > 1:
        notes.append(
            " vs ".join(
                f"{style} lines{' / hatched bars' if r else ''}: {label}"
                for r, ((label, _), style) in enumerate(
                    zip(runs, ("solid", "dashed"), strict=False)
                )
            )
        )
    if any(marks):
        notes.append("vertical dashed line: sunset (aid ends) · dotted: taper starts")
    if notes:
        fig.suptitle(
            "  ·  ".join(notes),
            fontsize=7,
            color="#616161",
            x=0.98,
            y=0.995,
            ha="right",
            va="top",
        )
    return fig
