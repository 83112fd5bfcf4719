"""Insurgency from data: onset, duration, intensity, outside support and termination of
intrastate armed conflicts (issue #18, item 4), for the model's ``Insurgency``.

Sources: UCDP/PRIO Armed Conflict Dataset v25.1 (conflict-years 1946–2024), UCDP onsets v19.1
(GW state-years 1946–2017), COW intra-state wars v4.1 (1816–2007), COW NMC v6 (energy and
population, to 2016) and V-Dem polyarchy (to 2019).

Coding choices (all stated in ``docs/capability-data.md``):

- An insurgency is an intrastate conflict (UCDP ``type_of_conflict`` 3) or an internationalized
  intrastate one (4: a foreign state backs a side with troops); its host is the government side
  ``gwno_a`` (GW code, mapped to COW by :func:`~deterrence_sim.data.capability_sources.gw_to_cow`).
- An episode is a run of active years of one conflict (UCDP ``start_date2``); it ends in the year
  UCDP codes ``ep_end`` 1 (no 25 battle deaths the next year). Episodes active in 2024 are
  right-censored. Duration = active years.
- Outside support in a year: a secondary state on the government's side (``gwno_a_2nd``) or on the
  rebels' side (``gwno_b_2nd``) — UCDP's type 4.
- Onset: a state-year with no active intrastate conflict the year before and an episode starting
  this year (a recurrence counts: the model's insurgency re-emerging). State-years are GW system
  members in the UCDP onset file (1946–2017), carried on to 2024 with the 2017 members.
- Samples: fit 1946–1990, holdout 1991–2024 (by calendar year for yearly rates, by the start year
  for episodes).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..stats import wilson_interval
from . import default_data_dir
from .arms import MOMENT_COLUMNS, _row
from .capability_sources import gw_to_cow, load_intra_wars, load_ucdp_acd, load_ucdp_onsets
from .loaders import load_nmc, load_vdem

__all__ = [
    "SAMPLES",
    "conflict_years",
    "episodes",
    "fit_insurgency",
    "insurgency_moments",
    "kaplan_meier",
    "onset_logit",
    "onset_panel",
]

#: Fit and holdout windows (calendar years, inclusive).
SAMPLES: dict[str, tuple[int, int]] = {"fit": (1946, 1990), "holdout": (1991, 2024)}
LAST_UCDP_YEAR = 2024
#: Governance bins of the onset hazard (V-Dem polyarchy, the model's partner governance proxy).
POLYARCHY_BINS = (0.0, 0.25, 0.5, 0.75, 1.0001)


# --- building blocks ----------------------------------------------------------------------------


def conflict_years(acd: pd.DataFrame) -> pd.DataFrame:
    """Intrastate conflict-years (types 3 and 4) with ``ccode`` (host, COW), ``intl`` (type 4),
    ``gov_support`` / ``rebel_support`` (a secondary state on that side) and ``high`` (≥ 1,000
    battle deaths, intensity 2)."""
    cy = acd[acd["type_code"].isin([3, 4])].copy()
    cy["ccode"] = gw_to_cow(cy["gwno_a"].to_numpy(), cy["year"].to_numpy()).to_numpy()
    cy["intl"] = cy["type_code"] == 4
    cy["gov_support"] = cy["supporters_a"].fillna(0) > 0
    cy["rebel_support"] = cy["supporters_b"].fillna(0) > 0
    cy["high"] = cy["intensity_level"] == 2
    cy["episode"] = (
        cy["conflict_id"].astype(str) + ":" + cy["episode_start"].astype(int).astype(str)
    )
    return cy.sort_values(["conflict_id", "year"]).reset_index(drop=True)


def episodes(cy: pd.DataFrame, last_year: int = LAST_UCDP_YEAR) -> pd.DataFrame:
    """One row per conflict episode: ``start, end, years, ended`` (False: still active in
    ``last_year``), ``intl`` / ``gov_support`` / ``rebel_support`` (in any year), ``high_share``."""
    g = cy.groupby("episode")
    ep = g.agg(
        gwno_a=("gwno_a", "first"),
        start=("year", "min"),
        end=("year", "max"),
        years=("year", "size"),
        ended=("ep_end", "max"),
        intl=("intl", "any"),
        gov_support=("gov_support", "any"),
        rebel_support=("rebel_support", "any"),
        high_share=("high", "mean"),
    ).reset_index()
    ep["ended"] = (ep["ended"] == 1) | (ep["end"] < last_year)
    return ep


def kaplan_meier(durations: np.ndarray, ended: np.ndarray) -> pd.DataFrame:
    """Kaplan–Meier survival of episodes in whole years: ``t, at_risk, events, survival`` (the
    share still active after t years). Censored episodes leave the risk set after their last year."""
    d = np.asarray(durations, dtype=int)
    e = np.asarray(ended, dtype=bool)
    rows, surv = [], 1.0
    for t in range(1, int(d.max()) + 1 if d.size else 1):
        at_risk = int((d >= t).sum())
        events = int(((d == t) & e).sum())
        if at_risk:
            surv *= 1 - events / at_risk
        rows.append((t, at_risk, events, surv))
    return pd.DataFrame(rows, columns=["t", "at_risk", "events", "survival"])


def km_median(table: pd.DataFrame) -> float:
    """First year at which the Kaplan–Meier survival is at or below one half (NaN if never)."""
    hit = table[table["survival"] <= 0.5]
    return float(hit["t"].iloc[0]) if len(hit) else float("nan")


def _boot_km_median(ep: pd.DataFrame, reps: int = 400, seed: int = 2026) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    d, e = ep["years"].to_numpy(), ep["ended"].to_numpy()
    draws = []
    for _ in range(reps):
        i = rng.integers(0, d.size, d.size)
        draws.append(km_median(kaplan_meier(d[i], e[i])))
    lo, hi = np.nanpercentile(draws, [2.5, 97.5])
    return float(lo), float(hi)


def _share(events: float, trials: float) -> dict:
    lo, hi = wilson_interval(events, trials)
    return {
        "value": events / trials if trials else float("nan"),
        "ci": (lo, hi),
        "events": int(events),
        "n": int(trials),
    }


# --- onset panel --------------------------------------------------------------------------------


def _state_years(onsets: pd.DataFrame, last_year: int = LAST_UCDP_YEAR) -> pd.DataFrame:
    """GW state-years of the onset file, carried on to ``last_year`` with its last members."""
    frame = onsets[["gwcode", "year"]].drop_duplicates()
    final = int(frame["year"].max())
    members = frame.loc[frame["year"] == final, "gwcode"].to_numpy()
    extra = [pd.DataFrame({"gwcode": members, "year": y}) for y in range(final + 1, last_year + 1)]
    return pd.concat([frame, *extra], ignore_index=True)


def onset_panel(
    onsets: pd.DataFrame, cy: pd.DataFrame, nmc: pd.DataFrame, vdem: pd.DataFrame
) -> pd.DataFrame:
    """GW state-years at risk (no active intrastate conflict in t−1) with ``onset`` (an episode
    starts in t) and covariates from t−1: ``polyarchy`` (V-Dem), ``log_energy_pc`` (log of
    NMC energy consumption per person: NMC has no GDP; energy use per head tracks income,
    the proxy Fearon & Laitin 2003 fall back on) and ``log_pop``."""
    panel = _state_years(onsets)
    active = set(zip(cy["gwno_a"], cy["year"], strict=True))
    first = cy[cy["year"] == cy["episode_start"]]
    starts = set(zip(first["gwno_a"], first["year"], strict=True))
    keys = list(zip(panel["gwcode"], panel["year"], strict=True))
    panel["prior_active"] = [(g, y - 1) in active for g, y in keys]
    panel["onset"] = [(g, y) in starts for g, y in keys]
    panel = panel[~panel["prior_active"]].copy()
    panel["ccode"] = gw_to_cow(panel["gwcode"].to_numpy(), panel["year"].to_numpy() - 1).to_numpy()
    cov = nmc[["ccode", "year", "pec", "tpop"]].assign(year=nmc["year"] + 1)
    cov = cov.assign(
        log_energy_pc=np.log(cov["pec"].where(cov["pec"] > 0) / cov["tpop"].where(cov["tpop"] > 0)),
        log_pop=np.log(cov["tpop"].where(cov["tpop"] > 0)),
    )[["ccode", "year", "log_energy_pc", "log_pop"]]
    vd = vdem.rename(columns={"COWcode": "ccode", "v2x_polyarchy": "polyarchy"})
    vd = vd.assign(year=vd["year"] + 1)[["ccode", "year", "polyarchy"]]
    panel = panel.merge(cov, on=["ccode", "year"], how="left").merge(
        vd, on=["ccode", "year"], how="left"
    )
    return panel.reset_index(drop=True)


def onset_logit(panel: pd.DataFrame, terms: tuple[str, ...]) -> dict:
    """Logit of onset on ``terms`` with standard errors clustered by state: coefficients and 95%
    intervals by term (``const`` first), n and the number of onsets."""
    import statsmodels.api as sm

    df = panel.dropna(subset=list(terms))
    x = sm.add_constant(df[list(terms)].astype(float), has_constant="add")
    fit = sm.Logit(df["onset"].astype(float), x).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": df["gwcode"].to_numpy()}
    )
    ci = fit.conf_int()
    return {
        "coef": {t: float(fit.params[t]) for t in x.columns},
        "ci": {t: (float(ci.loc[t, 0]), float(ci.loc[t, 1])) for t in x.columns},
        "n": len(df),
        "onsets": int(df["onset"].sum()),
    }


def _onset_by_governance(panel: pd.DataFrame) -> dict:
    bins = pd.cut(panel["polyarchy"], POLYARCHY_BINS, right=False)
    out = {}
    for b, part in panel.dropna(subset=["polyarchy"]).groupby(bins, observed=True):
        out[f"{b.left:.2f}-{min(b.right, 1):.2f}"] = _share(part["onset"].sum(), len(part))
    return out


# --- moments by sample --------------------------------------------------------------------------


def _in(df: pd.DataFrame, col: str, window: tuple[int, int]) -> pd.DataFrame:
    return df[df[col].between(*window)]


def _yearly_shares(cy: pd.DataFrame) -> dict:
    n = len(cy)
    return {
        "conflict_years": n,
        "high_intensity_share": _share(cy["high"].sum(), n),
        "internationalized_share": _share(cy["intl"].sum(), n),
        "gov_support_share": _share(cy["gov_support"].sum(), n),
        "rebel_support_share": _share(cy["rebel_support"].sum(), n),
    }


def _transitions(cy: pd.DataFrame) -> dict:
    """Yearly escalation (intensity 1 → 2) and de-escalation (2 → 1) within an episode."""
    nxt = cy.groupby("episode")["high"].shift(-1)
    pairs = cy.assign(next_high=nxt).dropna(subset=["next_high"])
    low, high = pairs[~pairs["high"]], pairs[pairs["high"]]
    return {
        "escalation": _share(low["next_high"].astype(bool).sum(), len(low)),
        "deescalation": _share((~high["next_high"].astype(bool)).sum(), len(high)),
    }


def _termination(cy: pd.DataFrame) -> dict:
    """Yearly hazard that an episode ends, overall and by outside support that year (the last
    UCDP year is left out: whether it ended then is not yet observed)."""
    at_risk = cy[cy["year"] < LAST_UCDP_YEAR]
    groups = {
        "all": at_risk,
        "no_support": at_risk[~at_risk["intl"] & ~at_risk["gov_support"]],
        "gov_support": at_risk[at_risk["gov_support"]],
        "rebel_support": at_risk[at_risk["rebel_support"]],
        "internationalized": at_risk[at_risk["intl"]],
    }
    out = {k: _share((g["ep_end"] == 1).sum(), len(g)) for k, g in groups.items()}
    # Duration dependence: the hazard by the episode's age (1 = its first year).
    age = at_risk["year"] - at_risk["episode_start"] + 1
    for label, lo, hi in (("age_1", 1, 1), ("age_2_4", 2, 4), ("age_5_plus", 5, 10**4)):
        g = at_risk[age.between(lo, hi)]
        out[label] = _share((g["ep_end"] == 1).sum(), len(g))
    return out


def _durations(ep: pd.DataFrame) -> dict:
    km = kaplan_meier(ep["years"], ep["ended"])
    done = ep.loc[ep["ended"], "years"]
    return {
        "episodes": len(ep),
        "censored": int((~ep["ended"]).sum()),
        "km_median": km_median(km),
        "km_median_ci": _boot_km_median(ep),
        "mean_completed": float(done.mean()),
        "median_completed": float(done.median()),
        "one_year_share": _share((done == 1).sum(), len(done)),
        "km_survival_5y": float(km.loc[km["t"] == 5, "survival"].iloc[0]) if len(km) >= 5 else 0.0,
    }


def _onsets(panel: pd.DataFrame) -> dict:
    return {
        "rate": _share(panel["onset"].sum(), len(panel)),
        "by_polyarchy": _onset_by_governance(panel),
    }


def _cow_wars(wars: pd.DataFrame, nmc: pd.DataFrame, window: tuple[int, int]) -> dict:
    """COW intra-state wars (≥ 1,000 battle deaths): onsets per COW state-year, duration in
    calendar years and the share internationalized, for wars starting in the window (to 2007)."""
    lo, hi = window[0], min(window[1], 2007)
    w = wars[wars["primary_state"] == 1]
    per = w.groupby("warnum").agg(start=("year", "min"), end=("year", "max"), intl=("intnl", "max"))
    per = per[per["start"].between(lo, hi)]
    state_years = int(nmc["year"].between(lo, hi).sum())
    return {
        "wars": len(per),
        "onset_rate": _share(len(per), state_years),
        "median_years": float((per["end"] - per["start"] + 1).median()),
        "mean_years": float((per["end"] - per["start"] + 1).mean()),
        "internationalized_share": _share(per["intl"].sum(), len(per)),
    }


def _sample(window, cy, ep, panel, wars, nmc) -> dict:
    ycy = _in(cy, "year", window)
    return {
        "window": window,
        **_yearly_shares(ycy),
        "transitions": _transitions(ycy),
        "termination": _termination(ycy),
        "duration": _durations(_in(ep, "start", window)),
        "onset": _onsets(_in(panel, "year", window)),
        "cow_wars": _cow_wars(wars, nmc, window),
    }


# --- the fit ------------------------------------------------------------------------------------

ONSET_TERMS = ("polyarchy", "polyarchy_sq", "log_energy_pc", "log_pop")
#: The onset curve the model can use: its partners carry governance G (polyarchy), not income.
GOVERNANCE_TERMS = ("polyarchy", "polyarchy_sq")


def fit_insurgency(data_dir: str | Path | None = None) -> dict:
    """Insurgency moments from UCDP/PRIO, UCDP onsets and COW intra-state wars, for the fit
    (1946–1990) and holdout (1991–2024) samples: onset hazard (overall, by polyarchy, logit on
    governance and the energy-per-head income proxy), duration (Kaplan–Meier), yearly termination
    hazard with and without outside support, intensity and internationalized shares. Shares carry
    Wilson 95% intervals. See ``docs/capability-data.md``."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    cy = conflict_years(load_ucdp_acd(folder / "ucdp-acd.csv"))
    ep = episodes(cy)
    nmc = load_nmc(folder / "NMC-60-abridged.csv")
    panel = onset_panel(
        load_ucdp_onsets(folder / "ucdp-onsets.csv"),
        cy,
        nmc,
        load_vdem(folder / "vdem-polyarchy.csv"),
    )
    panel["polyarchy_sq"] = panel["polyarchy"] ** 2
    wars = load_intra_wars(folder / "cow-war-intra.csv")
    out = {s: _sample(w, cy, ep, panel, wars, nmc) for s, w in SAMPLES.items()}
    fit_panel = _in(panel, "year", SAMPLES["fit"])
    out["logit"] = {
        "fit": onset_logit(fit_panel, ONSET_TERMS),
        "fit_polyarchy": onset_logit(fit_panel, GOVERNANCE_TERMS),
        "holdout": onset_logit(_in(panel, "year", SAMPLES["holdout"]), ONSET_TERMS),
        "holdout_polyarchy": onset_logit(_in(panel, "year", SAMPLES["holdout"]), GOVERNANCE_TERMS),
    }
    out["logit"]["holdout_check"] = _predictive_check(out["logit"]["fit"], panel)
    hosts = termination_panel(cy, nmc, load_vdem(folder / "vdem-polyarchy.csv"))
    out["termination_logit"] = {
        s: _termination_logit(_in(hosts, "year", w)) for s, w in SAMPLES.items()
    }
    return out


