"""The validation report: analytic mechanism checks, statistics helpers, report writing, and the
`validate --quick` command end to end."""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest

from deterrence_sim import stats
from deterrence_sim import validation as v
from deterrence_sim.cli import main


def test_every_mechanism_check_passes():
    checks = v.mechanism_checks()
    assert len(checks) >= 13
    assert {c.group for c in checks} == {"mechanism"}
    failed = [(c.id, c.measured) for c in checks if not c.passed]
    assert not failed
    # every public mechanism is covered by at least one check
    from deterrence_sim import mechanisms as m

    text = " ".join(c.claim + c.expected for c in checks).lower()
    for word in (
        "contest",
        "logistic",
        "bargaining",
        "preventive",
        "richardson",
        "absorption",
        "leakage",
        "enforcement",
        "intervention",
        "schedule",
        "gini",
        "reform",
        "upkeep",
        "crowd-out",
    ):
        assert word in text, word
    # the package exports exactly the public functions its modules define (none forgotten)
    import inspect

    defined = {
        name
        for mod in (m.contest, m.bargaining, m.arms, m.aid, m.capability)
        for name, obj in vars(mod).items()
        if inspect.isfunction(obj) and obj.__module__ == mod.__name__ and not name.startswith("_")
    }
    assert defined == {n for n in m.__all__ if callable(getattr(m, n))}


def test_mean_ci_and_paired_known_values():
    m, (lo, hi), n = stats.mean_ci([1.0, 2.0, 3.0, math.nan])
    assert (m, n) == (2.0, 3)
    # t(0.975, 2) = 4.303; sd = 1; half-width 4.303/sqrt(3)
    assert hi - m == pytest.approx(4.302653 / math.sqrt(3), rel=1e-5)
    assert m - lo == pytest.approx(hi - m)
    d, ci, n = stats.paired([3.0, 5.0, 7.0], [1.0, 2.0, 3.0])
    assert d == pytest.approx(3.0) and n == 3 and ci[0] < 3 < ci[1]
    assert stats.mean_ci([])[2] == 0


def test_pooled_ratio_ci():
    num = np.array([1, 0, 1, 1, 0, 1, 1, 1] * 20, dtype=float)
    den = np.ones_like(num)
    est, (lo, hi), n = stats.pooled_ratio_ci(num, den)
    assert est == pytest.approx(0.75) and n == 160
    assert lo < 0.75 < hi and hi - lo < 0.2
    # seeds with no calls are left out, not counted as failures
    est2, _, n2 = stats.pooled_ratio_ci(np.r_[num, [0, 0]], np.r_[den, [0, 0]])
    assert est2 == pytest.approx(0.75) and n2 == 160


def test_experiment_arms_are_valid_overrides():
    for exp in v.EXPERIMENTS.values():
        for overrides in exp.arms.values():
            sc = v.arm_scenario(exp.base, v.overrides_key(overrides))
            for key, value in overrides.items():
                assert [val for _k, val in sc.resolve(key)] != []
                if not isinstance(value, str):
                    assert all(val == value for _k, val in sc.resolve(key)), key


def test_the_small_world_is_the_threat_base(small_world):
    assert [d.name for d in small_world.donors] == ["D"]
    assert [a.name for a in small_world.aggressors] == ["A"]
    assert small_world is v.base_scenario("threat")  # built once per process


def test_runs_are_paired_and_reproducible():
    exp = v.Experiment("t", "threat", {"a": {}, "b": {"donors.D.budget": 0.0}}, years=12)
    r1 = v.run_experiments([exp], 4)["t"]
    r2 = v.run_experiments([exp], 4)["t"]
    assert np.array_equal(r1.values("a", "attacks_per_year"), r2.values("a", "attacks_per_year"))
    assert r1.trajectory("b", "aggressor_capability").shape == (4, 13)
    assert np.all(r1.values("b", "aid_total") == 0) and np.all(r1.values("a", "aid_total") > 0)


def test_in_memory_runs_use_the_runners_pool_and_keep_order(monkeypatch):
    from deterrence_sim.experiment import executors, inmemory

    kinds = []
    real = executors.make_executor

    def spy(kind="process", workers=1, **kwargs):
        kinds.append((kind, workers))
        return real(kind, workers=workers, **kwargs)

    monkeypatch.setattr(executors, "make_executor", spy)
    jobs = list(range(inmemory.MIN_JOBS_FOR_POOL + 50))
    assert inmemory.map_runs(math.sqrt, jobs, workers=2) == [math.sqrt(j) for j in jobs]
    assert inmemory.map_runs(math.sqrt, jobs[:10], workers=2) == [math.sqrt(j) for j in jobs[:10]]
    assert kinds == [("process", 2), ("process", 1)]  # a small job list runs in-process


