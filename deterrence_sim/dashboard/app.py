"""The classroom dashboard: a Solara page over :class:`~deterrence_sim.DeterrenceModel`.

Serve it with ``deterrence-sim dashboard`` or ``solara run deterrence_sim.dashboard.app``.

Layout: a sidebar with the scenario picker, seed, run controls (step, play/pause, reset) and the
policy levers; the main area has three tabs — *Simulation* (network map, summary cards, time
series, event log), *Compare* (one lever's effect with the scenario and seed held equal) and
*What am I looking at?* (help for students).

Why a custom Solara page rather than Mesa's ``SolaraViz``: the dashboard needs a scenario picker
whose choice re-initialises every lever, levers that map to dotted scenario overrides, a two-run
compare mode and a help tab; SolaraViz's single model-parameter panel and component grid fit none
of these, and its reset rebuilds models from keyword arguments only. The page calls the public API
only (``Scenario``, ``DeterrenceModel``, ``run_model``, ``metrics.METRICS``); all data preparation is
in :mod:`.data`, all drawing in :mod:`.plots`.

State lives in module-level ``solara.reactive`` variables: under the Solara server each browser
session (kernel) gets its own values; :func:`reset_state` restores the defaults (used by tests).
"""

from __future__ import annotations

import functools
import threading
import time
from html import escape
from typing import Any

import solara
import solara.lab

from .. import DeterrenceModel, Scenario, run_model
from ..errors import DeterrenceSimError
from ..scenario import MIX_PRESETS
from . import data
from .plots import network_figure, timeseries_figure

__all__ = ["Page", "page", "reset_state"]

#: Scenario shown first: a classroom preset when the package ships it.
PREFERRED_SCENARIO = "classroom_cliff_exit"

#: Delay between two years while playing (milliseconds).
DEFAULT_DELAY_MS = 400

#: Newest event sentences shown in the log.
EVENT_LOG_LENGTH = 40


@functools.lru_cache(maxsize=32)
def _preset(name: str) -> Scenario:
    # Presets are read from TOML and validated; cache them (scenarios are never mutated here).
    return Scenario.preset(name)


def _preset_names() -> list[str]:
    return list(Scenario.presets())


def _default_scenario() -> str:
    names = _preset_names()
    return PREFERRED_SCENARIO if PREFERRED_SCENARIO in names else names[0]


# --- state (one copy per browser session) -----------------------------------------------------

scenario_name = solara.reactive(_default_scenario())
levers = solara.reactive(data.levers_from_scenario(_preset(scenario_name.value)))
seed = solara.reactive(0)
#: The running model. It is mutated in place by ``step()``; ``version`` is bumped so views redraw.
model: solara.Reactive[Any] = solara.reactive(None)
#: The scenario (levers applied) the current model was built from.
active_scenario: solara.Reactive[Scenario | None] = solara.reactive(None)
version = solara.reactive(0)
playing = solara.reactive(False)
delay_ms = solara.reactive(DEFAULT_DELAY_MS)
error = solara.reactive("")
comparison = solara.reactive(next(iter(data.COMPARISONS)))
#: (levers A, levers B, RunResult A, RunResult B) of the last comparison, or None.
compare_result: solara.Reactive[Any] = solara.reactive(None)
compare_error = solara.reactive("")


def reset_state() -> None:
    """Restore every setting to its default and drop the model (tests; a fresh session)."""
    playing.value = False
    old = model.value
    scenario_name.value = _default_scenario()
    levers.value = data.levers_from_scenario(_preset(scenario_name.value))
    seed.value = 0
    delay_ms.value = DEFAULT_DELAY_MS
    error.value = ""
    comparison.value = next(iter(data.COMPARISONS))
    compare_result.value = None
    compare_error.value = ""
    model.value = None
    active_scenario.value = None
    if old is not None:
        old.release()


def current_scenario() -> Scenario:
    """The selected preset with the levers applied (ScenarioError if a lever value is invalid)."""
    return data.apply_levers(_preset(scenario_name.value), levers.value)