TERMINATION_TERMS = ("log_host_milex", "polyarchy", "log_age", "gov_support")


def termination_panel(cy: pd.DataFrame, nmc: pd.DataFrame, vdem: pd.DataFrame) -> pd.DataFrame:
    """Episode-years before the last UCDP year with ``ended`` and the host's covariates that
    year: ``log_host_milex`` (log of NMC milex, $bn, current; the model's suppression scales with
    host capability), ``polyarchy``, ``log_age`` (log of the episode's age in years) and
    ``gov_support``."""
    df = cy[cy["year"] < LAST_UCDP_YEAR].copy()
    df["ended"] = df["ep_end"] == 1
    df["log_age"] = np.log(df["year"] - df["episode_start"] + 1)
    mil = nmc[["ccode", "year", "milex"]].assign(
        log_host_milex=np.log(nmc["milex"].where(nmc["milex"] > 0) / 1e6)
    )
    vd = vdem.rename(columns={"COWcode": "ccode", "v2x_polyarchy": "polyarchy"})
    df = df.merge(mil[["ccode", "year", "log_host_milex"]], on=["ccode", "year"], how="left")
    df = df.merge(vd[["ccode", "year", "polyarchy"]], on=["ccode", "year"], how="left")
    return df.rename(columns={"gwno_a": "gwcode"})


