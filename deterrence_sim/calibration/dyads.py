"""Five-year attack probability of data-built partners without a pact facing a stronger rival.

The calibration issue's symptom: with the old attack rule a scenario built from data for any
uncommitted partner facing a stronger rival attacked nearly every year. Each dyad here is
``scenario from-data`` for 2016 (COW NMC, ATOP) with the United States as the donor and no
defence pact with the partner; the probability is the share of seeds with at least one war in the
first five years, before (the pre-calibration attack and coercion coefficients) and after (the
calibrated ones).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..stats import wilson_interval
from . import PRE_CALIBRATION

__all__ = ["DYADS", "PRE_CALIBRATION", "five_year_attack_probability"]

#: (aggressor, partner) in 2016: Thompson & Dreyer rivals, the aggressor the stronger by milex, the
#: partner without an ATOP defence pact with the United States.
DYADS = (("RUS", "UKR"), ("RUS", "GRG"), ("CHN", "TAW"), ("SAU", "IRN"), ("AZE", "ARM"))
YEAR = 2016


def five_year_attack_probability(
    data_dir: str | Path | None,
    after: dict[str, float] | None = None,
    seeds: int = 200,
    years: int = 5,
) -> pd.DataFrame:
    """``after``: World overrides for the calibrated run (default: the package defaults).
    One row per dyad: ``aggressor, partner, ratio`` (aggressor / partner capability at the
    start), ``before, before_low, before_high, after, after_low, after_high`` (share of seeds with
    at least one war within ``years`` years, Wilson 95%), and ``before_preventive``,
    ``after_preventive``: the share of those wars started by the preventive-war rule."""
    from ..data import default_data_dir
    from ..data.scenario_builder import scenario_from_data
    from ..model import DeterrenceModel

    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    rows = []
    for aggressor, partner in DYADS:
        base = scenario_from_data(
            YEAR,
            "USA",
            partner,
            aggressor,
            nmc=folder / "NMC-60-abridged.csv",
            atop=folder / "atop-member-level.csv",
        )
        row = {"aggressor": aggressor, "partner": partner}
        for label, world in (("before", PRE_CALIBRATION), ("after", after or {})):
            sc = base.with_overrides({f"world.{k}": v for k, v in world.items()}) if world else base
            hits = wars = preventive = 0
            for seed in range(seeds):
                model = DeterrenceModel(sc, seed=seed)
                try:
                    if "ratio" not in row:
                        row["ratio"] = model.aggressors[0].capability / model.partners[0].capability
                    for _ in range(years):
                        model.step()
                    hits += int(model.counts["wars"] > 0)
                    wars += model.counts["wars"]
                    preventive += model.counts.get("preventive_attacks", 0)
                finally:
                    model.release()
            lo, hi = wilson_interval(hits, seeds)
            row.update({label: hits / seeds, f"{label}_low": lo, f"{label}_high": hi})
            row[f"{label}_preventive"] = preventive / wars if wars else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)
