"""Common random numbers, draw by draw: every number a run reads from its ``Streams`` is recorded
(stream kind, names, year, value), and a lever change that has no real effect reads the same
number wherever both runs read the same stream in the same year; the only streams one run reads
and the other does not are the lever's own.

The model's speed-ups (plain attributes, lazy tables, fewer calls) must never reorder or re-key a
draw; this is the check that they did not, independent of any metric.
"""

from __future__ import annotations

import numpy as np
import pytest

from deterrence_sim import DeterrenceModel, Scenario
from deterrence_sim.streams import Streams, stream_key

Draw = tuple[str, tuple[str, ...], int]  # (kind, names, year)


@pytest.fixture
def recorder(monkeypatch):
    """Record every draw any model reads while the test runs: {(kind, names, year): [values]}."""
    log: dict[Draw, list[float]] = {}
    uniform, normal = Streams.uniform, Streams.normal

    def recording(kind, read):
        def draw(self, year, *names):
            value = read(self, year, *names)
            log.setdefault((kind, names, year), []).append(value)
            return value

        return draw

    monkeypatch.setattr(Streams, "uniform", recording("uniform", uniform))
    monkeypatch.setattr(Streams, "normal", recording("normal", normal))
    return log


def _draws(log: dict, scenario: Scenario, seed: int, years: int) -> dict[Draw, list[float]]:
    log.clear()
    model = DeterrenceModel(scenario, seed=seed, keep_events=False)
    try:
        for _ in range(years):
            model.step()
    finally:
        model.release()
    return dict(log)


def _with_conditionality(preset: str, value: float) -> Scenario:
    return Scenario.preset(preset).with_overrides({"donors.*.policy.conditionality": value})


@pytest.mark.parametrize("preset", ["europe", "classroom_cliff_exit"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_no_effect_lever_leaves_every_common_draw_identical(recorder, preset, seed):
    without = _draws(recorder, _with_conditionality(preset, 0.0), seed, 40)
    with_ = _draws(recorder, _with_conditionality(preset, 1e-6), seed, 40)
    # Enough draws to mean something: every year reads governance noise for every partner.
    assert len(without) >= 40 * len(Scenario.preset(preset).partners)
    common = without.keys() & with_.keys()
    assert common, "the two runs read no stream in common"
    for key in common:
        assert without[key] == with_[key], key
    # A stream read twice in one year gives the same number both times.
    for values in [*without.values(), *with_.values()]:
        assert len(set(values)) == 1
    only = {names[0] for _, names, _ in without.keys() ^ with_.keys()}
    assert only == {"enforcement"}, only


def test_the_no_effect_lever_reads_its_own_stream_only_when_it_has_terms(recorder):
    # Conditionality 0 never asks whether to enforce; 1e-6 does (the lever's stream appears).
    without = _draws(recorder, _with_conditionality("europe", 0.0), 0, 40)
    with_ = _draws(recorder, _with_conditionality("europe", 1e-6), 0, 40)
    assert not any(names[0] == "enforcement" for _, names, _ in without)
    assert any(names[0] == "enforcement" for _, names, _ in with_)


def test_a_stream_is_a_function_of_seed_names_and_year_only():
    """The number at a year is the year-th draw of the stream's own generator, whatever else was
    read before: a pinned definition that an optimised Streams must keep."""
    streams = Streams(11)
    streams.normal(70, "governance", "EST")  # other streams, past one block, read first
    streams.uniform(2, "audit", "USA", "EST")
    for year in (0, 1, 39, 64, 130):
        seq = np.random.SeedSequence(11, spawn_key=stream_key(("uniform", "reform", "LAT")))
        expected = np.random.Generator(np.random.PCG64(seq)).random(year + 1)[year]
        assert streams.uniform(year, "reform", "LAT") == expected
        seq = np.random.SeedSequence(11, spawn_key=stream_key(("normal", "governance", "LAT")))
        expected = np.random.Generator(np.random.PCG64(seq)).standard_normal(year + 1)[year]
        assert streams.normal(year, "governance", "LAT") == expected
