"""Data preparation for the dashboard: plain functions from model state to what the views draw.

Nothing here imports Solara or draws anything, so every function is unit-tested without a browser
(tests/test_dashboard_data.py). The functions read only the public API of the package
(``Scenario``, ``DeterrenceModel`` attributes, ``RunResult``, ``metrics.METRICS``); no model logic
lives in the dashboard.

The policy levers are in :mod:`.levers`, the "Why?" texts in :mod:`.explain`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..events import EVENT_KINDS
from ..metrics import CARD_METRICS  # the cards and their labels: the metric registry
from ..scenario import Scenario

__all__ = [
    "CARD_METRICS",
    "COMPARISONS",
    "HIGHLIGHT_KINDS",
    "ROLE_COLOURS",
    "TIMESERIES_PANELS",
    "EdgeView",
    "MetricCard",
    "NetworkView",
    "NodeView",
    "Panel",
    "SunsetMark",
    "apply_levers",
    "compare_levers",
    "compare_rows",
    "event_sentences",
    "format_change",
    "format_value",
    "governance_colour",
    "lever_overrides",
    "levers_from_scenario",
    "metric_cards",
    "metric_description",
    "metric_unit",
    "network_view",
    "node_states",
    "role_positions",
    "size_references",
    "sunset_marks",
    "tie_states",
    "timeseries_panels",
]

# --- the network map --------------------------------------------------------------------------

#: Fill colour for states without a governance score (only partners carry ``governance``).
ROLE_COLOURS: dict[str, str] = {"donor": "#5c8dd6", "aggressor": "#6d4c41", "partner": "#9e9e9e"}

#: Node areas (points²) for the smallest and the reference capability.
MIN_NODE_SIZE = 250.0
MAX_NODE_SIZE = 2600.0


@dataclass(frozen=True)
class NodeView:
    """One state as drawn: position, marker area (points²), fill colour and label (the marker's
    shape follows the role, :data:`.charts.SYMBOLS`)."""

    name: str
    role: str
    x: float
    y: float
    size: float
    colour: str
    label: str
    capability: float
    governance: float | None


@dataclass(frozen=True)
class EdgeView:
    """One tie as drawn (parallel ties of the same kind collapse into one); its style is the
    chart's (:data:`.charts.TIE_STYLES`, by ``kind``, or ``attack`` when highlighted)."""

    source: str
    target: str
    kind: str
    highlighted: bool = False


@dataclass(frozen=True)
class NetworkView:
    """Everything the network map needs for one year."""

    year: int
    nodes: list[NodeView]
    edges: list[EdgeView]

    def node(self, name: str) -> NodeView:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)


def node_states(model: Any) -> dict[str, dict[str, Any]]:
    """Role, effective capability (capability points) and governance (0–1, partners only) per state.

    Reads the public agent lists of a :class:`~deterrence_sim.DeterrenceModel`.
    """
    out: dict[str, dict[str, Any]] = {}
    for role, agents in (
        ("donor", model.donors),
        ("partner", model.partners),
        ("aggressor", model.aggressors),
    ):
        for agent in agents:
            out[agent.name] = {
                "role": role,
                "capability": float(getattr(agent, "capability", 0.0) or 0.0),
                "governance": (
                    float(agent.governance)
                    if role == "partner" and getattr(agent, "governance", None) is not None
                    else None
                ),
                "kind": getattr(agent, "kind", None),
                "exited": bool(getattr(agent, "exited", False)),
            }
    return out


def role_positions(roles: Mapping[str, str]) -> dict[str, tuple[float, float]]:
    """A fixed layered layout: donors left, partners centre, aggressors right.

    Positions depend only on the names and roles, so nodes never jump while the model steps (a
    force-directed layout would reshuffle whenever a tie appears). Each column is spread evenly over
    y in [0, 1], in the order given.
    """
    columns = {"donor": 0.0, "partner": 1.0, "aggressor": 2.0}
    by_role: dict[str, list[str]] = {r: [] for r in columns}
    for name, role in roles.items():
        by_role.setdefault(role, []).append(name)
    pos: dict[str, tuple[float, float]] = {}
    for role, names in by_role.items():
        x = columns.get(role, 3.0)
        n = len(names)
        for i, name in enumerate(names):
            y = 0.5 if n == 1 else 1.0 - i / (n - 1)
            pos[name] = (x, y)
    return pos


