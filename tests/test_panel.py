"""Conflict-data loaders, the rival dyad-year panel, stratum hazards and the Leeds (2003) logit.

Format tests use small files written here; the panel tests read the shared data from
``$DETERRENCE_SIM_DATA`` or ``../shared/data`` and skip when they are absent (never copied in).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from shared_data import DATA, needs_data

from deterrence_sim.data import (
    DataError,
    DataFormatError,
    load_contiguity,
    load_majors,
    load_mid_dyads,
    load_rivalries,
    load_wars,
)
from deterrence_sim.data.hazards import RATIO_BINS, hazard_table, stratify
from deterrence_sim.data.panel import PanelSources, build_panel, load_panel_sources

# --- loaders: formats -----------------------------------------------------------------------


def test_mid_wrong_format_names_file_and_missing_columns(tmp_path):
    f = tmp_path / "mid.csv"
    f.write_text("dispnum,ccode1,ccode2,year\n1,2,200,1900\n")
    with pytest.raises(DataFormatError) as exc:
        load_mid_dyads(f)
    assert exc.value.missing == ["disponset", "sidea1", "orig1", "hostlev1"]
    assert "mid.csv" in str(exc.value) and "MID" in str(exc.value)


def test_war_file_given_mid_file_says_so(tmp_path):
    f = tmp_path / "mid.csv"
    f.write_text(
        "dispnum,ccode1,ccode2,year,disponset,sidea1,orig1,hostlev1\n1,2,200,1900,1,1,1,3\n"
    )
    with pytest.raises(DataFormatError, match="MID directed dispute-year file") as exc:
        load_wars(f)
    assert exc.value.missing == ["warnum", "cowinteronset", "initiator1"]


def test_missing_codes_and_blanks_become_nan(tmp_path):
    f = tmp_path / "mid.csv"
    f.write_text(
        "dispnum,ccode1,ccode2,year,disponset,sidea1,orig1,hostlev1,fatality1\n"
        "1,2,200,1900,1,1,1,4,-9\n"
        "2,200,2,1901,1,0,,3,\n"
    )
    df = load_mid_dyads(f)
    assert math.isnan(df.fatality1[0]) and math.isnan(df.fatality1[1])
    assert math.isnan(df.orig1[1]) and df.hostlev1[0] == 4
    assert df.ccode1.dtype.kind == "i"


def test_war_battle_deaths_missing_code(tmp_path):
    f = tmp_path / "war.csv"
    f.write_text(
        "warnum,ccode1,ccode2,year,cowinteronset,initiator1,batdeath1\n1,2,20,1900,1,1,-9\n"
    )
    df = load_wars(f)
    assert math.isnan(df.batdeath1[0]) and df.initiator1[0] == 1


def test_non_numeric_cell_names_column_and_row(tmp_path):
    f = tmp_path / "riv.csv"
    f.write_text("rivalryno,ccode1,ccode2,styear,endyear\n1,2,200,1900,1910\n2,2,365,soon,1950\n")
    with pytest.raises(DataError, match=r"styear.*numeric.*'soon'.*row 3"):
        load_rivalries(f)


def test_rivalry_text_columns_kept(tmp_path):
    f = tmp_path / "riv.csv"
    f.write_text(
        "rivalryno,rivalryname,ccode1,ccode2,styear,endyear,type1,type2\n"
        "1,A-B,2,200,1900,1910,spatial,\n"
    )
    df = load_rivalries(f)
    assert df.rivalryname[0] == "A-B" and pd.isna(df.type2[0])


def test_contiguity_dates_to_years_and_bad_date(tmp_path):
    f = tmp_path / "cont.csv"
    f.write_text("ccode1,ccode2,conttype,stdate,enddate\n2,20,1,1920-01-01,2016-12-01\n")
    df = load_contiguity(f)
    assert (df.styear[0], df.endyear[0]) == (1920, 2016)
    f.write_text("ccode1,ccode2,conttype,stdate,enddate\n2,20,1,someday,2016-12-01\n")
    with pytest.raises(DataError, match=r"stdate.*date.*'someday'"):
        load_contiguity(f)


def test_majors_wrong_format_and_missing_file(tmp_path):
    f = tmp_path / "majors.csv"
    f.write_text("ccode,start,end\n2,1898,2016\n")
    with pytest.raises(DataFormatError) as exc:
        load_majors(f)
    assert exc.value.missing == ["styear", "endyear"]
    with pytest.raises(DataError, match="not found"):
        load_majors(tmp_path / "nope.csv")


def test_panel_sources_missing_folder_and_file(tmp_path):
    with pytest.raises(DataError, match="data folder not found"):
        load_panel_sources(tmp_path / "absent")
    with pytest.raises(DataError, match="missing data file"):
        load_panel_sources(tmp_path)


# --- the panel on a toy world ----------------------------------------------------------------


def _toy_sources() -> PanelSources:
    """Two rivals (1, 2) 1900-1904; 1 has a pact with 3 (a major power), 2 with 1 only."""
    years = range(1900, 1905)
    nmc = pd.DataFrame(
        [(c, y, cinc, 100.0 * cinc) for y in years for c, cinc in ((1, 0.1), (2, 0.3), (3, 0.2))],
        columns=["ccode", "year", "cinc", "milex"],
    )
    atop = pd.DataFrame(
        [
            (10, 1, 1900, 0, 1),
            (10, 3, 1900, 0, 1),
            (11, 2, 1900, 1902, 1),
            (11, 1, 1900, 1902, 1),
        ],
        columns=["atopid", "member", "yrent", "yrexit", "defense"],
    )
    mid = pd.DataFrame(
        [(7, 2, 1, 1902, 1, 1, 1, 4), (7, 1, 2, 1902, 1, 0, 1, 3), (8, 1, 2, 1903, 1, 1, 1, 2)],
        columns=["dispnum", "ccode1", "ccode2", "year", "disponset", "sidea1", "orig1", "hostlev1"],
    )
    wars = pd.DataFrame(
        [(1, 2, 1, 1902, 1, 1), (1, 1, 2, 1902, 1, 0)],
        columns=["warnum", "ccode1", "ccode2", "year", "cowinteronset", "initiator1"],
    )
    rivalries = pd.DataFrame(
        [(1, 1, 2, 1900, 1904)], columns=["rivalryno", "ccode1", "ccode2", "styear", "endyear"]
    )
    contiguity = pd.DataFrame(
        [(1, 2, 1, 1900, 1901)], columns=["ccode1", "ccode2", "conttype", "styear", "endyear"]
    )
    majors = pd.DataFrame([(3, 1800, 2000)], columns=["ccode", "styear", "endyear"])
    return PanelSources(nmc, atop, mid, wars, rivalries, contiguity, majors)


def test_toy_panel_columns_follow_their_definitions():
    p = build_panel(_toy_sources()).set_index(["challenger", "target", "year"])
    assert len(p) == 10  # 2 directions x 5 years
    assert p.loc[(2, 1, 1900), "cinc_ratio"] == pytest.approx(3.0)
    # Target 1 has a third-party pact with 3 (a major power); its pact with 2 is the challenger's.
    assert p.loc[(2, 1, 1900), "target_pact"] == 1 and p.loc[(2, 1, 1900), "target_pact_major"] == 1
    assert p.loc[(2, 1, 1900), "ally_cinc"] == pytest.approx(0.2)
    # Target 2's only pact is with the challenger 1: not a third-party pact.
    assert p.loc[(1, 2, 1900), "target_pact"] == 0
    # Challenger 1 has a pact with 3 besides the target; challenger 2 only with the target.
    assert (
        p.loc[(1, 2, 1900), "challenger_pact"] == 1 and p.loc[(2, 1, 1900), "challenger_pact"] == 0
    )
    assert p.loc[(1, 2, 1901), "contiguous"] == 1 and p.loc[(1, 2, 1902), "contiguous"] == 0
    # 1902: 2 initiates a use-of-force MID and a war against 1; 1 is not an originator on side A.
    assert p.loc[(2, 1, 1902), ["mid_init", "force_init", "war_init"]].tolist() == [1, 1, 1]
    assert p.loc[(1, 2, 1902), ["mid_init", "force_init", "war_init"]].tolist() == [0, 0, 0]
    # 1903: 1 initiates a threat (no use of force).
    assert p.loc[(1, 2, 1903), ["mid_init", "force_init"]].tolist() == [1, 0]
    # Peace-years: counted from 1816, reset by the MIDs of 1902 and 1903.
    assert p.loc[(1, 2, 1900), "peace_years"] == 1900 - 1816
    assert p.loc[(1, 2, 1903), "peace_years"] == 0 and p.loc[(1, 2, 1904), "peace_years"] == 0


def test_hazard_table_counts_and_wilson():
    p = build_panel(_toy_sources())
    t = hazard_table(p, ("war",))
    assert t["dyad_years"].sum() == 10 and t["events"].sum() == 1
    row = t[t["events"] == 1].iloc[0]
    assert row["ci_low"] < row["empirical"] < row["ci_high"]
    assert set(stratify(p)["sample"]) == {"fit"}


# --- the panel on the shared data ---------------------------------------------------------------


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    if DATA is None:
        pytest.skip("shared data files not found")
    return build_panel(load_panel_sources(DATA))


@needs_data
def test_panel_matches_the_issue_table(panel):
    """13,422 dyad-years 1816-2010 and the issue's hazards by bin (war counted as 0 after 2007,
    as the issue's quick panel did)."""
    assert len(panel) == 13_422
    assert (panel.year.min(), panel.year.max()) == (1816, 2010)
    bins = [0, 0.33, 0.67, 1.5, 3, 10, np.inf]
    g = panel.groupby(pd.cut(panel.cinc_ratio, bins, right=False), observed=True)
    assert g.size().tolist() == [2461, 2687, 3145, 2643, 2023, 463]
    war = g["war_init"].apply(lambda s: s.fillna(0).mean()).round(4).tolist()
    assert war == pytest.approx([0.0085, 0.0063, 0.0060, 0.0068, 0.0069, 0.0130], abs=1e-4)
    force = g["force_init"].mean().round(4).tolist()
    assert force == pytest.approx([0.0597, 0.0443, 0.0528, 0.0458, 0.0692, 0.0605], abs=1e-4)
    # War outcomes end with the COW list in 2007.
    assert panel.loc[panel.year > 2007, "war_init"].isna().all()


@needs_data
def test_strata_have_enough_dyad_years(panel):
    t = hazard_table(panel)
    assert len(t) == 2 * 2 * 2 * (len(RATIO_BINS) - 1)
    assert t["dyad_years"].min() >= 300


@needs_data
def test_leeds_logit_runs_with_clustered_errors(panel):
    from deterrence_sim.data.leeds import leeds_logit

    res = leeds_logit(panel, "mid_init")
    assert res.cov_type == "cluster"
    assert int(res.nobs) == len(panel)
    assert "target_pact" in res.params.index and np.isfinite(res.bse["target_pact"])
