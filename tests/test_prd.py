"""The politically relevant dyad panel, its alliance coding and the two-stage auxiliary fits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shared_data import DATA, needs_data

from deterrence_sim.data.prd import DECLINE_CUT, build_dyad_panel, load_prd_sources


@pytest.fixture(scope="module")
def sources():
    return load_prd_sources(DATA)


@pytest.fixture(scope="module")
def prd(sources):
    return build_dyad_panel("prd", sources)


def _row(panel: pd.DataFrame, c1: int, c2: int, year: int) -> pd.Series:
    hit = panel[(panel["ccode1"] == c1) & (panel["ccode2"] == c2) & (panel["year"] == year)]
    assert len(hit) == 1, f"({c1}, {c2}, {year}) should be one panel row, found {len(hit)}"
    return hit.iloc[0]


@needs_data
def test_panel_is_unique_directed_dyad_years_in_window(prd):
    assert not prd.duplicated(["ccode1", "ccode2", "year"]).any()
    assert (prd["ccode1"] != prd["ccode2"]).all()
    assert prd["year"].between(1816, 2010).all()
    # Directed: every row's reverse is present (relevance is symmetric).
    rev = prd.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})[["ccode1", "ccode2", "year"]]
    assert len(rev.merge(prd[["ccode1", "ccode2", "year"]])) == len(prd)
    assert 150_000 < len(prd) < 400_000


@needs_data
def test_panel_rows_are_politically_relevant(prd):
    assert ((prd["contiguous"] == 1) | (prd["major1"] == 1) | (prd["major2"] == 1)).all()
    usa_canada = _row(prd, 2, 20, 1950)
    assert usa_canada["contiguous"] == 1 and usa_canada["contiguity_type"] == 1
    assert usa_canada["major1"] == 1 and usa_canada["major2"] == 0
    # Paraguay-Bolivia (land border, no major power) is in; Paraguay-Nepal is not.
    assert _row(prd, 150, 145, 1932)["contiguous"] == 1
    assert prd[(prd["ccode1"] == 150) & (prd["ccode2"] == 790)].empty


@needs_data
def test_log_ratio_is_antisymmetric_and_decline_cut_is_the_bottom_decile(prd):
    a = _row(prd, 2, 20, 1950)["log_capability_ratio"]
    assert a == pytest.approx(-_row(prd, 20, 2, 1950)["log_capability_ratio"])
    q10 = prd["d5_log_ratio"].quantile(0.10)
    assert abs(q10 - DECLINE_CUT) < 0.02
    assert prd.loc[prd["declining"] == 1, "d5_log_ratio"].max() <= DECLINE_CUT


@needs_data
def test_leeds_pact_coding_by_hand(prd):
    # ATOP 1040 (1816-1820): the Netherlands (210) and Spain (230) promise each other defence
    # only against the Barbary states Tunis (616) and Algiers (615) (defcoadv = 1, statthr1/2);
    # it is the Netherlands' only alliance in 1817. So France (220) challenging the Netherlands
    # faces no pact that applies to it (target_pact 0), though the Netherlands has a defence pact
    # (target_pact_any 1).
    nl = _row(prd, 220, 210, 1817)
    assert nl["target_pact"] == 0 and nl["target_pact_any"] == 1
    # ATOP 1035 (1815-1822): Britain, Prussia, Austria and Russia promise defence against France
    # (statthr1 = 220): France challenging Prussia faces an applicable pact.
    assert _row(prd, 220, 255, 1816)["target_pact"] == 1
    # A pact with the challenger itself does not count: Canada's defence pacts in 1950 (NATO)
    # include the United States, so the US challenging Canada faces none; they share one.
    us_ca = _row(prd, 2, 20, 1950)
    assert us_ca["target_pact"] == 0 and us_ca["shared_pact"] == 1
    # The three codings are nested: strict (no location clause) ⊆ applicable ⊆ any.
    assert (prd["target_pact_strict"] <= prd["target_pact"]).all()
    assert (prd["target_pact"] <= prd["target_pact_any"]).all()
    # The challenger's own pact is the target's "any" pact seen from the other side.
    rev = prd.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    both = prd.merge(rev, on=["ccode1", "ccode2", "year"], suffixes=("", "_r"))
    assert (both["challenger_pact"] == both["target_pact_any_r"]).all()


@needs_data
def test_known_mid_onsets_are_challenges(prd):
    # GML dispute 61 (Cuban missile crisis): the US (2) on side A against Cuba (40), onset 1962,
    # both originators, the US used force (hostlev1 4) short of war.
    cuba = _row(prd, 2, 40, 1962)
    assert cuba["challenge"] == 1 and cuba["force"] == 1 and cuba["war"] == 0
    assert _row(prd, 40, 2, 1962)["challenge"] == 0
    assert _row(prd, 2, 40, 1963)["peace_years"] == 0
    # Every war is a use of force and every use of force a challenge.
    assert (prd["war"] <= prd["force"]).all() and (prd["force"] <= prd["challenge"]).all()
    assert prd.loc[prd["year"] > 2007, "war_cow"].isna().all()


@needs_data
def test_rival_panel_has_the_same_columns(sources, prd):
    rivals = build_dyad_panel("rivals", sources)
    assert list(rivals.columns) == list(prd.columns)
    assert (rivals["rivalry"] == 1).all()
    assert np.isfinite(rivals["log_capability_ratio"]).all()


# --- the auxiliary fit (no data files needed) ---------------------------------------------------

TRUE = {"const": -2.0, "x": 0.8, "pact": -0.5}


def _synthetic(n: int, seed: int, cluster_effect: float = 0.0) -> pd.DataFrame:
    """A logit sample with known coefficients; 10 rows per dyad sharing a random intercept."""
    rng = np.random.default_rng(seed)
    dyad = np.repeat(np.arange(n // 10), 10)
    u = rng.normal(0, cluster_effect, n // 10)[dyad]
    x = rng.normal(size=n)
    pact = rng.integers(0, 2, n)
    eta = TRUE["const"] + TRUE["x"] * x + TRUE["pact"] * pact + u
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return pd.DataFrame({"challenge": y, "x": x, "pact": pact, "dyad": dyad})


@pytest.mark.parametrize("cluster", ["dyad", None])
def test_fit_auxiliary_recovers_known_coefficients(cluster):
    from deterrence_sim.data.auxiliary import fit_auxiliary

    fit = fit_auxiliary(_synthetic(20_000, 3), "challenge", ("x", "pact"), cluster=cluster)
    se = np.sqrt(np.diag(fit.cov.to_numpy()))
    assert fit.converged and fit.n == 20_000
    for i, (term, value) in enumerate(TRUE.items()):
        # Within 4 standard errors (a false alarm about once in 16,000 seeds) and the SE is
        # small enough for that to mean something (n = 20,000: SE about 0.02-0.05).
        assert abs(fit.params[term] - value) < 4 * se[i], (term, fit.params[term])
        assert se[i] < 0.1


def test_fit_auxiliary_interval_covers_truth_at_its_nominal_rate():
    from deterrence_sim.data.auxiliary import fit_auxiliary

    hits = []
    for seed in range(40):
        fit = fit_auxiliary(_synthetic(4_000, 100 + seed, 0.5), "challenge", ("x", "pact"))
        ci = fit.ci()
        hits.append(ci.loc["pact", "low"] <= TRUE["pact"] <= ci.loc["pact", "high"])
    # Clustered 95% intervals with a random dyad intercept: coverage near 0.95 (attenuation of
    # the marginal coefficient is small at sd 0.5); 40 seeds: at least 32 is a loose bound.
    assert sum(hits) >= 32


def test_fit_auxiliary_matches_statsmodels_clustered():
    import statsmodels.api as sm

    from deterrence_sim.data.auxiliary import fit_auxiliary

    df = _synthetic(5_000, 7, 0.8)
    fit = fit_auxiliary(df, "challenge", ("x", "pact"))
    x = sm.add_constant(df[["x", "pact"]].astype(float))
    ref = sm.Logit(df["challenge"], x).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": df["dyad"]}
    )
    np.testing.assert_allclose(fit.params.to_numpy(), ref.params.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov)), ref.bse.to_numpy(), rtol=1e-6)


def test_escalation_stage_uses_only_challenges_and_rejects_bad_input():
    from deterrence_sim.data.auxiliary import fit_auxiliary

    df = _synthetic(6_000, 11).rename(columns={"challenge": "war"})
    df["challenge"] = (np.arange(len(df)) % 2).astype(int)
    fit = fit_auxiliary(df, "escalation", ("x", "pact"))
    assert fit.n == int(df["challenge"].sum())
    df["constant_term"] = 1
    assert fit_auxiliary(df, "escalation", ("x", "constant_term")).dropped == ("constant_term",)
    with pytest.raises(ValueError, match="stage must be one of"):
        fit_auxiliary(df, "war", ("x",))
    with pytest.raises(ValueError, match="lacks column"):
        fit_auxiliary(df, "escalation", ("nope",))


@needs_data
def test_sample_design_dyads_is_representative_and_reproducible(prd):
    from deterrence_sim.data.auxiliary import DESIGN_COLUMNS, sample_design_dyads

    a = sample_design_dyads(prd, 20_000, seed=5)
    assert a.equals(sample_design_dyads(prd, 20_000, seed=5))
    assert not a.equals(sample_design_dyads(prd, 20_000, seed=6))
    assert list(a.columns) == list(DESIGN_COLUMNS)
    assert abs(len(a) - 20_000) <= 16  # rounding, one per stratum at most
    for col in ("contiguous", "post1945", "target_pact", "rivalry"):
        assert a[col].mean() == pytest.approx(prd[col].mean(), abs=0.003)
    # A covariate not stratified on is representative up to sampling error (SE ~0.003).
    assert a["joint_dem"].mean() == pytest.approx(prd["joint_dem"].mean(), abs=0.015)


@needs_data
def test_tables_have_the_documented_shape(prd):
    from deterrence_sim.data.stages import coefficient_table, hazard_levels

    panels = {"prd": prd}
    coefs = coefficient_table(panels, outcomes=("challenge", "escalation"))
    need = ["population", "sample", "outcome", "term", "data", "data_ci_low", "data_ci_high"]
    assert list(coefs.columns[: len(need)]) == need
    assert set(coefs["sample"]) == {"fit", "holdout", "full"}
    assert {"log_capability_ratio", "target_pact", "contiguous"} <= set(coefs["term"])
    assert (coefs["data_ci_low"] < coefs["data"]).all()
    assert (coefs["data"] < coefs["data_ci_high"]).all()
    # post1945 is constant inside fit and holdout and is dropped there, kept in the full sample.
    post = coefs[coefs["term"] == "post1945"]
    assert set(post["sample"]) == {"full"}
    rates = hazard_levels(panels)
    full = rates[(rates["sample"] == "full") & (rates["outcome"] == "challenge")].iloc[0]
    assert full["events"] == prd["challenge"].sum() and full["trials"] == len(prd)
    assert full["ci_low"] < full["rate"] < full["ci_high"]
