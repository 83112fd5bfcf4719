"""Simulated yearly hazards of war and coercion for each stratum, with common random numbers.

Every parameter vector is run on the same scenarios with the same seeds, so differences between
parameter vectors are not blurred by different random draws (common random numbers; McFadden
1989, Gourieroux & Monfort 1996). Within one parameter vector the seeds of different strata and
ratio points differ (a stable hash of their names), so the simulated dyad-years of a stratum are
independent of each other. A simulated dyad-year is one model year of
one aggressor–partner pair; the hazard of war is state attacks per simulated dyad-year, the
hazard of coercion coercive demands per simulated dyad-year (the model's ``wars`` and
``coercions`` counters).
"""

from __future__ import annotations

from collections.abc import Sequence
from zlib import crc32

import numpy as np
import pandas as pd

from .strata import Stratum, scenario_dict

__all__ = ["SEED_BASE", "seeds_for", "simulate_hazards", "simulate_many"]

SEED_BASE = 20_000


def seeds_for(stratum: Stratum, point: int, n: int) -> list[int]:
    """The ``n`` seeds of one ratio point of a stratum: the same for every parameter vector,
    different between strata and points."""
    key = crc32(f"{stratum.name}|{stratum.sample}|{point}".encode()) % 100_000
    return [SEED_BASE + key * 10_000 + i for i in range(n)]


def _run_stratum(stratum: Stratum, world: dict[str, float], n_seeds: int, years: int):
    from ..model import DeterrenceModel
    from ..scenario import Scenario

    wars = coercions = 0
    dyad_years = 0
    ratio_sum = 0.0
    for j, ratio in enumerate(stratum.ratios):
        scenario = Scenario.from_dict(scenario_dict(stratum, ratio, world))
        for seed in seeds_for(stratum, j, n_seeds):
            model = DeterrenceModel(scenario, seed=int(seed))
            try:
                for _ in range(years):
                    model.step()
                    a, p = model.aggressors[0], model.partners[0]
                    ratio_sum += a.capability / max(p.capability, 1e-9)
                wars += int(model.counts["wars"])
                coercions += int(model.counts["coercions"])
                dyad_years += years
            finally:
                model.release()
    return wars, coercions, dyad_years, ratio_sum / max(dyad_years, 1)


def simulate_hazards(
    strata: Sequence[Stratum], world: dict[str, float], seeds: int, years: int
) -> pd.DataFrame:
    """Simulated hazards for one parameter vector: one row per stratum and outcome, with
    ``stratum, sample, outcome, sim_dyad_years, sim_events, simulated, sim_ratio`` (the mean
    simulated capability ratio, to compare with the data's)."""
    rows = []
    for st in strata:
        wars, coercions, n, ratio = _run_stratum(st, world, seeds, years)
        for outcome, k in (("war", wars), ("coercion", coercions)):
            rows.append(
                {
                    "stratum": st.name,
                    "sample": st.sample,
                    "outcome": outcome,
                    "sim_dyad_years": n,
                    "sim_events": k,
                    "simulated": k / n if n else np.nan,
                    "sim_ratio": ratio,
                }
            )
    return pd.DataFrame(rows)


def _task(args):
    strata, world, seeds, years = args
    return simulate_hazards(strata, world, seeds, years)


def simulate_many(
    strata: Sequence[Stratum],
    worlds: Sequence[dict[str, float]],
    seeds: int,
    years: int,
    workers: int = 1,
    progress: bool = False,
    executor: str = "process",
    scheduler: str | None = None,
) -> list[pd.DataFrame]:
    """:func:`simulate_hazards` for many parameter vectors, in order, on the sweep runner's
    executors (``workers`` processes, or Dask; each point takes seconds, so even a few use the
    pool)."""
    from ..experiment.inmemory import map_runs

    tasks = [(list(strata), dict(w), seeds, years) for w in worlds]
    return map_runs(
        _task,
        tasks,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
        desc="simulating",
        min_jobs_for_pool=1,
    )
