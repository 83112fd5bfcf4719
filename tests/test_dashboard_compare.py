"""Many-seed comparison and the Plotly chart builders (no browser)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from deterrence_sim import DeterrenceModel, Scenario
from deterrence_sim.dashboard import charts, compare, data
from deterrence_sim.dashboard import levers as lv
from deterrence_sim.metrics import METRICS

UNITS = {k: data.metric_unit(METRICS, k) for k in METRICS}


@pytest.fixture(scope="module")
def cliff_vs_taper():
    scen = Scenario.preset("classroom_cliff_exit")
    a, b = compare.compare_levers(lv.levers_from_scenario(scen), "Cliff exit vs tapered exit")
    return compare.compare_seeds(scen, a, b, range(8), UNITS, ("cliff", "taper"))


def test_same_levers_give_zero_difference_in_every_seed():
    scen = Scenario.preset("classroom_cliff_exit")
    levers = lv.levers_from_scenario(scen)
    res = compare.compare_seeds(scen, levers, levers, range(4), UNITS)
    for s in res.summaries:
        finite = [d for d in s.differences if not math.isnan(d)]
        assert all(d == 0 for d in finite), s.name


def test_summaries_are_paired_means_with_intervals(cliff_vs_taper):
    res = cliff_vs_taper
    assert res.seeds == tuple(range(8)) and len(res.per_seed_a) == 8
    by = {s.name: s for s in res.summaries}
    kept = by["post_exit_retention"]
    a = np.array([r["post_exit_retention"] for r in res.per_seed_a])
    b = np.array([r["post_exit_retention"] for r in res.per_seed_b])
    assert kept.diff[0] == pytest.approx(np.nanmean(b - a))
    assert kept.diff[1][0] <= kept.diff[0] <= kept.diff[1][1]
    # A taper keeps more capability after the exit than a cliff (every seed here).
    assert kept.diff[1][0] > 0
    # Bounded units never get an interval past their bound (a share stays within 0-100%).
    rate = by["intervention_rate"]
    for arm in (rate.a, rate.b):
        assert 0 <= arm[1][0] <= arm[0] <= arm[1][1] <= 1


def test_charts_use_readable_text_and_distinct_arm_colours(cliff_vs_taper):
    s = cliff_vs_taper.summaries[0]
    figs = [
        charts.interval_figure(s.label, s.unit, [("A", *s.a[:2]), ("B", *s.b[:2])]),
        charts.difference_figure(s.label, s.unit, s.differences, *s.diff[:2]),
    ]
    model = DeterrenceModel(Scenario.preset("classroom_cliff_exit"), seed=0)
    for _ in range(14):
        model.step()
    view = data.network_view(model.graph, data.node_states(model), model.event_log, model.year)
    figs.append(charts.network_figure(view))
    frame = model.timeseries()
    for panel, sub in data.timeseries_panels(frame):
        figs.append(charts.panel_figure(panel, [("A", sub), ("B", sub)]))
    for fig in figs:
        assert min(charts.figure_text_sizes(fig)) >= 12
    assert min(charts.figure_text_sizes(charts.network_figure(view, big=True))) >= 18
    a_colour, b_colour = (t["marker"]["color"] for t in figs[0]["data"])
    assert a_colour != b_colour
    bars = next(f for f in figs if any(t.get("type") == "bar" for t in f["data"]))
    assert bars["layout"]["barmode"] == "group"  # A and B side by side, not overlapping
    legend = {t["name"] for t in figs[2]["data"]}
    assert "aid ended" in legend and "aid flowing" not in legend
    model.release()


def test_panel_figure_has_no_nan_and_keeps_the_horizon():
    model = DeterrenceModel(Scenario.preset("classroom_cliff_exit"), seed=0)
    for _ in range(3):
        model.step()
    panel, sub = data.timeseries_panels(model.timeseries())[0]
    fig = charts.panel_figure(panel, [("", sub)], [], 40)
    assert fig["layout"]["xaxis"]["range"] == [-0.5, 40.5]
    assert fig["layout"]["uirevision"] == "keep"
    for t in fig["data"]:
        assert all(v is None or math.isfinite(v) for v in t["y"])
    model.release()
