"""Bad input to `sweep`, `rerun` and `report`: one clear line, exit 2, before any work (issue 12).

Each test names the item of issue 12 it guards. Commands run in process through ``main`` (an
uncaught exception would fail the test, so "no traceback" is checked too).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deterrence_sim.cli import main
from deterrence_sim.experiment import load, run_experiment, spec_from_dict
from deterrence_sim.experiment.limits import default_max_runs
from deterrence_sim.experiment.store import completed_runs, read_status

TOY = "deterrence_sim.experiment.testing:toy_run_model"

SPEC = f"""
[experiment]
name = "tiny"
scenario = "europe"
years = 4
replications = 2
seed = 3
run_function = "{TOY}"

[[factors]]
name = "conditionality"
path = "donors.*.policy.conditionality"
values = [0.1, 0.3]
"""


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.fixture
def done(tmp_path: Path, spec_file: Path) -> Path:
    """A finished four-run sweep of the real model (whose runs `rerun --out` can save)."""
    spec = tmp_path / "model.toml"
    spec.write_text(SPEC.replace(f'run_function = "{TOY}"', ""))
    out = tmp_path / "done"
    assert main(["sweep", str(spec), "--out", str(out), "--no-progress"]) == 0
    return out


def error_line(capsys) -> str:
    """The one line a failed command wrote to stderr."""
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("error: ")
    return err[0]


# --- item 2: job size ------------------------------------------------------------------------------


def test_a_sweep_over_max_runs_is_refused_with_the_estimate_before_planning(
    tmp_path, spec_file, capsys
):
    out = tmp_path / "o"
    assert main(["sweep", str(spec_file), "--out", str(out), "--max-runs", "3"]) == 2
    line = error_line(capsys)
    assert "4 runs (2 design points × 2 replications) exceed --max-runs 3" in line
    assert "dry run estimates" in line and "--max-runs 4" in line
    assert not out.exists()  # nothing planned, nothing written
    assert (
        main(["sweep", str(spec_file), "--out", str(out), "--max-runs", "4", "--no-progress"]) == 0
    )


def test_a_billion_run_spec_is_refused_in_seconds_and_its_dry_run_says_so(tmp_path, capsys):
    big = tmp_path / "big.toml"
    big.write_text(
        SPEC.replace("replications = 2", "replications = 100000").replace(
            "values = [0.1, 0.3]", "range = [0.0, 1.0]\nsteps = 10000"
        )
    )
    t0 = time.perf_counter()
    assert main(["sweep", str(big), "--out", str(tmp_path / "o")]) == 2
    assert time.perf_counter() - t0 < 20  # counted, not built (building would need ~1 TB)
    line = error_line(capsys)
    assert "1,000,000,000 runs" in line and "GB of memory" in line
    assert main(["sweep", str(big), "--dry-run"]) == 0
    assert "would be refused" in capsys.readouterr().out
    assert default_max_runs() >= 100_000


# --- item 3: output folders and damaged results -----------------------------------------------------


@pytest.mark.parametrize("where", ["file", "under_file", "proc"])
def test_sweep_out_that_cannot_be_a_folder_is_refused_before_any_work(
    tmp_path, spec_file, capsys, where
):
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    out = {"file": afile, "under_file": afile / "sub", "proc": Path("/proc/deterrence/x")}[where]
    assert main(["sweep", str(spec_file), "--out", str(out)]) == 2
    assert str(out) in error_line(capsys)
    assert afile.read_text() == "keep me"


def test_rerun_out_is_checked_before_the_run(done, tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["rerun", str(done), "p000001-r0001", "--out", str(afile)]) == 2
    assert "is a file" in error_line(capsys)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert main(["rerun", str(done), "p000001-r0001", "--out", str(other)]) == 2
    assert "--force" in error_line(capsys)
    assert main(["rerun", str(done), "p000001-r0001", "--out", str(other), "--force"]) == 0
    assert (other / "metrics.json").exists() and (other / "notes.txt").read_text() == "mine"


def test_report_on_a_file_a_folder_without_runs_and_damaged_files(done, tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["report", str(afile)]) == 2
    assert "is a file" in error_line(capsys)

    no_runs = tmp_path / "no_runs"
    no_runs.mkdir()
    (no_runs / "manifest.json").write_text((done / "manifest.json").read_text())
    assert main(["report", str(no_runs)]) == 2
    assert "runs.parquet: missing" in error_line(capsys)

    import shutil

    bad_manifest = tmp_path / "bad_manifest"
    shutil.copytree(done, bad_manifest)
    (bad_manifest / "manifest.json").write_text('{"name": ')
    assert main(["report", str(bad_manifest)]) == 2
    assert "manifest.json: damaged" in error_line(capsys)

    bad_part = tmp_path / "bad_part"
    shutil.copytree(done, bad_part)
    part = next((bad_part / "metrics").glob("part-*.parquet"))
    part.write_bytes(part.read_bytes()[:50])
    assert main(["report", str(bad_part)]) == 2
    line = error_line(capsys)
    assert part.name in line and "delete this part and resume" in line


# --- item 4: nonsense in specs and options ------------------------------------------------------------


def test_two_factors_on_the_same_parameter_after_wildcards_are_refused(tmp_path, capsys):
    spec = tmp_path / "twice.toml"
    spec.write_text(
        SPEC
        + """
