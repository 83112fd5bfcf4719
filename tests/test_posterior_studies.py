"""Studies that carry the calibration's uncertainty (``[experiment] calibration = "posterior"``).

A tiny sweep (2 design points x 3 replications, 4 years) against a test posterior of 25 draws:
the drawn parameters are stored as columns named by their paths, equal across the design points
of a replication, reach the scenario the run used, come back the same on resume and rerun, and the
report and scenario discovery treat them as uncertainties. Bad posteriors are refused at spec load.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from deterrence_sim.cli import main
from deterrence_sim.experiment import load, rerun, run_experiment, spec_from_dict, worker
from deterrence_sim.experiment import posterior as post_mod
from deterrence_sim.experiment.posterior import (
    DRAW_COLUMN,
    draw_index,
    drawn_columns,
    load_posterior,
)
from deterrence_sim.experiment.seeds import replication_seeds
from deterrence_sim.experiment.spec import SpecError
from deterrence_sim.experiment.store import read_manifest

PATHS = ["world.challenge_sharpness", "world.challenge_base_rate"]
N_DRAWS = 25
REPS = 3


def write_posterior(folder: Path, n: int = N_DRAWS, seed: int = 1, **extra) -> Path:
    """A test posterior: ``n`` draws of two World parameters inside their schema ranges."""
    rng = np.random.default_rng(seed)
    table = {
        "draw": range(n),
        "world.challenge_sharpness": rng.uniform(0.5, 5.0, n),
        "world.challenge_base_rate": rng.uniform(0.001, 0.02, n),
        **extra,
    }
    path = folder / "posterior.csv"
    pd.DataFrame(table).to_csv(path, index=False)
    return path


def posterior_spec(folder: Path, **experiment) -> dict:
    return {
        "experiment": {
            "name": "posterior-study",
            "scenario": "europe",
            "years": 4,
            "replications": REPS,
            "seed": 11,
            "calibration": "posterior",
            "posterior": "posterior.csv",
            **experiment,
        },
        "factors": [
            {"name": "conditionality", "path": "donors.*.policy.conditionality", "values": [0, 0.6]}
        ],
        "output": {"metrics": ["attacks_per_year", "coercions", "partner_capability_final"]},
    }


def sweep(spec: dict, folder: Path, out: Path, **kw):
    s = spec_from_dict(spec, source=str(folder / "spec.toml"), base_dir=folder)
    with ThreadPoolExecutor(max_workers=2) as pool:  # in process: no start-up cost
        return run_experiment(s, out, executor=pool, progress=False, **kw)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """The tiny posterior sweep, and the parameter values each run's scenario really had."""
    folder = tmp_path_factory.mktemp("posterior")
    write_posterior(folder)
    seen: dict[tuple[int, float], dict[str, float]] = {}
    original = worker.simulate

    def spy(scenario, years, seed, timeseries):
        cond = scenario.donors[0].policy.conditionality
        seen[(seed, cond)] = {p: float(scenario.resolve(p)[0][1]) for p in PATHS}
        return original(scenario, years, seed, timeseries)

    mp = pytest.MonkeyPatch()
    mp.setattr(worker, "simulate", spy)
    try:
        sweep(posterior_spec(folder), folder, folder / "out")
    finally:
        mp.undo()
    return folder, folder / "out", seen


def test_drawn_parameters_are_stored_equal_across_points_and_vary_across_replications(study):
    folder, out, _ = study
    df = load(out)
    assert len(df) == 2 * REPS
    for p in [*PATHS, DRAW_COLUMN]:
        assert p in df.columns
    per_rep = df.groupby("replication")[[*PATHS, DRAW_COLUMN]].nunique()
    assert (per_rep == 1).all().all()  # every design point of a replication: the same draw
    # Three replications drawing from 25 rows all land on the same row with probability
    # 1/25^2 = 0.16% for an arbitrary root seed (two of them share a row with probability 12%,
    # which is why only "not all equal" is asserted).
    assert df[DRAW_COLUMN].nunique() >= 2
    post = load_posterior(folder / "posterior.csv")
    for row in df.itertuples(index=False):
        expected = post.values(int(getattr(row, DRAW_COLUMN)))
        assert {p: df.loc[df["run_id"] == row.run_id, p].item() for p in PATHS} == expected


