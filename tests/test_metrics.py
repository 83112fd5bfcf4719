"""The metric registry: one declaration per column and metric, and everything derived from it."""

from __future__ import annotations

import math

from deterrence_sim import metrics


def test_every_name_is_declared_once_and_the_views_derive_from_it():
    for declared in (metrics.COLUMNS, metrics.RUN_METRICS):
        names = [x.name for x in declared]
        assert len(names) == len(set(names))
    assert list(metrics.TIMESERIES_COLUMNS) == [c.name for c in metrics.COLUMNS]
    assert list(metrics.METRICS) == [x.name for x in metrics.RUN_METRICS]
    assert {c.name for c in metrics.COLUMNS if c.counter} <= set(metrics.COUNTERS)
    for x in (*metrics.COLUMNS, *metrics.RUN_METRICS):
        assert x.unit and x.label and x.meaning, x.name


def test_the_model_records_exactly_the_registered_columns_and_metrics(europe_run):
    assert list(europe_run.timeseries.columns) == list(metrics.TIMESERIES_COLUMNS)
    assert list(europe_run.metrics) == list(metrics.METRICS)


def test_values_stay_inside_their_declared_range(europe_run):
    ts = europe_run.timeseries
    for c in metrics.COLUMNS:
        lo, hi = metrics.bounds(c.name, yearly=True)
        if lo is not None:
            assert (ts[c.name] >= lo - 1e-12).all(), c.name
        if hi is not None:
            assert (ts[c.name] <= hi + 1e-12).all(), c.name
    for name, value in europe_run.metrics.items():
        lo, hi = metrics.bounds(name)
        if math.isnan(value):
            continue
        assert lo is None or value >= lo - 1e-12, name
        assert hi is None or value <= hi + 1e-12, name


def test_axis_labels_carry_units_not_raw_names():
    assert metrics.axis_label("donor_cost_total") == "Donor cost ($bn)"
    assert metrics.axis_label("attacks_per_year") == "Attacks per year (attacks/yr)"
    assert metrics.axis_label("readiness_mean") == "Readiness (mean), share"
    assert metrics.axis_label("wars") == "Wars"
    assert metrics.axis_label("readiness", yearly=True) == "Readiness (share)"
    assert metrics.axis_label("my_custom_metric") == "my_custom_metric"


def test_dashboard_cards_read_their_labels_from_the_registry():
    from deterrence_sim.dashboard import data

    assert data.CARD_METRICS is metrics.CARD_METRICS
    assert all(label == metrics.REGISTRY[name].label for name, label in data.CARD_METRICS)