def horizon() -> int:
    return int(_preset(scenario_name.value).world.years)


#: Serialises stepping and rebuilding (the play loop steps from a worker thread).
_lock = threading.RLock()


def rebuild() -> None:
    """Build a fresh model (year 0) from the current scenario, levers and seed."""
    playing.value = False
    with _lock:
        _rebuild()


def _rebuild() -> None:
    old = model.value
    try:
        scenario = current_scenario()
        new = DeterrenceModel(scenario, seed=int(seed.value or 0))
    except DeterrenceSimError as exc:
        error.value = str(exc)
        scenario = new = None
    else:
        error.value = ""
    active_scenario.value = scenario
    # ``version`` is global and only grows, so views can key their figures on it alone; the
    # model is set first, so the figures are drawn once, on the version bump.
    model.value = new
    version.value += 1
    if old is not None and old is not new:
        old.release()  # Mesa 3.3 keeps finished models alive otherwise


def ensure_model() -> None:
    if model.value is None and not error.value:
        rebuild()


def step_years(n: int = 1) -> bool:
    """Advance the model ``n`` years (not past the horizon); False when the horizon is reached."""
    with _lock:
        m = model.value
        if m is None:
            return False
        for _ in range(n):
            if m.year >= horizon():
                break
            m.step()
    version.value += 1
    return m.year < horizon()


def toggle_play() -> None:
    m = model.value
    if m is not None and m.year >= horizon():
        rebuild()  # pressing play at the end starts the run again
    playing.value = not playing.value


def set_scenario(name: str) -> None:
    scenario_name.value = name
    levers.value = data.levers_from_scenario(_preset(name))
    compare_result.value = None
    rebuild()


def set_lever(name: str, value: Any) -> None:
    import dataclasses

    levers.value = dataclasses.replace(levers.value, **{name: value})
    compare_result.value = None
    rebuild()


def reset_levers() -> None:
    levers.value = data.levers_from_scenario(_preset(scenario_name.value))
    compare_result.value = None
    rebuild()


def set_seed(value: int | None) -> None:
    seed.value = max(0, int(value or 0))
    compare_result.value = None
    rebuild()


def run_comparison() -> None:
    """Run the chosen comparison: same scenario and seed, levers A vs B, full horizon."""
    base = _preset(scenario_name.value)
    a, b = data.compare_levers(levers.value, comparison.value)
    try:
        res_a = run_model(data.apply_levers(base, a), seed=int(seed.value or 0))
        res_b = run_model(data.apply_levers(base, b), seed=int(seed.value or 0))
    except DeterrenceSimError as exc:
        compare_error.value = str(exc)
        compare_result.value = None
        return
    compare_error.value = ""
    compare_result.value = (a, b, res_a, res_b)


# --- components -------------------------------------------------------------------------------


def _html(html: str, cls: str = "") -> None:
    # Static HTML written here, not solara.Markdown: Markdown loads KaTeX from the CDN, which
    # solara-assets does not ship, so offline it fails with a script error in the browser.
    solara.HTML(tag="div", unsafe_innerHTML=html, classes=[cls] if cls else [])


@solara.component
def RunControls():
    m = model.value
    _ = version.value
    year = m.year if m is not None else 0
    at_end = m is not None and year >= horizon()
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
        solara.Button(
            "Step",
            icon_name="mdi-skip-next",
            on_click=lambda: step_years(1),
            disabled=m is None or at_end or playing.value,
            classes=["dsim-step"],
        )
        solara.Button(
            "+10 years",
            on_click=lambda: step_years(10),
            disabled=m is None or at_end or playing.value,
            classes=["dsim-step10"],
        )
        solara.Button(
            "Pause" if playing.value else "Play",
            icon_name="mdi-pause" if playing.value else "mdi-play",
            on_click=toggle_play,
            disabled=m is None,
            color="primary",
            classes=["dsim-play"],
        )
        solara.Button("Reset", icon_name="mdi-restore", on_click=rebuild, classes=["dsim-reset"])
    LabelledSlider(
        "delay",
        "Play speed",
        f"{delay_ms.value} ms per year",
        delay_ms.value,
        delay_ms.set,
        50,
        1500,
        50,
        integer=True,
    )


