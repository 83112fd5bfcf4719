"""The calibration of the two-stage deterrence core: the decision functions, the agent and the
dyad simulator agree, indirect inference recovers known parameters, the committed posterior is the
package default, and the committed output meets the acceptance rules."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shared_data import needs_data
from synthetic_dyads import synthetic_panel

from deterrence_sim import mechanisms as m
from deterrence_sim.calibration import FITTED_PATH, POSTERIOR_PATH, fitted_parameters
from deterrence_sim.calibration import inference as inf
from deterrence_sim.calibration.dyadsim import Draws, DyadYears, simulate, stage_probabilities
from deterrence_sim.calibration.report import COEFFICIENT_COLUMNS, CSV_COLUMNS
from deterrence_sim.cli import main
from deterrence_sim.model import DeterrenceModel
from deterrence_sim.scenario import Scenario, World, field_bounds

ROOT = Path(__file__).resolve().parents[1]
#: The last full calibration's output, committed with the values it produced.
REPORT = ROOT / "docs" / "calibration-report"
CALIBRATED = [p.name for p in (*inf.STAGE1, *inf.STAGE2)] + ["era_weight", "escalation_era_weight"]


# --- the mechanism ----------------------------------------------------------------------------


def test_choice_hazard_base_rate_odds_and_shift():
    assert m.choice_hazard(0.3, 0.01, 2.0, 0.3) == pytest.approx(0.01)
    p = m.choice_hazard(0.8, 0.01, 2.0, 0.3)
    assert p / (1 - p) == pytest.approx(0.01 / 0.99 * math.exp(2.0 * 0.5))
    shifted = m.choice_hazard(0.3, 0.01, 2.0, 0.3, log_odds=1.0)
    assert shifted / (1 - shifted) == pytest.approx(0.01 / 0.99 * math.e)
    arr = m.choice_hazard(np.array([0.0, 0.3, 1.0]), 0.02, 1.0, 0.3)
    assert np.all(np.diff(arr) > 0) and arr[1] == pytest.approx(0.02)
    with pytest.raises(ValueError):
        m.choice_hazard(0.1, 0.0, 1.0, 0.3)


def test_resistance_probability_is_fearons_rejection_rate():
    # Interior demand: P(resist) = (cbar - c)/(2 cbar), whatever the war share.
    for p in (0.1, 0.3):
        assert m.resistance_probability(p, 0.8, 0.2) == pytest.approx(0.6 / 1.6)
    assert m.resistance_probability(0.3, 0.0, 0.2) == 0.0
    arr = m.resistance_probability(np.array([0.1, 0.3]), 0.8, 0.2)
    assert np.allclose(arr, 0.375)


def test_expected_help_weighs_each_guarantor_by_its_own_chance():
    q, force = m.expected_help([0.5, 0.5], [10.0, 10.0])
    assert q == pytest.approx(0.75)
    # Expected force given that someone comes: (0.5*10 + 0.5*10) / 0.75, not 20.
    assert force == pytest.approx(10.0 / 0.75)
    assert m.expected_help([], []) == (0.0, 0.0)


# --- the agent and the dyad simulator are one model --------------------------------------------


def _dyad_scenario(pact: bool, contiguous: bool) -> Scenario:
    data = {
        "name": "dyad",
        "world": {"belief_will_noise": 0.0},
        "donors": [
            {
                "name": "D",
                "capability": 6.0,
                "budget": 0.001,
                "policy": {"commitment": "bilateral_pact" if pact else "none"},
            }
        ],
        "partners": [{"name": "P", "equipment": 5.0, "gdp": 50.0}],
        "aggressors": [{"name": "A", "capability": 12.0}],
        "ties": [
            {"kind": "aid", "source": "D", "target": "P"},
            {
                "kind": "rivalry",
                "source": "A",
                "target": "P",
                "contiguous": contiguous,
                "peace_years": 3,
                "recent_disputes": 1,
                "claim": True,
            },
        ],
    }
    return Scenario.from_dict(data)


@pytest.mark.parametrize(("pact", "contiguous"), [(True, True), (False, True), (True, False)])
def test_agent_and_dyad_simulator_give_the_same_probabilities(pact, contiguous):
    model = DeterrenceModel(_dyad_scenario(pact, contiguous), seed=0)
    model.year = 4  # the dyad's last dispute was 3 years before year 1
    aggressor, partner = model.states[0], model.partners[0]
    dyad = aggressor.dyads["P"]
    challenge = aggressor.decide_challenge(dyad)
    donor = model.donors[0]
    frame = pd.DataFrame(
        {
            "log_capability_ratio": [math.log(aggressor.capability / partner.capability)],
            "ally_ratio": [donor.capability / partner.capability],
            "target_pact": [float(pact)],
            "contiguous": [float(contiguous)],
            "rivalry": [1.0],
            "peace_years": [float(dyad.peace_years(model.year))],
            "recent_disputes": [float(dyad.recent_disputes(model.year))],
            "claim": [1.0],
            "post1945": [1.0],
            "declining": [0.0],
        }
    )
    p = stage_probabilities(DyadYears.from_frame(frame), model.world, np.zeros(1))
    assert challenge.probability == pytest.approx(p["challenge"][0], rel=1e-9)
    assert aggressor.escalation_probability(challenge) == pytest.approx(p["escalation"][0])
    model.release()


def test_simulated_stages_are_nested_and_use_their_own_draws():
    rng = np.random.default_rng(0)
    n = 20_000
    frame = pd.DataFrame(
        {
            "log_capability_ratio": rng.normal(0, 1.5, n),
            "ally_ratio": rng.exponential(1.0, n),
            "target_pact": rng.integers(0, 2, n).astype(float),
            "contiguous": rng.integers(0, 2, n).astype(float),
            "rivalry": (rng.random(n) < 0.1).astype(float),
            "peace_years": rng.integers(0, 60, n).astype(float),
            "recent_disputes": rng.integers(0, 3, n).astype(float),
            "claim": (rng.random(n) < 0.05).astype(float),
            "post1945": (rng.random(n) < 0.5).astype(float),
            "declining": (rng.random(n) < 0.1).astype(float),
        }
    )
    dy = DyadYears.from_frame(frame)
    out = simulate(dy, World(), Draws.make(n, 1))
    assert (out["force"] <= out["challenge"]).all() and (out["war"] <= out["force"]).all()
    again = simulate(dy, World(), Draws.make(n, 1))
    pd.testing.assert_frame_equal(out, again)  # common random numbers
    p = stage_probabilities(dy, World(), Draws.make(n, 1).will)
    # The simulated challenge rate is its expected rate within 4 binomial standard errors.
    expected = p["challenge"].mean()
    assert abs(out["challenge"].mean() - expected) < 4 * math.sqrt(expected / n)


# --- indirect inference -----------------------------------------------------------------------


def test_indirect_inference_recovers_the_challenge_sharpness():
    # Data simulated by the model at a known sharpness; the likelihood's mode over the sharpness
    # alone (the rest at their true values) lands near it. Tolerance: 0.6 on a true value of 1.5,
    # about two posterior standard deviations at this sample size.
    truth = World().model_copy(update={"challenge_sharpness": 1.5, "challenge_base_rate": 0.02})
    frame = synthetic_panel(30_000, 3)
    observed = inf.SimFrame.make(frame, 1, 99).outcomes(truth)
    target, cov, _ = inf.aux_statistics(observed, "challenge", cluster="dyad")
    sim = inf.SimFrame.make(frame, 2, 5)
    params = (inf.Parameter("challenge_sharpness", 0.0, 60.0),)
    logpost = inf.make_objective(
        "challenge", params, truth, sim, target, np.linalg.pinv(cov.to_numpy() * 1.5)
    )
    grid = np.linspace(0.0, 4.0, 41)
    best = grid[int(np.argmax([logpost(np.array([g])) for g in grid]))]
    assert abs(best - 1.5) < 0.6


def test_simulated_statistics_equal_the_auxiliary_fit_on_the_same_outcomes():
    # The fast path keeps the design matrices and refits on new outcomes only; it must give what
    # fit_auxiliary gives on the frame of the same simulated outcomes, in both stages.
    frame = synthetic_panel(5_000, 4)
    world = World().model_copy(update={"challenge_base_rate": 0.1})
    sim = inf.SimFrame.make(frame, 1, 0)
    outcomes = sim.outcomes(world)
    for stage in ("challenge", "escalation"):
        fast, _ = sim.statistics(stage, world)
        slow, _, _ = inf.aux_statistics(outcomes, stage)
        assert np.allclose(fast.to_numpy(), slow.to_numpy(), atol=1e-6), stage


# --- the committed calibration -----------------------------------------------------------------


def test_committed_fitted_values_are_the_world_defaults():
    fitted = fitted_parameters(FITTED_PATH)
    assert set(fitted) == set(CALIBRATED)
    world = World()
    for name, value in fitted.items():
        assert getattr(world, name) == pytest.approx(value, rel=1e-12), name
        source = World.model_fields[name].json_schema_extra["source"].lower()
        assert "calibrat" in source or "estimat" in source, name


def test_committed_posterior_has_draws_medians_and_no_bound():
    post = pd.read_csv(POSTERIOR_PATH)
    assert len(post) >= 200
    fitted = fitted_parameters(FITTED_PATH)
    with open(FITTED_PATH, "rb") as fh:
        interval = tomllib.load(fh)["interval"]
    for p in (*inf.STAGE1, *inf.STAGE2):
        col = post[f"world.{p.name}"]
        median = float(col.median())
        assert fitted[p.name] == pytest.approx(median, rel=5e-3, abs=1e-6), p.name
        lo, hi = field_bounds(World.model_fields[p.name])
        for bound in (p.lo, p.hi, lo, hi):
            if bound is not None:
                assert not math.isclose(median, bound, rel_tol=1e-3, abs_tol=1e-6), p.name
        # The schema is wider than the posterior.
        assert (lo is None or lo <= interval[p.name][0]) and (
            hi is None or interval[p.name][1] <= hi
        ), p.name
    assert (REPORT / "posterior.csv").read_text() == POSTERIOR_PATH.read_text()


def test_committed_report_was_made_with_the_committed_fitted_values():
    assert (REPORT / "fitted.toml").read_text() == FITTED_PATH.read_text()


def test_committed_coefficients_meet_acceptance():
    c = pd.read_csv(REPORT / "coefficients.csv")
    assert list(c.columns[:8]) == COEFFICIENT_COLUMNS[:8]
    assert set(c["population"]) == {"prd", "rivals"}
    assert set(c["outcome"]) == {"challenge", "escalation"}
    key = c[(c["population"] == "prd") & (c["sample"] == "fit")]
    key = key[key["term"].isin(("log_capability_ratio", "target_pact"))]
    assert len(key) == 4
    inside = (key["simulated"] >= key["data_ci_low"]) & (key["simulated"] <= key["data_ci_high"])
    assert inside.all(), key.to_string()
    assert {"contiguous"} <= set(c["term"])


def test_committed_hazards_have_every_population_sample_and_outcome():
    t = pd.read_csv(REPORT / "calibration.csv")
    assert list(t.columns[:9]) == CSV_COLUMNS[:9]
    assert set(t["population"]) == {"prd", "rivals", "states"}
    assert set(t["outcome"]) == {
        "challenge",
        "force",
        "war",
        "escalation",
        "arms_race",
        "insurgency",
    }
    # Fit sample: every stratum's war and challenge hazard in the band (the holdout's misses are
    # reported in the calibration report and the validation's checks, not hidden).
    fit = t[(t["sample"] == "fit") & (t["population"] == "prd") & (t["dyad_years"] >= 100)]
    fit = fit[fit["outcome"].isin(("war", "challenge"))]
    assert len(fit) == 16 and fit["in_band"].all(), fit.to_string()
    # The arms-race and insurgency moments carry data intervals and, where the model defines the
    # same quantity, the model's value.
    cap = t[t["outcome"].isin(("arms_race", "insurgency"))]
    assert cap["ci_low"].notna().sum() >= 30
    assert cap["simulated"].notna().sum() >= 10


def test_no_preset_overrides_a_calibrated_coefficient():
    from deterrence_sim.scenario import io

    for name in Scenario.presets():
        world = tomllib.loads(io.preset_text(name)).get("world", {})
        assert not set(world) & set(CALIBRATED), name


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
def test_quick_calibration_writes_every_output(tmp_path):
    out = tmp_path / "calibration-check"
    assert main(["calibrate", "--quick", "--out", str(out), "--no-progress"]) == 0
    from deterrence_sim.calibration.report import OUTPUT_FILES

    for name in OUTPUT_FILES:
        assert (out / name).stat().st_size > 0, name
    post = pd.read_csv(out / "posterior.csv")
    assert len(post) >= 200
    assert post["world.challenge_sharpness"].median() > 0


@pytest.mark.slow
@needs_data
def test_calibration_checks_at_the_defaults():
    from deterrence_sim.calibration import checks

    records = checks(quick=True)
    ids = {r["id"] for r in records}
    assert {"C-prd-war-fit", "C-coef-challenge", "C-coef-escalation"} <= ids
    by_id = {r["id"]: r for r in records}
    assert by_id["C-prd-war-fit"]["passed"], by_id["C-prd-war-fit"]["measured"]
