"""Capability data (issue #18): arms-race and insurgency estimators recover known parameters from
synthetic data, and the data builders have their documented properties on the shared files."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from shared_data import DATA, needs_data

from deterrence_sim.data import DataFormatError
from deterrence_sim.data.arms import (
    arms_moments,
    fit_arms,
    relative_growth,
    richardson_ols,
    steady_state_ratio,
)
from deterrence_sim.data.capability_sources import gw_to_cow, load_arms_races, load_ucdp_acd
from deterrence_sim.data.insurgency import (
    conflict_years,
    episodes,
    fit_insurgency,
    insurgency_moments,
    kaplan_meier,
    km_median,
)

# --- arms: estimators on synthetic data --------------------------------------------------------


def _richardson_panel(c: float, k: float, states: int, years: int, seed: int) -> pd.DataFrame:
    """Log growth = c + k·ratio + noise, ratios spread over 0.2–5 as among comparable rivals."""
    rng = np.random.default_rng(seed)
    ratio = np.exp(rng.uniform(np.log(0.2), np.log(5), size=(states, years)))
    growth = c + k * ratio + rng.normal(0, 0.05, size=ratio.shape)
    ids = np.repeat(np.arange(states), years)
    return pd.DataFrame({"growth": growth.ravel(), "ratio": ratio.ravel(), "id": ids})


@pytest.mark.parametrize(("c", "k"), [(-0.02, 0.01), (0.01, 0.05), (-0.05, 0.0)])
def test_richardson_ols_recovers_growth_minus_fatigue_and_reaction(c, k):
    df = _richardson_panel(c, k, states=80, years=40, seed=7)
    fit = richardson_ols(df["growth"], df["ratio"], df["id"])
    # 3,200 rows, noise 0.05: the standard errors are about 0.002; tolerances four of them.
    assert fit["c"] == pytest.approx(c, abs=0.008)
    assert fit["k"] == pytest.approx(k, abs=0.005)
    assert fit["c_ci"][0] < c < fit["c_ci"][1] or abs(fit["c"] - c) < 0.004
    assert fit["clusters"] == 80 and fit["n"] == 3200


def test_richardson_ci_covers_the_truth_at_about_the_nominal_rate():
    hits = 0
    for seed in range(60):
        df = _richardson_panel(-0.01, 0.02, states=40, years=20, seed=seed)
        lo, hi = richardson_ols(df["growth"], df["ratio"], df["id"])["k_ci"]
        hits += lo <= 0.02 <= hi
    assert hits >= 50  # 95% nominal: 57 of 60 expected; 50 leaves room for cluster-SE noise


def test_steady_state_ratio_is_reaction_over_fatigue_minus_growth():
    assert steady_state_ratio(0.05, -0.0117) == pytest.approx(0.05 / 0.0117)
    assert steady_state_ratio(0.01, 0.002) == math.inf


def test_relative_growth_removes_the_system_trend():
    # Three states; B doubles its spending in 2001, everything else inflates 10% a year.
    years = [2000, 2001, 2002]
    rows = []
    for code, base in ((1, 100.0), (2, 50.0), (3, 10.0)):
        for i, y in enumerate(years):
            milex = base * 1.1**i * (2 if (code == 2 and y >= 2001) else 1)
            rows.append({"ccode": code, "year": y, "milex": milex, "pec": 5.0 * 1.02**i})
    out = relative_growth(pd.DataFrame(rows)).set_index(["ccode", "year"])
    total0, total1 = 160.0, (100 + 100 + 10) * 1.1
    system = math.log(total1 / total0)
    assert out.loc[(2, 2000), "growth_raw"] == pytest.approx(math.log(2.2) - system)
    assert out.loc[(1, 2000), "growth_raw"] == pytest.approx(math.log(1.1) - system)
    assert out.loc[(1, 2001), "growth_raw"] == pytest.approx(0.0)  # all grew 10%
    assert out.loc[(3, 2001), "pec_growth"] == pytest.approx(0.0)
    assert math.isnan(out.loc[(1, 2002), "growth_raw"])  # no t+1


# --- GW → COW ----------------------------------------------------------------------------------


def test_gw_to_cow_known_differences():
    gw = np.array([260, 260, 678, 678, 340, 345, 2, 365, 711])
    year = np.array([1980, 1995, 1985, 1995, 2010, 1990, 2000, 2000, 1948])
    out = gw_to_cow(gw, year).tolist()
    assert out[:8] == [260, 255, 678, 679, 345, 345, 2, 365]
    assert math.isnan(out[8])


def test_race_loader_names_missing_columns(tmp_path):
    p = tmp_path / "races.csv"
    p.write_text("race_id,ccode1,ccode2\n1,2,365\n")
    with pytest.raises(DataFormatError, match="styear"):
        load_arms_races(p)


# --- arms on the shared data -------------------------------------------------------------------


@pytest.fixture(scope="module")
def arms():
    return fit_arms(DATA)


@needs_data
def test_arms_panel_covers_rivals_and_races(arms):
    p = arms["panel"]
    # TD rivals with NMC milex in both years, outside wars: several thousand directed dyad-years,
    # most of the 197 rivalries' pairs, and only the few hundred GRH race years.
    assert 5000 < p["dyad_years"] < 12000
    assert 100 < p["dyads"] <= 197
    assert 150 < p["race_dyad_years"] < 800
    assert p["state_years"] < p["dyad_years"]


@needs_data
def test_arms_fit_has_ordered_intervals_and_moments(arms):
    for name, f in arms["fits"].items():
        assert f["c_ci"][0] < f["c"] < f["c_ci"][1], name
        assert f["k_ci"][0] < f["k"] < f["k_ci"][1], name
    assert arms["fatigue"] == pytest.approx(arms["growth"] - arms["g_minus_a"])
    table = arms_moments(arms)
    assert {"moment", "data", "data_ci_low", "data_ci_high"} <= set(table.columns)
    share = table[table["moment"] == "race_share"].iloc[0]
    assert 0 < share["data_ci_low"] < share["data"] < share["data_ci_high"] < 0.2


@needs_data
def test_ucdp_loader_collapses_supporter_rows():
    acd = load_ucdp_acd(DATA / "ucdp-acd.csv")
    assert not acd.duplicated(["conflict_id", "year"]).any()
    assert set(acd["type_code"].unique()) <= {1, 2, 3, 4}
    # UCDP/PRIO v25.1: about 2,750 conflict-years 1946–2024, most of them intrastate.
    assert 2500 < len(acd) < 3000
    assert (acd["type_code"] >= 3).mean() > 0.8


# --- insurgency: estimators on synthetic data --------------------------------------------------


def test_kaplan_meier_recovers_a_geometric_median_under_censoring():
    # Yearly ending hazard h: duration ~ geometric(h); median = ceil(log 0.5 / log(1 - h)).
    rng = np.random.default_rng(11)
    h = 0.2
    d = rng.geometric(h, size=4000)
    cap = rng.integers(1, 30, size=d.size)  # random right-censoring
    ended = d <= cap
    table = kaplan_meier(np.minimum(d, cap), ended)
    assert km_median(table) == math.ceil(math.log(0.5) / math.log(1 - h))
    s5 = table.loc[table["t"] == 5, "survival"].iloc[0]
    assert s5 == pytest.approx((1 - h) ** 5, abs=0.03)
    naive = np.median(np.minimum(d, cap)[ended])
    assert naive <= km_median(table)  # dropping the censored biases the median down, never up


def _synthetic_acd(rng: np.random.Generator, h_plain: float, h_backed: float) -> pd.DataFrame:
    """Conflict-years of 600 episodes; each year it ends with h_backed when a state backs the
    government (a third of episodes), else h_plain."""
    rows = []
    for cid in range(600):
        backed = cid % 3 == 0
        h = h_backed if backed else h_plain
        start = int(rng.integers(1950, 1980))
        year = start
        while True:
            end = rng.random() < h or year == 2024
            rows.append(
                {
                    "conflict_id": cid,
                    "year": year,
                    "gwno_a": 500 + cid % 40,
                    "intensity_level": 2 if rng.random() < 0.3 else 1,
                    "type_code": 4 if backed else 3,
                    "episode_start": start,
                    "ep_end": int(end and year < 2024),
                    "supporters_a": 1 if backed else 0,
                    "supporters_b": 0,
                }
            )
            if end:
                break
            year += 1
    return pd.DataFrame(rows)


def test_termination_hazard_by_support_recovers_known_hazards():
    from deterrence_sim.data.insurgency import _termination

    cy = conflict_years(_synthetic_acd(np.random.default_rng(3), 0.25, 0.10))
    t = _termination(cy)
    for key, h in (("no_support", 0.25), ("gov_support", 0.10)):
        lo, hi = t[key]["ci"]
        assert lo < h < hi, (key, t[key])
    ep = episodes(cy)
    assert len(ep) == 600
    assert ep["gov_support"].sum() == 200
    assert (ep["years"] == ep["end"] - ep["start"] + 1).all()
    assert cy["high"].mean() == pytest.approx(0.3, abs=0.04)


# --- insurgency on the shared data -------------------------------------------------------------


@pytest.fixture(scope="module")
def insurgency():
    return fit_insurgency(DATA)


@needs_data
def test_insurgency_counts_in_documented_ranges(insurgency):
    fit, hold = insurgency["fit"], insurgency["holdout"]
    # UCDP/PRIO v25.1: about 2,490 intrastate conflict-years 1946–2024, more after 1990.
    assert 900 < fit["conflict_years"] < 1200
    assert 1300 < hold["conflict_years"] < 1600
    # About 520 episodes; only those active in 2024 are censored.
    assert 450 < fit["duration"]["episodes"] + hold["duration"]["episodes"] < 600
    assert fit["duration"]["censored"] < hold["duration"]["censored"]
    # Rare onsets: 0.5–6% of state-years at peace, fewer in democracies.
    for s in (fit, hold):
        assert 0.005 < s["onset"]["rate"]["value"] < 0.06
        bins = s["onset"]["by_polyarchy"]
        assert bins["0.75-1.00"]["value"] < bins["0.00-0.25"]["value"]
    assert 80 < fit["cow_wars"]["wars"] < 130


@needs_data
def test_insurgency_moments_table_has_both_samples_and_valid_intervals(insurgency):
    t = insurgency_moments(insurgency)
    assert set(t["sample"]) == {"fit", "holdout"}
    both = t.dropna(subset=["data_ci_low", "data_ci_high"])
    assert (both["data_ci_low"] <= both["data"]).all()
    assert (both["data"] <= both["data_ci_high"]).all()
    rate = t[(t["moment"] == "onset_rate") & (t["sample"] == "fit")].iloc[0]
    assert rate["n"] > 3000


# --- model-side moments defined as in the data -------------------------------------------------


def _markov_paths(p_onset: float, h_end: float, runs: int, years: int, seed: int) -> pd.DataFrame:
    """Insurgencies that start with p_onset a year at peace and end with h_end a year active;
    strength 8 of 10 (high intensity) in even runs, 3 in odd ones."""
    rng = np.random.default_rng(seed)
    rows = []
    for run in range(runs):
        on = False
        for year in range(years):
            on = (rng.random() >= h_end) if on else (rng.random() < p_onset)
            level = 8.0 if run % 2 == 0 else 3.0
            rows.append((run, "ins", year, level if on else 0.0, 10.0))
    return pd.DataFrame(rows, columns=["run", "insurgency", "year", "strength", "max_strength"])


def test_simulated_insurgency_moments_recover_markov_rates():
    from deterrence_sim.calibration.moments_capability import simulated_insurgency_moments

    m = simulated_insurgency_moments(_markov_paths(0.1, 0.3, runs=200, years=60, seed=5))
    # ~12,000 path-years: onset and ending rates have standard errors near 0.005.
    assert m["onset_rate"] == pytest.approx(0.1, abs=0.02)
    assert m["termination_all"] == pytest.approx(0.3, abs=0.03)
    for age in ("termination_age_1", "termination_age_2_4", "termination_age_5_plus"):
        assert m[age] == pytest.approx(0.3, abs=0.06)  # no duration dependence by construction
    assert m["duration_one_year_share"] == pytest.approx(0.3, abs=0.04)
    assert m["survival_5y"] == pytest.approx(0.7**5, abs=0.04)
    assert m["duration_km_median"] == 2
    assert m["high_intensity_share"] == pytest.approx(0.5, abs=0.05)


def test_calibration_rows_mark_simulated_values_inside_the_data_interval():
    from deterrence_sim.calibration.moments_capability import calibration_rows

    moments = pd.DataFrame(
        {
            "block": ["insurgency", "insurgency"],
            "moment": ["onset_rate", "termination_all"],
            "sample": ["fit", "fit"],
            "data": [0.03, 0.17],
            "data_ci_low": [0.026, 0.14],
            "data_ci_high": [0.036, 0.19],
            "n": [4800, 1000],
        }
    )
    rows = calibration_rows(
        moments, {("onset_rate", "fit"): 0.031, ("termination_all", "fit"): 0.5}
    )
    assert rows["in_ci"].tolist() == [True, False]
    assert list(rows.columns[:7]) == [
        "stratum",
        "sample",
        "outcome",
        "dyad_years",
        "empirical",
        "ci_low",
        "ci_high",
    ]


@needs_data
def test_capability_moments_cover_both_blocks_and_both_insurgency_samples(
    arms, insurgency, monkeypatch
):
    import deterrence_sim.data.arms as arms_mod
    import deterrence_sim.data.insurgency as ins_mod
    from deterrence_sim.calibration.moments_capability import calibration_rows, capability_moments

    # The fits are the module fixtures' (computed once); this checks the assembly.
    monkeypatch.setattr(arms_mod, "fit_arms", lambda _d: arms)
    monkeypatch.setattr(ins_mod, "fit_insurgency", lambda _d: insurgency)
    m = capability_moments(DATA)
    assert set(m["block"]) == {"arms_race", "insurgency"}
    assert {"fit", "holdout"} <= set(m.loc[m["block"] == "insurgency", "sample"])
    rows = calibration_rows(m)
    assert len(rows) == len(m) and rows["simulated"].isna().all() and not rows["in_ci"].any()


# --- history check -----------------------------------------------------------------------------


@needs_data
def test_aid_event_table_windows_cover_nmc_years_on_both_sides():
    from deterrence_sim.data.aid_history import AID_EVENTS, aid_event_table, aid_series

    table = aid_event_table(DATA, years=5)
    assert len(table) == len(AID_EVENTS)
    series = aid_series(DATA)
    for e, row in zip(AID_EVENTS, table.itertuples(), strict=True):
        s = series[series["ccode"] == e.ccode]
        assert s["year"].between(e.year - 5, e.year + 4).sum() == 10, e.state  # NMC has all 10
        before = s.loc[s["year"].between(e.year - 5, e.year - 1), "milex_permille"].mean()
        assert row.milex_permille_before == pytest.approx(before)
        expected = 100 * (row.milex_permille_after / row.milex_permille_before - 1)
        assert row.milex_permille_change_pct == pytest.approx(expected)


def test_moments_cli_missing_data_folder_exits_2(tmp_path, capsys):
    from deterrence_sim.calibration.moments_capability import main

    assert main(["--data", str(tmp_path / "absent")]) == 2
    assert "data folder not found" in capsys.readouterr().err


def test_insurgency_paths_follow_the_model_insurgencies():
    from deterrence_sim import Scenario
    from deterrence_sim.calibration.moments_capability import (
        insurgency_paths,
        simulated_insurgency_moments,
    )

    sc = Scenario.preset("africa")
    paths = insurgency_paths(sc, range(3), years=5)
    names = {a.name for a in sc.aggressors if a.kind == "insurgency"}
    assert set(paths["insurgency"]) == names
    assert len(paths) == 3 * 5 * len(names)
    assert (paths["strength"] >= 0).all()
    again = insurgency_paths(sc, range(3), years=5)
    pd.testing.assert_frame_equal(paths, again)  # seeded: the same paths
    m = simulated_insurgency_moments(paths)
    assert 0 <= m["high_intensity_share"] <= 1
