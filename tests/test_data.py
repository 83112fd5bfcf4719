"""Data loaders (COW NMC, V-Dem, ATOP) and scenarios built from data.

The shared data files are never copied into the repository: tests read them from
``$DETERRENCE_SIM_DATA`` or ``../shared/data`` next to the repository and skip when absent.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from shared_data import DATA, needs_data

from deterrence_sim import DeterrenceSimError, Scenario
from deterrence_sim.cli import main
from deterrence_sim.data import (
    DataError,
    DataFormatError,
    load_atop_alliances,
    load_atop_members,
    load_nmc,
    load_vdem,
    scenario_from_data,
)
from deterrence_sim.data.scenario_builder import state_data


@pytest.fixture(scope="module")
def files() -> dict[str, Path]:
    assert DATA is not None
    out = {
        "nmc": DATA / "NMC-60-abridged.csv",
        "vdem": DATA / "vdem-polyarchy.csv",
        "members": DATA / "atop-member-level.csv",
        "alliances": DATA / "atop-alliance-level.csv",
    }
    missing = [str(p) for p in out.values() if not p.is_file()]
    if missing:
        pytest.skip(f"shared data files missing: {', '.join(missing)}")
    return out


# --- loaders on the shared files ---------------------------------------------------------------


@needs_data
def test_load_nmc_shared(files):
    df = load_nmc(files["nmc"])
    assert {"stateabb", "ccode", "year", "milex", "cinc"} <= set(df.columns)
    assert df["year"].min() == 1816 and df["year"].max() == 2016
    usa = df[(df.stateabb == "USA") & (df.year == 2016)].iloc[0]
    assert usa.ccode == 2
    assert usa.milex == pytest.approx(604_452_000)  # thousands of USD
    # -9 is COW's missing code: it must never survive as a number.
    assert not (df[["milex", "milper", "irst", "pec", "upop"]] == -9).any().any()
    nir = df[(df.stateabb == "NIR") & (df.year == 2016)].iloc[0]
    assert math.isnan(nir.milex)


@needs_data
def test_load_vdem_shared(files):
    df = load_vdem(files["vdem"])
    assert list(df.columns) == ["year", "COWcode", "v2x_polyarchy"]
    assert df["COWcode"].dtype.kind == "i"
    est = df[(df.COWcode == 366) & (df.year == 2016)].v2x_polyarchy.iloc[0]
    assert 0.8 < est <= 1.0
    assert df["v2x_polyarchy"].dropna().between(0, 1).all()


@needs_data
def test_load_atop_shared(files):
    m = load_atop_members(files["members"])
    nato_est = m[(m.atopid == 3180) & (m.member == 366)].iloc[0]
    assert (nato_est.yrent, nato_est.yrexit, nato_est.defense) == (2003, 0, 1)
    a = load_atop_alliances(files["alliances"])
    nato = a[a.atopid == 3180].iloc[0]
    assert nato.defense == 1 and nato.endyr == 0
    assert {2, 200, 220} <= set(nato.members)


# --- malformed files ---------------------------------------------------------------------------


def test_nmc_wrong_format_names_missing_columns(tmp_path):
    f = tmp_path / "bad_nmc.csv"
    f.write_text("stateabb,ccode,year,milex\nUSA,2,2016,1\n")
    with pytest.raises(DataFormatError) as exc:
        load_nmc(f)
    msg = str(exc.value)
    assert str(f) in msg
    for col in ("milper", "irst", "pec", "tpop", "upop", "cinc"):
        assert col in msg
    assert "milex" not in exc.value.missing
    assert isinstance(exc.value, DeterrenceSimError)


def test_nmc_missing_code_becomes_nan(tmp_path):
    f = tmp_path / "nmc.csv"
    f.write_text(
        "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
        "AAA,1,2000,-9,5,-9,10,100,-9,0.5\n"
        "BBB,2,2000,2000000,6,1,20,200,50,0.5\n"
    )
    df = load_nmc(f)
    assert math.isnan(df.milex[0]) and math.isnan(df.irst[0]) and math.isnan(df.upop[0])
    assert df.milex[1] == 2_000_000 and "version" not in df.columns


def test_nmc_non_numeric_value(tmp_path):
    f = tmp_path / "nmc.csv"
    f.write_text(
        "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\nAAA,1,2000,lots,5,1,1,1,1,0.1\n"
    )
    with pytest.raises(DataError, match=r"milex.*numeric.*'lots'"):
        load_nmc(f)


def test_vdem_wrong_format(tmp_path):
    f = tmp_path / "vdem.csv"
    f.write_text("year,country,polyarchy\n2016,Estonia,0.9\n")
    with pytest.raises(DataFormatError) as exc:
        load_vdem(f)
    assert exc.value.missing == ["COWcode", "v2x_polyarchy"]
    assert "vdem.csv" in str(exc.value)


def test_vdem_drops_rows_without_cow_code(tmp_path):
    f = tmp_path / "vdem.csv"
    f.write_text("year,COWcode,v2x_polyarchy,extra\n2016,366,0.9,x\n2016,,0.5,y\n2016,2,,z\n")
    df = load_vdem(f)
    assert list(df.COWcode) == [366, 2]
    assert math.isnan(df.v2x_polyarchy[1])


def test_atop_members_given_alliance_file(tmp_path):
    f = tmp_path / "alliances.csv"
    f.write_text("atopid,begyr,endyr,defense,mem1,mem2\n1,1990,0,1,2,20\n")
    with pytest.raises(DataFormatError, match="alliance-level") as exc:
        load_atop_members(f)
    assert exc.value.missing == ["member", "yrent", "yrexit"]
    # and the alliance loader reads it
    df = load_atop_alliances(f)
    assert df.members[0] == [2, 20]


def test_atop_alliances_wrong_format(tmp_path):
    f = tmp_path / "members.csv"
    f.write_text("atopid,member,yrent,yrexit,defense\n1,2,1990,0,1\n")
    with pytest.raises(DataFormatError, match="member-level") as exc:
        load_atop_alliances(f)
    assert exc.value.missing == ["begyr", "endyr", "mem1"]


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(DataError, match="not found"):
        load_nmc(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataError, match=r"empty\.csv"):
        load_vdem(empty)


# --- scenario from data: small synthetic tables (no shared files needed) -----------------------


def _toy_tables():
    nmc = pd.DataFrame(
        {
            "stateabb": ["DON", "DON", "PAR", "PAR", "AGG", "OTH"],
            "ccode": [1, 1, 2, 2, 3, 4],
            "year": [1999, 2000, 1999, 2000, 2000, 2000],
            "milex": [90e6, 100e6, 1e6, math.nan, 20e6, 5e6],
            "milper": [1.0] * 6,
            "irst": [1.0] * 6,
            "pec": [1.0] * 6,
            "tpop": [1.0] * 6,
            "upop": [1.0] * 6,
            "cinc": [0.5, 0.5, 0.01, 0.01, 0.2, 0.05],
        }
    )
    vdem = pd.DataFrame({"year": [2000, 2000], "COWcode": [2, 1], "v2x_polyarchy": [0.42, 0.9]})
    members = pd.DataFrame(
        {  # a bilateral pact 10 (ended 1995) and a multilateral one 20 (DON, PAR, OTH) in force
            "atopid": [10, 10, 20, 20, 20],
            "member": [1, 2, 1, 2, 4],
            "yrent": [1980, 1980, 1998, 1998, 1998],
            "yrexit": [1995, 1995, 0, 0, 0],
            "defense": [1, 1, 1, 1, 1],
        }
    )
    return nmc, vdem, members


def test_state_data_fallbacks_and_units():
    nmc, vdem, _ = _toy_tables()
    figs = state_data(["DON", "PAR"], 2000, nmc, vdem)
    assert figs["DON"].capability == pytest.approx(100.0)  # 100e6 thousand USD = $100bn
    assert figs["PAR"].milex_year == 1999 and figs["PAR"].capability == pytest.approx(1.0)
    assert any("PAR milex 2000 missing; used 1999" in n for n in figs["PAR"].notes)
    assert figs["PAR"].polyarchy == pytest.approx(0.42)
    cinc = state_data(["DON"], 2000, nmc, capability="cinc")["DON"]
    assert cinc.capability == pytest.approx(0.5 * 125.0)  # share x system milex ($125bn)


def test_from_data_toy_multilateral_pact():
    nmc, vdem, members = _toy_tables()
    s = scenario_from_data(2000, ["DON"], ["PAR"], ["AGG"], nmc=nmc, vdem=vdem, atop=members)
    assert s.donors[0].policy.commitment == "alliance"
    assert [(a.name, a.members) for a in s.alliances] == [("ATOP20", ["DON"])]
    assert s.partners[0].governance == pytest.approx(0.42)
    aid = [t for t in s.ties if t.kind == "aid"]
    assert [(t.source, t.target, t.stake) for t in aid] == [("DON", "PAR", 0.7)]
    assert [(t.source, t.target) for t in s.ties if t.kind == "rivalry"] == [("AGG", "PAR")]
    # The bilateral pact ran 1980-1995 and the multilateral one starts in 1998: in 1990 only the
    # bilateral one binds.
    nmc90 = nmc.assign(year=nmc.year - 10)
    s90 = scenario_from_data(1990, "DON", "PAR", "AGG", nmc=nmc90, atop=members)
    assert s90.donors[0].policy.commitment == "bilateral_pact" and s90.alliances == []


def test_from_data_no_pact_and_bad_names():
    nmc, _, members = _toy_tables()
    s = scenario_from_data(2000, ["OTH"], ["AGG"], [], nmc=nmc, atop=members)
    assert s.donors[0].policy.commitment == "none"
    assert s.ties[0].stake == pytest.approx(0.4)
    with pytest.raises(DataError, match="'XYZ'"):
        scenario_from_data(2000, ["XYZ"], ["PAR"], [], nmc=nmc)
    with pytest.raises(DeterrenceSimError, match="only one role"):
        scenario_from_data(2000, ["DON"], ["DON"], [], nmc=nmc)
    with pytest.raises(DataError, match="no rows for year 2050"):
        scenario_from_data(2050, ["DON"], ["PAR"], [], nmc=nmc)


# --- scenario from data: the shared files ----------------------------------------------------


@needs_data
def test_from_data_2016_baltics_and_poland(files):
    s = scenario_from_data(
        2016,
        ["USA", "UKG", "FRN"],
        ["EST", "LAT", "LIT", "POL"],
        ["RUS"],
        nmc=files["nmc"],
        vdem=files["vdem"],
        atop=files["members"],
    )
    assert [d.name for d in s.donors] == ["USA", "UKG", "FRN"]
    assert [p.name for p in s.partners] == ["EST", "LAT", "LIT", "POL"]
    # NATO binds the US (and the UK, France) to the Baltic states and Poland in 2016.
    assert all(d.policy.commitment == "alliance" for d in s.donors)
    nato = [a for a in s.alliances if a.name == "NATO"]
    assert nato and nato[0].members == ["USA", "UKG", "FRN"]
    aid = {(t.source, t.target): t.stake for t in s.ties if t.kind == "aid"}
    for p in ("EST", "LAT", "LIT", "POL"):
        assert aid[("USA", p)] == pytest.approx(0.7)
    riv = {(t.source, t.target) for t in s.ties if t.kind == "rivalry"}
    assert riv == {("RUS", p) for p in ("EST", "LAT", "LIT", "POL")}
    commitments = {(t.source, t.target): t.commitment for t in s.ties if t.kind == "aid"}
    assert all(commitments[("USA", p)] == "alliance" for p in ("EST", "LAT", "LIT", "POL"))
    usa = s.donors[0]
    assert usa.capability == pytest.approx(4 * 604.452)  # capability points = 4 x milex ($bn)
    est = s.partners[0]
    assert est.equipment == pytest.approx(3.5 * 0.503, abs=1e-3)
    assert est.governance == pytest.approx(0.913)


@needs_data
def test_from_data_indo_pacific_bilateral_pacts(files):
    s = scenario_from_data(
        2016, "USA", "JPN,ROK,TAW,PHI", "CHN", nmc=files["nmc"], atop=files["members"]
    )
    assert s.donors[0].policy.commitment == "bilateral_pact"
    stake = {t.target: t.stake for t in s.ties if t.kind == "aid"}
    # The US-ROC treaty ended in 1980: Taiwan has no ATOP pact with the US in 2016.
    assert stake == {"JPN": 0.7, "ROK": 0.7, "PHI": 0.7, "TAW": 0.4}
    assert s.alliances == []


@needs_data
def test_cli_from_data_writes_a_scenario_that_runs(files, tmp_path, capsys):
    out = tmp_path / "scenario.toml"
    rc = main(
        [
            "scenario",
            "from-data",
            "--year",
            "2016",
            "--donors",
            "USA,UKG,FRN",
            "--partners",
            "EST,LAT,LIT,POL",
            "--aggressors",
            "RUS",
            "--nmc",
            str(files["nmc"]),
            "--vdem",
            str(files["vdem"]),
            "--atop",
            str(files["members"]),
            "--out",
            str(out),
        ]
    )
    assert rc == 0 and out.is_file()
    assert "wrote" in capsys.readouterr().out
    s = Scenario.load(out)
    assert len(s.donors) == 3 and len(s.partners) == 4
    try:
        from deterrence_sim import run_model
    except (ImportError, AttributeError, ModuleNotFoundError):
        pytest.skip("deterrence_sim.run (the model) is not available yet")
    result = run_model(s, years=10, seed=1)
    assert result.timeseries["year"].max() == 10


@needs_data
def test_cli_from_data_bad_input_exit_2(files, tmp_path, capsys):
    rc = main(
        [
            "scenario",
            "from-data",
            "--year",
            "2016",
            "--donors",
            "USA",
            "--partners",
            "EST",
            "--nmc",
            str(files["members"]),
            "--out",
            str(tmp_path / "x.toml"),
        ]
    )
    assert rc == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "missing column(s) stateabb" in err
    assert "Traceback" not in err


@needs_data
def test_derive_preset_numbers(files, capsys):
    from deterrence_sim.data.derive import derive_preset_numbers
    from deterrence_sim.data.derive import main as derive_main

    df = derive_preset_numbers(DATA)
    assert set(df.preset) == {"europe", "indo_pacific", "middle_east", "africa"}
    nir = df[(df.preset == "africa") & (df.state == "NIR")].iloc[0]
    assert nir.ccode == 436 and nir.milex_year == 2012  # 2013-2016 are missing (-9) in NMC
    assert (df.polyarchy_year == 2019).all()
    assert derive_main(["--data", str(DATA)]) == 0
    assert "[indo_pacific]" in capsys.readouterr().out


def test_arms_growth_from_milex_and_fallbacks():
    from deterrence_sim.data.scenario_builder import GROWTH_CLIP, arms_growth

    nmc, _, _ = _toy_tables()
    # DON: milex 90 -> 100 over one year.
    rate, note = arms_growth(nmc, "DON", 2000)
    assert rate == pytest.approx(100 / 90 - 1) and "milex" in note and "1999–2000" in note
    # PAR: milex missing in 2000, CINC flat -> 0 growth measured on the CINC share.
    rate, note = arms_growth(nmc, "PAR", 2000)
    assert rate == pytest.approx(0.0) and "CINC" in note
    # AGG: a single year -> no series, growth 0, said so.
    rate, note = arms_growth(nmc, "AGG", 2000)
    assert rate == 0.0 and "no milex" in note
    # Clipped.
    fast = nmc.copy()
    fast.loc[(fast.stateabb == "DON") & (fast.year == 2000), "milex"] = 900e6
    assert arms_growth(fast, "DON", 2000)[0] == GROWTH_CLIP


def test_from_data_aggressor_growth_is_its_milex_trend(files):
    sc = scenario_from_data(
        2016, "USA", "EST,LAT,LIT,POL", "RUS", nmc=files["nmc"], atop=files["members"]
    )
    nmc = load_nmc(files["nmc"])
    rus = nmc[nmc.stateabb == "RUS"].set_index("year")["milex"]
    rate = (rus[2016] / rus[2011]) ** 0.2 - 1
    a = sc.aggressors[0]
    faced = sum(4.0 * p.equipment / 3.5 for p in sc.partners)
    assert a.growth == pytest.approx(rate + a.fatigue - a.reaction * faced / a.capability, abs=2e-3)
    assert "RUS arms growth" in sc.description and "2011–2016" in sc.description