@solara.component
def LabelledSlider(
    name: str,
    label: str,
    value_text: str,
    value: float,
    on_value: Any,
    min: float,
    max: float,
    step: float,
    integer: bool = False,
    disabled: bool = False,
):
    """A lever slider with its label and current value (with unit) written above it."""
    with solara.Div(classes=["dsim-lever", f"dsim-lever-{name}"]):
        solara.Text(
            f"{label}: {value_text}",
            classes=["dsim-lever-label"],
            style={"font-size": "0.85em", "color": "#9e9e9e" if disabled else "#424242"},
        )
        slider = solara.SliderInt if integer else solara.SliderFloat
        slider("", value=value, min=min, max=max, step=step, on_value=on_value, disabled=disabled)


@solara.component
def LeverControls():
    lv = levers.value
    years = horizon()
    base = _preset(scenario_name.value)
    total_budget = sum(d.budget for d in base.donors)
    _html("<b>Policy levers</b> — for every donor; moving one restarts the run.")
    with solara.Div(classes=["dsim-lever", "dsim-lever-open_ended"]):
        solara.Switch(
            label="Open-ended program (no sunset)",
            value=lv.open_ended,
            on_value=lambda v: set_lever("open_ended", bool(v)),
        )
    LabelledSlider(
        "sunset_year",
        "Sunset (aid ends)",
        "open-ended" if lv.open_ended else f"year {lv.sunset_year}",
        min(lv.sunset_year, years),
        lambda v: set_lever("sunset_year", int(v)),
        1,
        years,
        1,
        integer=True,
        disabled=lv.open_ended,
    )
    LabelledSlider(
        "taper_years",
        "Taper before the sunset",
        "cliff exit (0 years)" if lv.taper_years == 0 else f"{lv.taper_years} years",
        lv.taper_years,
        lambda v: set_lever("taper_years", int(v)),
        0,
        min(20, years),
        1,
        integer=True,
    )
    LabelledSlider(
        "conditionality",
        "Conditionality",
        f"{100 * lv.conditionality:.0f}% of aid tied to reform",
        lv.conditionality,
        lambda v: set_lever("conditionality", round(float(v), 4)),
        0.0,
        1.0,
        0.05,
    )
    LabelledSlider(
        "enforcement",
        "Enforcement",
        f"{100 * lv.enforcement:.0f}% chance a missed benchmark is punished",
        lv.enforcement,
        lambda v: set_lever("enforcement", round(float(v), 4)),
        0.0,
        1.0,
        0.05,
    )
    LabelledSlider(
        "audit_intensity",
        "Audit intensity",
        f"{lv.audit_intensity:.2f} (0 none, 1 continuous)",
        lv.audit_intensity,
        lambda v: set_lever("audit_intensity", round(float(v), 4)),
        0.0,
        1.0,
        0.05,
    )
    LabelledSlider(
        "budget_scale",
        "Budget",
        f"×{lv.budget_scale:g} = {total_budget * lv.budget_scale:.3g} $bn/yr in total",
        lv.budget_scale,
        lambda v: set_lever("budget_scale", round(float(v), 4)),
        0.0,
        3.0,
        0.25,
    )
    with solara.Div(classes=["dsim-lever", "dsim-lever-instrument_mix"]):
        solara.Select(
            "Instrument mix (training / equipment / intelligence / governance / stabilization)",
            values=[data.MIX_AS_SCENARIO, *MIX_PRESETS],
            value=lv.instrument_mix,
            on_value=lambda v: set_lever("instrument_mix", v),
        )
    with solara.Div(classes=["dsim-lever", "dsim-lever-commitment"]):
        solara.Select(
            "Commitment type (none / assurance / bilateral pact / alliance)",
            values=list(data.COMMITMENT_LABELS),
            value=lv.commitment,
            on_value=lambda v: set_lever("commitment", v),
        )
    with solara.Div(classes=["dsim-lever", "dsim-lever-tripwire"]):
        solara.Checkbox(
            label="Tripwire (donor troops stationed with the partner)",
            value=lv.tripwire,
            on_value=lambda v: set_lever("tripwire", bool(v)),
        )
    with solara.Div(classes=["dsim-lever", "dsim-lever-channel"]):
        solara.Select(
            "Aid channel (bilateral, or pooled through the alliance)",
            values=["bilateral", "pooled"],
            value=lv.channel,
            on_value=lambda v: set_lever("channel", v),
        )
    solara.Button(
        "Levers back to the scenario's values",
        on_click=reset_levers,
        text=True,
        small=True,
        classes=["dsim-reset-levers"],
    )


