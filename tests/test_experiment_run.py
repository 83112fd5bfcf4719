"""Running sweeps: determinism across executors, failures, resume after SIGKILL, load, report, CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from deterrence_sim.cli import main
from deterrence_sim.experiment import load, load_timeseries, rerun, run_experiment, spec_from_dict
from deterrence_sim.experiment.store import read_status

METRICS = ["attacks_per_year", "partner_capability_final", "governance_at_sunset", "coercions"]


def small_spec(**over) -> dict:
    spec = {
        "experiment": {
            "name": "small",
            "scenario": "europe",
            "years": 8,
            "replications": 3,
            "seed": 5,
        },
        "design": {"kind": "grid"},
        "factors": [
            {"name": "sunset", "path": "donors.*.policy.sunset_year", "values": ["open", 4]},
            {
                "name": "conditionality",
                "path": "donors.*.policy.conditionality",
                "range": [0.0, 0.6],
                "steps": 2,
            },
            {
                "name": "partner_type",
                "bundles": {
                    "strong": {"partners.*.governance": 0.8},
                    "fragile": {
                        "partners.*.governance": 0.3,
                        "partners.*.absorptive_capacity": 0.3,
                    },
                },
            },
        ],
        "output": {"metrics": METRICS, "timeseries": True, "timeseries_every": 4},
    }
    for k, v in over.items():
        spec[k] = {**spec.get(k, {}), **v} if isinstance(v, dict) else v
    return spec


def metric_frame(out: Path) -> pd.DataFrame:
    df = load(out)
    return df[["run_id", *METRICS]].set_index("run_id").sort_index()


def assert_same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.index) == list(b.index)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def thread_pool() -> ThreadPoolExecutor:
    # In-process executor: exercises the runner and store without process start-up cost.
    return ThreadPoolExecutor(max_workers=2)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The small sweep run with one worker process (the reference for determinism)."""
    out = tmp_path_factory.mktemp("ref") / "one"
    s = run_experiment(spec_from_dict(small_spec()), out, workers=1, progress=False)
    assert (s.planned, s.ok, s.failed, s.missing) == (24, 24, 0, 0)
    return out


