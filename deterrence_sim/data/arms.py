"""Arms races from data: the aggressor's Richardson arming fitted to the military spending of
strategic rivals (issue #18, item 3).

The model arms as ``K ← K + g·K + k·ΣK_p − a·K`` (``StateAggressor.arm``): divided by K,
``ΔK/K = (g − a) + k·ΣK_p/K``. So a regression of a rival's yearly growth of military spending on
its rivals' spending relative to its own has the intercept ``g − a`` and the slope ``k`` in the
model's units (capability points are proportional to milex for aggressors and partners alike, so
the ratio carries no unit). Only ``g − a`` is identified from spending levels; ``g`` is set from
the state's economic growth (see :func:`economic_growth`) and ``a = g − (g − a)``.

Coding choices (all stated in ``docs/capability-data.md``):

- Spending: COW NMC ``milex`` (current USD). Constant prices are not in NMC, so spending is
  deflated by the system total: growth is the log growth of milex minus that of the summed milex
  of all states reporting in both years (chain-linked). Inflation and the system's common growth
  cancel; the ratio to the rivals is the same in any deflator. Log growth, because the mean
  arithmetic growth of a volatile series is biased upward by half its variance (Jensen).
- Population: Thompson & Dreyer rival dyad-years inside the rivalry and NMC, directed (each state
  as the row), 1816–2015 (growth to t+1 needs 2016). Years in which either state fights an
  inter-state war (COW wars, t or t+1) are dropped: war mobilisation is not arming.
- Growth ``s_{t+1}/s_t − 1`` winsorised at the sample's 1st and 99th percentiles (currency
  breaks and mobilisations give ±10-fold jumps).
- In a race: the dyad-year lies inside a Gibler–Rider–Hutchison race of the pair.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from . import default_data_dir
from .capability_sources import load_arms_races
from .conflict import load_rivalries, load_wars
from .loaders import load_nmc

__all__ = [
    "arms_moments",
    "arms_panel",
    "clustered_mean",
    "economic_growth",
    "fit_arms",
    "richardson_ols",
    "state_panel",
    "steady_state_ratio",
]

LAST_NMC_YEAR = 2016
WINSOR = (0.01, 0.99)
BOOT_REPS = 400


# --- panel --------------------------------------------------------------------------------------


def relative_growth(nmc: pd.DataFrame) -> pd.DataFrame:
    """Per state-year t: ``milex`` and ``milex_lag`` (t−1), and the log growth t→t+1 of milex
    (``growth_raw``) and of energy consumption (``pec_growth``) relative to the system: minus the
    log growth of the system total over the states reporting in both years (a chain-linked
    deflator, so states entering the system or the data do not move it)."""
    df = nmc[["ccode", "year", "milex", "pec"]].copy().sort_values(["ccode", "year"])
    df.loc[~(df["milex"] > 0), "milex"] = np.nan
    df.loc[~(df["pec"] > 0), "pec"] = np.nan
    nxt = df[["ccode", "year", "milex", "pec"]].assign(year=df["year"] - 1)
    df = df.merge(nxt, on=["ccode", "year"], how="left", suffixes=("", "_next"))
    for col, out in (("milex", "growth_raw"), ("pec", "pec_growth")):
        both = df[col].notna() & df[f"{col}_next"].notna()
        tot = df[both].groupby("year")[[col, f"{col}_next"]].sum()
        system = np.log(tot[f"{col}_next"] / tot[col])
        df[out] = np.log(df[f"{col}_next"] / df[col]) - df["year"].map(system)
    lag = df[["ccode", "year", "milex"]].assign(year=df["year"] + 1)
    df = df.merge(lag.rename(columns={"milex": "milex_lag"}), on=["ccode", "year"], how="left")
    return df[["ccode", "year", "milex", "milex_lag", "growth_raw", "pec_growth"]]


def _rival_years(rivals: pd.DataFrame) -> pd.DataFrame:
    """Directed rival dyad-years (ccode, rival, year) inside the rivalry and 1816–2015."""
    r = rivals.assign(
        lo=rivals["styear"].clip(lower=1816), hi=rivals["endyear"].clip(upper=LAST_NMC_YEAR - 1)
    )
    r = r[r["hi"] >= r["lo"]]
    years = [np.arange(lo, hi + 1) for lo, hi in zip(r["lo"], r["hi"], strict=True)]
    base = pd.DataFrame(
        {
            "a": np.repeat(r["ccode1"].to_numpy(), [len(y) for y in years]),
            "b": np.repeat(r["ccode2"].to_numpy(), [len(y) for y in years]),
            "year": np.concatenate(years) if years else np.array([], int),
        }
    ).drop_duplicates()
    fwd = base.rename(columns={"a": "ccode", "b": "rival"})
    back = base.rename(columns={"b": "ccode", "a": "rival"})
    out = pd.concat([fwd, back], ignore_index=True).drop_duplicates()
    out["dyad"] = np.minimum(out["ccode"], out["rival"]) * 1000 + np.maximum(
        out["ccode"], out["rival"]
    )
    return out


def _race_flags(panel: pd.DataFrame, races: pd.DataFrame) -> pd.Series:
    """True where the pair is inside one of its Gibler–Rider–Hutchison races that year."""
    dyad = np.minimum(races["ccode1"], races["ccode2"]) * 1000 + np.maximum(
        races["ccode1"], races["ccode2"]
    )
    keys = {
        (d, y)
        for d, lo, hi in zip(dyad, races["styear"], races["endyear"], strict=True)
        for y in range(int(lo), int(hi) + 1)
    }
    return pd.Series(
        [(d, y) in keys for d, y in zip(panel["dyad"], panel["year"], strict=True)],
        index=panel.index,
    )


def _at_war(wars: pd.DataFrame) -> set[tuple[int, int]]:
    return set(zip(wars["ccode1"].astype(int), wars["year"].astype(int), strict=True))


def _winsorise(x: pd.Series, q: tuple[float, float] = WINSOR) -> pd.Series:
    lo, hi = x.quantile(list(q))
    return x.clip(lo, hi)


def arms_panel(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Directed rival dyad-years with ``growth`` (milex log growth t→t+1 relative to the system,
    winsorised), ``ratio`` (rival's milex / own, year t), ``ratio_lag`` (t−1), ``pec_growth``,
    ``in_race`` and ``dyad`` (cluster id); years at war left out."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    states = relative_growth(load_nmc(folder / "NMC-60-abridged.csv"))
    panel = _rival_years(load_rivalries(folder / "td-rivalries.csv"))
    own = states.rename(columns={"milex": "k_own", "milex_lag": "k_own_lag"})
    rival = states[["ccode", "year", "milex", "milex_lag"]].rename(
        columns={"ccode": "rival", "milex": "k_rival", "milex_lag": "k_rival_lag"}
    )
    panel = panel.merge(own, on=["ccode", "year"]).merge(rival, on=["rival", "year"])
    panel = panel.dropna(subset=["k_own", "k_rival", "growth_raw"])
    war = _at_war(load_wars(folder / "cow-war-inter.csv"))
    fighting = [
        any((c, y + d) in war for c in (a, b) for d in (0, 1))
        for a, b, y in zip(panel["ccode"], panel["rival"], panel["year"], strict=True)
    ]
    panel = panel[~np.asarray(fighting, dtype=bool)].copy()
    panel["in_race"] = _race_flags(panel, load_arms_races(folder / "grh-arms-races.csv"))
    panel["ratio"] = panel["k_rival"] / panel["k_own"]
    panel["ratio_lag"] = panel["k_rival_lag"] / panel["k_own_lag"]
    panel["growth"] = _winsorise(panel["growth_raw"])
    return panel.reset_index(drop=True)


def state_panel(panel: pd.DataFrame) -> pd.DataFrame:
    """State-years in the model's form: ``sum_ratio`` = Σ rivals' milex / own milex (the model's
    k multiplies the SUM of its targets' capabilities), ``growth``, ``in_race`` (any rival)."""
    g = panel.groupby(["ccode", "year"])
    out = g.agg(
        growth=("growth", "first"),
        pec_growth=("pec_growth", "first"),
        k_own=("k_own", "first"),
        k_rivals=("k_rival", "sum"),
        k_own_lag=("k_own_lag", "first"),
        k_rivals_lag=("k_rival_lag", lambda x: x.sum(min_count=len(x))),
        in_race=("in_race", "any"),
        rivals=("rival", "nunique"),
    ).reset_index()
    out["sum_ratio"] = out["k_rivals"] / out["k_own"]
    out["sum_ratio_lag"] = out["k_rivals_lag"] / out["k_own_lag"]
    return out


# --- estimators ---------------------------------------------------------------------------------


def richardson_ols(
    growth: np.ndarray, ratio: np.ndarray, groups: np.ndarray, level: float = 0.95
) -> dict:
    """OLS of ``growth = c + k·ratio`` with standard errors clustered by ``groups``.

    Returns ``c`` (= g − a) and ``k`` with their ``level`` intervals, ``cov`` (2×2), ``n`` and
    ``clusters``. Richardson (1960) in the model's per-capita form."""
    import statsmodels.api as sm

    y = np.asarray(growth, dtype=float)
    x = sm.add_constant(np.asarray(ratio, dtype=float), has_constant="add")
    fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": np.asarray(groups)})
    ci = fit.conf_int(alpha=1 - level)
    return {
        "c": float(fit.params[0]),
        "c_ci": (float(ci[0, 0]), float(ci[0, 1])),
        "k": float(fit.params[1]),
        "k_ci": (float(ci[1, 0]), float(ci[1, 1])),
        "cov": np.asarray(fit.cov_params()),
        "n": int(y.size),
        "clusters": len(np.unique(groups)),
    }


def clustered_mean(y: np.ndarray, groups: np.ndarray, level: float = 0.95) -> dict:
    """Mean of ``y`` with a ``level`` interval clustered by ``groups`` (OLS on a constant)."""
    import statsmodels.api as sm

    y = np.asarray(y, dtype=float)
    fit = sm.OLS(y, np.ones((y.size, 1))).fit(
        cov_type="cluster", cov_kwds={"groups": np.asarray(groups)}
    )
    lo, hi = fit.conf_int(alpha=1 - level)[0]
    return {"mean": float(fit.params[0]), "ci": (float(lo), float(hi)), "n": int(y.size)}


def steady_state_ratio(k: float, c: float) -> float:
    """K/ΣK_rivals where the model's arming stops: k/(a − g) = −k/c; inf when g ≥ a."""
    return k / -c if c < 0 else math.inf


def _boot_steady_state(df: pd.DataFrame, x: str, group: str, seed: int = 2026) -> tuple:
    """Percentile interval of the steady-state ratio from a bootstrap over clusters."""
    rng = np.random.default_rng(seed)
    ids = df[group].to_numpy()
    uniq, inv = np.unique(ids, return_inverse=True)
    rows = [np.flatnonzero(inv == i) for i in range(uniq.size)]
    y, xv = df["growth"].to_numpy(), df[x].to_numpy()
    draws = []
    for _ in range(BOOT_REPS):
        pick = np.concatenate([rows[i] for i in rng.integers(0, uniq.size, uniq.size)])
        a = np.column_stack([np.ones(pick.size), xv[pick]])
        c, k = np.linalg.lstsq(a, y[pick], rcond=None)[0]
        draws.append(steady_state_ratio(k, c))
    # Sorted order statistics rather than np.percentile: draws may be inf (g ≥ a: no steady state).
    d = np.sort(np.asarray(draws))
    return float(d[int(0.025 * (d.size - 1))]), float(d[math.ceil(0.975 * (d.size - 1))])


def economic_growth(states: pd.DataFrame, seed: int = 2026) -> dict:
    """g: the median yearly log growth of a rival's share of system energy consumption (NMC's
    proxy for the economy, deflated like milex), with a bootstrap interval over states. The
    median, because energy shares of small states jump from near zero (mean 4.7%/yr, median 1%)."""
    df = states.dropna(subset=["pec_growth"])
    if len(df) < 3:
        return {"g": math.nan, "g_ci": (math.nan, math.nan), "n": 0}
    y, ids = df["pec_growth"].to_numpy(), df["ccode"].to_numpy()
    uniq, inv = np.unique(ids, return_inverse=True)
    rows = [np.flatnonzero(inv == i) for i in range(uniq.size)]
    rng = np.random.default_rng(seed)
    draws = [
        np.median(y[np.concatenate([rows[i] for i in rng.integers(0, uniq.size, uniq.size)])])
        for _ in range(BOOT_REPS)
    ]
    lo, hi = np.percentile(draws, [2.5, 97.5])
    return {"g": float(np.median(y)), "g_ci": (float(lo), float(hi)), "n": int(y.size)}


def _fit_one(df: pd.DataFrame, x: str, group: str) -> dict:
    fit = richardson_ols(df["growth"], df[x], df[group])
    fit.pop("cov")
    fit["steady_state"] = steady_state_ratio(fit["k"], fit["c"])
    fit["steady_state_ci"] = _boot_steady_state(df, x, group)
    return fit


def _ratio_distribution(states: pd.DataFrame, dyads: pd.DataFrame) -> dict:
    own = states["k_own"] / states["k_rivals"]
    pair = dyads[dyads["ccode"] < dyads["rival"]]
    big = np.maximum(pair["ratio"], 1 / pair["ratio"])
    q = own.quantile([0.1, 0.5, 0.9])
    return {
        "own_over_rivals_p10": float(q[0.1]),
        "own_over_rivals_median": float(q[0.5]),
        "own_over_rivals_p90": float(q[0.9]),
        "larger_over_smaller_median": float(big.median()),
        "larger_over_smaller_p90": float(big.quantile(0.9)),
    }


# --- the fit ------------------------------------------------------------------------------------


def fit_arms(data_dir: str | Path | None = None) -> dict:
    """Richardson arming of rivals from NMC milex: ``g_minus_a``, ``reaction`` (k, model units),
    ``growth`` (g), ``fatigue`` (a = g − (g − a)), the steady state k/(a − g), each with a 95% CI,
    for the state-year panel (the model's form) and for directed dyads, in and outside arms races;
    plus the observed capability ratios of rivals. See ``docs/capability-data.md``."""
    dyads = arms_panel(data_dir)
    states = state_panel(dyads)
    fits = _all_fits(states, dyads)
    g = economic_growth(states[states["sum_ratio"].between(*COMPARABLE)])
    main = fits[MAIN]
    return {
        "g_minus_a": main["c"],
        "g_minus_a_ci": main["c_ci"],
        "reaction": main["k"],
        "reaction_ci": main["k_ci"],
        "growth": g["g"],
        "growth_ci": g["g_ci"],
        "fatigue": g["g"] - main["c"],
        "steady_state": main["steady_state"],
        "steady_state_ci": main["steady_state_ci"],
        "fits": fits,
        "ratios": _ratio_distribution(states, dyads),
        "panel": {
            "dyad_years": len(dyads),
            "state_years": len(states),
            "race_dyad_years": int(dyads["in_race"].sum()),
            "dyads": int(dyads["dyad"].nunique()),
            "states": int(states["ccode"].nunique()),
            "growth_race": clustered_mean(*_growth(dyads[dyads["in_race"]])),
            "growth_no_race": clustered_mean(*_growth(dyads[~dyads["in_race"]])),
        },
    }


#: The model's form on comparable rivals: Σ rivals' milex within 1:10 and 10:1 of one's own.
MAIN = "state"
COMPARABLE = (0.1, 10.0)


def _all_fits(states: pd.DataFrame, dyads: pd.DataFrame) -> dict[str, dict]:
    """The main fit (state-years of comparable rivals), in/out of races, by period, and checks:
    all ratios, the ratio lagged a year (measurement error in K_t biases k up), directed dyads."""
    st = states[states["sum_ratio"].between(*COMPARABLE)]
    dy = dyads[dyads["ratio"].between(*COMPARABLE)]
    lag = states[states["sum_ratio_lag"].between(*COMPARABLE)]
    one = _fit_one
    return {
        "state": one(st, "sum_ratio", "ccode"),
        "state_race": one(st[st["in_race"]], "sum_ratio", "ccode"),
        "state_no_race": one(st[~st["in_race"]], "sum_ratio", "ccode"),
        "state_1816_1945": one(st[st["year"] <= 1945], "sum_ratio", "ccode"),
        "state_1946_2015": one(st[st["year"] >= 1946], "sum_ratio", "ccode"),
        "state_lagged_ratio": one(lag, "sum_ratio_lag", "ccode"),
        "state_all_ratios": one(states, "sum_ratio", "ccode"),
        "dyad": one(dy, "ratio", "dyad"),
        "dyad_race": one(dy[dy["in_race"]], "ratio", "dyad"),
        "dyad_no_race": one(dy[~dy["in_race"]], "ratio", "dyad"),
    }


def _growth(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return df["growth"].to_numpy(), df["dyad"].to_numpy()


# --- moments ------------------------------------------------------------------------------------

MOMENT_COLUMNS = ("moment", "sample", "data", "data_ci_low", "data_ci_high", "n", "unit", "pins")


def _row(moment, sample, value, ci, n, unit, pins) -> dict:
    return dict(
        zip(MOMENT_COLUMNS, (moment, sample, value, ci[0], ci[1], n, unit, pins), strict=False)
    )


def arms_moments(fit: dict) -> pd.DataFrame:
    """Tidy moments of rival arming (``moment, sample, data, data_ci_low, data_ci_high, n, unit,
    pins``) from :func:`fit_arms`: growth in and outside races, the share of rival dyad-years in
    a race (Wilson), capability ratios, and the Richardson estimates with the parameter each pins."""
    from ..stats import wilson_interval

    p, r, f = fit["panel"], fit["ratios"], fit["fits"]
    pairs = p["dyad_years"] / 2  # directed rows: each pair-year twice
    races = p["race_dyad_years"] / 2
    rows = [
        _row("rival_milex_growth", "race", *_mg(p["growth_race"]), "log/yr", "growth − fatigue"),
        _row(
            "rival_milex_growth", "no_race", *_mg(p["growth_no_race"]), "log/yr", "growth − fatigue"
        ),
        _row(
            "race_share",
            "all",
            races / pairs,
            wilson_interval(races, pairs),
            int(pairs),
            "share of rival dyad-years",
            "reaction (how often arming answers a rival)",
        ),
        _row(
            "own_over_rivals_median",
            "all",
            r["own_over_rivals_median"],
            (r["own_over_rivals_p10"], r["own_over_rivals_p90"]),
            p["state_years"],
            "K/ΣK_rivals (interval: 10th–90th pct)",
            "reaction/(fatigue − growth)",
        ),
        _row(
            "larger_over_smaller_median",
            "all",
            r["larger_over_smaller_median"],
            (math.nan, r["larger_over_smaller_p90"]),
            int(pairs),
            "milex ratio (high: 90th pct)",
            "reaction/(fatigue − growth)",
        ),
    ]
    for name, sample in (
        ("state", "all"),
        ("state_race", "race"),
        ("state_no_race", "no_race"),
        ("state_1816_1945", "1816-1945"),
        ("state_1946_2015", "1946-2015"),
    ):
        e = f[name]
        rows += [
            _row("g_minus_a", sample, e["c"], e["c_ci"], e["n"], "1/yr", "growth − fatigue"),
            _row("reaction_k", sample, e["k"], e["k_ci"], e["n"], "1/yr", "reaction"),
            _row(
                "steady_state_ratio",
                sample,
                e["steady_state"],
                e["steady_state_ci"],
                e["n"],
                "K/ΣK_rivals",
                "reaction/(fatigue − growth)",
            ),
        ]
    rows.append(
        _row(
            "growth_g",
            "all",
            fit["growth"],
            fit["growth_ci"],
            p["state_years"],
            "log/yr (energy share)",
            "growth",
        )
    )
    return pd.DataFrame(rows, columns=list(MOMENT_COLUMNS))


def _mg(m: dict) -> tuple:
    return m["mean"], m["ci"], m["n"]