@solara.component
def Controls():
    presets = Scenario.presets()
    with solara.Div(classes=["dsim-scenario"]):
        solara.Select(
            "Scenario", values=list(presets), value=scenario_name.value, on_value=set_scenario
        )
    solara.Text(presets.get(scenario_name.value, ""), style={"font-size": "0.85em"})
    with solara.Div(classes=["dsim-seed"]):
        solara.InputInt(
            "Seed (whole number ≥ 0; same seed = same luck)",
            value=seed.value,
            on_value=set_seed,
            continuous_update=True,  # no need to press Enter; a model build is cheap
        )
    RunControls()
    LeverControls()


@solara.component
def NetworkMap(m: Any, key: int):
    # Node sizes are relative to the states' capabilities when this model was first drawn.
    reference = solara.use_memo(lambda: data.size_references(data.node_states(m)), [id(m)])

    def make():
        states = data.node_states(m)
        view = data.network_view(m.graph, states, m.event_log, m.year, reference=reference)
        return network_figure(view, title=f"The world in year {m.year}")

    fig = solara.use_memo(make, dependencies=[key])
    with solara.Div(classes=["dsim-network"]):
        solara.FigureMatplotlib(fig, dependencies=[key], format="png")


@solara.component
def TimeSeries(m: Any, key: int):
    def make():
        frame = m.timeseries()
        panels = data.timeseries_panels(frame)
        scenario = active_scenario.value
        marks = data.sunset_marks(scenario) if scenario is not None else []
        return timeseries_figure([("", panels)], [marks], horizon())

    fig = solara.use_memo(make, dependencies=[key])
    with solara.Div(classes=["dsim-timeseries"]):
        solara.FigureMatplotlib(fig, dependencies=[key], format="png")


@solara.component
def MetricCards(metrics: dict, key: Any = None):
    from ..metrics import METRICS

    cards = data.metric_cards(metrics, METRICS)
    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}, classes=["dsim-cards"]):
        for card in cards:
            with solara.Tooltip(card.description or card.label):
                with solara.Card(
                    margin=0,
                    elevation=1,
                    classes=["dsim-card"],
                    style={"width": "128px", "padding": "2px 6px"},
                ):
                    solara.Text(
                        card.label,
                        style={
                            "display": "block",
                            "font-size": "0.75em",
                            "line-height": "1.25",
                            "color": "#616161",
                        },
                    )
                    solara.HTML(
                        tag="div",
                        unsafe_innerHTML=f"<b style='font-size:1.3em'>{card.text}</b> "
                        f"<span style='font-size:0.75em'>{card.unit}</span>",
                    )


@solara.component
def LiveMetrics(m: Any, key: int):
    metrics = solara.use_memo(lambda: m.metrics(), dependencies=[key])
    MetricCards(metrics, key)