def _termination_logit(df: pd.DataFrame) -> dict:
    """Logit of the yearly end of an episode on the host's capability and governance, the
    episode's age and outside support for the government, clustered by host."""
    return onset_logit(df.assign(onset=df["ended"]), TERMINATION_TERMS)


def _predictive_check(logit: dict, panel: pd.DataFrame) -> dict:
    """Holdout onsets predicted by the fit-sample logit against those observed."""
    hold = _in(panel, "year", SAMPLES["holdout"]).dropna(subset=list(ONSET_TERMS))
    z = logit["coef"]["const"] + sum(logit["coef"][t] * hold[t] for t in ONSET_TERMS)
    return {
        "predicted": float((1 / (1 + np.exp(-z))).sum()),
        "observed": int(hold["onset"].sum()),
        "n": len(hold),
    }


# --- tidy moments -------------------------------------------------------------------------------

#: What each insurgency moment should pin in the model (docs/capability-data.md §3).
PINS = {
    "onset_rate": "insurgency_onset_rate (proposed; the model has no onset)",
    "termination": "insurgent_suppression vs insurgent_growth (hazard that strength reaches 0)",
    "duration": "insurgent_suppression vs insurgent_growth",
    "high_intensity_share": "max_strength (share of insurgency-years with S > max_strength/2)",
    "escalation": "insurgent_growth (speed of growth towards max_strength)",
    "deescalation": "insurgent_suppression",
    "support": "donor stabilization when the host is backed (selection, not a causal effect)",
    "cow": "cross-check: wars of ≥ 1,000 battle deaths a year",
}


