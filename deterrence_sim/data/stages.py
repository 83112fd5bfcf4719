"""What the dyad-year data say about deterrence at two stages, as tidy tables with 95% intervals.

- :func:`coefficient_table` — the auxiliary logits (:mod:`.auxiliary`) by population (``prd``,
  ``rivals``), sample (``fit`` 1816–1945, ``holdout`` 1946–2010, ``full``) and outcome
  (``challenge``; ``challenge_mid5``, the MID 5.0 robustness check; ``escalation``: war given a
  challenge; ``escalation_force``: use of force given a challenge), cluster-robust by dyad.
- :func:`hazard_levels` — challenge, force and war rates per dyad-year and escalation rates per
  challenge, Wilson 95% intervals.
- :func:`preventive_table` — the same rates for a challenger whose relative capability fell
  sharply in five years (``declining``), rose sharply (``rising``) or neither (Powell 2006).
- :func:`leeds_table` — Leeds (2003)'s design on her window (1816–1944): all directed dyads and
  PRD, with the applicable-pact coding and the round-one "any pact" coding side by side.

``python -m deterrence_sim.data.stages`` prints them all (``docs/deterrence-data.md`` holds a run).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..stats import wilson_interval
from .auxiliary import fit_auxiliary
from .prd import PrdSources, build_dyad_panel, load_prd_sources

__all__ = [
    "LEEDS_TERMS",
    "OUTCOMES",
    "SAMPLES",
    "coefficient_table",
    "hazard_levels",
    "leeds_table",
    "load_populations",
    "main",
    "preventive_table",
]

#: Samples by year, inclusive (the round-one split: the system changed in 1945).
SAMPLES = {"fit": (1816, 1945), "holdout": (1946, 2010), "full": (1816, 2010)}
#: Table outcome -> (stage of :data:`~.auxiliary.STAGES`, outcome column).
OUTCOMES = {
    "challenge": ("challenge", "challenge"),
    "challenge_mid5": ("challenge", "challenge_mid5"),
    "escalation": ("escalation", "war"),
    "escalation_force": ("escalation_force", "force"),
}
#: Leeds (2003)'s regressors as far as these data carry them.
LEEDS_TERMS = (
    "target_pact",
    "challenger_pact",
    "shared_pact",
    "log_capability_ratio",
    "contiguous",
    "log_distance",
    "major1",
    "major2",
    "joint_dem",
    "t",
    "t2",
    "t3",
)
LEEDS_YEARS = (1816, 1944)
#: The three codings of the target's pact (see :mod:`.pacts`), most to least specific.
PACT_CODINGS = ("target_pact_strict", "target_pact", "target_pact_any")


def load_populations(
    sources: PrdSources | None = None, populations: tuple[str, ...] = ("prd", "rivals")
) -> dict[str, pd.DataFrame]:
    """``{population: panel}`` built from one load of the data files."""
    s = sources if sources is not None else load_prd_sources()
    return {p: build_dyad_panel(p, s) for p in populations}


def _in_sample(panel: pd.DataFrame, sample: str) -> pd.DataFrame:
    lo, hi = SAMPLES[sample]
    return panel[panel["year"].between(lo, hi)]


def _fit_rows(fit, **labels) -> list[dict]:
    ci = fit.ci()
    se = np.sqrt(np.diag(fit.cov.to_numpy()))
    rows = []
    for i, term in enumerate(fit.params.index):
        z = fit.params[term] / se[i] if se[i] > 0 else math.nan
        rows.append(
            {
                **labels,
                "term": term,
                "data": float(fit.params[term]),
                "data_ci_low": float(ci.loc[term, "low"]),
                "data_ci_high": float(ci.loc[term, "high"]),
                "se": float(se[i]),
                "p": float(2 * _norm_sf(abs(z))),
                "n": fit.n,
                "events": fit.events,
                "clusters": fit.clusters,
                "converged": fit.converged,
            }
        )
    return rows


def _norm_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2)) if math.isfinite(z) else math.nan


def coefficient_table(
    panels: Mapping[str, pd.DataFrame],
    outcomes: tuple[str, ...] = tuple(OUTCOMES),
    samples: tuple[str, ...] = tuple(SAMPLES),
    terms: Mapping[str, tuple[str, ...]] | None = None,
) -> pd.DataFrame:
    """Tidy coefficients: ``population, sample, outcome, term, data, data_ci_low, data_ci_high``
    (logit scale, 95% cluster-robust by dyad) plus ``se, p, n, events, clusters, converged``.
    ``terms`` maps a stage to its regressors (default: the stage's of :mod:`.auxiliary`)."""
    rows = []
    for population, panel in panels.items():
        for sample in samples:
            frame = _in_sample(panel, sample)
            for outcome in outcomes:
                stage, column = OUTCOMES[outcome]
                fit = fit_auxiliary(frame, stage, (terms or {}).get(stage), outcome=column)
                rows += _fit_rows(fit, population=population, sample=sample, outcome=outcome)
    return pd.DataFrame(rows)


def _rate_row(y: pd.Series, **labels) -> dict:
    y = y.dropna()
    n, k = len(y), float(y.sum())
    lo, hi = wilson_interval(k, n)
    return {**labels, "events": int(k), "trials": n, "rate": k / n if n else math.nan}, (lo, hi)


def _rates(frame: pd.DataFrame, **labels) -> list[dict]:
    """Per dyad-year challenge/force/war rates and per-challenge escalation rates."""
    chall = frame[frame["challenge"] == 1]
    series = {
        "challenge": frame["challenge"],
        "force": frame["force"],
        "war": frame["war"],
        "war_cow": frame["war_cow"],
        "escalation": chall["war"],
        "escalation_force": chall["force"],
    }
    rows = []
    for outcome, y in series.items():
        row, (lo, hi) = _rate_row(y, **labels, outcome=outcome)
        rows.append({**row, "ci_low": lo, "ci_high": hi})
    return rows


def hazard_levels(
    panels: Mapping[str, pd.DataFrame], samples: tuple[str, ...] = tuple(SAMPLES)
) -> pd.DataFrame:
    """``population, sample, outcome, events, trials, rate, ci_low, ci_high`` (Wilson 95%):
    ``challenge``, ``force``, ``war`` (GML) and ``war_cow`` (COW, to 2007) per dyad-year;
    ``escalation`` (war) and ``escalation_force`` per challenge."""
    rows = []
    for population, panel in panels.items():
        for sample in samples:
            rows += _rates(_in_sample(panel, sample), population=population, sample=sample)
    return pd.DataFrame(rows)


def preventive_table(
    panels: Mapping[str, pd.DataFrame], samples: tuple[str, ...] = tuple(SAMPLES)
) -> pd.DataFrame:
    """The rates of :func:`hazard_levels` by the challenger's five-year trend: ``declining``
    (log ratio fell by ≥ 0.32, the PRD bottom decile), ``rising`` (rose by ≥ 0.32) or
    ``neither`` (including dyads without a five-year history)."""
    rows = []
    for population, panel in panels.items():
        trend = np.select(
            [panel["declining"] == 1, panel["rising"] == 1], ["declining", "rising"], "neither"
        )
        for sample in samples:
            for group in ("declining", "neither", "rising"):
                frame = _in_sample(panel[trend == group], sample)
                rows += _rates(frame, population=population, sample=sample, trend=group)
    return pd.DataFrame(rows)


def leeds_table(sources: PrdSources | None = None, panels=None) -> pd.DataFrame:
    """Leeds (2003)'s stage-1 design on 1816–1944: MID initiation (GML; MID 5.0 as a check) on
    :data:`LEEDS_TERMS`, for all directed dyads and for PRD, with ``target_pact`` (applicable to
    this challenger), ``target_pact_strict`` (location clauses excluded too) or
    ``target_pact_any`` (round one's coding) as the pact term. Columns of
    :func:`coefficient_table` plus ``pact_coding``."""
    s = sources if sources is not None else load_prd_sources()
    panels = dict(panels or {})
    panels.setdefault("all", build_dyad_panel("all", s))
    panels.setdefault("prd", build_dyad_panel("prd", s))
    rows = []
    for population in ("all", "prd"):
        frame = panels[population]
        frame = frame[frame["year"].between(*LEEDS_YEARS)]
        for coding in PACT_CODINGS:
            f = frame.assign(target_pact=frame[coding])
            for outcome in ("challenge", "challenge_mid5"):
                fit = fit_auxiliary(f, "challenge", LEEDS_TERMS, outcome=outcome)
                labels = {"population": population, "sample": "1816-1944", "outcome": outcome}
                rows += [{**r, "pact_coding": coding} for r in _fit_rows(fit, **labels)]
    return pd.DataFrame(rows)


KEY_TERMS = (
    "log_capability_ratio",
    "target_pact",
    "challenger_pact",
    "contiguous",
    "rivalry",
    "declining",
    "rising",
    "post1945",
)


def _cell(est: float, lo: float, hi: float, digits: int = 2) -> str:
    return f"{est:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def coefficient_markdown(table: pd.DataFrame, terms: tuple[str, ...] = KEY_TERMS) -> str:
    """One Markdown table per outcome: a row per population and term, a column per sample
    (``coef [95% CI]``, ``*`` when the interval excludes 0), then the sample sizes."""
    blocks = []
    for outcome, g in table.groupby("outcome", sort=False):
        samples = list(dict.fromkeys(g["sample"]))
        lines = [f"**{outcome}**", "", "| population | term | " + " | ".join(samples) + " |"]
        lines.append("|---|---|" + "---|" * len(samples))
        for (pop, term), h in g[g["term"].isin(terms)].groupby(["population", "term"], sort=False):
            cells = []
            for sample in samples:
                r = h[h["sample"] == sample]
                if r.empty:
                    cells.append("—")
                    continue
                r = r.iloc[0]
                star = "*" if r["data_ci_low"] > 0 or r["data_ci_high"] < 0 else ""
                cells.append(_cell(r["data"], r["data_ci_low"], r["data_ci_high"]) + star)
            lines.append(f"| {pop} | {term} | " + " | ".join(cells) + " |")
        sizes = g.drop_duplicates(["population", "sample"])
        for pop, h in sizes.groupby("population", sort=False):
            n = {r["sample"]: f"{r['n']:,} ({r['events']:,} events)" for _, r in h.iterrows()}
            lines.append(f"| {pop} | n | " + " | ".join(n.get(s, "—") for s in samples) + " |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def rates_markdown(table: pd.DataFrame, by: tuple[str, ...]) -> str:
    """Rates as a Markdown table: ``by`` columns, then ``rate [95% CI] (events/trials)``."""
    lines = ["| " + " | ".join(by) + " | rate [95% CI] | events / trials |"]
    lines.append("|" + "---|" * (len(by) + 2))
    for _, r in table.iterrows():
        rate = _cell(100 * r["rate"], 100 * r["ci_low"], 100 * r["ci_high"], 3)
        lead = " | ".join(str(r[c]) for c in by)
        lines.append(f"| {lead} | {rate} % | {r['events']:,} / {r['trials']:,} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build the panels, fit everything, print the tables (Markdown) and the time each step took."""
    t0 = time.perf_counter()
    sources = load_prd_sources(argv[0] if argv else None)
    panels = load_populations(sources)
    t1 = time.perf_counter()
    coefs = coefficient_table(panels)
    t2 = time.perf_counter()
    print(f"# Panels: {', '.join(f'{k} {len(v):,} dyad-years' for k, v in panels.items())}\n")
    print("## Coefficients (logit scale, 95% CI clustered by dyad)\n")
    print(coefficient_markdown(coefs), "\n")
    print("## Hazard levels (% per dyad-year; escalation: % of challenges)\n")
    print(rates_markdown(hazard_levels(panels), ("population", "sample", "outcome")), "\n")
    prev = preventive_table(panels)
    prev = prev[prev["outcome"].isin(["challenge", "war", "escalation"])]
    print("## Preventive war: the challenger's five-year trend\n")
    print(rates_markdown(prev, ("population", "sample", "trend", "outcome")), "\n")
    leeds = leeds_table(sources, panels)
    print("## Leeds (2003) design, 1816-1944\n")
    named = leeds.assign(
        sample=leeds["population"] + ", " + leeds["pact_coding"], population="1816-1944"
    )
    print(coefficient_markdown(named, LEEDS_TERMS[:9]), "\n")
    t3 = time.perf_counter()
    print(
        f"Time: load + build {t1 - t0:.1f} s, coefficient table {t2 - t1:.1f} s, all {t3 - t0:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