@pytest.mark.slow  # spawns a pool and runs ~200 short model runs twice
def test_arms_run_through_the_runners_process_pool_in_seed_order():
    """Above 200 runs the arms go to the experiment runner's spawn pool; results come back in seed
    order and equal the in-process runs (seeds 0..n-1, common to every arm)."""
    from deterrence_sim.experiment import inmemory

    exp = v.Experiment("t", "threat", {"a": {}, "b": {"donors.D.budget": 0.0}}, years=4)
    seeds = inmemory.MIN_JOBS_FOR_POOL // 2 + 1
    pooled = v.run_experiments([exp], seeds, workers=2)["t"]
    inline = v.run_experiments([exp], seeds, workers=1)["t"]
    for arm in ("a", "b"):
        for key in ("aggressor_final", "partner_capability_mean"):
            assert np.array_equal(pooled.values(arm, key), inline.values(arm, key))


def test_write_report_rows_and_statement(tmp_path):
    failing = v.Check(
        id="F9",
        group="stylized fact",
        claim="a | claim",
        source="src",
        expected="exp",
        measured="meas",
        passed=False,
        estimate=1.0,
        ci=(0.5, 1.5),
        seeds=10,
    )
    checks = [*v.mechanism_checks()[:2], failing]
    report = v.ValidationReport(checks, seeds=10, seconds=1.0)
    path = v.write_report(report, tmp_path)
    text = path.read_text()
    assert "no quantitative study isolates" in text
    assert "| F9 | a \\| claim | src | exp | meas | **FAIL** |" in text
    assert text.count("| pass |") == 2
    data = json.loads((tmp_path / "validation.json").read_text())
    assert data["passed"] is False and len(data["checks"]) == 3


def test_validate_rejects_bad_arguments(capsys):
    assert main(["validate", "--seeds", "1", "--out", "/tmp/never"]) == 2
    assert "at least 2 seeds" in capsys.readouterr().err
    with pytest.raises(Exception, match="unknown check group"):
        v.run_checks(["fact9"])


def test_checks_take_keywords_and_a_known_group():
    with pytest.raises(TypeError):
        v.Check("M0", "mechanism", "c", "s", "e", "m", True)  # positional: refused
    with pytest.raises(ValueError, match="group"):
        v.Check(
            id="X", group="anecdote", claim="", source="", expected="", measured="", passed=True
        )


def test_validate_out_is_checked_before_any_run(tmp_path, capsys, monkeypatch):
    """A file, or a folder that cannot be written, is refused with one line and exit 2, and
    nothing is run (issue 12: the report used to fail after all the runs)."""
    import deterrence_sim.validation.cli as vcli

    def never(*args, **kwargs):
        raise AssertionError("runs started before --out was checked")

    monkeypatch.setattr(vcli, "run_validation", never)
    existing = tmp_path / "report.md"
    existing.write_text("keep me")
    assert main(["validate", "--quick", "--out", str(existing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a folder" in err and str(existing) in err
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    assert main(["validate", "--quick", "--out", str(folder)]) == 2
    assert "--force" in capsys.readouterr().err
    assert existing.read_text() == "keep me"
    assert main(["validate", "--quick", "--out", "/proc/deterrence-sim-validation"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write" in err


@pytest.mark.slow  # about 40-60 s on 2 cores
def test_validate_quick_exits_0_and_writes_the_report(tmp_path, capsys):
    start = time.perf_counter()
    rc = main(["validate", "--quick", "--out", str(tmp_path), "--no-progress"])
    elapsed = time.perf_counter() - start
    out = capsys.readouterr().out
    text = (tmp_path / "validation.md").read_text()
    for fact in range(1, 6):
        assert (tmp_path / f"fact{fact}.png").stat().st_size > 5000
    for cid in ("M1", "F1a", "F2a", "F3b", "F4a", "F5a", "B1", "B2", "B3"):
        assert f"| {cid} |" in text
    assert "no quantitative study isolates" in text
    assert elapsed < 120
    assert rc == 0, out