def _share_row(moment: str, sample: str, s: dict, unit: str, pins: str) -> dict:
    return _row(moment, sample, s["value"], s["ci"], s["n"], unit, pins)


_NO_CI = (np.nan, np.nan)
_PER_YEAR, _SHARE = "per year", "share of conflict-years"


def _onset_rows(name: str, s: dict) -> list[dict]:
    unit = "per state-year at peace"
    rows = [_share_row("onset_rate", name, s["onset"]["rate"], unit, PINS["onset_rate"])]
    for b, v in s["onset"]["by_polyarchy"].items():
        rows.append(_share_row(f"onset_rate_polyarchy_{b}", name, v, unit, PINS["onset_rate"]))
    return rows


def _termination_rows(name: str, s: dict) -> list[dict]:
    rows = []
    for k, v in s["termination"].items():
        support = "support" in k or k == "internationalized"
        pins = PINS["support"] if support else PINS["termination"]
        rows.append(_share_row(f"termination_{k}", name, v, _PER_YEAR, pins))
    return rows


def _duration_rows(name: str, s: dict) -> list[dict]:
    d, pins = s["duration"], PINS["duration"]
    ended = d["episodes"] - d["censored"]
    return [
        _row(
            "duration_km_median",
            name,
            d["km_median"],
            d["km_median_ci"],
            d["episodes"],
            "years",
            pins,
        ),
        _row("duration_mean_completed", name, d["mean_completed"], _NO_CI, ended, "years", pins),
        _share_row("duration_one_year_share", name, d["one_year_share"], "share of ended", pins),
        _row("survival_5y", name, d["km_survival_5y"], _NO_CI, d["episodes"], "Kaplan-Meier", pins),
    ]


