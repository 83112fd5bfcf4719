"""The `deterrence-sim run` and `scenarios` commands, and their error handling."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from deterrence_sim.cli import main


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deterrence_sim.cli", *args],
        capture_output=True,
        text=True,
        check=False,
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


# --- issue 12: bounds, output paths, encodings, the summary table --------------------------------


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    return err[0]


def test_run_years_is_capped_like_a_spec(tmp_path, capsys):
    from deterrence_sim.experiment.spec import MAX_YEARS, ExperimentSection

    assert ExperimentSection.model_fields["years"].metadata[-1].le == MAX_YEARS
    assert main(["run", "--years", str(MAX_YEARS + 1), "--out", str(tmp_path / "r")]) == 2
    assert f"from 1 to {MAX_YEARS}" in _one_error_line(capsys)
    assert not (tmp_path / "r").exists()


def test_long_runs_show_progress(tmp_path, capsys):
    out = tmp_path / "r"
    assert (
        main(["run", "--scenario", "classroom_cliff_exit", "--years", "200", "--out", str(out)])
        == 0
    )
    assert "200/200" in capsys.readouterr().err  # the tqdm bar's last state


@pytest.mark.parametrize("out", ["", "  "])
def test_run_refuses_an_empty_out(tmp_path, capsys, monkeypatch, out):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--years", "2", "--out", out]) == 2
    assert "empty path" in _one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_run_does_not_write_into_a_folder_of_other_files_without_force(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "events.csv").write_text("my own events")
    (out / "notes.txt").write_text("keep")
    assert main(["run", "--years", "2", "--out", str(out)]) == 2
    assert "notes.txt" in _one_error_line(capsys)
    assert (out / "events.csv").read_text() == "my own events"
    # An earlier run's folder is reused as before; --force writes anywhere.
    assert main(["run", "--years", "2", "--out", str(tmp_path / "r")]) == 0
    assert main(["run", "--years", "2", "--out", str(tmp_path / "r")]) == 0
    assert main(["run", "--years", "2", "--out", str(out), "--force"]) == 0
    assert (out / "notes.txt").read_text() == "keep"


@pytest.mark.parametrize("where", ["file", "under_file", "proc"])
def test_run_out_that_cannot_be_written_fails_before_running(tmp_path, capsys, where):
    afile = tmp_path / "afile"
    afile.write_text("x")
    out = {"file": afile, "under_file": afile / "r", "proc": "/proc/deterrence-run"}[where]
    assert main(["run", "--years", "2", "--out", str(out)]) == 2
    assert str(out) in _one_error_line(capsys)


def test_scenario_files_not_in_utf8_are_named_and_a_byte_order_mark_is_accepted(tmp_path, capsys):
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name = "Côte"\n'.encode("latin-1"))
    assert main(["run", "--scenario", str(latin), "--out", str(tmp_path / "r")]) == 2
    line = _one_error_line(capsys)
    assert str(latin) in line and "UTF-8" in line
    from deterrence_sim import Scenario

    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + Scenario.preset("classroom_cliff_exit").to_toml().encode())
    assert Scenario.from_toml(bom).name == "classroom_cliff_exit"


def test_scenario_from_data_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "scen.toml"
    out.write_text("# mine\n")
    args = ["scenario", "from-data", "--year", "2016", "--donors", "USA", "--partners", "EST"]
    args += ["--nmc", str(tmp_path / "no-such-nmc.csv"), "--out", str(out)]
    assert main(args) == 2
    assert "--force" in _one_error_line(capsys)
    assert out.read_text() == "# mine\n"
    # With --force the --out check passes and the next problem (no NMC file) is reported.
    assert main([*args, "--force"]) == 2
    assert "no-such-nmc.csv" in capsys.readouterr().err


def test_summary_table_columns_line_up(tmp_path, capsys):
    assert main(["run", "--years", "3", "--out", str(tmp_path / "r")]) == 0
    lines = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("metric"))
    table = [line for line in lines[start:] if line.strip() and not line.startswith("wrote")]
    rule = table[1]
    cols = [i for i in range(1, len(rule)) if rule[i] == "-" and rule[i - 1] == " "]
    assert len(cols) == 2  # three dashed segments, separated by spaces
    value_end = cols[1] - 3  # values are right-aligned to the end of the second segment
    for line in table[2:]:
        assert line[value_end] != " ", line
        assert line[value_end + 1 : value_end + 3] == "  ", line
    assert "1 aggressor;" in "\n".join(lines)


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        ("donors.*.budget=inf", "donors.*.budget = inf: must be a finite number"),
        ("partners.*.governance=nan", "must be a finite number"),
        ("world.gdp_growth=-inf", "must be a finite number"),
    ],
)
def test_non_finite_numbers_are_refused(tmp_path, capsys, setting, fragment):
    assert main(["run", "--set", setting, "--out", str(tmp_path / "r")]) == 2
    assert fragment in _one_error_line(capsys)
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("text", ["", 'name = "x"\n', 'name = "x"\n[[donors]]\nname = "D"\n'])
def test_a_scenario_without_partners_is_refused(tmp_path, capsys, text):
    path = tmp_path / "empty.toml"
    path.write_text(text)
    assert main(["run", "--scenario", str(path), "--out", str(tmp_path / "r")]) == 2
    line = _one_error_line(capsys)
    assert str(path) in line and "at least one [[partners]]" in line
