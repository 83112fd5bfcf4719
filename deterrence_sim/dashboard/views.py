"""The dashboard's Solara components: controls beside the view, the simulation, compare and help.

Layout: a controls column (scenario, seed, levers) beside the main area; the run controls (Step,
Play, speed, presenter mode) stay at the top of the main area, so hiding nothing ever hides
them. State and actions are in :mod:`.state`.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import solara
import solara.lab

from .. import Scenario
from . import charts, data, explain, state
from . import levers as lv

__all__ = [
    "Chart",
    "Controls",
    "Keys",
    "RunBar",
    "SimulationView",
    "event_log_html",
    "static_html",
]

#: Events shown in the log at most (newest first).
LOG_LENGTH = 200

LOG_FILTERS = {
    "key events (attacks, coercion, interventions, exits)": explain.KEY_KINDS,
    "all events": None,
}


@solara.component_vue("plotly_chart.vue")
def _PlotlyChart(
    figure: dict, src: str, alt: str, filename: str, height: int, extend: dict, token: str
):
    pass


@solara.component_vue("keys.vue")
def Keys(event_key: Callable[[dict], None]):
    pass


def _plotly_src() -> str:
    try:
        from solara.server import settings

        root = settings.main.root_path or ""
    except Exception:  # pragma: no cover - outside the server
        root = ""
    return f"{root}/static/assets/plotly.min.js"


@solara.component
def Chart(
    figure: dict,
    alt: str,
    name: str,
    classes: list[str] | None = None,
    extend: dict | None = None,
    token: str = "",
):
    """An interactive chart; ``alt`` describes it for screen readers.

    ``token`` names ``figure``; ``extend`` (``{"token": …, "x": […], "y": […]}``) holds every
    point added since that figure, which the browser appends instead of redrawing the chart.
    """
    with solara.Div(classes=["dsim-chart-wrap", *(classes or [])]):
        _PlotlyChart(
            figure=figure,
            src=_plotly_src(),
            alt=alt,
            filename=name,
            height=int(figure["layout"].get("height", 300)),
            extend=extend or {},
            token=token,
        )


def static_html(html: str, cls: str = "") -> None:
    """Show trusted HTML built here (values escaped), in a ``div`` of class ``cls``."""
    # Static HTML, not solara.Markdown: Markdown loads KaTeX from a CDN (offline: script error).
    if cls:
        with solara.Div(classes=[cls]):
            solara.HTML(tag="div", unsafe_innerHTML=html)
    else:
        solara.HTML(tag="div", unsafe_innerHTML=html)


# --- controls ---------------------------------------------------------------------------------


@solara.component
def Slider(spec: lv.LeverSpec, value: float, text: str, hi: float, hint: str | None):
    """A lever slider: label, value in words, and the change applied on release only."""
    slider = solara.v.Slider(
        v_model=value,
        min=spec.lo,
        max=hi,
        step=spec.step,
        thumb_label=True,
        hide_details=True,
        dense=True,
        attributes={"aria-label": f"{spec.label}: {text}"},
    )

    def changed(widget, event, new):
        new = int(new) if spec.kind == "int" else round(float(new), 4)
        state.set_lever(spec.name, new)

    solara.v.use_event(slider, "change", changed)
    with solara.Div(classes=["dsim-lever", f"dsim-lever-{spec.name}"]):
        solara.Text(f"{spec.label}: {text}", classes=["dsim-lever-label"])
        solara.v.Html(tag="div", children=[slider])
        if hint:
            solara.Text(hint, classes=["dsim-hint"])


@solara.component
def LeverControls():
    levers = state.levers.value
    base = state.base_scenario()
    hints = lv.lever_hints(levers, base)
    total = sum(d.budget for d in base.donors)
    static_html("<b>Policy levers</b> — for every donor; a change restarts the run.", "dsim-head")
    for spec in lv.available_levers(base):
        value = levers.get(spec.name)
        hint = hints.get(spec.name)
        if spec.kind in ("int", "float"):
            hi = spec.bounds(base)[1]
            text = spec.text(value)
            if spec.name == "budget_scale":
                text += f" = {data.format_value(total * float(value))} $bn/yr in total"
            if spec.name == "sunset_year" and levers.get("open_ended"):
                text = "open-ended"
            Slider(spec, min(value, hi), text, hi, hint)
            continue
        with solara.Div(classes=["dsim-lever", f"dsim-lever-{spec.name}"]):
            if spec.kind == "switch":
                solara.Switch(
                    label=spec.label,
                    value=bool(value),
                    on_value=lambda v, n=spec.name: state.set_lever(n, bool(v)),
                )
            else:
                solara.Select(
                    spec.label,
                    values=list(spec.choices),
                    value=value,
                    on_value=lambda v, n=spec.name: state.set_lever(n, v),
                )
            if hint:
                solara.Text(hint, classes=["dsim-hint"])
    solara.Button(
        "Levers back to the scenario's values",
        on_click=state.reset_levers,
        text=True,
        small=True,
        classes=["dsim-reset-levers"],
    )


@solara.component
def Controls():
    presets = Scenario.presets()
    with solara.Div(classes=["dsim-scenario"]):
        solara.Select(
            "Scenario",
            values=list(presets),
            value=state.scenario_name.value,
            on_value=state.set_scenario,
        )
    solara.Text(presets.get(state.scenario_name.value, ""), classes=["dsim-small"])
    with solara.Div(classes=["dsim-seed"]):
        solara.InputText(
            "Seed (whole number ≥ 0; same seed = same luck)",
            value=state.seed_text.value,
            on_value=state.set_seed_text,
            continuous_update=True,
            error=bool(state.seed_error.value),
        )
        if state.seed_error.value:
            solara.Text(state.seed_error.value, classes=["dsim-seed-error"])
    LeverControls()


@solara.component
def YearLabel():
    m = state.model.value
    _ = state.version.value  # only this small component redraws every year
    year = m.year if m is not None else 0
    solara.Text(f"Year {year} of {state.horizon()}", classes=["dsim-year"])


@solara.component
def RunBar():
    m = state.model.value
    busy = m is None or state.at_end.value or state.playing.value
    with solara.Row(classes=["dsim-runbar"], style={"flex-wrap": "wrap", "align-items": "center"}):
        YearLabel()
        solara.Button(
            "Step", icon_name="mdi-skip-next", on_click=lambda: state.step_years(1),
            disabled=busy, classes=["dsim-step"],
        )  # fmt: skip
        solara.Button(
            "+10 years",
            on_click=lambda: state.step_years(10),
            disabled=busy,
            classes=["dsim-step10"],
        )
        solara.Button(
            "Pause" if state.playing.value else "Play",
            icon_name="mdi-pause" if state.playing.value else "mdi-play",
            on_click=state.toggle_play,
            disabled=m is None,
            color="primary",
            classes=["dsim-play"],
        )
        solara.Button(
            "Reset", icon_name="mdi-restore", on_click=state.rebuild, classes=["dsim-reset"]
        )
        with solara.Div(classes=["dsim-speed"]):
            solara.Select("Speed", values=list(state.SPEEDS), value=state.speed)
        with solara.Div(classes=["dsim-draw-every"]):
            solara.Select(
                "Draw every",
                values=[f"{n} year" + ("s" if n > 1 else "") for n in state.DRAW_EVERY],
                value=f"{state.draw_every.value} year"
                + ("s" if state.draw_every.value > 1 else ""),
                on_value=lambda v: state.draw_every.set(int(v.split()[0])),
            )
        with solara.Div(classes=["dsim-presenter-switch"]):
            solara.Switch(label="Presenter", value=state.presenter)
    if state.notice.value:  # e.g. a lever restarted the run while playing; a link's bad values
        solara.Text(state.notice.value, classes=["dsim-notice"])
    elif state.playing.value:
        solara.Text("Playing — Space pauses.", classes=["dsim-notice"])


# --- the simulation view ----------------------------------------------------------------------


def event_log_html(events: Any, year: int, kinds: tuple[str, ...] | None) -> str:
    """The log as HTML: newest first, this year in bold, a "Why?" under every key event."""
    evs = explain.as_events(events)
    rows = []
    for i in range(len(evs) - 1, -1, -1):
        e = evs[i]
        if kinds is not None and e.kind not in kinds:
            continue
        cls = "dsim-event dsim-now" if e.year == year else "dsim-event"
        text = escape(e.text or f"Year {e.year}: {e.kind}")
        if e.kind in explain.KEY_KINDS:
            reason = escape(explain.why(e, evs[:i]))
            rows.append(
                f"<li class='{cls}' data-kind='{e.kind}'>{text}<details class='dsim-why'>"
                f"<summary>Why?</summary><p>{reason}</p></details></li>"
            )
        else:
            rows.append(f"<li class='{cls}' data-kind='{e.kind}'>{text}</li>")
        if len(rows) >= LOG_LENGTH:
            break
    if not rows:
        return "<p class='dsim-no-events'>Nothing has happened yet. Press Step or Play.</p>"
    return "<ul class='dsim-log'>" + "".join(rows) + "</ul>"


@solara.component
def EventLog(m: Any, key: int):
    choice = solara.use_reactive(next(iter(LOG_FILTERS)))
    with solara.Card(margin=0, classes=["dsim-events"]):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Text("Event log (newest first)", classes=["dsim-card-title"])
            with solara.Div(classes=["dsim-log-filter"]):
                solara.Select("Show", values=list(LOG_FILTERS), value=choice)
        html = solara.use_memo(
            lambda: event_log_html(m.event_log, m.year, LOG_FILTERS[choice.value]),
            [key, choice.value],
        )
        static_html(html, "dsim-log-box")


def cards_html(metrics: dict) -> str:
    from ..metrics import METRICS

    out = []
    for c in data.metric_cards(metrics, METRICS):
        unit = f" <span class='dsim-unit'>{escape(c.unit)}</span>" if c.unit else ""
        out.append(
            f"<div class='dsim-card' title='{escape(c.description or c.label, quote=True)}'>"
            f"<div class='dsim-card-label'>{escape(c.label)}</div>"
            f"<div><b class='dsim-card-value'>{escape(c.text)}</b>{unit}</div></div>"
        )
    return "<div class='dsim-cards'>" + "".join(out) + "</div>"


def _panel_alt(panel: data.Panel, frame: Any) -> str:
    last = frame.iloc[-1] if len(frame) else None
    parts = []
    for col, name in panel.series:
        if last is not None and col in frame.columns:
            parts.append(f"{name} {data.format_value(last[col])}")
    return f"{panel.title} ({panel.unit}) by year; latest: " + ", ".join(parts)


@solara.component
def SimulationView():
    m = state.model.value
    key = state.version.value
    big = state.presenter.value
    if state.error.value:
        solara.Error(state.error.value)
    if m is None or state.active_scenario.value is None:
        solara.Text("No model yet.")
        return
    SimulationBody(m, key, big)


#: While the model runs, a time-series chart is sent whole once every this many years; in
#: between, only the points added since (see :func:`.charts.panel_extension`).
FULL_FIGURE_EVERY = 10

#: While playing, the summary cards (the run's metrics so far, computed from the whole yearly
#: table) are refreshed every this many years, and whenever the run stops; the charts, map and
#: log are drawn every year.
CARDS_EVERY_WHILE_PLAYING = 5


@solara.component
def SimulationBody(m: Any, key: int, big: bool):
    reference = solara.use_memo(lambda: data.size_references(data.node_states(m)), [id(m)])
    epoch = m.year // FULL_FIGURE_EVERY

    def base_panels():
        # The whole figures, rebuilt only for a new model, presenter mode or every few years.
        frame = m.timeseries()
        marks = data.sunset_marks(state.active_scenario.value)
        token = f"{id(m)}-{big}-{epoch}"
        return (
            token,
            m.year,
            [
                charts.panel_figure(p, [("", f)], marks, state.horizon(), big)
                for p, f in data.timeseries_panels(frame)
            ],
        )

    token, base_year, bases = solara.use_memo(base_panels, [id(m), big, epoch])

    def figures():
        states = data.node_states(m)
        view = data.network_view(m.graph, states, m.event_log, m.year, reference=reference)
        frame = m.timeseries()
        panels = [
            (
                p,
                {"token": token, **charts.panel_extension(p, frame, base_year)},
                _panel_alt(p, frame),
            )
            for p in data.TIMESERIES_PANELS
            if any(col in frame.columns for col, _ in p.series)
        ]
        return charts.network_figure(view, big), panels, view

    net, panels, view = solara.use_memo(figures, [key, big])
    playing = state.playing.value and m.year < state.horizon()
    cards_key = m.year // CARDS_EVERY_WHILE_PLAYING if playing else key
    metrics = solara.use_memo(m.metrics, [id(m), cards_key, playing])

    def mark_drawn():
        state.drawn.value = key

    solara.use_effect(mark_drawn, [key])
    with solara.Div(classes=["dsim-sim"]):
        with solara.Div(classes=["dsim-top"]):
            Chart(net, _network_alt(view), "network", ["dsim-network"])
            EventLog(m, key)
        static_html(cards_html(metrics), "dsim-cards-box")
        with solara.Div(classes=["dsim-panels"]):
            for (p, extension, alt), base in zip(panels, bases, strict=False):
                name = p.title.lower().replace(" ", "_")
                Chart(base, alt, name, ["dsim-timeseries"], extension, token)
        Downloads(m, -1 if playing else key)  # offered for the year shown once the run stops


def _network_alt(view: data.NetworkView) -> str:
    ties = [f"{e.source} to {e.target}: {e.kind.replace('_', ' ')}" for e in view.edges]
    return f"Network map, year {view.year}. Ties: " + "; ".join(ties)


@solara.component
def Downloads(m: Any, key: int):
    from ..run import events_frame

    name = f"{state.scenario_name.value}_seed{state.seed.value}_year{m.year}"

    def yearly() -> str:
        return m.timeseries().to_csv(index=False)

    def events() -> str:
        import json

        frame = events_frame(m)
        frame["details"] = [json.dumps(d, sort_keys=True, default=str) for d in frame["details"]]
        return frame.to_csv(index=False)

    with solara.Row(classes=["dsim-downloads"], style={"flex-wrap": "wrap"}):
        with solara.Div(classes=["dsim-download-timeseries"]):
            solara.FileDownload(
                yearly, f"{name}_timeseries.csv", "Yearly table (CSV)", mime_type="text/csv"
            )
        with solara.Div(classes=["dsim-download-events"]):
            solara.FileDownload(events, f"{name}_events.csv", "Events (CSV)", mime_type="text/csv")
        solara.Text(
            "Charts: use the camera (PNG) or disk (SVG) icon above each chart.",
            classes=["dsim-small"],
        )
