"""The `deterrence-sim run` and `scenarios` commands, and their error handling."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from deterrence_sim.cli import main


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deterrence_sim.cli", *args], capture_output=True, text=True
    )


def test_scenarios_lists_one_line_per_preset(capsys):
    assert main(["scenarios"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) >= 9
    assert any(line.startswith("europe ") for line in lines)


def test_run_writes_four_files_and_prints_a_summary(tmp_path, capsys):
    out = tmp_path / "r"
    assert (
        main(["run", "--scenario", "europe", "--years", "15", "--seed", "3", "--out", str(out)])
        == 0
    )
    text = capsys.readouterr().out
    assert "partner_capability_mean" in text and "scenario europe" in text
    assert {p.name for p in out.iterdir()} == {
        "metrics.json",
        "timeseries.csv",
        "events.csv",
        "run.png",
    }
    data = json.loads((out / "metrics.json").read_text())
    assert data["seed"] == 3 and data["years"] == 15
    assert (out / "run.png").stat().st_size > 10_000


def test_run_with_overrides_and_a_scenario_file(tmp_path):
    from deterrence_sim import Scenario

    path = tmp_path / "mine.toml"
    Scenario.preset("classroom_cliff_exit").to_toml(path)
    out = tmp_path / "r"
    code = main(
        [
            "run",
            "--scenario",
            str(path),
            "--years",
            "5",
            "--set",
            "donors.*.policy.sunset_year=open",
            "--set",
            "partners.Partner.governance=0.7",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert json.loads((out / "metrics.json").read_text())["years"] == 5


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ["run", "--set", "donors.*.policy.conditionality=2"],
            "donors.*.policy.conditionality = 2: must be between 0 and 1",
        ),
        (["run", "--scenario", "atlantis"], "atlantis"),
        (["run", "--scenario", "missing.toml"], "file not found"),
        (["run", "--set", "nonsense"], "KEY=VALUE"),
        (["run", "--set", "partners.NOPE.governance=0.1"], "no item named 'NOPE'"),
        (["run", "--seed", "-4"], "--seed"),
        (["run", "--years", "0"], "--years"),
        (["run", "--years", "ten"], "invalid int value"),
    ],
)
def test_bad_input_exits_2_with_one_message_and_no_traceback(args, fragment):
    result = _cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert fragment in result.stderr


def test_the_acceptance_message_is_one_line():
    result = _cli("run", "--set", "donors.*.policy.conditionality=2")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
