"""`validate` and `calibrate` run on Dask like `sweep`: `--executor dask --scheduler ADDR`.

A small in-process ``LocalCluster`` (one worker thread) stands for a cluster; the runs it does
must equal the same runs done in this process. The commands themselves are checked to hand their
options to the procedures (the whole `validate --quick` and `calibrate --quick` take minutes).
"""

from __future__ import annotations

import numpy as np
import pytest
from synthetic_dyads import synthetic_panel

from deterrence_sim.cli import main

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


class _ReachedError(Exception):
    """Raised by a stub: the options got this far."""


def test_validation_arms_on_dask_equal_the_runs_in_process(scheduler):
    from deterrence_sim import validation as v

    exp = v.Experiment("t", "threat", {"a": {}, "b": {"donors.D.budget": 0.0}}, years=4)
    on_dask = v.run_experiments([exp], 3, executor="dask", scheduler=scheduler)["t"]
    inline = v.run_experiments([exp], 3, workers=1)["t"]
    for arm in ("a", "b"):
        for key in ("aggressor_final", "partner_capability_mean"):
            assert np.array_equal(on_dask.values(arm, key), inline.values(arm, key))


def test_calibration_chains_on_dask_equal_the_chains_in_process(scheduler):
    from deterrence_sim.calibration import inference as inf
    from deterrence_sim.calibration.procedure import run_chain
    from deterrence_sim.experiment.inmemory import map_runs
    from deterrence_sim.scenario import World

    frame = synthetic_panel(3000, 0, clusters=200)
    world = World().model_copy(update={"challenge_base_rate": 0.05})
    observed = inf.SimFrame.make(frame, 1, 1).outcomes(world)
    target, cov, _ = inf.aux_statistics(observed, "challenge")
    start = np.array([p.to_search(getattr(world, p.name)) for p in inf.STAGE1])
    job = {
        "stage": "challenge",
        "world": world.model_dump(),
        "frame": frame,
        "reps": 1,
        "seed": 3,
        "chain_seed": 4,
        "target": target,
        "precision": np.linalg.pinv(cov.to_numpy()),
        "start": start,
        "iterations": 15,
        "scale": np.array([p.proposal_scale for p in inf.STAGE1]),
    }
    on_dask = map_runs(run_chain, [job, job], executor="dask", scheduler=scheduler)
    inline = map_runs(run_chain, [job, job], workers=1)
    for a, b in zip(on_dask, inline, strict=True):
        assert np.array_equal(a, b)


def test_validate_hands_the_executor_options_to_the_suite(tmp_path, monkeypatch):
    import deterrence_sim.validation.cli as vcli

    seen = {}

    def stub(*args, **kwargs):
        seen.update(kwargs)
        raise _ReachedError

    monkeypatch.setattr(vcli, "run_validation", stub)
    argv = ["validate", "--quick", "--out", str(tmp_path / "v"), "--executor", "dask"]
    with pytest.raises(_ReachedError):
        main([*argv, "--scheduler", "tcp://127.0.0.1:8786", "--workers", "3"])
    assert seen["executor"] == "dask" and seen["scheduler"] == "tcp://127.0.0.1:8786"
    assert seen["workers"] == 3


def test_calibrate_hands_the_executor_options_to_the_procedure(tmp_path, monkeypatch):
    """The options reach the calibration procedure (its simulations run on Dask in the test
    above; the whole `calibrate --quick` takes minutes and needs the shared data: stubbed)."""
    from deterrence_sim.calibration import procedure
    from deterrence_sim.data import panel

    seen = {}

    def stub(*args, **kwargs):
        seen.update(kwargs)
        raise _ReachedError

    monkeypatch.setattr(panel, "load_panel_sources", lambda data=None: None)
    monkeypatch.setattr(procedure, "run_calibration", stub)
    argv = ["calibrate", "--quick", "--out", str(tmp_path / "c"), "--executor", "dask"]
    with pytest.raises(_ReachedError):
        main([*argv, "--scheduler", "tcp://127.0.0.1:8786"])
    assert seen["executor"] == "dask" and seen["scheduler"] == "tcp://127.0.0.1:8786"


@pytest.mark.parametrize("command", ["validate", "calibrate"])
def test_a_scheduler_without_dask_is_refused_before_any_run(tmp_path, capsys, command):
    argv = [command, "--quick", "--out", str(tmp_path / "o"), "--scheduler", "tcp://h:1"]
    assert main(argv) == 2
    assert "--scheduler needs --executor dask" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
