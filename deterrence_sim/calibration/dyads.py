"""Five-year war probability of data-built partners without a pact facing a stronger rival.

A check on the whole model, not only its decision rule: each dyad is ``scenario from-data`` for
2016 (COW NMC, ATOP, with its dispute memory from GML) with the United States as the donor and no
defence pact with the partner; the probability is the share of seeds with at least one war in the
first five years at the calibrated values.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..stats import wilson_interval

__all__ = ["DYADS", "five_year_attack_probability"]

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
    start), ``probability, low, high`` (share of seeds with at least one war within ``years``
    years, Wilson 95%), ``challenges`` (mean challenges per run) and ``preventive`` (the share of
    wars whose challenge came in a window of danger)."""
    from ..data import default_data_dir
    from ..data.scenario_builder import scenario_from_data
    from ..model import DeterrenceModel

    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    world = {f"world.{k}": v for k, v in (after or {}).items()}
    rows = []
    for aggressor, partner in DYADS:
        base = scenario_from_data(
            YEAR,
            "USA",
            partner,
            aggressor,
            nmc=folder / "NMC-60-abridged.csv",
            atop=folder / "atop-member-level.csv",
            history=folder,
        )
        sc = base.with_overrides(world) if world else base
        hits = wars = preventive = challenges = 0
        ratio = float("nan")
        for seed in range(seeds):
            model = DeterrenceModel(sc, seed=seed)
            try:
                ratio = model.aggressors[0].capability / model.partners[0].capability
                for _ in range(years):
                    model.step()
                hits += int(model.counts["wars"] > 0)
                wars += model.counts["wars"]
                challenges += model.counts["coercions"]
                preventive += model.counts.get("preventive_attacks", 0)
            finally:
                model.release()
        lo, hi = wilson_interval(hits, seeds)
        rows.append(
            {
                "aggressor": aggressor,
                "partner": partner,
                "ratio": ratio,
                "probability": hits / seeds,
                "low": lo,
                "high": hi,
                "challenges": challenges / seeds,
                "preventive": preventive / wars if wars else float("nan"),
            }
        )
    return pd.DataFrame(rows)