def test_the_draw_is_a_function_of_the_replication_seed(study):
    folder, out, _ = study
    df = load(out)
    post = load_posterior(folder / "posterior.csv")
    seeds = dict(enumerate(s for s, _ in replication_seeds(11, REPS)))
    for rep, draw in df.groupby("replication")[DRAW_COLUMN].first().items():
        assert draw == draw_index(seeds[rep], post)


def test_each_run_simulates_the_values_it_stores(study):
    _, out, seen = study
    df = load(out)
    assert len(seen) == len(df)
    for row in df.itertuples(index=False):
        cond = 0.6 if row.conditionality == 0.6 else 0.0
        got = seen[(row.seed, cond)]
        assert got == {p: df.loc[df["run_id"] == row.run_id, p].item() for p in PATHS}


def test_manifest_records_the_calibration_and_the_posterior_file(study):
    folder, out, _ = study
    manifest = read_manifest(out)
    assert manifest["spec"]["experiment"]["calibration"] == "posterior"
    entry = manifest["posterior"]
    raw = (folder / "posterior.csv").read_bytes()
    assert entry["sha256"] == hashlib.sha256(raw).hexdigest()
    assert entry["draws"] == N_DRAWS and entry["parameters"] == PATHS
    assert (out / "posterior.csv").read_bytes() == raw  # the folder keeps its copy


