"""One store session for sweeps and searches (issue 17, item 4): the same folder checks with the
same words, and the same ``sessions`` entry and status in ``manifest.json`` however a call ends."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import tomli_w

from deterrence_sim.cli import main
from deterrence_sim.decision import optimize as optimize_module
from deterrence_sim.decision.opt_spec import optimize_spec_from_dict
from deterrence_sim.decision.optimize import optimize
from deterrence_sim.errors import UsageError

SWEEP = {
    "experiment": {
        "name": "tiny",
        "scenario": "europe",
        "years": 4,
        "replications": 2,
        "seed": 3,
        "run_function": "deterrence_sim.experiment.testing:toy_run_model",
    },
    "factors": [
        {"name": "conditionality", "path": "donors.*.policy.conditionality", "values": [0.1, 0.3]}
    ],
}

SEARCH = {
    "experiment": {
        "name": "zdt1",
        "scenario": "classroom_cliff_exit",
        "years": 1,
        "replications": 1,
        "seed": 7,
        "run_function": "deterrence_sim.decision.testing:zdt1",
    },
    "factors": [
        {"name": "x1", "path": "donors.*.policy.conditionality", "range": [0.0, 1.0]},
        {"name": "x2", "path": "donors.*.policy.enforcement", "range": [0.0, 1.0]},
    ],
    "optimize": {"population": 6, "generations": 3, "samples": 1},
    "objectives": [{"name": "f1", "metric": "f1"}, {"name": "f2", "metric": "f2"}],
}

#: The shape of the refusal both commands give a changed spec on --resume.
CHANGED = re.compile(
    r"cannot resume (?P<out>\S+): the spec \(or [^)]+\) changed since the folder was made "
    r"\(SHA-256 (?P<there>[0-9a-f]{12})… there, (?P<now>[0-9a-f]{12})… now\); "
    r"run the changed spec into a new --out folder"
)


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _write(path: Path, data: dict) -> Path:
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def _with_seed(data: dict, seed: int) -> dict:
    return {**data, "experiment": {**data["experiment"], "seed": seed}}


@pytest.mark.parametrize("command", ["sweep", "optimize"])
def test_both_commands_refuse_a_changed_spec_with_the_same_words(tmp_path, capsys, command):
    base = SWEEP if command == "sweep" else SEARCH
    spec = _write(tmp_path / "spec.toml", base)
    out = tmp_path / "out"
    assert main([command, str(spec), "--out", str(out), "--no-progress"]) == 0
    capsys.readouterr()
    # Without --resume: the folder is taken.
    assert main([command, str(spec), "--out", str(out), "--no-progress"]) == 2
    noun = "experiment" if command == "sweep" else "search"
    assert f"already holds {noun} '{base['experiment']['name']}'" in _error(capsys)
    # With --resume and a changed seed: the same refusal, with both hashes.
    _write(spec, _with_seed(base, 11))
    before = (out / "manifest.json").read_bytes()
    assert main([command, str(spec), "--out", str(out), "--resume", "--no-progress"]) == 2
    found = CHANGED.search(" ".join(_error(capsys).split()))
    assert found, "no 'cannot resume ... changed' refusal"
    assert found["there"] != found["now"]
    assert (out / "manifest.json").read_bytes() == before  # refused before any write


@pytest.mark.parametrize("command", ["sweep", "optimize"])
def test_both_commands_refuse_a_folder_of_someone_else(tmp_path, capsys, command):
    spec = _write(tmp_path / "spec.toml", SWEEP if command == "sweep" else SEARCH)
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.tex").write_text("mine")
    assert main([command, str(spec), "--out", str(out), "--resume", "--no-progress"]) == 2
    assert "exists and is not empty" in _error(capsys)
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"]


def _stop_in_generation(monkeypatch, gen: int, exc: BaseException) -> None:
    real = optimize_module.Evaluator.evaluate

    def evaluate(self, policies, g):
        if g == gen:
            raise exc
        return real(self, policies, g)

    monkeypatch.setattr(optimize_module.Evaluator, "evaluate", evaluate)


@pytest.mark.parametrize(
    ("exc", "status"), [(KeyboardInterrupt(), "interrupted"), (RuntimeError("boom"), "incomplete")]
)
def test_a_stopped_search_says_so_and_resumes_to_complete(tmp_path, monkeypatch, exc, status):
    spec = optimize_spec_from_dict(SEARCH)
    out = tmp_path / "s"
    _stop_in_generation(monkeypatch, 1, exc)
    with pytest.raises(type(exc)):
        optimize(spec, out, progress=False)
    man = _manifest(out)
    assert man["status"] == status and "finished" not in man
    (entry,) = man["sessions"]
    assert entry["resume"] is False and entry["finished"] >= entry["started"]
    assert entry["generations"] == 1  # generation 0 finished, generation 1 was stopped
    assert entry["evaluated"] == SEARCH["optimize"]["population"]
    assert entry["executor"]["kind"]
    assert not (out / "pareto.csv").exists()

    monkeypatch.undo()
    r = optimize(spec, out, resume=True, progress=False)
    man = _manifest(out)
    assert man["status"] == "complete" and man["finished"] == man["sessions"][-1]["finished"]
    first, second = man["sessions"]
    assert first["generations"] == 1  # the stopped session keeps its entry
    assert second["resume"] is True
    assert second["generations"] == SEARCH["optimize"]["generations"]
    assert second["evaluated"] == len(r.evaluations) == man["evaluated"]


def test_a_stopped_sweep_and_a_stopped_search_leave_the_same_entry_shape(tmp_path, monkeypatch):
    """Both commands' session entries carry started/finished/resume/executor, and a Ctrl-C
    leaves both folders 'interrupted'."""
    from deterrence_sim.experiment import runner, spec_from_dict

    def interrupted_drive(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_drive", interrupted_drive)
    with pytest.raises(KeyboardInterrupt):
        runner.run_experiment(spec_from_dict(SWEEP), tmp_path / "w", progress=False)
    _stop_in_generation(monkeypatch, 0, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        optimize(optimize_spec_from_dict(SEARCH), tmp_path / "s", progress=False)
    sweep, search = _manifest(tmp_path / "w"), _manifest(tmp_path / "s")
    assert sweep["status"] == search["status"] == "interrupted"
    common = {"started", "finished", "resume", "executor"}
    assert common <= set(sweep["sessions"][0]) and common <= set(search["sessions"][0])
    assert sweep["counts"]["missing"] == sweep["runs"]  # nothing ran
    assert search["sessions"][0]["generations"] == 0


def test_a_search_killed_before_its_manifest_is_started_again_with_resume(tmp_path):
    spec_path = _write(tmp_path / "spec.toml", SEARCH)
    spec = optimize_spec_from_dict(SEARCH, source=str(spec_path))
    out = tmp_path / "s"
    out.mkdir()
    (out / "spec.toml").write_bytes(spec_path.read_bytes())  # what a kill while preparing leaves
    with pytest.raises(UsageError, match="search that was stopped before it started"):
        optimize(spec, out, progress=False)
    optimize(spec, out, resume=True, progress=False)
    assert _manifest(out)["status"] == "complete"
