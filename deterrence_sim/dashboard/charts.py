"""Interactive charts for the dashboard: Plotly figures as plain JSON-ready dicts.

The browser draws them with plotly.js (``plotly_chart.vue``): they fill their column and follow
the window and the browser's zoom, show values on hover, and carry Plotly's toolbar (PNG and SVG
download). Plotly rather than Altair/Vega-Lite because a drawn chart is updated in place: while the model
runs, only each new year's points are sent and appended (``Plotly.extendTraces``, see
:func:`panel_extension`), and a reader's zoom survives (``uirevision``); and plotly.js ships inside the ``plotly`` package, so the dashboard
serves it itself and works offline.

Nothing here imports Solara: every function is a pure function of the views in :mod:`.data`
(tested in tests/test_dashboard_compare.py and tests/test_dashboard_data.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from .data import NetworkView, Panel, SunsetMark

__all__ = [
    "ARM_COLOURS",
    "FONT_PX",
    "difference_figure",
    "interval_figure",
    "network_figure",
    "panel_extension",
    "panel_figure",
]

#: Chart text size (px): at least 12 px on a laptop; larger in presenter mode.
FONT_PX = {False: 14, True: 20}

#: Colours of A and B in comparisons (Okabe & Ito 2008, distinct for colour-blind readers).
ARM_COLOURS = ("#0072B2", "#E69F00")

#: Line colour per series in the single-run view (stable across panels).
SERIES_COLOURS = {
    "partner_capability": "#009E73",
    "aggressor_capability": "#D55E00",
    "insurgency": "#8d6e63",
    "governance": "#0072B2",
    "readiness": "#E69F00",
    "dependency": "#CC79A7",
    "attacks": "#D55E00",
    "wars": "#4e342e",
    "aid": "#009E73",
    "donor_cost": "#56B4E9",
}

#: Dash per series position, so series stay apart in a comparison where colour means A or B.
DASHES = ("solid", "dash", "dot", "dashdot")


def _layout(title: str, big: bool, height: int, **extra: Any) -> dict[str, Any]:
    size = FONT_PX[big]
    return {
        "title": {"text": title, "font": {"size": size + 2}, "x": 0.01, "xanchor": "left"},
        "font": {"size": size, "family": "Roboto, Arial, sans-serif"},
        "height": height + (80 if big else 0),
        "margin": {"l": 60, "r": 16, "t": 40 + (10 if big else 0), "b": 40},
        "legend": {"orientation": "h", "y": -0.22, "font": {"size": size}},
        "hoverlabel": {"font": {"size": size}},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        # A constant uirevision keeps the reader's zoom and hidden series across yearly updates.
        "uirevision": "keep",
        **extra,
    }


def _axis(title: str, big: bool, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": FONT_PX[big]}},
        "tickfont": {"size": FONT_PX[big]},
        "gridcolor": "#e0e0e0",
        "zeroline": False,
        **extra,
    }


def _clean(values: Sequence[Any]) -> list[float | None]:
    if hasattr(values, "tolist"):
        values = values.tolist()
    out: list[float | None] = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(f if math.isfinite(f) else None)
    return out


def panel_figure(
    panel: Panel,
    runs: Sequence[tuple[str, Any]],
    marks: Sequence[SunsetMark] = (),
    horizon: int = 40,
    big: bool = False,
) -> dict[str, Any]:
    """One time-series panel. ``runs``: (label, frame with ``year`` and the panel's columns).

    With one run, each series has its own colour; with two (a comparison), colour is the run (A,
    B) and the dash is the series, and bars are grouped side by side instead of overlapping.
    """
    traces = []
    compare = len(runs) > 1
    for r, (label, frame) in enumerate(runs):
        for s, (col, name) in enumerate(panel.series):
            if col not in frame.columns:
                continue
            colour = ARM_COLOURS[r % 2] if compare else SERIES_COLOURS.get(col, "#616161")
            full = f"{label}: {name}" if label else name
            trace: dict[str, Any] = {
                "x": frame["year"].astype(int).tolist(),
                "y": _clean(frame[col]),
                "name": full,
                "hovertemplate": f"{full}<br>year %{{x}}: %{{y:.3~g}}<extra></extra>",
            }
            if panel.kind == "bar":
                trace.update(
                    type="bar",
                    marker={
                        "color": colour,
                        "opacity": 1.0 if s == 0 else 0.55,
                        "pattern": {"shape": "" if s == 0 else "/"},
                    },
                )
            else:
                trace.update(
                    type="scatter",
                    mode="lines",
                    line={
                        "color": colour,
                        "width": 2.5,
                        "dash": DASHES[s % 4] if compare else "solid",
                    },
                )
            traces.append(trace)
    shapes, notes = [], []
    for m in marks:
        shapes.append(_vline(m.sunset, "dash"))
        notes.append(_note(m.sunset, f"sunset ({m.donor})" if len(marks) > 1 else "sunset", big))
        if m.taper_start < m.sunset:
            shapes.append(_vline(m.taper_start, "dot"))
    layout = _layout(
        panel.title,
        big,
        250,
        # No "year" title under the axis: the ticks are plainly years, and the title would
        # collide with the legend below it.
        xaxis=_axis("", big, range=[-0.5, horizon + 0.5]),
        yaxis=_axis(panel.unit, big, rangemode="tozero"),
        shapes=shapes,
        annotations=notes,
        hovermode="x unified",
        barmode="group",
    )
    return {"data": traces, "layout": layout}


def panel_extension(panel: Panel, frame: Any, after_year: int) -> dict[str, Any]:
    """The points of a one-run panel after ``after_year``, trace by trace in the order of
    :func:`panel_figure`: ``{"x": [[years…] per trace], "y": [[values…] per trace]}``.

    The browser appends them to the drawn chart with ``Plotly.extendTraces`` (``plotly_chart.vue``)
    instead of receiving and redrawing the whole figure every simulated year.
    """
    rows = frame[frame["year"] > after_year]
    columns = [col for col, _ in panel.series if col in frame.columns]
    years = rows["year"].astype(int).tolist()
    return {"x": [years for _ in columns], "y": [_clean(rows[col]) for col in columns]}


def _vline(x: float, dash: str) -> dict[str, Any]:
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": "#616161", "dash": dash, "width": 1.5},
    }


def _note(x: float, text: str, big: bool) -> dict[str, Any]:
    return {
        "x": x,
        "yref": "paper",
        "y": 1.0,
        "text": text,
        "showarrow": False,
        "xanchor": "left",
        "font": {"size": FONT_PX[big] - 1, "color": "#424242"},
    }


#: Plotly marker symbols per role (shapes, so roles read in greyscale and for colour-blind users).
SYMBOLS = {"donor": "square", "partner": "circle", "aggressor": "triangle-up"}

#: How each tie kind is drawn: (colour, dash, width, legend label).
TIE_STYLES: dict[str, tuple[str, str, float, str]] = {
    "aid": ("#009E73", "solid", 3.0, "aid flowing"),
    "aid_ended": ("#9e9e9e", "dot", 2.0, "aid ended"),
    "aid_suspended": ("#E69F00", "dash", 2.0, "aid suspended"),
    "rejected": ("#CC79A7", "dashdot", 2.0, "program rejected"),
    "commitment": ("#0072B2", "dash", 2.0, "security commitment"),
    "alliance": ("#7b1fa2", "dashdot", 1.5, "alliance"),
    "rivalry": ("#D55E00", "dot", 2.0, "rivalry"),
    "attack": ("#d50000", "solid", 6.0, "attack / war this year"),
}

#: Vertical offset per tie kind so parallel ties between one pair stay visible side by side.
_OFFSETS = {"commitment": 0.05, "alliance": 0.1, "attack": -0.05}


def network_figure(view: NetworkView, big: bool = False) -> dict[str, Any]:
    """The world in one year: states (shape = role, size = capability, colour = governance) and
    the current state of their ties (aid flowing, ended, suspended or rejected; exited donors)."""
    pos = {n.name: (n.x, n.y) for n in view.nodes}
    traces: list[dict[str, Any]] = []
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for e in view.edges:
        if e.source in pos and e.target in pos:
            kind = "attack" if e.highlighted else e.kind
            by_kind.setdefault(kind, []).append((e.source, e.target))
    for kind, pairs in by_kind.items():
        colour, dash, width, label = TIE_STYLES.get(kind, ("#757575", "solid", 1.5, kind))
        xs: list[float | None] = []
        ys: list[float | None] = []
        off = _OFFSETS.get(kind, 0.0)
        for u, v in pairs:
            (x0, y0), (x1, y1) = pos[u], pos[v]
            xs += [x0, x1, None]
            ys += [y0 + off, y1 + off, None]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "name": label,
                "line": {"color": colour, "dash": dash, "width": width + (1 if big else 0)},
                "hoverinfo": "skip",
            }
        )
    for role in ("donor", "partner", "aggressor"):
        nodes = [n for n in view.nodes if n.role == role]
        if not nodes:
            continue
        scale = 1.3 if big else 1.0
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": [n.x for n in nodes],
                "y": [n.y for n in nodes],
                "text": [n.label.replace("\n", "<br>") for n in nodes],
                "textposition": "bottom center",
                "name": role + "s",
                "showlegend": False,
                "marker": {
                    "symbol": [
                        SYMBOLS.get(role, "circle") + ("-open" if "exited" in n.label else "")
                        for n in nodes
                    ],
                    "size": [scale * math.sqrt(n.size) for n in nodes],
                    "color": [n.colour for n in nodes],
                    "line": {"color": "#212121", "width": 1.5},
                },
                "hovertext": [_node_hover(n) for n in nodes],
                "hoverinfo": "text",
            }
        )
    layout = _layout(
        f"The world in year {view.year}",
        big,
        310,
        xaxis={"visible": False, "range": [-0.45, 2.45], "fixedrange": True},
        yaxis={"visible": False, "range": [-0.25, 1.15], "fixedrange": True},
        hovermode="closest",
        legend={"orientation": "h", "y": -0.02, "font": {"size": FONT_PX[big]}},
    )
    return {"data": traces, "layout": layout}


def _node_hover(n: Any) -> str:
    text = f"<b>{n.name}</b> ({n.role})<br>capability {n.capability:,.3g}"
    if n.governance is not None:
        text += f"<br>governance {n.governance:.2f}"
    return text


# --- comparisons across seeds ------------------------------------------------------------------


def interval_figure(
    title: str, unit: str, arms: Sequence[tuple[str, float, tuple[float, float]]], big: bool = False
) -> dict[str, Any]:
    """Means of A and B with their 95% intervals (error bars), one metric."""
    traces = []
    for i, (label, mean, (lo, hi)) in enumerate(arms):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [mean],
                "y": [label],
                "name": label,
                "marker": {"color": ARM_COLOURS[i % 2], "size": 14},
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": [max(0.0, hi - mean) if math.isfinite(hi) else 0.0],
                    "arrayminus": [max(0.0, mean - lo) if math.isfinite(lo) else 0.0],
                    "color": ARM_COLOURS[i % 2],
                    "thickness": 3,
                    "width": 8,
                },
                "hovertemplate": f"{label}: mean %{{x:.3~g}} (95% interval {lo:.3g} to {hi:.3g})<extra></extra>",
            }
        )
    layout = _layout(
        title,
        big,
        170,
        xaxis=_axis(unit, big),
        yaxis={"automargin": True, "tickfont": {"size": FONT_PX[big]}, "autorange": "reversed"},
        showlegend=False,
        margin={"l": 10, "r": 16, "t": 40, "b": 50},
    )
    return {"data": traces, "layout": layout}


def difference_figure(
    title: str,
    unit: str,
    differences: Sequence[float],
    mean: float,
    interval: tuple[float, float],
    big: bool = False,
) -> dict[str, Any]:
    """Distribution of the per-seed difference B − A, with its mean, 95% interval and zero."""
    diffs = [d for d in _clean(differences) if d is not None]
    lo, hi = interval
    shapes = [_vline(0.0, "dot")]
    if math.isfinite(lo) and math.isfinite(hi):
        shapes.append(
            {
                "type": "rect",
                "x0": lo,
                "x1": hi,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "fillcolor": ARM_COLOURS[1],
                "opacity": 0.25,
                "line": {"width": 0},
            }
        )
    if math.isfinite(mean):
        shapes.append({**_vline(mean, "solid"), "line": {"color": "#212121", "width": 2.5}})
    trace = {
        "type": "histogram",
        "x": diffs,
        "name": "B − A per seed",
        "marker": {"color": "#56B4E9", "line": {"color": "#0072B2", "width": 1}},
        "hovertemplate": "B − A from %{x}: %{y} seeds<extra></extra>",
    }
    layout = _layout(
        title,
        big,
        260,
        xaxis=_axis(f"B − A ({unit})" if unit else "B − A", big),
        yaxis=_axis("seeds", big),
        shapes=shapes,
        showlegend=False,
        bargap=0.05,
    )
    return {"data": [trace], "layout": layout}


def figure_text_sizes(fig: Mapping[str, Any]) -> list[float]:
    """Every font size a figure sets (for tests: nothing below 12 px)."""
    sizes: list[float] = []

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            for k, v in node.items():
                if k.endswith("font") and isinstance(v, Mapping) and "size" in v:
                    sizes.append(float(v["size"]))
                walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    walk(fig)
    return sizes