def governance_colour(governance: float) -> str:
    """Hex colour for a governance score in [0, 1]: red (poor) → yellow → green (good)."""
    g = min(1.0, max(0.0, float(governance)))
    return _governance_colour(round(g, 3))


@functools.lru_cache(maxsize=1024)
def _governance_colour(g: float) -> str:
    # Cached: matplotlib's colormap lookup costs ~1 ms, and the map is redrawn every year.
    from matplotlib import colormaps, colors

    return colors.to_hex(colormaps["RdYlGn"](g))


def _node_size(capability: float, reference: float) -> float:
    # Area grows with the square root of capability (relative to a fixed reference, so sizes are
    # comparable across years): a 100x stronger donor is drawn 10x larger, not 100x.
    if reference <= 0 or not math.isfinite(capability):
        return MIN_NODE_SIZE
    rel = min(max(capability, 0.0) / reference, 2.0)
    return MIN_NODE_SIZE + (MAX_NODE_SIZE - MIN_NODE_SIZE) * math.sqrt(rel / 2.0)


#: Roles sized on a common scale: partners and aggressors (the local balance a student compares);
#: donors, tens to hundreds of times stronger, are sized among themselves.
SIZE_GROUPS: dict[str, str] = {"donor": "donors", "partner": "local", "aggressor": "local"}


