"""Lazy planning: points made on demand equal the built ones, the run table written in chunks
equals the whole one, the seeds are the documented ones, and the run tally reads a folder right."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from deterrence_sim.experiment import planning, spec_from_dict, store
from deterrence_sim.experiment.designs import build_design
from deterrence_sim.experiment.runner import RunTally
from deterrence_sim.experiment.seeds import replication_seeds


def grid_spec(replications: int = 3) -> dict:
    return {
        "experiment": {"name": "g", "scenario": "europe", "years": 5, "replications": replications},
        "factors": [
            {"name": "sunset", "path": "donors.*.policy.sunset_year", "values": ["open", 5, 10]},
            {"name": "c", "path": "donors.*.policy.conditionality", "range": [0, 0.6], "steps": 4},
            {"name": "flag", "path": "donors.*.policy.surge_on_attack", "values": [1.0, 2.0]},
        ],
    }


def lhs_spec() -> dict:
    spec = grid_spec(2)
    spec["design"] = {"kind": "lhs", "n": 9}
    spec["factors"][1].pop("steps")
    return spec


def test_grid_points_made_on_demand_are_the_full_factorial_in_order():
    spec = spec_from_dict(grid_spec())
    d = build_design(spec)
    levels = [f.levels() for f in spec.factors]
    expected = [dict(zip(d.factors, combo, strict=True)) for combo in itertools.product(*levels)]
    assert list(d.points) == expected and len(d) == 24
    assert d.points[-1] == expected[-1] and d.points[5:8] == expected[5:8]
    with pytest.raises(IndexError):
        d.points[24]


@pytest.mark.parametrize("make", [grid_spec, lhs_spec])
def test_run_table_written_in_chunks_equals_the_whole_table(tmp_path, monkeypatch, make):
    p = planning.plan(spec_from_dict(make()))
    whole = p.runs_table()
    monkeypatch.setattr(planning, "RUN_TABLE_CHUNK", 5)  # chunks end inside a point's runs
    path = tmp_path / "runs.parquet"
    p.write_runs_table(path)
    written = pd.read_parquet(path)
    pd.testing.assert_frame_equal(written, whole.astype(written.dtypes.to_dict()))
    assert written["run_id"].is_unique and len(written) == p.n_runs
    # Mixed words and numbers: a text column plus its numeric twin, as the store documents.
    assert written["sunset"].isin(["open", "5", "10"]).all()
    assert written["sunset_num"].isna().sum() == p.n_runs // 3


def test_plan_seeds_are_the_documented_replication_seeds():
    p = planning.plan(spec_from_dict(grid_spec(7)))
    assert p.seeds.tolist() == [s for s, _ in replication_seeds(0, 7)]
    table = p.runs_table()
    assert (table.groupby("replication")["seed"].nunique() == 1).all()  # common random numbers


def test_run_index_parses_run_ids_and_rejects_others():
    ids = pd.Series(["p000002-r0001", "p1234567-r0000", "x", "p000001-r0009"])
    assert planning.run_index(ids, replications=3).tolist() == [7, 3703701, -1, -1]


def test_tally_reads_the_folder_and_follows_collected_statuses(tmp_path):
    p = planning.plan(spec_from_dict(grid_spec(2)))  # 48 runs
    ok = pd.DataFrame({"run_id": ["p000000-r0000", "p000003-r0001"], "status": ["ok", "ok"]})
    bad = pd.DataFrame({"run_id": ["p000001-r0000"], "status": ["failed"]})
    for i, part in enumerate((ok, bad)):
        errors = pd.Series([None] * len(part), dtype="string")
        store.write_part(
            tmp_path, "metrics", f"{i:020d}", part.assign(error=errors, duration_s=0.1)
        )
    tally = RunTally(p, tmp_path)
    assert tally.counts() == {"planned": 48, "ok": 2, "failed": 1, "missing": 45}
    n, todo = tally.todo(retry_failed=False)
    todo = list(todo)
    assert n == 45 == len(todo) and todo[:3] == [1, 3, 4] and 7 not in todo
    n, todo = tally.todo(retry_failed=True)
    assert n == 46 and 2 in list(todo)
    tally.mark([{"run_id": "p000001-r0000", "status": "ok"}])
    assert tally.counts()["failed"] == 0 and tally.ran == 1
    assert np.count_nonzero(tally.state) == 3
