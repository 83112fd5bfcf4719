"""Layer 1 of the dashboard tests: data preparation and figures, no widgets and no browser."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from deterrence_sim import DeterrenceModel, Scenario
from deterrence_sim.dashboard import charts, data
from deterrence_sim.events import Event
from deterrence_sim.metrics import METRICS


def small_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("D", role="donor")
    g.add_node("P1", role="partner")
    g.add_node("P2", role="partner")
    g.add_node("A", role="aggressor")
    g.add_edge("D", "P1", kind="aid")
    g.add_edge("D", "P1", kind="aid")  # a duplicate tie collapses into one edge
    g.add_edge("D", "P1", kind="commitment")
    g.add_edge("A", "P1", kind="rivalry")
    g.add_edge("A", "P2", kind="rivalry")
    return g


STATES = {
    "D": {"role": "donor", "capability": 400.0, "governance": None},
    "P1": {"role": "partner", "capability": 10.0, "governance": 0.9},
    "P2": {"role": "partner", "capability": 2.5, "governance": 0.1},
    "A": {"role": "aggressor", "capability": 40.0, "governance": None},
}


# --- network map ------------------------------------------------------------------------------


def test_role_positions_put_roles_in_columns_and_spread_each_column():
    pos = data.role_positions({"D": "donor", "P1": "partner", "P2": "partner", "A": "aggressor"})
    assert pos["D"][0] < pos["P1"][0] == pos["P2"][0] < pos["A"][0]
    assert pos["P1"][1] != pos["P2"][1]
    assert pos["D"][1] == 0.5  # a lone state is centred


def test_governance_colour_runs_from_red_to_green():
    def rgb(h):
        return tuple(int(h[i : i + 2], 16) for i in (1, 3, 5))

    poor, good = rgb(data.governance_colour(0.0)), rgb(data.governance_colour(1.0))
    assert poor[0] > poor[1]  # red dominates at G = 0
    assert good[1] > good[0]  # green dominates at G = 1
    assert data.governance_colour(-3) == data.governance_colour(0.0)  # clipped


def test_network_view_sizes_colours_shapes_and_edges():
    view = data.network_view(small_graph(), STATES, events=[], year=3)
    p1, p2, d, a = (view.node(n) for n in ("P1", "P2", "D", "A"))
    # Partners and aggressors share one size scale: the stronger state is drawn larger.
    assert a.size > p1.size > p2.size
    assert p1.colour != p2.colour  # colour = governance
    assert d.colour == data.ROLE_COLOURS["donor"]
    kinds = sorted(e.kind for e in view.edges)
    assert kinds == ["aid", "commitment", "rivalry", "rivalry"]
    assert not any(e.highlighted for e in view.edges)


def test_fixed_reference_makes_growth_visible():
    ref = data.size_references(STATES)
    grown = {**STATES, "P1": {**STATES["P1"], "capability": 30.0}}
    before = data.network_view(small_graph(), STATES, reference=ref).node("P1").size
    after = data.network_view(small_graph(), grown, reference=ref).node("P1").size
    assert after > before


def test_attack_in_the_current_year_is_highlighted_only_that_year():
    events = [
        Event(4, "attack", ("A", "P1"), {}, "Year 4: A attacked P1; the attack failed."),
        Event(4, "coercion", ("A", "P2"), {}, "Year 4: A pressed P2."),
    ]
    this_year = data.network_view(small_graph(), STATES, events, year=4)
    hot = [e for e in this_year.edges if e.highlighted]
    assert [(e.source, e.target) for e in hot] == [("A", "P1")]
    fig = charts.network_figure(this_year)
    attack_colour = charts.TIE_STYLES["attack"][0]
    drawn = [t for t in fig["data"] if t.get("line", {}).get("color") == attack_colour]
    assert len(drawn) == 1 and drawn[0]["x"][:2] == [
        view_x(this_year, "A"),
        view_x(this_year, "P1"),
    ]
    next_year = data.network_view(small_graph(), STATES, events, year=5)
    assert not any(e.highlighted for e in next_year.edges)


def view_x(view, name):
    return view.node(name).x


def test_attack_without_a_rivalry_tie_adds_an_attack_edge():
    rows = pd.DataFrame(
        [{"year": 2, "kind": "attack", "actors": "A,P2", "details": {}, "text": "t"}]
    )
    g = small_graph()
    g.remove_edge("A", "P2")
    view = data.network_view(g, STATES, rows, year=2)
    added = [e for e in view.edges if e.kind == "attack"]
    assert [(e.source, e.target, e.highlighted) for e in added] == [("A", "P2", True)]


def test_node_states_read_the_model():
    model = DeterrenceModel(Scenario.preset("europe"), seed=1)
    model.step()
    states = data.node_states(model)
    assert {n for n, s in states.items() if s["role"] == "partner"} == {
        p.name for p in model.partners
    }
    for p in model.partners:
        assert states[p.name]["capability"] == pytest.approx(p.capability)
        assert states[p.name]["governance"] == pytest.approx(p.governance)
    assert all(states[d.name]["governance"] is None for d in model.donors)
    view = data.network_view(model.graph, states, model.event_log, model.year)
    assert {n.name for n in view.nodes} == set(model.graph.nodes)
    model.release()


# --- time series, events, cards ---------------------------------------------------------------


def test_timeseries_panels_keep_present_columns_only():
    frame = pd.DataFrame({"year": [0, 1], "partner_capability": [1.0, 2.0], "attacks": [0, 1]})
    panels = data.timeseries_panels(frame)
    assert [p.title for p, _ in panels] == ["Military capability", "Attacks and wars"]
    cap_panel, cap_frame = panels[0]
    assert cap_panel.series == (("partner_capability", "partners (mean)"),)
    assert list(cap_frame.columns) == ["year", "partner_capability"]


def test_every_panel_column_is_a_model_timeseries_column():
    model = DeterrenceModel(Scenario.preset("classroom_cliff_exit"), seed=0)
    for _ in range(3):
        model.step()
    frame = model.timeseries()
    wanted = {c for p in data.TIMESERIES_PANELS for c, _ in p.series}
    assert wanted <= set(frame.columns)
    assert len(data.timeseries_panels(frame)) == len(data.TIMESERIES_PANELS)
    model.release()


def test_sunset_marks():
    scen = Scenario.preset("classroom_cliff_exit").with_overrides(
        {"donors.*.policy.sunset_year": 12, "donors.*.policy.taper_years": 4}
    )
    marks = data.sunset_marks(scen)
    assert marks and all(m.sunset == 12 and m.taper_start == 8 for m in marks)
    open_ended = scen.with_overrides({"donors.*.policy.sunset_year": "open"})
    assert data.sunset_marks(open_ended) == []


def test_event_sentences_newest_first_with_limit_from_objects_and_frames():
    events = [Event(y, "review", ("D",), {}, f"Year {y}: D reviewed.") for y in (1, 2, 3)]
    assert data.event_sentences(events) == [
        "Year 3: D reviewed.",
        "Year 2: D reviewed.",
        "Year 1: D reviewed.",
    ]
    assert data.event_sentences(events, limit=1, newest_first=False) == ["Year 1: D reviewed."]
    frame = pd.DataFrame([e.as_row() for e in events])
    assert data.event_sentences(frame) == data.event_sentences(events)
    assert data.event_sentences([]) == []


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.25, "share", "25%"),
        (0.031, "share", "3.1%"),
        (float("nan"), "points", "n/a"),
        (3.0, "count", "3"),
        (12.345, "$bn", "12.3"),
        (None, "$bn", "None"),
        (-2.79e-06, "1/yr", "0"),  # no "-2.79e-06" on a card
        (1.14, "ratio", "114%"),
        (12345.6, "$bn", "12,346"),
    ],
)
def test_format_value(value, unit, text):
    assert data.format_value(value, unit) == text


@pytest.mark.parametrize(
    ("diff", "unit", "text"),
    [
        (0.004, "ratio", "+0.4 pts"),  # 114% -> 115% is a change, not "+0 pts"
        (-2.79e-06, "1/yr", "no change"),
        (0.01, "share", "+1 pts"),
        (-12.5, "$bn", "−12.5"),
        (float("nan"), "", "n/a"),
    ],
)
def test_format_change(diff, unit, text):
    assert data.format_change(diff, unit) == text


def test_metric_cards_follow_the_catalogue():
    metrics = {"attacks_per_year": 0.25, "wars": 2.0, "post_exit_retention": math.nan}
    cards = data.metric_cards(metrics, METRICS)
    assert [c.name for c in cards] == ["attacks_per_year", "wars", "post_exit_retention"]
    assert cards[0].unit == METRICS["attacks_per_year"][0]
    assert cards[1].text == "2" and cards[1].unit == ""  # counts carry no unit
    assert cards[2].text == "n/a"
    assert all(c.description for c in cards)


def test_card_metrics_exist_in_the_model_catalogue():
    assert {name for name, _ in data.CARD_METRICS} <= set(METRICS)


def test_compare_rows_show_the_difference():
    rows = data.compare_rows(
        {"wars": 1.0, "readiness_mean": 0.5}, {"wars": 3.0, "readiness_mean": 0.8}, METRICS
    )
    by = {r["metric"]: r for r in rows}
    assert by["Wars"]["B − A"] == "+2"
    assert by["Readiness (mean)"]["A"] == "50%"
    assert by["Readiness (mean)"]["B − A"] == "+30 pts"


# --- tie states on the map -------------------------------------------------------------------


def test_tie_states_follow_the_event_log():
    events = [
        Event(1, "program_start", ("D", "P1"), {}, ""),
        Event(1, "program_start", ("D", "P2"), {}, ""),
        Event(2, "program_rejected", ("E", "P2"), {}, ""),
        Event(5, "exit", ("D", "P1"), {"reason": "sunset", "end_year": 5}, ""),
        Event(7, "exit", ("D",), {"reason": "will", "end_year": 7}, ""),
    ]
    assert data.tie_states(events, 1) == ({("D", "P1"): "aid", ("D", "P2"): "aid"}, set())
    ties, exited = data.tie_states(events, 5)
    assert ties[("D", "P1")] == "aid_ended" and ties[("D", "P2")] == "aid"
    assert ties[("E", "P2")] == "rejected"
    ties, exited = data.tie_states(events, 9)
    assert ties[("D", "P2")] == "aid_ended" and exited == {"D"}


def test_map_after_a_cliff_exit_shows_the_aid_ended_and_the_donor_marked():
    model = DeterrenceModel(Scenario.preset("classroom_cliff_exit"), seed=0)
    for _ in range(14):
        model.step()
    view = data.network_view(model.graph, data.node_states(model), model.event_log, model.year)
    kinds = {e.kind for e in view.edges if e.source == "Donor"}
    assert "aid_ended" in kinds and "aid" not in kinds
    assert "(aid ended)" in view.node("Donor").label
    model.release()


def test_a_rejected_program_is_drawn_even_without_an_aid_tie():
    events = [Event(2, "program_rejected", ("D", "P2"), {}, "")]
    view = data.network_view(small_graph(), STATES, events, year=3)
    assert [(e.source, e.target) for e in view.edges if e.kind == "rejected"] == [("D", "P2")]


# --- figures ----------------------------------------------------------------------------------


def test_figures_build_for_a_stepped_model_and_for_a_comparison():
    scen = Scenario.preset("classroom_cliff_exit")
    model = DeterrenceModel(scen, seed=0)
    ref = data.size_references(data.node_states(model))
    for _ in range(5):
        model.step()
    view = data.network_view(model.graph, data.node_states(model), model.event_log, 5, ref)
    fig = charts.network_figure(view)
    assert fig["layout"]["title"]["text"] == "The world in year 5"
    symbols = {t["name"]: t["marker"]["symbol"] for t in fig["data"] if t["mode"] != "lines"}
    assert symbols["donors"][0].startswith("square") and symbols["partners"][0] == "circle"
    panels = data.timeseries_panels(model.timeseries())
    panel, frame = panels[0]
    one = charts.panel_figure(panel, [("", frame)], data.sunset_marks(scen), 40)
    assert len(one["data"]) == len(panel.series) and one["layout"]["shapes"]
    both = charts.panel_figure(panel, [("A", frame), ("B", frame)], [], 40)
    colours = {t["line"]["color"] for t in both["data"]}
    assert colours == set(charts.ARM_COLOURS)  # colour is the arm: A blue, B orange
    model.release()


def test_a_drawn_panel_plus_its_extension_is_the_whole_panel():
    """What the browser holds after extendTraces equals the figure sent whole."""
    model = DeterrenceModel(Scenario.preset("classroom_cliff_exit"), seed=0)
    for _ in range(4):
        model.step()
    early = model.timeseries()
    for _ in range(7):
        model.step()
    late = model.timeseries()
    for panel, frame in data.timeseries_panels(late):
        base = charts.panel_figure(panel, [("", frame[frame["year"] <= 4])], [], 40)
        ext = charts.panel_extension(panel, late, after_year=int(early["year"].max()))
        whole = charts.panel_figure(panel, [("", frame)], [], 40)
        assert len(ext["x"]) == len(base["data"]) == len(whole["data"])
        for i, trace in enumerate(whole["data"]):
            assert base["data"][i]["x"] + ext["x"][i] == trace["x"]
            assert base["data"][i]["y"] + ext["y"][i] == trace["y"]
            assert len(ext["x"][i]) == 7
    model.release()