def size_references(states: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    """Capability drawn at full node size, per size group (see :data:`SIZE_GROUPS`).

    Take it from the first year of a run and keep it, so that growth and collapse show as nodes
    growing and shrinking.
    """
    refs: dict[str, float] = {}
    for st in states.values():
        group = SIZE_GROUPS.get(str(st.get("role")), "local")
        cap = float(st.get("capability") or 0.0)
        if math.isfinite(cap):
            refs[group] = max(refs.get(group, 0.0), cap)
    return {g: (v if v > 0 else 1.0) for g, v in refs.items()}


def _event_fields(event: Any) -> tuple[int, str, tuple[str, ...], str]:
    """(year, kind, actors, text) of an Event object, a dict or a DataFrame row."""
    if isinstance(event, Mapping):
        year, kind, actors, text = (
            event.get("year"),
            event.get("kind"),
            event.get("actors"),
            event.get("text"),
        )
    else:
        year, kind, actors, text = (
            getattr(event, "year", None),
            getattr(event, "kind", ""),
            getattr(event, "actors", ()),
            getattr(event, "text", ""),
        )
    if isinstance(actors, str):
        actors = tuple(a.strip() for a in actors.split(",") if a.strip())
    return int(year), str(kind or ""), tuple(actors or ()), str(text or "")


def _events_list(events: Any) -> list[Any]:
    if events is None:
        return []
    if hasattr(events, "to_dict") and hasattr(events, "columns"):  # a pandas DataFrame
        return events.to_dict("records")
    return list(events)


#: What each event kind does to a donor → partner tie (the latest such event wins): the registry's
#: ``EventSpec.tie``.
TIE_EVENTS: dict[str, str] = {k: spec.tie for k, spec in EVENT_KINDS.items() if spec.tie}

#: Event kinds drawn as a red tie on the map in the year they happen (attacks).
HIGHLIGHT_KINDS: tuple[str, ...] = tuple(k for k, spec in EVENT_KINDS.items() if spec.highlight)


def tie_states(events: Any, year: int | None = None) -> tuple[dict[tuple[str, str], str], set[str]]:
    """The state of every aid tie at ``year`` from the event log, and the donors that left.

    Returns ({(donor, partner): "aid" | "aid_ended" | "aid_suspended" | "rejected"}, exited
    donors). A tie-ending event naming only a donor (an ``exit`` for lack of political will) ends
    all of that donor's ties and marks the donor as exited.
    """
    ties: dict[tuple[str, str], str] = {}
    exited: set[str] = set()
    for ev in _events_list(events):
        ev_year, kind, actors, _ = _event_fields(ev)
        if (year is not None and ev_year > year) or kind not in TIE_EVENTS or not actors:
            continue
        state = TIE_EVENTS[kind]
        if len(actors) == 1:
            if state == "aid_ended":
                exited.add(actors[0])
            for pair in [p for p in ties if p[0] == actors[0]]:
                ties[pair] = state
        else:
            if ties.get((actors[0], actors[1])) == "rejected" and state != "aid":
                continue
            ties[(actors[0], actors[1])] = state
    return ties, exited


def network_view(
    graph: Any,
    states: Mapping[str, Mapping[str, Any]],
    events: Any = (),
    year: int = 0,
    reference: Mapping[str, float] | None = None,
) -> NetworkView:
    """Nodes and edges of the network map for ``year``.

    ``graph``: the model's networkx graph (edge attribute ``kind``); ``states``: from
    :func:`node_states`; ``events``: the event log (Event objects or an events DataFrame); attacks
    and wars of ``year`` are highlighted (a rivalry edge turns red and thick, or a red edge is added
    when there is none). ``reference``: the capability drawn at full size (use the scenario's
    first-year :func:`size_references`, so that sizes are comparable across years; default: this
    year's).
    """
    roles = {}
    for name in graph.nodes:
        roles[name] = (states.get(name) or {}).get("role") or graph.nodes[name].get("role", "")
    for name, st in states.items():  # states missing from the graph still get drawn
        roles.setdefault(name, st.get("role", ""))
    pos = role_positions(roles)
    ties, exited = tie_states(events, year)
    refs = dict(size_references(states))
    refs.update(reference or {})

    nodes = []
    for name, role in roles.items():
        st = states.get(name, {})
        cap = float(st.get("capability") or 0.0)
        gov = st.get("governance")
        colour = governance_colour(gov) if gov is not None else ROLE_COLOURS.get(role, "#9e9e9e")
        label = name
        if st.get("kind") == "insurgency":
            label = f"{name}\n(insurgency)"
        own = [t for (d, _), t in ties.items() if d == name]
        if st.get("exited") or name in exited:
            label = f"{name}\n(exited)"
        elif role == "donor" and own and all(t != "aid" for t in own):
            label = f"{name}\n(aid ended)"
        nodes.append(
            NodeView(
                name=name,
                role=role,
                x=pos[name][0],
                y=pos[name][1],
                size=_node_size(cap, refs.get(SIZE_GROUPS.get(role, "local"), 1.0)),
                colour=colour,
                label=label,
                capability=cap,
                governance=gov,
            )
        )

    hot: set[tuple[str, str]] = set()
    for ev in _events_list(events):
        ev_year, kind, actors, _ = _event_fields(ev)
        if ev_year == year and kind in HIGHLIGHT_KINDS and len(actors) >= 2:
            hot.add((actors[0], actors[1]))

    edges: list[EdgeView] = []
    seen: set[tuple[str, str, str]] = set()
    for u, v, data in graph.edges(data=True):
        kind = str(data.get("kind", ""))
        if (u, v, kind) in seen or u not in pos or v not in pos:
            continue
        seen.add((u, v, kind))
        if kind == "aid":
            kind = ties.get((u, v), "aid")
        edges.append(EdgeView(u, v, kind, kind == "rivalry" and (u, v) in hot))
    drawn = {(e.source, e.target) for e in edges}
    for (u, v), state in sorted(ties.items()):  # a rejected program may have no aid edge
        if state == "rejected" and (u, v) not in drawn and u in pos and v in pos:
            edges.append(EdgeView(u, v, "rejected"))
    covered = {(e.source, e.target) for e in edges if e.highlighted}
    for u, v in sorted(hot - covered):
        if u in pos and v in pos:
            edges.append(EdgeView(u, v, "attack", True))
    return NetworkView(year=year, nodes=nodes, edges=edges)


# --- time series ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """One time-series panel: a title, a y-axis unit and the (column, legend label) series."""

    title: str
    unit: str
    series: tuple[tuple[str, str], ...]
    kind: str = "line"  # "line" or "bar"


#: The panels of the time-series view, in order.
TIMESERIES_PANELS: tuple[Panel, ...] = (
    Panel(
        "Military capability",
        "capability points",
        (
            ("partner_capability", "partners (mean)"),
            ("aggressor_capability", "state aggressors"),
            ("insurgency", "insurgents"),
        ),
    ),
    Panel(
        "Partner governance, readiness and dependency",
        "0–1",
        (("governance", "governance"), ("readiness", "readiness"), ("dependency", "dependency")),
    ),
    Panel("Attacks and wars", "count per year", (("attacks", "attacks"), ("wars", "wars")), "bar"),
    Panel("Aid and donor cost", "$bn/yr", (("aid", "aid delivered"), ("donor_cost", "donor cost"))),
)


def timeseries_panels(
    frame: Any, panels: Sequence[Panel] = TIMESERIES_PANELS
) -> list[tuple[Panel, Any]]:
    """(panel, plot frame) pairs: each frame has ``year`` plus that panel's columns.

    Columns the time series lacks are dropped from the panel; a panel with none left is skipped.
    """
    out = []
    for panel in panels:
        present = tuple((c, lab) for c, lab in panel.series if c in frame.columns)
        if not present:
            continue
        sub = frame[["year", *[c for c, _ in present]]].copy()
        sub["year"] = sub["year"].astype(int)
        out.append((dataclasses.replace(panel, series=present), sub.reset_index(drop=True)))
    return out


@dataclass(frozen=True)
class SunsetMark:
    """A donor's program end: taper starts at ``taper_start`` and aid is zero from ``sunset``."""

    donor: str
    sunset: int
    taper_start: int


def sunset_marks(scenario: Scenario) -> list[SunsetMark]:
    """The sunset year (and taper start) of every donor with a scheduled end (open-ended: none)."""
    marks = []
    for donor in scenario.donors:
        sunset = donor.policy.sunset_year
        if sunset is None:
            continue
        marks.append(
            SunsetMark(donor.name, int(sunset), int(sunset) - int(donor.policy.taper_years))
        )
    return marks


# --- the event log ----------------------------------------------------------------------------


def event_sentences(events: Any, limit: int | None = None, newest_first: bool = True) -> list[str]:
    """The event log as plain sentences (``Event.text``), newest first by default.

    ``events``: a list of Event objects (``model.event_log``) or an events DataFrame
    (``RunResult.events``); ``limit``: keep only that many.
    """
    rows = [_event_fields(e) for e in _events_list(events)]
    texts = [text for _, _, _, text in rows if text]
    if newest_first:
        texts.reverse()
    return texts[:limit] if limit is not None else texts


# --- summary cards ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricCard:
    """One summary card: the formatted value and its unit, with the metric's description."""

    name: str
    label: str
    value: float
    text: str
    unit: str
    description: str


#: Units shown as percentages.
PERCENT_UNITS = ("share", "probability", "ratio")

#: Units not repeated under a card's value (the label or the % sign says it).
SILENT_UNITS = ("share", "probability", "ratio", "count", "-", "G")


def format_value(value: Any, unit: str = "") -> str:
    """A metric value as students read it: 3 significant digits, 'n/a' where it does not apply."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(v):
        return "n/a"
    if unit in PERCENT_UNITS or unit.startswith("share"):
        return _plain(100 * v, 3) + "%"
    return _plain(v, 3)


def _plain(v: float, digits: int) -> str:
    """``v`` to ``digits`` significant digits without an exponent; 0 for |v| < 0.0005."""
    if abs(v) < 5e-4:
        return "0"
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    if abs(v) >= 10**digits:
        return f"{v:,.0f}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(v))))
    text = f"{v:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_change(diff: float, unit: str = "", zero: str = "no change") -> str:
    """A difference B − A with its sign: percentage points for shares; never "+0" for a change.

    ``zero``: the words for no difference (e.g. "0" inside an interval).
    """
    if not math.isfinite(diff):
        return "n/a"
    percent = unit in PERCENT_UNITS or unit.startswith("share")
    value = 100 * diff if percent else diff
    if abs(value) < 5e-4:
        return zero
    text = _plain(abs(value), 3 if abs(value) >= 1 else 2)
    if text == "0":
        text = f"{abs(value):.2g}"
    return ("+" if value > 0 else "−") + text + (" pts" if percent else "")


def metric_unit(catalogue: Mapping[str, Any], name: str) -> str:
    """A metric's unit from ``metrics.METRICS`` (a (unit, description) pair or an object)."""
    entry = catalogue.get(name)
    if entry is None:
        return ""
    if isinstance(entry, tuple | list):
        return str(entry[0])
    return str(getattr(entry, "unit", ""))


def metric_description(catalogue: Mapping[str, Any], name: str) -> str:
    """A metric's definition for a tooltip ("NaN" reads "n/a", as on the cards)."""
    entry = catalogue.get(name)
    if entry is None:
        return ""
    text = entry[1] if isinstance(entry, tuple | list) else getattr(entry, "description", "")
    return str(text).replace("NaN", "n/a")


def metric_cards(
    metrics: Mapping[str, float],
    catalogue: Mapping[str, tuple[str, str]] | None = None,
    names: Iterable[tuple[str, str]] = CARD_METRICS,
) -> list[MetricCard]:
    """Cards for the metrics in ``names`` that the run reports (``catalogue``: ``metrics.METRICS``)."""
    catalogue = catalogue or {}
    cards = []
    for name, label in names:
        if name not in metrics:
            continue
        unit, description = metric_unit(catalogue, name), metric_description(catalogue, name)
        value = metrics[name]
        shown_unit = "" if unit in SILENT_UNITS or unit.startswith("share") else unit
        try:
            fvalue = float(value)
        except (TypeError, ValueError):
            fvalue = math.nan
        cards.append(
            MetricCard(name, label, fvalue, format_value(value, unit), shown_unit, description)
        )
    return cards


def compare_rows(
    metrics_a: Mapping[str, float],
    metrics_b: Mapping[str, float],
    catalogue: Mapping[str, tuple[str, str]] | None = None,
    names: Iterable[tuple[str, str]] = CARD_METRICS,
) -> list[dict[str, str]]:
    """Rows of a side-by-side metric table: label, A, B and the change B − A (as text)."""
    catalogue = catalogue or {}
    rows = []
    for name, label in names:
        if name not in metrics_a and name not in metrics_b:
            continue
        unit = metric_unit(catalogue, name)
        a, b = metrics_a.get(name, math.nan), metrics_b.get(name, math.nan)
        try:
            diff = float(b) - float(a)
        except (TypeError, ValueError):
            diff = math.nan
        diff_text = format_change(diff, unit)
        shown_unit = "" if unit in SILENT_UNITS or unit.startswith("share") else unit
        rows.append(
            {
                "metric": f"{label} ({shown_unit})" if shown_unit else label,
                "A": format_value(a, unit),
                "B": format_value(b, unit),
                "B − A": diff_text,
            }
        )
    return rows


# The classroom notebook (notebooks/05_classroom_lesson) reaches the levers and the named
# comparisons through this module; they live in .levers and .compare.
from .compare import COMPARISONS, compare_levers  # noqa: E402
from .levers import apply_levers, lever_overrides, levers_from_scenario  # noqa: E402