[[factors]]
name = "sunset_all"
path = "donors.*.policy.sunset_year"
values = ["open", 5]

[[factors]]
name = "sunset_usa"
path = "donors.USA.policy.sunset_year"
values = [5, 10]
"""
    )
    assert main(["sweep", str(spec)]) == 2
    line = error_line(capsys)
    assert "factors.sunset_usa" in line and "which factor 'sunset_all' sets too" in line


def test_a_bundle_overlapping_a_path_factor_is_refused():
    from deterrence_sim.experiment import SpecError

    data = {
        "experiment": {"name": "b", "scenario": "europe", "run_function": TOY},
        "factors": [
            {"name": "gov", "path": "partners.*.governance", "values": [0.3, 0.6]},
            {"name": "kind", "bundles": {"strong": {"partners.EST.governance": 0.9}}},
        ],
    }
    with pytest.raises(SpecError, match="which factor 'gov' sets too"):
        spec_from_dict(data)


@pytest.mark.parametrize("value", ["inf", "-inf", "nan"])
def test_non_finite_numbers_in_a_spec_are_refused(tmp_path, capsys, value):
    spec = tmp_path / "inf.toml"
    spec.write_text(SPEC.replace("values = [0.1, 0.3]", f"values = [0.1, {value}]"))
    assert main(["sweep", str(spec)]) == 2
    assert "finite number" in error_line(capsys)


@pytest.mark.parametrize("flag", ["--batch-size", "--workers", "--max-runs"])
def test_zero_counts_are_refused_not_taken_as_automatic(tmp_path, spec_file, capsys, flag):
    out = tmp_path / "o"
    assert main(["sweep", str(spec_file), "--out", str(out), flag, "0"]) == 2
    assert f"{flag} must be at least 1, got 0" in error_line(capsys)
    assert not out.exists()


def test_a_spec_with_a_byte_order_mark_loads_and_one_not_in_utf8_is_named(tmp_path, capsys):
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + SPEC.encode())
    assert main(["sweep", str(bom), "--dry-run"]) == 0
    capsys.readouterr()
    latin = tmp_path / "latin.toml"
    latin.write_bytes(SPEC.replace('"tiny"', '"caf\xe9"').encode("latin-1"))
    assert main(["sweep", str(latin)]) == 2
    line = error_line(capsys)
    assert str(latin) in line and "not UTF-8" in line


# --- item 5: spec safety -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../outside", "/abs", ".hidden", "a/b", "", "x" * 101])
def test_spec_names_are_safe_folder_names(tmp_path, capsys, name):
    spec = tmp_path / "n.toml"
    spec.write_text(SPEC.replace('name = "tiny"', f"name = {json.dumps(name)}", 1))
    assert main(["sweep", str(spec)]) == 2
    assert "experiment.name" in error_line(capsys)
    assert not (tmp_path.parent / "outside").exists()


def test_run_function_outside_the_package_needs_an_explicit_flag(tmp_path, capsys):
    module = tmp_path / "evil_module_for_test.py"
    marker = tmp_path / "imported"
    module.write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "from deterrence_sim.experiment.testing import toy_run_model as run\n"
    )
    spec = tmp_path / "ext.toml"
    spec.write_text(SPEC.replace(TOY, "evil_module_for_test:run"))
    sys.path.insert(0, str(tmp_path))
    try:
        assert main(["sweep", str(spec), "--out", str(tmp_path / "o")]) == 2
        assert "--allow-external-run-function" in error_line(capsys)
        assert not marker.exists()  # refused without importing it
        args = ["sweep", str(spec), "--out", str(tmp_path / "o"), "--no-progress"]
        assert main([*args, "--allow-external-run-function"]) == 0
        assert marker.exists()
        capsys.readouterr()
        # The folder's run function is checked again by rerun (a folder can be shared too).
        assert main(["rerun", str(tmp_path / "o"), "p000000-r0000"]) == 2
        assert "--allow-external-run-function" in error_line(capsys)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("evil_module_for_test", None)


def test_a_misspelt_internal_run_function_is_reported_before_running(tmp_path, capsys):
    spec = tmp_path / "typo.toml"
    spec.write_text(SPEC.replace("toy_run_model", "toy_run_modle"))
    assert main(["sweep", str(spec)]) == 2
    assert "an existing function" in error_line(capsys)


# --- item 7: resume a sweep killed before its manifest was written --------------------------------


def test_resume_restarts_a_sweep_stopped_before_its_manifest(tmp_path, spec_file, capsys):
    out = tmp_path / "o"
    out.mkdir()
    (out / "spec.toml").write_text(SPEC)  # what a sweep killed while planning leaves
    (out / ".runs.parquet.tmp").write_bytes(b"PAR1 torn")
    assert main(["sweep", str(spec_file), "--out", str(out)]) == 2
    assert "--resume" in error_line(capsys)
    assert main(["sweep", str(spec_file), "--out", str(out), "--resume", "--no-progress"]) == 0
    assert len(load(out)) == 4
    # A folder holding anything else is still refused, even with --resume.
    other = tmp_path / "other"
    other.mkdir()
    (other / "thesis.tex").write_text("mine")
    assert main(["sweep", str(spec_file), "--out", str(other), "--resume"]) == 2
    assert "not empty" in error_line(capsys)


# --- item 8: status.jsonl after Ctrl-C; rerun output --------------------------------------------------


def test_status_log_covers_every_committed_run_after_ctrl_c(tmp_path):
    spec = tmp_path / "slow.toml"
    spec.write_text(
        # Enough runs that the sweep cannot finish between the third part and the signal even
        # on a busy machine (48 runs x 0.1 s on 2 workers: over 2 s left after three parts).
        SPEC.replace("replications = 2", "replications = 48")
        + '\n[fixed]\ndescription = "sleep:0.1"\n\n[output]\nbatch_size = 1\n'
    )
    out = tmp_path / "o"
    cmd = [sys.executable, "-m", "deterrence_sim.cli", "sweep", str(spec), "--out", str(out)]
    # A child started while SIGINT is ignored keeps ignoring it (Python installs no
    # KeyboardInterrupt handler then); an earlier test's pool may have left it ignored.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    proc = subprocess.Popen(
        [*cmd, "--workers", "2", "--no-progress"],
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    signal.signal(signal.SIGINT, previous)
    try:
        deadline = time.time() + 60
        while len(list((out / "metrics").glob("part-*.parquet"))) < 3:
            assert time.time() < deadline, "the sweep wrote no parts"
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and "Traceback" not in err
    committed = set(completed_runs(out)["run_id"])
    logged = {r["run_id"] for r in read_status(out)}
    assert committed and committed <= logged
    man = json.loads((out / "manifest.json").read_text())
    assert man["status"] == "interrupted"


def test_status_log_is_reconciled_on_resume_after_a_kill(tmp_path, spec_file):
    out = tmp_path / "o"
    run_experiment(spec_file, out, progress=False)
    lines = (out / "status.jsonl").read_text().splitlines()
    (out / "status.jsonl").write_text(lines[0] + "\n" + lines[1][:10])  # lost lines, a torn one
    run_experiment(spec_file, out, resume=True, progress=False)
    records = read_status(out)
    assert {r["run_id"] for r in records} == set(load(out)["run_id"])
    assert sum(bool(r.get("recovered")) for r in records) == 3


def test_rerun_echoes_the_run_and_prints_n_a(done, capsys):
    assert main(["rerun", str(done), "p000001-r0000"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("run p000001-r0000 of ") and "conditionality = 0.3" in first
    assert "seed " in first and "4 years" in first
    assert "n/a" in out and not re.search(r"\bnan\b", out)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_sweep_into_a_read_only_folder_is_refused(tmp_path, spec_file, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert main(["sweep", str(spec_file), "--out", str(ro / "o")]) == 2
        assert "cannot write there" in error_line(capsys)
    finally:
        ro.chmod(0o755)
