"""Arms-race and insurgency moments for the calibration report (issue #18): the data side in
``calibration.csv``'s columns, and the same insurgency moments computed from simulated strength
paths so that model and data are measured one way.

- :func:`capability_moments` — every data moment of :mod:`deterrence_sim.data.arms` and
  :mod:`deterrence_sim.data.insurgency` in one tidy table (``block`` says which).
- :func:`calibration_rows` — that table in ``calibration.csv``'s columns, with simulated values
  when given.
- :func:`simulated_insurgency_moments` — onset, termination, duration and intensity moments of
  simulated insurgencies (strength per run, insurgency and year), defined as in the data.
- :func:`insurgency_paths` — those strength paths from runs of a scenario (cheap: a 40-year
  middle_east run takes about 40 ms).

Definitions and the parameter each moment pins: ``docs/capability-data.md``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "ACTIVE_SHARE",
    "calibration_rows",
    "capability_moments",
    "insurgency_paths",
    "simulated_insurgency_moments",
]

#: A simulated insurgency is active in a year when its strength exceeds this share of its
#: max_strength (UCDP's 25 battle deaths a year are a floor, not zero violence).
ACTIVE_SHARE = 0.02
#: High intensity (UCDP intensity 2, ≥ 1,000 battle deaths) ↔ strength above half max_strength,
#: where logistic growth is fastest.
HIGH_SHARE = 0.5


def capability_moments(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Arms-race and insurgency data moments: ``block, moment, sample, data, data_ci_low,
    data_ci_high, n, unit, pins``."""
    from ..data.arms import arms_moments, fit_arms
    from ..data.insurgency import fit_insurgency, insurgency_moments

    arms = arms_moments(fit_arms(data_dir)).assign(block="arms_race")
    ins = insurgency_moments(fit_insurgency(data_dir)).assign(block="insurgency")
    out = pd.concat([arms, ins], ignore_index=True)
    return out[["block", *(c for c in out.columns if c != "block")]]


def calibration_rows(moments: pd.DataFrame, simulated: dict | None = None) -> pd.DataFrame:
    """Moments as rows of ``calibration.csv`` (``stratum`` = moment, ``outcome`` = block,
    ``dyad_years`` = n, ``empirical``/``ci_low``/``ci_high`` = the data); ``simulated`` maps
    (moment, sample) to a model value, and ``in_ci`` says whether it falls inside the data CI."""
    sim = simulated or {}
    rows = pd.DataFrame(
        {
            "stratum": moments["moment"],
            "sample": moments["sample"],
            "outcome": moments["block"],
            "dyad_years": moments["n"],
            "empirical": moments["data"],
            "ci_low": moments["data_ci_low"],
            "ci_high": moments["data_ci_high"],
        }
    )
    rows["simulated"] = [
        sim.get((m, s), math.nan) for m, s in zip(moments["moment"], moments["sample"], strict=True)
    ]
    rows["in_ci"] = (rows["simulated"] >= rows["ci_low"]) & (rows["simulated"] <= rows["ci_high"])
    return rows


def insurgency_paths(scenario, seeds: range | list[int], years: int) -> pd.DataFrame:
    """Strength of every insurgency after each simulated year: ``run, insurgency, year,
    strength, max_strength`` for each seed (the scenario as given; a Scenario object)."""
    from ..model import DeterrenceModel

    rows = []
    for seed in seeds:
        model = DeterrenceModel(scenario, seed)
        for year in range(1, years + 1):
            model.step()
            rows += [(seed, a.name, year, a.capability, a.max_strength) for a in model.insurgencies]
    return pd.DataFrame(rows, columns=["run", "insurgency", "year", "strength", "max_strength"])


def _episodes(path: np.ndarray) -> list[tuple[int, int, bool]]:
    """(start index, years, ended) of each run of active years in one boolean path."""
    out, start = [], None
    for t, on in enumerate(path):
        if on and start is None:
            start = t
        elif not on and start is not None:
            out.append((start, t - start, True))
            start = None
    if start is not None:
        out.append((start, len(path) - start, False))
    return out