def _yearly_rows(name: str, s: dict) -> list[dict]:
    spec = (
        ("high_intensity_share", s["high_intensity_share"], _SHARE, "high_intensity_share"),
        ("escalation_rate", s["transitions"]["escalation"], _PER_YEAR, "escalation"),
        ("deescalation_rate", s["transitions"]["deescalation"], _PER_YEAR, "deescalation"),
        ("internationalized_share", s["internationalized_share"], _SHARE, "support"),
        ("gov_support_share", s["gov_support_share"], _SHARE, "support"),
        ("rebel_support_share", s["rebel_support_share"], _SHARE, "support"),
    )
    return [_share_row(m, name, v, unit, PINS[pin]) for m, v, unit, pin in spec]


def _cow_rows(name: str, s: dict) -> list[dict]:
    w, pins = s["cow_wars"], PINS["cow"]
    return [
        _share_row("cow_war_onset_rate", name, w["onset_rate"], "per COW state-year", pins),
        _row("cow_war_median_years", name, w["median_years"], _NO_CI, w["wars"], "years", pins),
        _share_row(
            "cow_war_internationalized_share",
            name,
            w["internationalized_share"],
            "share of wars",
            pins,
        ),
    ]


def _sample_rows(name: str, s: dict) -> list[dict]:
    parts = (_onset_rows, _termination_rows, _duration_rows, _yearly_rows, _cow_rows)
    return [row for part in parts for row in part(name, s)]


