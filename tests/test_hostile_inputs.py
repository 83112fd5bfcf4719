"""Hostile inputs, second round (issue 20): one regression test per row of the issue's table
(rows 3 and 4, the dashboard's, are tested with the dashboard; row 1, two writers on one folder,
in ``test_experiment_concurrency.py``).

Every command must exit 0, or exit 2 with one clear error line and no traceback, and leave
nothing half-written behind. Commands run in process through ``main``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import tomli_w
from shared_data import DATA

from deterrence_sim.cli import main
from deterrence_sim.errors import ScenarioError, UsageError
from deterrence_sim.escaping import FORMULA_STARTS, csv_cell, md_cell, terminal_text
from deterrence_sim.experiment import load
from deterrence_sim.experiment.store import MANIFEST, read_manifest, write_atomic
from deterrence_sim.run import run_model
from deterrence_sim.scenario import Scenario
from deterrence_sim.scenario.world import MAX_YEARS

TOY = "deterrence_sim.experiment.testing:toy_run_model"
HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x")',
    "@SUM(1)",
    "<img src=x onerror=alert(1)>",
]


def cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
    return int(code or 0), out.getvalue(), err.getvalue()


def refused(args: list[str], *needles: str) -> str:
    """Run a command that must exit 2 with one error line containing every needle."""
    code, _, err = cli(args)
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: "), err
    if len(lines) > 1:  # the documented list of every problem found
        assert lines[0].endswith("problems):") and all(x.startswith("  - ") for x in lines[1:])
    for needle in needles:
        assert needle in err, err
    return err


def spec_dict(**changes) -> dict:
    spec = {
        "experiment": {
            "name": "hostile",
            "scenario": "classroom_cliff_exit",
            "years": 3,
            "replications": 2,
            "seed": 1,
            "run_function": TOY,
        },
        "factors": [
            {"name": "cond", "path": "donors.*.policy.conditionality", "values": [0.0, 0.5]}
        ],
    }
    spec.update(changes)
    return spec


def write_spec(tmp_path: Path, spec: dict, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(tomli_w.dumps(spec), encoding="utf-8")
    return path


@pytest.fixture
def sweep(tmp_path) -> tuple[Path, Path]:
    """A finished sweep with time series: (spec file, folder)."""
    spec = write_spec(tmp_path, spec_dict(output={"timeseries": True, "batch_size": 1}))
    out = tmp_path / "sweep"
    assert cli(["sweep", spec, "--out", out, "--no-progress"])[0] == 0
    return spec, out


# --- row 2: finite but huge values --------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "bound"),
    [
        ("donors.*.budget", "world GDP"),
        ("partners.*.gdp", "world GDP"),
        ("aggressors.*.capability", "4 x world GDP"),
    ],
)
def test_row2_huge_finite_values_are_refused_naming_the_bound(tmp_path, key, bound):
    out = tmp_path / "run"
    refused(["run", "--set", f"{key}=1e308", "--out", out], key, bound)
    assert not out.exists()


def test_row2_values_at_the_bounds_stay_finite_for_the_longest_horizon():
    big = Scenario.preset("classroom_cliff_exit").with_overrides(
        {
            "donors.*.budget": 105_000.0,
            "donors.*.capability": 420_000.0,
            "partners.*.gdp": 105_000.0,
            "partners.*.equipment": 105_000.0,
            "aggressors.*.capability": 420_000.0,
            "aggressors.*.growth": 0.5,
            "world.gdp_growth": 0.1,
        }
    )
    result = run_model(big, years=MAX_YEARS, seed=1, keep_events=False)
    assert not any(math.isinf(v) for v in result.metrics.values())
    assert np.isfinite(result.timeseries.select_dtypes("number").to_numpy()).all()


def test_row2_a_run_that_fails_while_saving_leaves_no_half_written_folder(tmp_path, monkeypatch):
    from deterrence_sim import plots

    def broken_plot(result):
        raise OverflowError("cannot draw")

    monkeypatch.setattr(plots, "plot_run", broken_plot)
    out = tmp_path / "run"
    result = run_model(Scenario.preset("classroom_cliff_exit"), years=3)
    with pytest.raises(OverflowError):
        result.save(out)
    assert not out.exists()
    assert not list(tmp_path.iterdir())  # no temporary folder left either


# --- row 5: names that are formulas or HTML ------------------------------------------------------


def _hostile_scenario(tmp_path: Path) -> Path:
    data = Scenario.preset("classroom_cliff_exit").to_dict()
    old = data["donors"][0]["name"]
    data["donors"][0]["name"] = HOSTILE[0]
    for tie in data["ties"]:
        tie["source"] = HOSTILE[0] if tie["source"] == old else tie["source"]
    for al in data.get("alliances", []):
        al["members"] = [HOSTILE[0] if m == old else m for m in al["members"]]
    data["name"] = "=HYPERLINK(1)"
    path = tmp_path / "hostile.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def _cells(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def _dangerous(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and csv_cell(cell) != cell


def test_row5_formula_names_are_neutralised_in_events_csv(tmp_path):
    out = tmp_path / "run"
    code, _, err = cli(["run", "--scenario", _hostile_scenario(tmp_path), "--out", out])
    assert code == 0, err
    cells = _cells(out / "events.csv")
    assert any(c.startswith("'=cmd") for c in cells)  # the name is there, neutralised
    assert not [c for c in cells if _dangerous(c)]
    # Numbers stay numbers, negative ones included.
    assert csv_cell(-0.5) == -0.5 and csv_cell("-0.5") == "-0.5"
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@SUM(1)") == "'@SUM(1)"


def test_row5_bundle_names_are_escaped_in_summary_csv_and_report_md(tmp_path):
    names = [*HOSTILE, "a|b"]
    bundles = {n: {"donors.*.policy.conditionality": i / 10} for i, n in enumerate(names)}
    factors = [{"name": "mix", "bundles": bundles}]
    spec = write_spec(tmp_path, spec_dict(factors=factors))
    out = tmp_path / "o"
    assert cli(["sweep", spec, "--out", out, "--no-progress"])[0] == 0
    code, _, err = cli(["report", out])
    assert code == 0, err
    assert not [c for c in _cells(out / "summary.csv") if _dangerous(c)]
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "<img" not in report and "&lt;img src=x onerror=alert(1)&gt;" in report
    assert "a\\|b" in report
    assert md_cell("x|<b>") == "x\\|&lt;b&gt;"


# --- row 6: duplicate design points --------------------------------------------------------------


@pytest.mark.parametrize(
    ("factor", "needle"),
    [
        (
            {"name": "n", "path": "donors.*.policy.taper_years", "range": [0, 1], "steps": 5},
            "distinct levels",
        ),
        (
            {"name": "c", "path": "donors.*.policy.conditionality", "values": [1, 1.0]},
            "distinct values",
        ),
    ],
)
def test_row6_duplicate_levels_exit_2_naming_them(tmp_path, factor, needle):
    if factor["name"] == "n":
        factor["integer"] = True
    spec = write_spec(tmp_path, spec_dict(factors=[factor]))
    refused(["sweep", spec, "--out", tmp_path / "o"], needle, f"factors.{factor['name']}")
    assert not (tmp_path / "o").exists()


def test_row6_booleans_mixed_with_numbers_are_refused(tmp_path):
    factor = {"name": "t", "path": "donors.*.policy.tripwire", "values": [True, False, 1]}
    spec = write_spec(tmp_path, spec_dict(factors=[factor]))
    refused(["sweep", spec, "--out", tmp_path / "o"], "factors.t", "valid boolean")


def test_row6_duplicate_list_points_exit_2(tmp_path):
    factors = [{"name": "c", "path": "donors.*.policy.conditionality", "values": [0.0, 0.5]}]
    design = {"kind": "list", "points": [{"c": 0.5}, {"c": 0.0}, {"c": 0.5}]}
    spec = write_spec(tmp_path, spec_dict(factors=factors, design=design))
    refused(["sweep", spec, "--out", tmp_path / "o"], "design.points[2]", "design.points[0]")


# --- row 7: optimize's job size ------------------------------------------------------------------


def _optimize_spec(tmp_path: Path, objective: dict | None = None, **optimize) -> Path:
    spec = spec_dict(
        factors=[
            {"name": "cond", "path": "donors.*.policy.conditionality", "range": [0.0, 0.8]},
            {"name": "gov", "path": "partners.*.governance", "range": [0.2, 0.8]},
        ]
    )
    spec["optimize"] = {"population": 10_000, "generations": 1000, **optimize}
    spec["objectives"] = [{"name": "a", "metric": "attacks_per_year", **(objective or {})}]
    return write_spec(tmp_path, spec)


def _optimize_flags() -> set[str]:
    from deterrence_sim.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return {s for a in sub.choices["optimize"]._actions for s in a.option_strings}


def test_row7_optimize_refuses_a_huge_population_before_any_work(tmp_path):
    pytest.importorskip("pymoo")
    out = tmp_path / "o"
    err = refused(["optimize", _optimize_spec(tmp_path), "--out", out], "--max-runs")
    assert not out.exists()
    spec = _optimize_spec(tmp_path, generations=2)  # within the default: a limit given
    refused(["optimize", spec, "--max-runs", 1000, "--out", out], "more than --max-runs 1,000")
    assert not out.exists()
    flags = {w.strip(",.;()") for w in err.split() if w.startswith("--")}
    assert flags <= _optimize_flags(), flags


def test_row7_a_refused_quick_search_names_only_flags_optimize_has(tmp_path):
    pytest.importorskip("pymoo")
    spec = _optimize_spec(tmp_path, quick={"population": 8, "generations": 3, "samples": 6})
    err = refused(["optimize", spec, "--quick", "--max-runs", 10, "--out", tmp_path / "o"])
    flags = {w.strip(",.;()") for w in err.split() if w.startswith("--")}
    assert flags and flags <= _optimize_flags(), flags


def test_row7_deduplicating_a_large_population_is_linear():
    from deterrence_sim.decision import optimize as opt

    ev = opt.Evaluator.__new__(opt.Evaluator)
    ev.values = {}
    policies = [{"x": i % 5000} for i in range(10_000)]
    keys: set[str] = set()
    new = [p for p in policies if not (opt.policy_key(p) in keys or keys.add(opt.policy_key(p)))]
    assert len(new) == 5000  # what Evaluator.evaluate keeps; a set makes it linear


# --- row 8: provenance on --resume ---------------------------------------------------------------


def test_row8_resume_refuses_another_model_version_unless_allowed(sweep):
    spec, out = sweep
    man = json.loads((out / MANIFEST).read_text())
    man["versions"]["deterrence-sim"] = "0.0.1-old"
    man["counts"]["missing"] = 1
    write_atomic(out / MANIFEST, json.dumps(man).encode())
    refused(["sweep", spec, "--out", out, "--resume"], "another version", "--allow-version-mix")
    code, _, err = cli(["sweep", spec, "--out", out, "--resume", "--allow-version-mix"])
    assert code == 0, err
    mixed = read_manifest(out)
    assert mixed["versions"]["deterrence-sim"] == "0.0.1-old"
    assert mixed["version_mix"][-1]["versions"]["deterrence-sim"] != "0.0.1-old"
    refused(["sweep", spec, "--out", out, "--allow-version-mix"], "needs --resume")


# --- row 9: the Python API validates at the door -------------------------------------------------


def test_row9_a_validated_scenario_cannot_be_changed_in_place():
    s = Scenario.preset("classroom_cliff_exit")
    with pytest.raises(ValueError, match="frozen"):
        s.partners[0].governance = 5.0
    with pytest.raises(ValueError, match="frozen"):
        s.ties[0].target = "Nobody"
    with pytest.raises(ValueError, match="frozen"):
        s.world.years = 10**9
    s.ties.append(s.ties[0])  # a list stays a list; run_model validates again at the door
    with pytest.raises(ScenarioError, match="one aid tie per pair"):
        run_model(s, years=2)


def test_row9_the_api_has_the_cli_horizon_cap_and_takes_numpy_seeds():
    s = Scenario.preset("classroom_cliff_exit")
    with pytest.raises(UsageError, match=f"from 1 to {MAX_YEARS}"):
        run_model(s, years=10**9)
    assert run_model(s, years=2, seed=np.int64(3)).seed == 3
    assert run_model(s, years=np.int32(2), seed=3).years == 2
    for bad in (3.0, True, -1, "3"):
        with pytest.raises(UsageError, match="seed must be"):
            run_model(s, years=2, seed=bad)
    bounds = Scenario.model_fields["world"].annotation.model_fields["years"].metadata
    assert max(getattr(m, "le", 0) or 0 for m in bounds) == MAX_YEARS


# --- row 10: terminal escapes ----------------------------------------------------------------------


def test_row10_control_characters_never_reach_the_terminal(tmp_path):
    data = Scenario.preset("classroom_cliff_exit").to_dict()
    data["name"] = "evil\x1b]52;c;ZXZpbA==\x07\x1b[2J"
    path = tmp_path / "esc.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    code, out, err = cli(["run", "--scenario", path, "--out", tmp_path / "r"])
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out
    assert "evil\\x1b]52" in out
    assert terminal_text("a\tb\nc\x1b") == "a\tb\nc\\x1b"


# --- row 11: inputs that used to raise tracebacks ------------------------------------------------


def test_row11_deeply_nested_toml_is_one_error(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    refused(["run", "--scenario", path, "--out", tmp_path / "r"], str(path), "nested")


def test_row11_a_device_is_not_read_as_a_scenario(tmp_path):
    refused(["run", "--scenario", "/dev/zero", "--out", tmp_path / "r"], "/dev/zero")


def test_row11_a_heatmap_needs_two_different_factors(tmp_path):
    factors = [
        {"name": "cond", "path": "donors.*.policy.conditionality", "values": [0.0, 0.5]},
        {"name": "gov", "path": "partners.*.governance", "values": [0.3, 0.6]},
    ]
    spec = write_spec(tmp_path, spec_dict(factors=factors, report={"heatmap": ["cond", "cond"]}))
    refused(["sweep", spec, "--out", tmp_path / "o"], "report.heatmap", "two different factors")


@pytest.mark.parametrize(
    "damage",
    [
        lambda m: m.pop("spec"),
        lambda m: m["design"]["factors"].append("nosuch"),
        lambda m: m.update(runs="many"),
    ],
    ids=["no spec", "unknown factor", "runs many"],
)
def test_row11_damaged_manifests_are_one_error(sweep, damage):
    _, out = sweep
    man = json.loads((out / MANIFEST).read_text())
    damage(man)
    (out / MANIFEST).write_text(json.dumps(man))
    refused(["report", out], "manifest.json", "damaged")


def test_row11_random_bytes_in_the_status_log_then_resume(sweep):
    spec, out = sweep
    with open(out / "status.jsonl", "ab") as fh:
        fh.write(b"\xff\xfe\x00garbage\x80\n[1, 2]\n")
    code, _, err = cli(["sweep", spec, "--out", out, "--resume", "--no-progress"])
    assert code == 0, err


def test_row11_discover_refuses_a_column_that_is_not_a_metric(sweep):
    pytest.importorskip("ema_workbench")
    _, out = sweep
    refused(["discover", out, "--metric", "factors", "--above", "0"], "no metric 'factors'")


# --- row 12: stores whose parts disagree with their manifest ------------------------------------


def test_row12_a_lost_timeseries_part_is_refused_by_report_and_rerun_by_resume(sweep):
    spec, out = sweep
    reference = load(out).drop(columns="duration_s").set_index("run_id").sort_index()
    victim = sorted((out / "timeseries").glob("part-*.parquet"))[0]
    victim.unlink()
    refused(["report", out, "--require-complete"], victim.name, "--resume")
    refused(["report", out], victim.name)
    code, stdout, err = cli(["sweep", spec, "--out", out, "--resume", "--no-progress"])
    assert code == 0, err
    assert "0 missing" in stdout and " 1 runs" in stdout  # the lost batch ran again
    assert cli(["report", out, "--require-complete"])[0] == 0
    again = load(out).drop(columns="duration_s").set_index("run_id").sort_index()
    pd.testing.assert_frame_equal(reference, again, check_exact=True)


def test_row12_a_part_with_foreign_run_ids_is_refused(sweep, tmp_path):
    spec, out = sweep
    part = sorted((out / "metrics").glob("part-*.parquet"))[0]
    df = pd.read_parquet(part)
    df["run_id"] = "p999999-r0000"
    df.to_parquet(out / "metrics" / "part-99999999999999999999-1-00000000.parquet", index=False)
    refused(["report", out], "does not plan", "p999999-r0000")
    refused(["sweep", spec, "--out", out, "--resume"], "does not plan")


def test_row12_a_full_disk_leaves_no_temporary_manifest(tmp_path, monkeypatch):
    import os as _os

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        write_atomic(tmp_path / MANIFEST, b"{}")
    assert not list(tmp_path.iterdir())


# --- row 13: loose checks, silent misconfiguration, misleading messages --------------------------


@pytest.mark.parametrize("value", ["true", '"1.2"'])
def test_row13_a_number_must_be_a_number(tmp_path, value):
    refused(["run", "--set", f"donors.*.budget={value}", "--out", tmp_path / "r"], "valid number")


def test_row13_duplicate_ties_and_alliance_names_are_refused():
    data = Scenario.preset("classroom_cliff_exit").to_dict()
    with pytest.raises(ScenarioError, match="one aid tie per pair"):
        Scenario.from_dict({**data, "ties": [*data["ties"], data["ties"][0]]})
    donor = data["donors"][0]["name"]
    alliances = [{"name": "A", "members": [donor]}, {"name": "A", "members": [donor]}]
    with pytest.raises(ScenarioError, match="alliance names must be unique"):
        Scenario.from_dict({**data, "alliances": alliances})


def test_row13_a_factor_on_world_years_is_refused(tmp_path):
    factors = [{"name": "h", "path": "world.years", "values": [10, 20]}]
    spec = write_spec(tmp_path, spec_dict(factors=factors))
    refused(["sweep", spec, "--out", tmp_path / "o"], "factors.h", "experiment.years")


def test_row13_a_name_wins_over_an_index():
    data = Scenario.preset("classroom_cliff_exit").to_dict()
    data["partners"].append({**data["partners"][0], "name": "0"})
    s = Scenario.from_dict(data)
    changed = s.with_overrides({"partners.0.governance": 0.11})
    assert changed.partners[-1].governance == 0.11
    assert changed.partners[0].governance == s.partners[0].governance


def test_row13_report_metrics_must_be_metrics(sweep):
    _, out = sweep
    refused(["report", out, "--metrics", "run_index"], "not a metric", "attacks_per_year")


def test_row13_an_all_nan_metric_is_said_so(sweep):
    pytest.importorskip("ema_workbench")
    _, out = sweep
    for part in (out / "metrics").glob("part-*.parquet"):
        df = pd.read_parquet(part)
        df["governance_at_sunset"] = np.nan
        df.to_parquet(part, index=False)
    refused(
        ["discover", out, "--metric", "governance_at_sunset", "--above", "0"],
        "undefined (NaN) in every run",
    )


def test_row13_q_zero_says_greater_than_zero(tmp_path):
    pytest.importorskip("pymoo")
    spec = _optimize_spec(tmp_path, objective={"q": 0}, population=8)
    refused(["optimize", spec, "--out", tmp_path / "o"], "must be greater than 0 and at most 100")


def test_row13_from_dict_of_a_list_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="a table of scenario keys"):
        Scenario.from_dict([])


def test_stores_stay_readable_after_these_checks(sweep):
    _, out = sweep
    assert cli(["report", out, "--require-complete"])[0] == 0
    shutil.rmtree(out / "figures")


def test_row11_from_data_with_a_negative_milex_treats_it_as_missing(tmp_path):
    if DATA is None:
        pytest.skip("shared data files not found (set DETERRENCE_SIM_DATA)")
    nmc = pd.read_csv(DATA / "NMC-60-abridged.csv")
    nmc.loc[(nmc.stateabb == "EST") & (nmc.year == 2010), "milex"] = -5
    path = tmp_path / "nmc.csv"
    nmc.to_csv(path, index=False)
    args = ["scenario", "from-data", "--year", 2010, "--donors", "USA", "--partners", "EST"]
    code, out, err = cli([*args, "--nmc", path, "--out", tmp_path / "s.toml"])
    assert code == 0, err
    assert "EST milex 2010 missing" in out


def test_row2_huge_metric_values_print_in_scientific_notation():
    from deterrence_sim.commands import format_value

    assert format_value(8.48e164) == "8.480e+164"
    assert format_value(1234.5) == "1,234.500"
    assert format_value(float("nan")) == "n/a"