def simulated_insurgency_moments(series: pd.DataFrame) -> dict[str, float]:
    """Insurgency moments of simulated paths, defined as for the data.

    ``series`` has one row per ``run, insurgency, year`` with ``strength`` and ``max_strength``.
    Active: strength > ACTIVE_SHARE·max_strength; an episode is a run of active years, ended when
    the next year is inactive (censored at the last simulated year); onset: an inactive year
    followed by an active one; high intensity: strength > max_strength/2. Returns
    ``onset_rate, termination_all, termination_age_1, termination_age_2_4,
    termination_age_5_plus, duration_km_median, duration_one_year_share, survival_5y,
    high_intensity_share`` (NaN where nothing is at risk)."""
    from ..data.insurgency import kaplan_meier, km_median

    durations, ended, ages, ends = [], [], [], []
    onsets = at_peace = high = active_years = 0
    for _, g in series.sort_values("year").groupby(["run", "insurgency"], sort=False):
        s = g["strength"].to_numpy(float)
        m = g["max_strength"].to_numpy(float)
        on = s > ACTIVE_SHARE * m
        prev, nxt = on[:-1], on[1:]
        at_peace += int((~prev).sum())
        onsets += int((~prev & nxt).sum())
        high += int((s[on] > HIGH_SHARE * m[on]).sum())
        active_years += int(on.sum())
        for _start, years, done in _episodes(on):
            durations.append(years)
            ended.append(done)
            ages.extend(range(1, years + 1) if done else range(1, years))
            ends.extend([False] * (years - 1) + ([True] if done else []))
    return _summary(
        durations,
        ended,
        np.array(ages),
        np.array(ends, bool),
        onsets,
        at_peace,
        high,
        active_years,
        kaplan_meier,
        km_median,
    )


def _summary(durations, ended, ages, ends, onsets, at_peace, high, active_years, km, km_med):
    def rate(num, den):
        return num / den if den else math.nan

    def hazard(lo, hi):
        hit = (ages >= lo) & (ages <= hi)
        return rate(float(ends[hit].sum()), float(hit.sum()))

    d, e = np.asarray(durations, int), np.asarray(ended, bool)
    table = km(d, e) if d.size else None
    done = d[e]
    s5 = table.loc[table["t"] == 5, "survival"] if table is not None else pd.Series(dtype=float)
    return {
        "onset_rate": rate(onsets, at_peace),
        "termination_all": rate(float(ends.sum()), float(ends.size)),
        "termination_age_1": hazard(1, 1),
        "termination_age_2_4": hazard(2, 4),
        "termination_age_5_plus": hazard(5, 10**6),
        "duration_km_median": km_med(table) if table is not None else math.nan,
        "duration_one_year_share": rate(float((done == 1).sum()), float(done.size)),
        "survival_5y": float(s5.iloc[0]) if len(s5) else math.nan,
        "high_intensity_share": rate(high, active_years),
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m deterrence_sim.calibration.moments_capability [--data DIR] [--out FILE]``:
    print the data moments, or write them as calibration.csv rows to FILE."""
    import argparse
    import sys

    from ..data import DataError, default_data_dir

    parser = argparse.ArgumentParser(prog="python -m deterrence_sim.calibration.moments_capability")
    parser.add_argument("--data", type=Path, help="folder with the data files")
    parser.add_argument("--out", type=Path, help="CSV to write (calibration.csv columns)")
    args = parser.parse_args(argv)
    folder = args.data or default_data_dir()
    if folder is None or not Path(folder).is_dir():
        print(
            "error: data folder not found: pass --data DIR or set DETERRENCE_SIM_DATA",
            file=sys.stderr,
        )
        return 2
    try:
        moments = capability_moments(folder)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out:
        calibration_rows(moments).to_csv(args.out, index=False)
    else:
        print(moments.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