@solara.component
def EventLog(events: Any, year: int):
    sentences = data.event_sentences(events, limit=EVENT_LOG_LENGTH)
    with solara.Card("Event log (newest first)", margin=0, classes=["dsim-events"]):
        if not sentences:
            solara.Text("Nothing has happened yet. Press Step or Play.", classes=["dsim-no-events"])
        with solara.Div(style={"max-height": "220px", "overflow-y": "auto"}):
            for s in sentences:
                this_year = s.startswith(f"Year {year}:")
                solara.Text(
                    s,
                    classes=["dsim-event"],
                    style={"display": "block", "font-weight": "bold" if this_year else "normal"},
                )


@solara.component
def SimulationView():
    m = model.value
    scenario = active_scenario.value
    key = version.value
    if error.value:
        solara.Error(error.value)
    if m is None or scenario is None:
        solara.Text("No model yet.")
        return
    with solara.Row(style={"align-items": "baseline"}):
        solara.Text(
            f"Year {m.year} of {horizon()}",
            classes=["dsim-year"],
            style={"font-size": "1.4em", "font-weight": "bold"},
        )
        solara.Text(
            f"{scenario.name}, seed {seed.value}" + (" — playing" if playing.value else ""),
            style={"color": "#616161"},
        )
    with solara.Columns([3, 2]):
        with solara.Column():
            NetworkMap(m, key)
            TimeSeries(m, key)
        with solara.Column():
            # The story first (what just happened), then the run's summary numbers.
            EventLog(m.event_log, m.year)
            LiveMetrics(m, key)


@solara.component
def CompareView():
    _html(
        "Run the <b>same scenario and seed</b> twice, changing one policy choice, so the "
        "difference comes from the policy and not from luck. The other levers are those in the "
        "sidebar."
    )
    with solara.Row(style={"align-items": "center"}):
        solara.Select(
            "Comparison",
            values=list(data.COMPARISONS),
            value=comparison.value,
            on_value=lambda v: (comparison.set(v), compare_result.set(None)),
        )
        solara.Button(
            "Run comparison",
            icon_name="mdi-compare",
            on_click=run_comparison,
            color="primary",
            classes=["dsim-run-compare"],
        )
    chosen = data.COMPARISONS[comparison.value]
    solara.Text(chosen.description)
    if compare_error.value:
        solara.Error(compare_error.value)
    result = compare_result.value
    if result is None:
        solara.Info("Press “Run comparison” to run both settings over the whole horizon.")
        return
    CompareResult(result, chosen)


@solara.component
def CompareResult(result: tuple, chosen: data.Comparison):
    _, _, res_a, res_b = result
    from ..metrics import METRICS

    label_a = f"A: {chosen.label_a}"
    label_b = f"B: {chosen.label_b}"
    with solara.Div(classes=["dsim-compare-result"]):
        with solara.Columns([1, 1]):
            for label, res in ((label_a, res_a), (label_b, res_b)):
                with solara.Card(label, margin=0, classes=["dsim-compare-side"]):
                    MetricCards(res.metrics)
                    solara.Text(
                        f"{len(res.events)} events; first: "
                        + (data.event_sentences(res.events, 1, newest_first=False) or ["none"])[0],
                        style={"font-size": "0.85em"},
                    )
        fig = solara.use_memo(
            lambda: timeseries_figure(
                [
                    (label_a, data.timeseries_panels(res_a.timeseries)),
                    (label_b, data.timeseries_panels(res_b.timeseries)),
                ],
                [data.sunset_marks(res_a.scenario), data.sunset_marks(res_b.scenario)],
                res_a.years,
            ),
            dependencies=[id(result)],
        )
        with solara.Div(classes=["dsim-compare-plot"]):
            solara.FigureMatplotlib(fig, dependencies=[id(result)], format="png")
        rows = data.compare_rows(res_a.metrics, res_b.metrics, METRICS)
        head = "".join(f"<th>{h}</th>" for h in ("metric", "A", "B", "B − A"))
        body = "".join(
            "<tr>"
            + "".join(f"<td>{escape(r[k])}</td>" for k in ("metric", "A", "B", "B − A"))
            + "</tr>"
            for r in rows
        )
        _html(f"<table class='dsim-table'><tr>{head}</tr>{body}</table>", "dsim-compare-table")