def test_resume_and_rerun_give_the_same_draws(study, tmp_path):
    folder, out, _ = study
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    parts = sorted((copy / "metrics").glob("part-*.parquet"))
    assert parts
    for p in parts[: max(1, len(parts) // 2)]:
        p.unlink()
    before = len(load(copy))
    assert before < 2 * REPS
    sweep(posterior_spec(folder), folder, copy, resume=True)
    cols = ["run_id", DRAW_COLUMN, *PATHS]
    pd.testing.assert_frame_equal(load(copy)[cols], load(out)[cols])
    run_id = load(out)["run_id"].iloc[-1]
    result, stored = rerun(out, run_id)
    row = load(out).set_index("run_id").loc[run_id]
    assert {p: float(result.scenario.resolve(p)[0][1]) for p in PATHS} == {p: row[p] for p in PATHS}
    assert stored == {k: pytest.approx(result.metrics[k], nan_ok=True) for k in stored}


def test_a_changed_posterior_file_refuses_resume(study, tmp_path):
    _, out, _ = study
    other = tmp_path / "other"
    other.mkdir()
    shutil.copytree(out, other / "out")
    write_posterior(other, seed=2)
    with pytest.raises(Exception, match="changed"):
        sweep(posterior_spec(other), other, other / "out", resume=True)


def test_report_lists_the_drawn_parameters_among_the_uncertainties(study, tmp_path):
    from deterrence_sim.analysis import write_report

    _, out, _ = study
    copy = tmp_path / "report"
    shutil.copytree(out, copy)
    text = write_report(copy).read_text(encoding="utf-8")
    part = text.split("## Uncertainties", 1)[1].split("\n## ", 1)[0]
    df = load(out)
    for p in PATHS:
        line = next(ln for ln in part.splitlines() if ln.startswith(f"| {p} "))
        assert "posterior" in line
        assert f"{df[p].min():.3g}" in line and f"{df[p].max():.3g}" in line


def test_scenario_discovery_takes_the_drawn_parameters_as_uncertainties(study):
    from deterrence_sim.decision.discover import discovery_data

    _, out, _ = study
    x, _, roles, _ = discovery_data(out, "partner_capability_final", above=0.0)
    assert set(PATHS) <= set(x.columns)  # they vary: at least two rows were drawn
    assert all(roles[p] == "uncertainty" for p in PATHS)
    x_lev, _, _, _ = discovery_data(out, "partner_capability_final", above=0.0, role="lever")
    assert not set(PATHS) & set(x_lev.columns)
    # Averaged per design point, a replication's draw is no trait of the point: left out.
    x_pt, _, _, _ = discovery_data(out, "partner_capability_final", above=0.0, per_point=True)
    assert not set(PATHS) & set(x_pt.columns)


# --- the draw --------------------------------------------------------------------------------------


def test_draws_are_uniform_over_rows_and_follow_weights(tmp_path):
    """4000 seeds: each of 20 equal rows within 4.5 standard deviations of 200; weights 1:3 give
    row 1 a share of 0.75 +- 0.03 (4.4 standard deviations of a binomial share over 4000)."""
    path = write_posterior(tmp_path, n=20)
    post = load_posterior(path)
    counts = np.bincount([draw_index(s, post) for s in range(4000)], minlength=20)
    sd = np.sqrt(4000 * (1 / 20) * (19 / 20))
    assert np.abs(counts - 200).max() < 4.5 * sd
    weighted = tmp_path / "w"
    weighted.mkdir()
    path = write_posterior(weighted, n=2, weight=[1.0, 3.0])
    post = load_posterior(path)
    share = np.mean([draw_index(s, post) for s in range(4000)])
    assert abs(share - 0.75) < 0.03


# --- bad input -------------------------------------------------------------------------------------


def spec_problems(folder: Path, **experiment) -> str:
    with pytest.raises(SpecError) as exc:
        spec_from_dict(posterior_spec(folder, **experiment), source="s.toml", base_dir=folder)
    return str(exc.value)


def test_a_missing_posterior_file_is_named(tmp_path):
    msg = spec_problems(tmp_path, posterior="nowhere.csv")
    assert "experiment.posterior" in msg and "nowhere.csv" in msg and "not found" in msg


def test_no_shipped_posterior_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.setattr(post_mod, "SHIPPED", tmp_path / "absent" / "posterior.csv")
    spec = posterior_spec(tmp_path)
    del spec["experiment"]["posterior"]
    with pytest.raises(SpecError, match="deterrence-sim calibrate"):
        spec_from_dict(spec, source="s.toml", base_dir=tmp_path)


def test_an_unknown_column_is_named(tmp_path):
    write_posterior(tmp_path, **{"world.no_such_parameter": 1.0})
    msg = spec_problems(tmp_path)
    assert "world.no_such_parameter" in msg and "posterior.csv" in msg


def test_values_outside_the_schema_are_refused(tmp_path):
    write_posterior(tmp_path, **{"world.challenge_base_rate": 1.5})  # a probability above 0.99
    msg = spec_problems(tmp_path)
    assert "challenge_base_rate" in msg


def test_non_numeric_or_empty_posteriors_are_refused(tmp_path):
    (tmp_path / "posterior.csv").write_text("draw,world.challenge_sharpness\n0,high\n")
    assert "finite numbers" in spec_problems(tmp_path)
    (tmp_path / "posterior.csv").write_text("")
    assert "posterior.csv" in spec_problems(tmp_path)


def test_a_factor_setting_a_drawn_parameter_is_refused_naming_both(tmp_path):
    write_posterior(tmp_path)
    spec = posterior_spec(tmp_path)
    spec["factors"].append({"name": "beta", "path": "world.challenge_sharpness", "values": [1, 2]})
    spec["fixed"] = {"world.challenge_base_rate": 0.01}
    with pytest.raises(SpecError) as exc:
        spec_from_dict(spec, source="s.toml", base_dir=tmp_path)
    msg = str(exc.value)
    assert "factors.beta" in msg and "world.challenge_sharpness" in msg
    assert "fixed.world.challenge_base_rate" in msg


def test_a_posterior_file_without_calibration_posterior_is_refused(tmp_path):
    write_posterior(tmp_path)
    assert "experiment.posterior" in spec_problems(tmp_path, calibration="point")


def test_point_specs_hash_as_before(tmp_path):
    """A spec without the new settings keeps its identity (folders made before still resume):
    its hash is the one computed from the spec without the two keys; a posterior changes it."""
    spec = posterior_spec(tmp_path)
    del spec["experiment"]["calibration"], spec["experiment"]["posterior"]
    s = spec_from_dict(spec)
    data = s.to_dict()
    assert data["experiment"].pop("calibration") == "point"
    assert data["experiment"].pop("posterior") is None
    data.pop("report")
    data["experiment"].pop("description")
    data["output"].pop("batch_size")
    for f in data["factors"]:
        f.pop("role")
    blob = {"spec": data, "scenario": s.base_scenario().to_dict()}
    text = json.dumps(blob, sort_keys=True, separators=(",", ":"), default=str)
    assert s.sha256() == hashlib.sha256(text.encode("utf-8")).hexdigest()
    write_posterior(tmp_path)
    with_post = spec_from_dict(posterior_spec(tmp_path), base_dir=tmp_path)
    assert with_post.sha256() != s.sha256()


def test_cli_exits_2_on_a_bad_posterior(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(
        '[experiment]\nname = "p"\nscenario = "europe"\nyears = 2\nreplications = 1\n'
        'calibration = "posterior"\nposterior = "missing.csv"\n'
        '[[factors]]\nname = "c"\npath = "donors.*.policy.conditionality"\nvalues = [0, 0.5]\n'
    )
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "missing.csv" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


# --- robust optimisation: one draw per future ---------------------------------------------------


def test_optimisation_futures_draw_by_their_seed_and_sweeps_carry_the_values(tmp_path):
    from deterrence_sim.decision.opt_spec import optimize_spec_from_dict
    from deterrence_sim.decision.optimize import Evaluator, uncertainty_futures

    write_posterior(tmp_path)
    data = posterior_spec(tmp_path, replications=1)
    data["factors"].append(
        {
            "name": "resolve",
            "path": "world.partner_resolve",
            "range": [0.2, 0.8],
            "role": "uncertainty",
        }
    )
    data["optimize"] = {"population": 4, "generations": 1, "samples": 4}
    data["objectives"] = [{"name": "attacks", "metric": "attacks_per_year"}]
    spec = optimize_spec_from_dict(data, source=str(tmp_path / "s.toml"), base_dir=tmp_path)
    futures = uncertainty_futures(spec, 4, spec.seed)
    assert futures == uncertainty_futures(spec, 4, spec.seed)  # a function of the seed
    assert all(DRAW_COLUMN in f and "resolve" in f for f in futures)
    ev = Evaluator(spec, tmp_path, None, futures, spec.sizes())
    sweep_dict = ev._spec_dict([{"conditionality": 0}, {"conditionality": 0.6}], 0)
    assert sweep_dict["experiment"]["calibration"] == "point"
    out = tmp_path / "gen"
    sweep(sweep_dict, tmp_path, out)
    df, drawn = drawn_columns(load(out), read_manifest(out))
    assert drawn == PATHS
    post = load_posterior(tmp_path / "posterior.csv")
    for _, row in df.iterrows():
        values = post.values(int(row[DRAW_COLUMN]))
        assert [row[p] for p in PATHS] == [values[p] for p in PATHS]
    # Both policies meet the same futures: the same draws at the same future.
    n_f = len(futures)
    draws = df.sort_values("point")[DRAW_COLUMN].tolist()
    assert draws[:n_f] == draws[n_f:]
    assert json.dumps(futures, sort_keys=True)  # futures stay plain data (futures.csv)


def test_the_stress_test_samples_posterior_rows_and_reports_them(tmp_path):
    """The chosen policy's stress test: a Latin hypercube over the futures' drawn rows; its report
    and scenario discovery see the drawn parameters, not the row numbers."""
    from deterrence_sim.analysis import write_report
    from deterrence_sim.decision.discover import discovery_data
    from deterrence_sim.decision.opt_spec import optimize_spec_from_dict
    from deterrence_sim.decision.optimize import stress_test

    write_posterior(tmp_path)
    data = posterior_spec(tmp_path, replications=1, years=2)
    data["optimize"] = {"quick": {"stress_samples": 5, "replications": 1}}
    data["objectives"] = [{"name": "attacks", "metric": "attacks_per_year"}]
    spec = optimize_spec_from_dict(
        data, source=str(tmp_path / "s.toml"), base_dir=tmp_path, quick=True
    )
    out = stress_test(spec, {"conditionality": 0.6}, tmp_path / "stress")
    df, drawn = drawn_columns(load(out), read_manifest(out))
    assert drawn == PATHS and len(df) == 5
    assert df[DRAW_COLUMN].nunique() >= 2  # 5 rows from 25: all equal with chance 25^-4
    text = write_report(out).read_text(encoding="utf-8")
    part = text.split("## Uncertainties", 1)[1]
    assert all(f"| {p} | posterior |" in part for p in PATHS)
    assert f"| {DRAW_COLUMN} |" not in part
    x, _, _, _ = discovery_data(out, "partner_capability_final", above=0.0)
    assert set(PATHS) <= set(x.columns) and DRAW_COLUMN not in x.columns
