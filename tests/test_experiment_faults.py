"""Crash safety: SIGKILL a sweep's whole process group at random moments -- while it starts, while
it plans the design and writes the run table (before its manifest exists), while it runs, and
while a resume tidies up and continues -- then resume to the end: the store must equal an
uninterrupted sweep's, run for run, with every run logged once it is committed (issue 12).

Slow (a dozen process start-ups); the default run covers a mid-run kill in
``test_experiment_run.py`` and a sweep stopped before its manifest in
``test_experiment_inputs.py``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from deterrence_sim.experiment import load, run_experiment
from deterrence_sim.experiment.store import MANIFEST, read_status

SPEC = """
[experiment]
name = "faults"
scenario = "classroom_cliff_exit"
years = 5
replications = 500
seed = 4
run_function = "deterrence_sim.experiment.testing:toy_run_model"

[[factors]]
name = "conditionality"
path = "donors.*.policy.conditionality"
values = [0.0, 0.2, 0.4, 0.6]

[output]
batch_size = 50
"""
RUNS = 2000
METRICS = ["attacks_per_year", "partner_capability_final", "governance_at_sunset"]


def phase(out: Path) -> str:
    """Where a killed sweep stood: nothing yet, planning (no manifest), running, or done."""
    if not out.exists():
        return "not started"
    if not (out / MANIFEST).exists():
        return "planning"
    status = json.loads((out / MANIFEST).read_text()).get("status")
    return "done" if status == "complete" else "running"


def start(spec: Path, out: Path, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "deterrence_sim.cli", "sweep", str(spec), "--out", str(out)]
    return subprocess.Popen(
        [*cmd, "--resume", "--no-progress", "--workers", str(workers)],
        start_new_session=True,  # its own process group: the kill reaches every worker too
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def kill_when(proc: subprocess.Popen, ready, timeout: float = 120) -> bool:
    """SIGKILL as soon as ``ready()`` holds (polled every millisecond); False if it never did."""
    deadline = time.time() + timeout
    while proc.poll() is None and time.time() < deadline:
        if ready():
            kill(proc)
            return True
        time.sleep(0.001)
    kill(proc)
    return False


def frame(out: Path) -> pd.DataFrame:
    return load(out)[["run_id", *METRICS]].set_index("run_id").sort_index()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_random_sigkills_then_resume_equal_an_uninterrupted_sweep(tmp_path, seed):
    rng = random.Random(seed)
    spec = tmp_path / "faults.toml"
    spec.write_text(SPEC)
    t0 = time.perf_counter()
    run_experiment(spec, tmp_path / "ref", progress=False)
    reference = frame(tmp_path / "ref")
    assert len(reference) == RUNS
    span = time.perf_counter() - t0 + 3.0  # the sweep's own time plus a process start-up

    out = tmp_path / "killed"
    phases = []
    # 1. During planning: the folder has spec.toml but no manifest yet.
    proc = start(spec, out, workers=1)
    kill_when(proc, (out / "spec.toml").exists)
    phases.append(phase(out))
    # 2. Mid-run, once a few batches are committed.
    proc = start(spec, out, workers=2)
    kill_when(proc, lambda: len(list((out / "metrics").glob("part-*.parquet"))) >= 3)
    phases.append(phase(out))
    # 3. Resumes killed at random moments, from start-up to the end.
    for _ in range(6):
        proc = start(spec, out, workers=rng.choice([1, 2]))
        deadline = time.time() + rng.uniform(0, span)
        while proc.poll() is None and time.time() < deadline:
            time.sleep(0.005)
        kill(proc)
        phases.append(phase(out))
    # 4. A last resume runs to the end.
    proc = start(spec, out, workers=2)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "Traceback" not in err

    pd.testing.assert_frame_equal(reference, frame(out), check_exact=True)
    assert load(out)["run_id"].is_unique
    logged = {r["run_id"] for r in read_status(out) if r["status"] == "ok"}
    assert logged == set(reference.index)
    man = json.loads((out / MANIFEST).read_text())
    assert man["status"] == "complete" and man["counts"]["ok"] == RUNS
    print("phases at the kills:", phases)
    assert "running" in phases, phases  # the kills did land mid-sweep


# Runs slow enough to start a second writer while the first one runs (80 runs × 0.1 s, in
# batches of 5).
SMALL = SPEC.replace("replications = 500", "replications = 20").replace(
    "batch_size = 50", "batch_size = 5"
)
SLOW_FIXED = '\n[fixed]\ndescription = "sleep:0.1"\n'


@pytest.mark.slow
def test_a_concurrent_writer_is_refused_then_a_sigkilled_holder_is_taken_over(tmp_path):
    """A second sweep (or --resume) started while the first runs exits 2 naming it and writes
    nothing; after the first is SIGKILLed its lock is taken over and a resume ends equal to an
    uninterrupted sweep."""
    spec = tmp_path / "faults.toml"
    spec.write_text(SMALL + SLOW_FIXED)
    out = tmp_path / "busy"
    first = start(spec, out, workers=1)
    try:
        deadline = time.time() + 120
        while not list((out / "metrics").glob("part-*.parquet")):
            assert time.time() < deadline and first.poll() is None, "the first sweep never ran"
            time.sleep(0.01)
        before = sorted(p.name for p in out.rglob("*"))
        second = start(spec, out, workers=1)
        _, err = second.communicate(timeout=120)
        assert second.returncode == 2, err
        assert "Traceback" not in err and f"process {first.pid} on host" in err, err
        assert len(err.strip().splitlines()) == 1
        assert [n for n in sorted(p.name for p in out.rglob("*")) if n in before] == before
    finally:
        kill(first)
    last = start(spec, out, workers=1)
    _, err = last.communicate(timeout=300)
    assert last.returncode == 0, err
    assert "taking over the lock left by process" in err
    ref = tmp_path / "ref"
    plain = tmp_path / "plain.toml"
    plain.write_text(SMALL + SLOW_FIXED)
    run_experiment(plain, ref, progress=False)
    pd.testing.assert_frame_equal(frame(ref), frame(out), check_exact=True)
