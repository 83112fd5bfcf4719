"""The calibration of the deterrence core: mapping, common random numbers, fitted defaults, and
the acceptance rule on the committed calibration output (and, slow, on a fresh quick run)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shared_data import needs_data

from deterrence_sim import mechanisms as m
from deterrence_sim.calibration import FITTED_PATH, fit, fitted_parameters
from deterrence_sim.calibration.report import CSV_COLUMNS
from deterrence_sim.calibration.simulate import seeds_for, simulate_hazards
from deterrence_sim.calibration.strata import Stratum, scenario_dict
from deterrence_sim.cli import main
from deterrence_sim.scenario import Scenario, World, field_bounds

ROOT = Path(__file__).resolve().parents[1]
#: The last full calibration's output, committed with the fitted values it produced.
COMMITTED = ROOT / "docs" / "calibration-report" / "calibration.csv"


# --- the mechanism ----------------------------------------------------------------------------


def test_attack_probability_base_rate_and_odds():
    # At the threshold the probability is the base rate; each utility unit multiplies the odds.
    assert m.attack_probability(0.3, 0.01, 2.0, 0.3) == pytest.approx(0.01)
    p = m.attack_probability(0.8, 0.01, 2.0, 0.3)
    assert p / (1 - p) == pytest.approx(0.01 / 0.99 * math.exp(2.0 * 0.5))
    # h0 = 0.5 is the plain quantal response.
    assert m.attack_probability(0.7, 0.5, 20.0, 0.6) == pytest.approx(
        m.logistic_choice(0.7, 20.0, 0.6)
    )
    arr = m.attack_probability(np.array([0.0, 0.3, 1.0]), 0.02, 1.0, 0.3)
    assert np.all(np.diff(arr) > 0) and arr[1] == pytest.approx(0.02)
    with pytest.raises(ValueError):
        m.attack_probability(0.1, 0.0, 1.0, 0.3)


# --- fitted values and the package defaults ------------------------------------------------------


def test_committed_fitted_values_are_the_world_defaults():
    fitted = fitted_parameters(FITTED_PATH)
    assert set(fitted) == {p.name for p in fit.PARAMETERS}
    world = World()
    for name, value in fitted.items():
        assert getattr(world, name) == pytest.approx(value, rel=1e-12), name
        # The parameter table says where the default comes from.
        source = World.model_fields[name].json_schema_extra["source"]
        assert "calibrat" in source.lower(), name


def test_search_boxes_lie_inside_the_schema_ranges():
    for p in fit.PARAMETERS:
        lo, hi = field_bounds(World.model_fields[p.name])
        assert lo is None or p.lo >= lo, p.name
        assert hi is None or p.hi <= hi, p.name
        assert p.from_unit(0.0) == pytest.approx(p.lo) and p.from_unit(1.0) == pytest.approx(p.hi)
        mid = float(p.from_unit(0.37))
        assert p.to_unit(mid) == pytest.approx(0.37)


# --- mapping and simulation ----------------------------------------------------------------------


def _stratum(pact: bool) -> Stratum:
    return Stratum("ratio 1.5-3, " + ("pact" if pact else "no pact"), "fit", pact, (2.0,), 3.0)


@pytest.mark.parametrize("pact", [True, False])
def test_stratum_scenario_holds_the_data_ratio(pact):
    from deterrence_sim.model import DeterrenceModel

    sc = Scenario.from_dict(scenario_dict(_stratum(pact), 2.0, {"attack_base_rate": 0.01}))
    assert sc.world.attack_base_rate == 0.01
    model = DeterrenceModel(sc, seed=0)
    a, p, d = model.aggressors[0], model.partners[0], model.donors[0]
    # The aggressor's capability is the ratio times the partner's initial effective capability
    # (up to the partner's small skill bonus).
    assert a.capability / p.capability == pytest.approx(2.0, rel=0.1)
    assert model.programs[0].commitment == ("bilateral_pact" if pact else "none")
    if pact:
        assert d.capability == pytest.approx(3.0 * p.equipment)
    capability0 = a.capability
    for _ in range(5):
        model.step()
    if model.counts["wars"] == 0:
        assert a.capability == pytest.approx(capability0)  # arms held constant
    model.release()


def test_common_random_numbers_and_independent_strata():
    st = [_stratum(True), _stratum(False)]
    world = {"attack_base_rate": 0.05, "attack_sharpness": 1.0}
    a = simulate_hazards(st, world, seeds=3, years=5)
    b = simulate_hazards(st, world, seeds=3, years=5)
    pd.testing.assert_frame_equal(a, b)
    assert seeds_for(st[0], 0, 3) != seeds_for(st[1], 0, 3)
    assert seeds_for(st[0], 0, 3) != seeds_for(st[0], 1, 3)
    # A higher base rate with the same draws never produces fewer wars.
    c = simulate_hazards(st, {**world, "attack_base_rate": 0.2}, seeds=3, years=5)
    war = a["outcome"] == "war"
    assert (c.loc[war, "sim_events"].to_numpy() >= a.loc[war, "sim_events"].to_numpy()).all()


def test_emulator_recovers_a_smooth_surface():
    """The GP emulator and the minimiser find the minimum of a known function of the unit cube."""
    rng = np.random.default_rng(0)
    pts = fit.design(32, 1)
    truth = np.array([0.3, 0.6, 0.5, 0.4])

    def fake(u: np.ndarray) -> pd.DataFrame:
        h = 0.01 * np.exp(2 * (u[0] - truth[0]) + 1.5 * (u[1] - truth[1]))
        c = 0.05 * np.exp(2 * (u[2] - truth[2]) - (u[3] - truth[3]))
        n = 20_000
        return pd.DataFrame(
            {
                "stratum": ["s", "s"],
                "sample": ["fit", "fit"],
                "outcome": ["war", "coercion"],
                "sim_dyad_years": [n, n],
                "sim_events": [rng.binomial(n, h), rng.binomial(n, c)],
            }
        )

    sims = [fake(u) for u in pts]
    emu = fit.fit_emulator(pts, sims)
    pred = emu.predict(truth)[0]
    assert pred[0] == pytest.approx(0.01, rel=0.15) and pred[1] == pytest.approx(0.05, rel=0.15)


# --- acceptance on the committed output ---------------------------------------------------------


def _acceptance(df: pd.DataFrame) -> pd.DataFrame:
    war = df[(df["outcome"] == "war") & (df["dyad_years"] >= 100)]
    bad = war[(war["simulated"] < 0.5 * war["ci_low"]) | (war["simulated"] > 2 * war["ci_high"])]
    return war, bad


def test_committed_calibration_output_meets_acceptance():
    df = pd.read_csv(COMMITTED)
    assert list(df.columns[:8]) == CSV_COLUMNS[:8]
    assert set(df["sample"]) == {"fit", "holdout"} and set(df["outcome"]) == {"war", "coercion"}
    war, bad = _acceptance(df)
    assert len(war[war["sample"] == "fit"]) >= 8 and len(war[war["sample"] == "holdout"]) >= 8
    assert bad.empty, bad[["stratum", "sample", "simulated", "ci_low", "ci_high"]].to_string()


def test_committed_report_was_made_with_the_committed_fitted_values():
    text = (COMMITTED.parent / "fitted.toml").read_text()
    assert text == FITTED_PATH.read_text()


# --- the command --------------------------------------------------------------------------------


def test_calibrate_bad_input_exit_2(tmp_path, capsys):
    f = tmp_path / "file.txt"
    f.write_text("x")
    assert main(["calibrate", "--out", str(f)]) == 2
    assert "is a file" in capsys.readouterr().err
    assert (
        main(["calibrate", "--data", str(tmp_path / "absent"), "--out", str(tmp_path / "o")]) == 2
    )
    assert "--data" in capsys.readouterr().err
    assert main(["calibrate", "--data", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "missing data file" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
@needs_data
def test_quick_calibration_meets_acceptance(tmp_path):
    out = tmp_path / "calibration-check"
    assert main(["calibrate", "--quick", "--out", str(out), "--no-progress"]) == 0
    for name in ("report.md", "calibration.csv", "hazards_fit.png", "hazards_holdout.png"):
        assert (out / name).stat().st_size > 0
    war, bad = _acceptance(pd.read_csv(out / "calibration.csv"))
    assert len(war) >= 16
    assert bad.empty, bad[["stratum", "sample", "simulated", "ci_low", "ci_high"]].to_string()


@pytest.mark.slow
@needs_data
def test_calibration_checks_at_the_defaults():
    from deterrence_sim.calibration import checks

    records = checks(quick=True)
    ids = {r["id"] for r in records}
    assert ids == {"C-war-fit", "C-war-holdout", "C-coercion-fit"}
    war = [r for r in records if r["id"].startswith("C-war")]
    assert all(r["passed"] for r in war), [r["measured"] for r in war]


def test_classroom_presets_keep_the_pre_calibration_coefficients():
    # The teaching worlds state these four values in their own TOML; they must stay the ones the
    # validation's stylized-fact worlds and the calibration report call "before".
    from deterrence_sim.calibration import PRE_CALIBRATION

    names = [n for n in Scenario.presets() if n.startswith("classroom_")]
    assert len(names) == 5
    for name in names:
        world = Scenario.preset(name).world
        assert {k: getattr(world, k) for k in PRE_CALIBRATION} == PRE_CALIBRATION, name
