"""One writer per results folder (issue 20, row 1): two writers released together on one folder.

Each round forks two processes that wait on a barrier and then call ``run_experiment`` on the
same folder with two different specs (runs in a thread of the writer, so a round takes a fraction
of a second). Exactly one must succeed and the other stop with a clear error naming the holder
(what the CLI prints with exit 2); the folder must equal an uninterrupted sweep of the winner's
spec. One round goes through the command line itself, and a lock left by a killed process is
taken over.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from deterrence_sim.errors import DeterrenceSimError
from deterrence_sim.experiment import load, run_experiment
from deterrence_sim.experiment.folder_lock import FolderBusyError, lock_paths, writer_lock
from deterrence_sim.experiment.store import MANIFEST, read_manifest

ROUNDS = 20


def spec(seed: int, name: str = "race") -> dict:
    return {
        "experiment": {
            "name": name,
            "scenario": "classroom_cliff_exit",
            "years": 3,
            "replications": 4,
            "seed": seed,
            "run_function": "deterrence_sim.experiment.testing:toy_run_model",
        },
        "factors": [
            {"name": "cond", "path": "donors.*.policy.conditionality", "values": [0.0, 0.3, 0.6]}
        ],
        "output": {"batch_size": 2, "timeseries": True},
    }


def writer(seed: int, out: str, barrier, results) -> None:
    """A forked writer: wait for the other one, then sweep; report (seed, exit code, message)."""
    barrier.wait()
    try:
        with ThreadPoolExecutor(1) as pool:
            run_experiment(spec(seed), out, executor=pool, progress=False)
        results.put((seed, 0, ""))
    except DeterrenceSimError as exc:  # what the CLI turns into exit code 2
        results.put((seed, 2, str(exc)))
    except BaseException as exc:  # anything else is a bug: report it as such
        results.put((seed, 1, f"{type(exc).__name__}: {exc}"))


def frame(out: Path) -> pd.DataFrame:
    df = load(out).drop(columns=["duration_s"])
    return df.set_index("run_id").sort_index()


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> dict[int, pd.DataFrame]:
    base = tmp_path_factory.mktemp("ref")
    out = {}
    for seed in (1, 2):
        with ThreadPoolExecutor(1) as pool:
            run_experiment(spec(seed), base / str(seed), executor=pool, progress=False)
        out[seed] = frame(base / str(seed))
    return out


def test_two_writers_released_together_one_wins_and_the_store_is_the_winners(tmp_path, references):
    ctx = mp.get_context("fork")
    for round_ in range(ROUNDS):
        out = tmp_path / f"round{round_}"
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=writer, args=(s, str(out), barrier, results)) for s in (1, 2)]
        for p in procs:
            p.start()
        got = sorted((results.get(timeout=60) for _ in procs), key=lambda r: r[1])
        for p in procs:
            p.join(timeout=60)
        (winner, code0, _), (_, code1, message) = got
        assert (code0, code1) == (0, 2), got
        assert "another writer is using this results folder" in message, message
        assert "process " in message and " on host " in message and " since " in message
        assert "\n" not in message
        man = read_manifest(out)
        assert man["root_seed"] == winner and man["status"] == "complete"
        pd.testing.assert_frame_equal(frame(out), references[winner], check_exact=True)
        assert not list(out.rglob("*.tmp"))


def test_the_second_writer_names_the_holder_and_the_command_line_exits_2(tmp_path):
    out = tmp_path / "busy"
    spec_file = tmp_path / "race.toml"
    import tomli_w

    spec_file.write_text(tomli_w.dumps(spec(1)))
    with writer_lock(out):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "deterrence_sim.cli",
                "sweep",
                str(spec_file),
                "--out",
                str(out),
            ],
            capture_output=True,
            check=False,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert f"process {os.getpid()} on host" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    assert not out.exists()  # the loser wrote nothing


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path, capsys):
    out = tmp_path / "stale"
    lock, note = lock_paths(out)
    # A killed writer leaves its note (the operating system released its lock).
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock.parent.mkdir(parents=True, exist_ok=True)
    import socket

    note.write_text(
        json.dumps({"pid": dead.pid, "host": socket.gethostname(), "started": "then"}),
        encoding="utf-8",
    )
    with ThreadPoolExecutor(1) as pool:
        summary = run_experiment(spec(1), out, executor=pool, progress=False)
    assert summary.ok == summary.planned
    assert "taking over the lock left by process" in capsys.readouterr().err
    assert not note.exists()  # released: the note goes with the lock
    assert (out / MANIFEST).exists()


def test_a_writer_in_the_same_process_is_refused_too(tmp_path):
    out = tmp_path / "same"
    with (
        writer_lock(out),
        pytest.raises(FolderBusyError, match=f"process {os.getpid()}"),
        ThreadPoolExecutor(1) as pool,
    ):
        run_experiment(spec(1), out, executor=pool, progress=False)