def insurgency_moments(fit: dict) -> pd.DataFrame:
    """Tidy insurgency moments (``moment, sample, data, data_ci_low, data_ci_high, n, unit,
    pins``) for the fit and holdout samples from :func:`fit_insurgency`; shares with Wilson 95%
    intervals, the Kaplan–Meier median with a bootstrap interval, and the onset logit on
    polyarchy (the proposed ``insurgency_onset_rate`` curve)."""
    rows = [r for s in SAMPLES for r in _sample_rows(s, fit[s])]
    for s in SAMPLES:
        lg = fit["logit"][f"{s}_polyarchy"]
        for term in ("const", *GOVERNANCE_TERMS):
            label = f"onset_logit_{term}"
            rows.append(
                _row(
                    label, s, lg["coef"][term], lg["ci"][term], lg["n"], "logit", PINS["onset_rate"]
                )
            )
    for s in SAMPLES:
        lg = fit["termination_logit"][s]
        for term in TERMINATION_TERMS:
            rows.append(
                _row(
                    f"termination_logit_{term}",
                    s,
                    lg["coef"][term],
                    lg["ci"][term],
                    lg["n"],
                    "logit",
                    "form of insurgent_suppression (does the host's size end insurgencies?)",
                )
            )
    return pd.DataFrame(rows, columns=list(MOMENT_COLUMNS))