HELP_HTML = """
<h3>What am I looking at?</h3>
<p>This is a simulated world of <b>donors</b> (states that give security assistance), <b>partners</b> (states that receive it) and <b>aggressors</b> (states or insurgencies that may attack a partner). Every step is one <b>year</b>.</p>
<p><b>The network map</b> (top left): squares are donors, circles partners, triangles aggressors. A bigger symbol means more <i>effective military capability</i> (equipment × readiness × skill). A partner's colour shows its <b>governance</b> — red is poor (corruption, weak civilian control), green is good. Green arrows are <b>aid</b>, blue dashed arrows <b>security commitments</b>, purple lines <b>alliances</b>, red dotted arrows <b>rivalries</b>. When an aggressor attacks or goes to war this year, its arrow turns thick red.</p>
<p><b>The cards</b> (right) sum up the run so far: how often partners were attacked, how capable they are now, how much they depend on donors to keep their forces running, and what it cost. <i>n/a</i> means the measure does not apply yet (for example, nothing can be kept "after exit" before the donor exits).</p>
<p><b>The time series</b> (below the map) show how things changed year by year. The dashed vertical line is the <b>sunset year</b> (the donor's aid ends); a dotted line marks where the aid starts to taper.</p>
<p><b>The event log</b> (right, newest first; this year in bold) tells the story in sentences: attacks, interventions, reforms, exits.</p>
<p><b>The levers</b> (sidebar) are the donors' policy: when aid ends (<i>sunset</i>) and how gently (<i>taper</i>), how much of it is tied to reforms (<i>conditionality</i>) and whether that is enforced, audits, what the aid buys (<i>instrument mix</i>), what the donor promises (<i>commitment</i>, <i>tripwire</i>), whether it is given alone or through an alliance (<i>channel</i>), and how much (<i>budget</i>). Moving a lever restarts the run.</p>
<p><b>Compare</b> runs the same world with the same luck (seed) under two settings of one lever — for example a cliff exit against a tapered exit — so any difference comes from the policy.</p>
<p>The model is a teaching and research tool built from published findings, not a forecast: in particular, there is no quantitative evidence on sunset clauses, so what it shows about them are hypotheses to discuss.</p>
"""


@solara.component
def Help():
    with solara.Div(classes=["dsim-help"]):
        _html(HELP_HTML)


#: Figures shrink with the window instead of overflowing their column.
CSS = """
.dsim-network img, .dsim-timeseries img, .dsim-compare-plot img { max-width: 100%; height: auto; }
.dsim-lever .v-input { margin-top: 0; }
.dsim-table { border-collapse: collapse; font-size: 0.9em; margin-top: 8px; }
.dsim-table th, .dsim-table td { border-bottom: 1px solid #e0e0e0; padding: 2px 10px; text-align: right; }
.dsim-table th:first-child, .dsim-table td:first-child { text-align: left; }
.dsim-help { max-width: 52em; }
"""


@solara.component
def Page():
    """The dashboard page (``solara run`` looks for ``Page``)."""
    solara.Title("deterrence-sim classroom dashboard")
    solara.Style(CSS)
    solara.use_effect(ensure_model, [])

    def play_loop():
        # A worker thread (Solara gives it the session's context); steps and rebuilds share
        # ``_lock``, and the loop stops as soon as the model it started with is replaced.
        started_with = model.value
        while playing.value and model.value is started_with:
            time.sleep(max(0.02, delay_ms.value / 1000))
            if not playing.value or model.value is not started_with:
                break
            if not step_years(1):
                playing.value = False

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    with solara.Sidebar():
        Controls()
    with solara.lab.Tabs():
        with solara.lab.Tab("Simulation"):
            SimulationView()
        with solara.lab.Tab("Compare"):
            CompareView()
        with solara.lab.Tab("What am I looking at?"):
            Help()


#: Alias: some tools look for a lower-case ``page``.
page = Page