def test_two_workers_give_identical_metrics(reference, tmp_path):
    out = tmp_path / "two"
    run_experiment(spec_from_dict(small_spec()), out, workers=2, batch_size=5, progress=False)
    assert_same(metric_frame(reference), metric_frame(out))
    # The time series too.
    a = load_timeseries(reference).set_index(["run_id", "year"]).sort_index()
    b = load_timeseries(out).set_index(["run_id", "year"]).sort_index()
    assert sorted(set(a.index.get_level_values("year"))) == [4, 8]
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_dask_local_cluster_gives_identical_metrics(reference, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "dask"
    s = run_experiment(
        spec_from_dict(small_spec()), out, executor="dask", workers=2, batch_size=4, progress=False
    )
    assert s.ok == 24
    assert_same(metric_frame(reference), metric_frame(out))
    assert (
        json.loads((out / "manifest.json").read_text())["sessions"][0]["executor"]["kind"] == "dask"
    )


def test_common_random_numbers_and_rerun_reproduces_a_run(reference):
    df = load(reference)
    # The same replication seed at every design point.
    assert (df.groupby("replication")["seed"].nunique() == 1).all()
    row = df.iloc[7]
    result, stored = rerun(reference, row["run_id"])
    assert result.seed == row["seed"]
    for m in METRICS:
        a, b = stored[m], result.metrics[m]
        assert (np.isnan(a) and np.isnan(b)) or a == b


def test_store_layout_manifest_and_load(reference):
    man = json.loads((reference / "manifest.json").read_text())
    assert man["status"] == "complete" and man["counts"] == {
        "planned": 24,
        "ok": 24,
        "failed": 0,
        "missing": 0,
    }
    assert len(man["spec_sha256"]) == 64 and man["root_seed"] == 5
    assert {"mesa", "numpy", "pandas"} <= set(man["versions"])
    assert man["design"]["points"] == 8 and man["replications"] == 3
    runs = pd.read_parquet(reference / "runs.parquet")
    assert len(runs) == 24 and runs["run_id"].is_unique
    # "open" mixed with numbers: a string column plus a numeric companion; JSON keeps the types.
    assert set(runs["sunset"]) == {"open", "4"}
    assert runs["sunset_num"].isna().sum() == 12 and set(runs["sunset_num"].dropna()) == {4.0}
    assert {json.loads(f)["sunset"] for f in runs["factors"]} == {"open", 4}
    assert runs["conditionality"].dtype == np.float64
    status = read_status(reference)
    assert len(status) == 24 and {s["status"] for s in status} == {"ok"}
    df = load(reference)
    assert len(df) == 24 and set(METRICS) <= set(df.columns)
    assert df["partner_capability_final"].notna().all()


def test_failing_runs_are_recorded_and_the_rest_complete(tmp_path):
    spec = small_spec(
        experiment={"run_function": "deterrence_sim.experiment.testing:failing_run_model"},
        factors=[
            {"name": "note", "path": "description", "values": ["fine", "raise"]},
            {
                "name": "conditionality",
                "path": "donors.*.policy.conditionality",
                "values": [0.1, 0.3],
            },
        ],
    )
    out = tmp_path / "f"
    s = run_experiment(
        spec_from_dict(spec), out, executor=thread_pool(), batch_size=4, progress=False
    )
    assert (s.ok, s.failed, s.missing) == (6, 6, 0)
    full = load(out, include_failed=True)
    failed = full[full["status"] == "failed"]
    assert set(failed["note"]) == {"raise"} and len(failed) == 6
    assert failed["error"].str.contains("RuntimeError: injected failure").all()
    assert len(load(out)) == 6
    logged = [r for r in read_status(out) if r["status"] == "failed"]
    assert len(logged) == 6 and "injected failure" in logged[0]["traceback"]
    # --resume skips failed runs; --retry-failed runs them again without duplicating anything.
    s2 = run_experiment(
        spec_from_dict(spec), out, executor=thread_pool(), resume=True, progress=False
    )
    assert s2.ran == 0
    s3 = run_experiment(
        spec_from_dict(spec),
        out,
        executor=thread_pool(),
        resume=True,
        retry_failed=True,
        progress=False,
    )
    assert s3.ran == 6 and (s3.ok, s3.failed) == (6, 6)
    assert load(out, include_failed=True)["run_id"].is_unique


def test_resume_refuses_a_changed_spec_and_a_used_folder(tmp_path):
    from deterrence_sim.errors import UsageError

    out = tmp_path / "r"
    spec = small_spec(
        experiment={"run_function": "deterrence_sim.experiment.testing:toy_run_model"}
    )
    run_experiment(spec_from_dict(spec), out, executor=thread_pool(), progress=False)
    with pytest.raises(UsageError, match="already holds experiment"):
        run_experiment(spec_from_dict(spec), out, executor=thread_pool(), progress=False)
    changed = small_spec(
        experiment={"run_function": "deterrence_sim.experiment.testing:toy_run_model", "seed": 6}
    )
    with pytest.raises(UsageError, match=r"spec .*changed"):
        run_experiment(
            spec_from_dict(changed), out, executor=thread_pool(), resume=True, progress=False
        )


def test_uncommitted_parts_are_ignored_and_duplicates_removed(tmp_path):
    """A part is only complete once renamed; a run written twice is loaded once."""
    spec = small_spec(
        experiment={"run_function": "deterrence_sim.experiment.testing:toy_run_model"}
    )
    out = tmp_path / "d"
    run_experiment(spec_from_dict(spec), out, executor=thread_pool(), progress=False)
    before = metric_frame(out)
    parts = sorted((out / "metrics").glob("part-*.parquet"))
    # A torn temporary file, and a later duplicate of a committed part.
    (out / "metrics" / ".part-999-1-00000000.parquet.tmp").write_bytes(b"PAR1 torn")
    dup = out / "metrics" / "part-99999999999999999999-1-00000000.parquet"
    dup.write_bytes(parts[0].read_bytes())
    (out / "timeseries" / "part-99999999999999999998-1-0.parquet").write_bytes(
        (next((out / "timeseries").glob("part-*.parquet"))).read_bytes()
    )
    assert_same(before, metric_frame(out))
    ts = load_timeseries(out)
    assert not ts.duplicated(["run_id", "year"]).any()


SLEEPY = """
[experiment]
name = "sleepy"
scenario = "europe"
years = 6
replications = 4
seed = 11
run_function = "deterrence_sim.experiment.testing:failing_run_model"

[fixed]
description = "sleep:0.04"

[[factors]]
name = "conditionality"
path = "donors.*.policy.conditionality"
values = [0.0, 0.2, 0.4, 0.6, 0.8]

[[factors]]
name = "sunset"
path = "donors.*.policy.sunset_year"
values = ["open", 3, 5]

[output]
metrics = ["attacks_per_year", "partner_capability_final", "governance_at_sunset", "coercions"]
batch_size = 3
"""


def test_sigkill_mid_run_then_resume_equals_uninterrupted(tmp_path):
    spec_path = tmp_path / "sleepy.toml"
    spec_path.write_text(SLEEPY)
    # Uninterrupted reference, in process.
    ref = tmp_path / "ref"
    run_experiment(spec_path, ref, executor=thread_pool(), progress=False)
    assert len(load(ref)) == 60

    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "deterrence_sim.cli", "sweep", str(spec_path), "--out", str(out)]
    proc = subprocess.Popen(
        [*cmd, "--workers", "2", "--no-progress"],
        env=env,
        start_new_session=True,  # its own process group: SIGKILL reaches the workers too
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            if len(list((out / "metrics").glob("part-*.parquet"))) >= 4:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the sweep wrote no parts")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    done_before = len(load(out))
    assert 0 < done_before < 60
    man = json.loads((out / "manifest.json").read_text())
    assert man["status"] == "running"  # killed: nothing got to say otherwise

    rc = main(
        ["sweep", str(spec_path), "--out", str(out), "--resume", "--workers", "2", "--no-progress"]
    )
    assert rc == 0
    status = read_status(out)
    ran_after = len(status) - done_before
    assert ran_after <= 60 - done_before + 6  # at most the in-flight batches of the killed run
    assert_same(metric_frame(ref), metric_frame(out))
    assert load(out)["run_id"].is_unique and len(load(out)) == 60


def test_load_and_report_on_a_small_sweep(reference):
    from deterrence_sim.analysis import ci_summary

    df = load(reference)
    summ = ci_summary(df, ["point"], ["partner_capability_final"])
    one = df[df["point"] == 0]["partner_capability_final"].to_numpy()
    row = summ[summ["point"] == 0].iloc[0]
    from scipy import stats

    half = stats.t.ppf(0.975, len(one) - 1) * one.std(ddof=1) / np.sqrt(len(one))
    assert row["partner_capability_final_mean"] == pytest.approx(one.mean())
    assert row["partner_capability_final_hi"] - row[
        "partner_capability_final_mean"
    ] == pytest.approx(half)
    assert main(["report", str(reference)]) == 0
    text = (reference / "report.md").read_text()
    assert ("95% confidence" in text and "| sunset |" in text) or "sunset" in text
    pngs = list((reference / "figures").glob("*.png"))
    assert any(p.name.startswith("lever_") for p in pngs)
    assert any(p.name.startswith("heatmap_") for p in pngs)
    assert all(p.stat().st_size > 5000 for p in pngs)
    assert (reference / "summary.csv").exists()


@pytest.mark.parametrize("kind", ["sobol", "morris"])
def test_sensitivity_report(tmp_path, kind):
    from deterrence_sim.analysis import morris_indices, sobol_indices

    spec = {
        "experiment": {
            "name": kind,
            "scenario": "europe",
            "years": 10,
            "replications": 2,
            "seed": 1,
            "run_function": "deterrence_sim.experiment.testing:toy_run_model",
        },
        "design": {"kind": kind, "n": 16 if kind == "sobol" else 6},
        "factors": [
            {
                "name": "conditionality",
                "path": "donors.*.policy.conditionality",
                "range": [0.0, 1.0],
            },
            {"name": "governance", "path": "partners.*.governance", "range": [0.1, 0.9]},
            {"name": "enforcement", "path": "donors.*.policy.enforcement", "range": [0.0, 1.0]},
        ],
        "output": {"metrics": ["governance_at_sunset", "partner_capability_final"]},
    }
    out = tmp_path / kind
    run_experiment(spec_from_dict(spec), out, executor=thread_pool(), progress=False)
    if kind == "sobol":
        idx = sobol_indices(out, "governance_at_sunset").set_index("factor")
        # The toy's governance_at_sunset is governance + 0.1 conditionality: governance dominates,
        # enforcement does nothing.
        assert idx.loc["governance", "ST"] > 0.8
        assert idx.loc["enforcement", "ST"] < 0.05
    else:
        idx = morris_indices(out, "governance_at_sunset").set_index("factor")
        assert idx.loc["governance", "mu_star"] == pytest.approx(0.8, rel=0.1)
        assert idx.loc["conditionality", "mu_star"] == pytest.approx(0.1, rel=0.2)
        assert idx.loc["enforcement", "mu_star"] < 0.02
    assert main(["report", str(out)]) == 0
    assert (out / "figures" / "sensitivity_governance_at_sunset.png").exists()
    assert "Sensitivity" in (out / "report.md").read_text()


def test_cli_exit_codes(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[experiment]\nname = "x"\nscenario = "europe"\nreplications = -1\n')
    assert main(["sweep", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "experiment.replications" in err and str(bad) in err

    good = tmp_path / "good.toml"
    good.write_text(
        SLEEPY.replace("sleep:0.04", "fast").replace("replications = 4", "replications = 1")
    )
    assert main(["sweep", str(good), "--dry-run", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "15 runs = 15 design points × 1 replications" in out and "estimated time" in out
    assert main(["sweep", str(good), "--retry-failed"]) == 2  # needs --resume
    assert main(["report", str(tmp_path)]) == 2  # not an experiment folder
    assert "not an experiment folder" in capsys.readouterr().err
    assert main(["sweep", str(good), "--executor", "process", "--scheduler", "tcp://x:1"]) == 2
    with pytest.raises(SystemExit) as info:
        main(["sweep", str(good), "--executor", "threads"])
    assert info.value.code == 2


def test_cli_sweep_resume_and_rerun(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text(
        SLEEPY.replace("sleep:0.04", "fast")
        .replace("failing_run_model", "toy_run_model")
        .replace("replications = 4", "replications = 2")
    )
    out = tmp_path / "o"
    assert main(["sweep", str(good), "--out", str(out), "--no-progress"]) == 0
    assert "30 runs" in capsys.readouterr().out
    assert main(["sweep", str(good), "--out", str(out)]) == 2  # folder in use, no --resume
    assert main(["sweep", str(good), "--out", str(out), "--resume", "--no-progress"]) == 0
    assert "0 runs" in capsys.readouterr().out
    changed = tmp_path / "changed.toml"
    changed.write_text(good.read_text().replace("seed = 11", "seed = 12"))
    assert main(["sweep", str(changed), "--out", str(out), "--resume"]) == 2
    assert "changed since" in capsys.readouterr().err
    assert main(["rerun", str(out), "p000003-r0001"]) == 0
    assert "matches the stored metrics" in capsys.readouterr().out
    assert main(["rerun", str(out), "p9-r9"]) == 2


def test_paired_difference_matches_hand_computation(reference):
    from deterrence_sim.analysis import paired_difference

    df = load(reference)
    res = paired_difference(df, "sunset", "open", "4", ["partner_capability_final"]).iloc[0]
    a = df[df["sunset"] == "open"].set_index(["conditionality", "partner_type", "replication"])
    b = df[df["sunset"] == "4"].set_index(["conditionality", "partner_type", "replication"])
    d = (b["partner_capability_final"] - a["partner_capability_final"]).dropna()
    assert res["pairs"] == len(d) == 12
    assert res["difference"] == pytest.approx(d.mean())
    assert res["lo"] < res["difference"] < res["hi"]


def test_worker_leaves_no_model_alive(tmp_path):
    """Workers must not accumulate finished models (Mesa 3.3 keeps them unless released)."""
    import gc

    from deterrence_sim.experiment.runner import _batches, plan
    from deterrence_sim.experiment.worker import run_batch
    from deterrence_sim.model import DeterrenceModel

    p = plan(spec_from_dict(small_spec()))
    (tmp_path / "o").mkdir()
    task = next(_batches(p, list(range(12)), 12, tmp_path / "o"))
    gc.collect()
    # Models another test left behind are not this batch's: count only the ones it made.
    before = {id(o) for o in gc.get_objects() if isinstance(o, DeterrenceModel)}
    statuses = run_batch(task)
    assert [s["status"] for s in statuses] == ["ok"] * 12
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, DeterrenceModel) and id(o) not in before]
    assert alive == []


def test_dask_scheduler_address(tmp_path):
    """--scheduler joins a running cluster (as on HPC with dask-jobqueue)."""
    distributed = pytest.importorskip("distributed")
    spec = small_spec(
        experiment={"run_function": "deterrence_sim.experiment.testing:toy_run_model"}
    )
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        s = run_experiment(
            spec_from_dict(spec),
            tmp_path / "o",
            executor="dask",
            scheduler=cluster.scheduler_address,
            progress=False,
        )
    assert (s.ok, s.failed) == (24, 0)
    man = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert man["sessions"][0]["executor"]["scheduler"].startswith("tcp://")


@pytest.mark.slow
def test_worker_memory_stays_flat_over_thousands_of_runs(tmp_path):
    """A worker's resident memory does not grow with the number of runs it has done."""
    import gc

    from deterrence_sim.experiment.runner import _batches, plan
    from deterrence_sim.experiment.worker import run_batch

    def rss_mb() -> float:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
        pytest.skip("no /proc/self/status")

    spec = small_spec(experiment={"replications": 250, "years": 6})
    p = plan(spec_from_dict(spec))  # 8 points x 250 = 2,000 runs
    (tmp_path / "o").mkdir()
    sizes = []
    for k, task in enumerate(_batches(p, list(range(p.n_runs)), 100, tmp_path / "o")):
        run_batch(task)
        if k in (2, 19):
            gc.collect()
            sizes.append(rss_mb())
    assert sizes[1] - sizes[0] < 25, sizes


@pytest.mark.parametrize("kind", ["lhs", "list"])
def test_report_on_lhs_and_factorless_list(tmp_path, kind):
    toy = "deterrence_sim.experiment.testing:toy_run_model"
    base = {"name": kind, "scenario": "europe", "years": 6, "replications": 2, "run_function": toy}
    if kind == "lhs":
        spec = {
            "experiment": base,
            "design": {"kind": "lhs", "n": 12},
            "factors": [
                {"name": "c", "path": "donors.*.policy.conditionality", "range": [0.0, 0.6]},
                {"name": "sunset", "path": "donors.*.policy.sunset_year", "values": ["open", 3]},
            ],
        }
    else:
        spec = {"experiment": base, "design": {"kind": "list", "points": [{}]}}
    out = tmp_path / kind
    s = run_experiment(spec_from_dict(spec), out, executor=thread_pool(), progress=False)
    assert s.ok == (24 if kind == "lhs" else 2)
    assert main(["report", str(out)]) == 0
    text = (out / "report.md").read_text()
    assert ("scatter_" in text) if kind == "lhs" else ("## All runs" in text)
