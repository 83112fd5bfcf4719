"""The model's fast paths give the slow paths' answers: the one-pass yearly row and each column's
own reporter, metrics from plain columns and from a DataFrame, the lazily built result tables,
the world's plain-attribute copy, and the scalar shortcuts of the hottest mechanisms (edge cases
included: zero strengths, NaN, negative aid)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from deterrence_sim import DeterrenceModel, Scenario, run_model
from deterrence_sim import mechanisms as m
from deterrence_sim.metrics import COLUMNS, compute_metrics, metrics_from, observe_row
from deterrence_sim.scenario.world import PlainWorld, World


def _stepped(scenario: Scenario, years: int, seed: int = 0) -> DeterrenceModel:
    model = DeterrenceModel(scenario, seed=seed)
    for _ in range(years):
        model.step()
    return model


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("preset", sorted(Scenario.presets()))
def test_the_one_pass_row_equals_every_columns_own_reporter(preset):
    model = _stepped(Scenario.preset(preset), 12, seed=1)
    try:
        row = observe_row(model)
        assert row == [c.observe(model) for c in COLUMNS]
        assert [type(x) for x in row] == [type(c.observe(model)) for c in COLUMNS]
    finally:
        model.release()


def test_the_row_of_a_world_without_donors():
    sc = Scenario.synthetic(1, 3, 1, seed=2)
    data = sc.to_dict()
    data["donors"], data["alliances"] = [], []
    data["ties"] = [t for t in data["ties"] if t["kind"] != "aid"]
    model = _stepped(Scenario.from_dict(data, source="test"), 5)
    try:
        assert observe_row(model) == [c.observe(model) for c in COLUMNS]
    finally:
        model.release()


def test_metrics_from_columns_equal_metrics_from_the_dataframe():
    model = _stepped(Scenario.preset("europe"), 40, seed=4)
    try:
        from_columns = compute_metrics(model)
        from_frame = compute_metrics(model, model.timeseries())
        assert from_columns.keys() == from_frame.keys()
        assert all(_same(from_columns[k], from_frame[k]) for k in from_columns)
    finally:
        model.release()


def test_metrics_from_a_reordered_table_read_years_1_to_t_only():
    model = _stepped(Scenario.preset("europe"), 20, seed=5)
    try:
        ts = model.timeseries()
        totals = {
            "n_partners": 4,
            "n_state_aggressors": 1,
            "aggressor_wins": 0,
            "burdens": [],
            "program_rejections": 0,
            "early_exits": 0,
        }
        ordered = metrics_from(ts, totals)
        # Year 0 moved to the end: "years 1..T" is no longer a tail, the reductions must not care.
        moved = pd.concat([ts.iloc[1:], ts.iloc[:1]], ignore_index=True)
        shuffled = metrics_from(moved, totals)
        for name in ("wars", "readiness_mean", "self_sufficiency", "leakage_share"):
            assert _same(ordered[name], shuffled[name]), name
    finally:
        model.release()


def test_result_tables_are_built_when_read_and_equal_the_models():
    sc = Scenario.preset("classroom_cliff_exit")
    kept = run_model(sc, seed=2, keep_events=True)
    lean = run_model(sc, seed=2, keep_events=False)
    model = _stepped(sc, sc.world.years, seed=2)
    try:
        pd.testing.assert_frame_equal(kept.timeseries, model.timeseries())
        assert kept.timeseries is kept.timeseries  # built once
        assert kept.timeseries["year"].dtype == np.int64
        assert len(kept.events) == len(model.event_log) > 0
        assert list(lean.events.columns) == ["year", "kind", "actors", "details", "text"]
        assert lean.events.empty
        pd.testing.assert_frame_equal(lean.timeseries, kept.timeseries)
        assert lean.metrics.keys() == kept.metrics.keys()
        assert all(_same(lean.metrics[k], kept.metrics[k]) for k in lean.metrics)
    finally:
        model.release()


def test_a_run_without_events_still_records_its_exits():
    sc = Scenario.preset("classroom_cliff_exit")
    model = DeterrenceModel(sc, seed=0, keep_events=False)
    try:
        for _ in range(sc.world.years):
            model.step()
        assert model.event_log == []
        assert model.exits, "the cliff exit ends every program"
    finally:
        model.release()


def test_the_plain_world_copies_every_field_and_offers_the_worlds_methods():
    world = Scenario.preset("europe").world
    plain = PlainWorld(world)
    for name in World.model_fields:
        assert getattr(plain, name) == getattr(world, name), name
    assert plain.memory_weights() == world.memory_weights()
    assert plain.model_dump() == world.model_dump()
    changed = plain.model_copy(update={"surge_headroom": 0.5})
    assert isinstance(changed, World) and changed.surge_headroom == 0.5
    with pytest.raises(AttributeError):
        _ = plain.no_such_coefficient


def test_a_model_runs_on_after_its_world_is_replaced_by_a_pydantic_world():
    model = DeterrenceModel(Scenario.preset("europe"), seed=0)
    try:
        model.step()
        model.world = model.world.model_copy(update={"surge_headroom": 0.0})
        model.step()
        assert model.states[0].belief(model.partners[0].commitments()[0]) >= 0.0
    finally:
        model.release()


@pytest.mark.parametrize(
    ("a", "b", "k", "expected"),
    [
        (0.0, 0.0, 1.0, 0.5),
        (0, 3, 1.0, 0.0),
        (3.0, 0.0, 2.0, 1.0),
        (2.0, 5.0, 0.0, 0.5),
        (1e-300, 1e300, 5.0, 0.0),
        (3, 1, 1, 0.75),
    ],
)
def test_csf_scalar_edges_match_the_array_path(a, b, k, expected):
    assert m.csf(a, b, k) == pytest.approx(expected, abs=1e-12)
    assert m.csf(a, b, k) == float(m.csf(np.array([a], dtype=float), np.array([b]), k)[0])


def test_csf_keeps_nan_and_refuses_negative_strengths():
    assert math.isnan(m.csf(math.nan, 1.0))
    assert math.isnan(m.csf(1.0, math.nan))
    with pytest.raises(ValueError):
        m.csf(-1.0, 1.0)
    with pytest.raises(ValueError):
        m.csf(1.0, 1.0, -0.5)


@pytest.mark.parametrize(
    ("aid", "cap", "leak", "sat"),
    [(-1.0, 2.0, 0.0, 1.0), (0, 2.0, 0.0, 1.0), (3.0, 2.0, -0.5, 1.0), (3.0, 2.0, 1.5, 1.0),
     (3.0, 0.0, 0.2, 1.0), (3, 2, 0, 1)],
)  # fmt: skip
def test_absorption_scalar_edges_match_the_array_path(aid, cap, leak, sat):
    scalar = m.absorption(aid, cap, leak, sat)
    array = m.absorption(np.array([aid], dtype=float), np.array([cap], dtype=float), leak, sat)
    assert type(scalar) is float
    assert scalar == float(array[0])
    assert math.isnan(m.absorption(math.nan, 2.0, 0.0, 1.0))
