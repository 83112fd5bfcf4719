"""Data preparation for the dashboard: plain functions from model state to what the views draw.

Nothing here imports Solara or draws anything, so every function is unit-tested without a browser
(tests/test_dashboard_data.py). The functions read only the public API of the package
(``Scenario``, ``DeterrenceModel`` attributes, ``RunResult``, ``metrics.METRICS``); no model logic
lives in the dashboard.

The policy levers on the dashboard apply to every donor of the scenario at once (dotted-path
overrides ``donors.*.policy.<lever>``). A lever left at the scenario's own value (the first donor's
setting) is not overridden, so a preset whose donors differ (e.g. one donor training-heavy, another
balanced) keeps those differences until the user moves that lever.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..metrics import CARD_METRICS  # the cards and their labels: the metric registry
from ..scenario import MIX_PRESETS, Scenario

__all__ = [
    "CARD_METRICS",
    "COMMITMENT_LABELS",
    "COMPARISONS",
    "EDGE_STYLES",
    "HIGHLIGHT_KINDS",
    "MIX_AS_SCENARIO",
    "ROLE_COLOURS",
    "ROLE_MARKERS",
    "TIMESERIES_PANELS",
    "Comparison",
    "EdgeView",
    "Levers",
    "MetricCard",
    "NetworkView",
    "NodeView",
    "Panel",
    "SunsetMark",
    "apply_levers",
    "compare_levers",
    "compare_rows",
    "event_sentences",
    "format_value",
    "governance_colour",
    "lever_overrides",
    "levers_from_scenario",
    "metric_cards",
    "network_view",
    "node_states",
    "role_positions",
    "size_references",
    "sunset_marks",
    "timeseries_panels",
]

# --- the network map --------------------------------------------------------------------------

#: Marker shape per role (matplotlib marker codes): donors squares, partners circles, aggressors
#: triangles, so roles stay distinguishable in greyscale prints and for colour-blind students.
ROLE_MARKERS: dict[str, str] = {"donor": "s", "partner": "o", "aggressor": "^"}

#: Fill colour for states without a governance score (only partners carry ``governance``).
ROLE_COLOURS: dict[str, str] = {"donor": "#5c8dd6", "aggressor": "#6d4c41", "partner": "#9e9e9e"}

#: Edge style per tie kind: (colour, line style, width, legend label).
EDGE_STYLES: dict[str, tuple[str, str, float, str]] = {
    "aid": ("#2e7d32", "solid", 2.0, "aid"),
    "commitment": ("#1565c0", "dashed", 1.4, "security commitment"),
    "alliance": ("#7b1fa2", "dashdot", 1.2, "alliance"),
    "rivalry": ("#c62828", "dotted", 1.6, "rivalry"),
    "attack": ("#d50000", "solid", 4.5, "attack / war this year"),
}

#: Event kinds highlighted on the map in the year they happen (matched as substrings, so
#: ``attack``, ``preventive_attack``, ``war`` and ``war_outcome`` all count).
HIGHLIGHT_KINDS: tuple[str, ...] = ("attack", "war")

#: Node areas (points²) for the smallest and the reference capability.
MIN_NODE_SIZE = 250.0
MAX_NODE_SIZE = 2600.0


@dataclass(frozen=True)
class NodeView:
    """One state as drawn: position, marker area (points²), fill colour and label."""

    name: str
    role: str
    x: float
    y: float
    size: float
    colour: str
    marker: str
    label: str
    capability: float
    governance: float | None


@dataclass(frozen=True)
class EdgeView:
    """One tie as drawn (parallel ties of the same kind collapse into one)."""

    source: str
    target: str
    kind: str
    colour: str
    style: str
    width: float
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
    from matplotlib import colormaps, colors

    g = min(1.0, max(0.0, float(governance)))
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
        if st.get("exited"):
            label = f"{name}\n(exited)"
        nodes.append(
            NodeView(
                name=name,
                role=role,
                x=pos[name][0],
                y=pos[name][1],
                size=_node_size(cap, refs.get(SIZE_GROUPS.get(role, "local"), 1.0)),
                colour=colour,
                marker=ROLE_MARKERS.get(role, "o"),
                label=label,
                capability=cap,
                governance=gov,
            )
        )

    hot: set[tuple[str, str]] = set()
    for ev in _events_list(events):
        ev_year, kind, actors, _ = _event_fields(ev)
        if ev_year == year and any(k in kind for k in HIGHLIGHT_KINDS) and len(actors) >= 2:
            hot.add((actors[0], actors[1]))

    edges: list[EdgeView] = []
    seen: set[tuple[str, str, str]] = set()
    for u, v, data in graph.edges(data=True):
        kind = str(data.get("kind", ""))
        if (u, v, kind) in seen or u not in pos or v not in pos:
            continue
        seen.add((u, v, kind))
        colour, style, width, _ = EDGE_STYLES.get(kind, ("#757575", "solid", 1.0, kind))
        highlighted = kind == "rivalry" and (u, v) in hot
        if highlighted:
            colour, style, width, _ = EDGE_STYLES["attack"]
        edges.append(EdgeView(u, v, kind, colour, style, width, highlighted))
    covered = {(e.source, e.target) for e in edges if e.highlighted}
    for u, v in sorted(hot - covered):
        if u in pos and v in pos:
            colour, style, width, _ = EDGE_STYLES["attack"]
            edges.append(EdgeView(u, v, "attack", colour, style, width, True))
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
        pct = 100 * v
        return f"{pct:.1f}%" if abs(pct) < 10 and pct != int(pct) else f"{pct:.0f}%"
    if v == int(v) and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.3g}"


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
        unit, description = catalogue.get(name, ("", ""))
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
        unit = catalogue.get(name, ("", ""))[0]
        a, b = metrics_a.get(name, math.nan), metrics_b.get(name, math.nan)
        try:
            diff = float(b) - float(a)
        except (TypeError, ValueError):
            diff = math.nan
        if math.isfinite(diff):
            sign = "+" if diff > 0 else ""
            diff_text = (
                f"{sign}{100 * diff:.0f} pts"
                if unit in PERCENT_UNITS or unit.startswith("share")
                else f"{sign}{diff:.3g}"
            )
        else:
            diff_text = "n/a"
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


# --- policy levers ----------------------------------------------------------------------------

#: Select value meaning "keep each donor's instrument mix from the scenario".
MIX_AS_SCENARIO = "as in scenario"

#: Commitment types with the words used on the dashboard.
COMMITMENT_LABELS: dict[str, str] = {
    "none": "none",
    "assurance": "assurance (verbal)",
    "bilateral_pact": "bilateral pact",
    "alliance": "alliance member",
}


@dataclass(frozen=True)
class Levers:
    """The policy levers on the dashboard (applied to every donor; see the module docstring).

    Units: ``sunset_year`` year of the run (ignored when ``open_ended``); ``taper_years`` years;
    ``conditionality`` share of aid; ``enforcement`` probability; ``audit_intensity`` 0–1;
    ``budget_scale`` multiple of each donor's scenario budget ($bn/yr).
    """

    open_ended: bool = True
    sunset_year: int = 15
    taper_years: int = 0
    conditionality: float = 0.2
    enforcement: float = 0.7
    audit_intensity: float = 0.3
    instrument_mix: str = MIX_AS_SCENARIO
    commitment: str = "bilateral_pact"
    tripwire: bool = False
    channel: str = "bilateral"
    budget_scale: float = 1.0


def _mix_name(shares: Mapping[str, float]) -> str:
    for name, preset in MIX_PRESETS.items():
        if all(math.isclose(shares.get(k, 0.0), v, abs_tol=1e-9) for k, v in preset.items()):
            return name
    return MIX_AS_SCENARIO


def levers_from_scenario(scenario: Scenario) -> Levers:
    """The lever positions that reproduce the scenario (its first donor's policy)."""
    if not scenario.donors:
        return Levers(sunset_year=max(1, scenario.world.years // 2))
    policy = scenario.donors[0].policy
    mixes = {_mix_name(d.policy.instrument_mix.shares()) for d in scenario.donors}
    sunset = policy.sunset_year
    return Levers(
        open_ended=sunset is None,
        sunset_year=int(sunset) if sunset is not None else max(1, scenario.world.years // 2),
        taper_years=int(policy.taper_years),
        conditionality=float(policy.conditionality),
        enforcement=float(policy.enforcement),
        audit_intensity=float(policy.audit_intensity),
        # One named mix shared by all donors shows by name; otherwise the scenario's own mixes.
        instrument_mix=mixes.pop() if len(mixes) == 1 else MIX_AS_SCENARIO,
        commitment=str(policy.commitment),
        tripwire=bool(policy.tripwire),
        channel=str(policy.channel),
        budget_scale=1.0,
    )


def lever_overrides(scenario: Scenario, levers: Levers) -> dict[str, Any]:
    """Dotted-path overrides that set ``levers`` on every donor.

    Only levers that differ from :func:`levers_from_scenario` are included, so untouched levers
    keep each donor's own scenario value. The budget lever scales each donor's budget.
    """
    base = levers_from_scenario(scenario)
    out: dict[str, Any] = {}
    sunset_changed = (levers.open_ended != base.open_ended) or (
        not levers.open_ended and levers.sunset_year != base.sunset_year
    )
    if sunset_changed:
        out["donors.*.policy.sunset_year"] = (
            "open" if levers.open_ended else int(levers.sunset_year)
        )
    for name in (
        "taper_years",
        "conditionality",
        "enforcement",
        "audit_intensity",
        "commitment",
        "tripwire",
        "channel",
    ):
        value = getattr(levers, name)
        if value != getattr(base, name):
            out[f"donors.*.policy.{name}"] = value
    if levers.instrument_mix != base.instrument_mix and levers.instrument_mix != MIX_AS_SCENARIO:
        out["donors.*.policy.instrument_mix"] = levers.instrument_mix
    if not math.isclose(levers.budget_scale, 1.0):
        for donor in scenario.donors:
            out[f"donors.{donor.name}.budget"] = float(donor.budget) * float(levers.budget_scale)
    return out


def apply_levers(scenario: Scenario, levers: Levers) -> Scenario:
    """A new scenario with ``levers`` applied (ScenarioError if a lever value is invalid)."""
    overrides = lever_overrides(scenario, levers)
    if not overrides or not scenario.donors:
        return scenario
    return scenario.with_overrides(overrides, source="dashboard levers")


@dataclass(frozen=True)
class Comparison:
    """A Compare-mode pair: lever changes for A and for B (on top of the current levers)."""

    description: str
    label_a: str
    changes_a: dict[str, Any]
    label_b: str
    changes_b: dict[str, Any]


#: Named comparisons for Compare mode. Each is applied on top of the current levers, so only the
#: compared lever differs between A and B.
COMPARISONS: dict[str, Comparison] = {
    "Cliff exit vs tapered exit": Comparison(
        "Both programs end at the sunset year; A stops at once, B tapers aid over 5 years.",
        "cliff exit",
        {"open_ended": False, "taper_years": 0},
        "5-year taper",
        {"open_ended": False, "taper_years": 5},
    ),
    "Open-ended vs sunset": Comparison(
        "A never ends; B ends at the sunset year with the current taper.",
        "open-ended",
        {"open_ended": True},
        "sunset",
        {"open_ended": False},
    ),
    "Conditionality: unenforced vs enforced": Comparison(
        "40% of aid is conditional on reform; A never punishes a missed benchmark, B usually does.",
        "unenforced conditions",
        {"conditionality": 0.4, "enforcement": 0.0},
        "enforced conditions",
        {"conditionality": 0.4, "enforcement": 0.9},
    ),
    "Equipment-heavy vs training-heavy": Comparison(
        "Same budget; A spends it mostly on equipment, B mostly on training.",
        "equipment-heavy",
        {"instrument_mix": "equipment_heavy"},
        "training-heavy",
        {"instrument_mix": "training_heavy"},
    ),
    "Assurance vs alliance with tripwire": Comparison(
        "A gives a verbal assurance; B an alliance commitment with troops on the ground.",
        "assurance",
        {"commitment": "assurance", "tripwire": False},
        "alliance + tripwire",
        {"commitment": "alliance", "tripwire": True},
    ),
    "Half vs double budget": Comparison(
        "A halves every donor's budget; B doubles it.",
        "half budget",
        {"budget_scale": 0.5},
        "double budget",
        {"budget_scale": 2.0},
    ),
}


def compare_levers(levers: Levers, comparison: str) -> tuple[Levers, Levers]:
    """Levers A and B of a named comparison, on top of the current ``levers``."""
    c = COMPARISONS[comparison]
    return dataclasses.replace(levers, **c.changes_a), dataclasses.replace(levers, **c.changes_b)
