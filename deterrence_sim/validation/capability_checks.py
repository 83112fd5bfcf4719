"""Paired-seed checks of the capability channel in the region presets (issue 18).

- :func:`readiness_by_defence_share`: mean partner readiness with every partner's defence share
  scaled (×0.5, ×1, ×1.5): readiness must bind (sit below 1) and move with funding.
- :func:`capability_by_budget`: mean partner capability in the final year with every donor's
  budget scaled (×0, ×1, ×2, ×3): more aid must mean more capability, never less.
- :func:`suspension_counts`: backsliding suspensions per run with ``backsliding_response``
  set to ``suspend`` for every donor: a stable democracy without a scandal should log ~none.

Each arm runs the same seeds (common random numbers). ``python -m
deterrence_sim.validation.capability_checks --seeds 50`` prints the three tables in Markdown.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence

import pandas as pd

from ..markdown import frame_table
from ..run import run_model
from ..scenario import Scenario

REGIONS = ("europe", "indo_pacific", "middle_east", "africa")


def _scaled(scenario: Scenario, field: str, factor: float, group: str) -> Scenario:
    """The scenario with ``field`` of every item of ``group`` multiplied by ``factor``."""
    overrides = {
        f"{group}.{item.name}.{field}": getattr(item, field) * factor
        for item in getattr(scenario, group)
    }
    return scenario.with_overrides(overrides, source=f"{group}.*.{field} x {factor}")


def _final_capability(run) -> float:
    return float(run.timeseries["partner_capability"].iloc[-1])


def _mean_over_seeds(scenario: Scenario, seeds: Iterable[int], measure) -> float:
    values = [measure(run_model(scenario, seed=s, keep_events=False)) for s in seeds]
    return float(sum(values) / len(values))


def _by_factor(presets, factors, seeds, field: str, owner: str, measure) -> pd.DataFrame:
    """``measure`` averaged over seeds, by preset (rows) and the factor scaling ``field``."""
    seeds = list(seeds)
    rows = []
    for name in presets:
        base = Scenario.preset(name)
        row = {"preset": name}
        for f in factors:
            row[f"x{f:g}"] = _mean_over_seeds(_scaled(base, field, f, owner), seeds, measure)
        rows.append(row)
    return pd.DataFrame(rows).set_index("preset")


def readiness_by_defence_share(
    presets: Sequence[str] = REGIONS,
    factors: Sequence[float] = (0.5, 1.0, 1.5),
    seeds: Iterable[int] = range(20),
) -> pd.DataFrame:
    """Mean partner readiness over the run (and seeds), by preset and defence-share factor."""
    return _by_factor(
        presets, factors, seeds, "defence_share", "partners", lambda r: r.metrics["readiness_mean"]
    )


def capability_by_budget(
    presets: Sequence[str] = REGIONS,
    factors: Sequence[float] = (0.0, 1.0, 2.0, 3.0),
    seeds: Iterable[int] = range(50),
) -> pd.DataFrame:
    """Mean partner capability in the final year, by preset and donor-budget factor."""
    return _by_factor(presets, factors, seeds, "budget", "donors", _final_capability)


def suspension_counts(
    presets: Sequence[str] = REGIONS, seeds: Iterable[int] = range(50)
) -> pd.DataFrame:
    """Backsliding suspensions (and those without a scandal the year before) per run, with every
    donor suspending aid on backsliding."""
    seeds = list(seeds)
    rows = []
    for name in presets:
        sc = Scenario.preset(name).with_overrides(
            {"donors.*.policy.backsliding_response": "suspend"}
        )
        total = scandal_free = 0
        for s in seeds:
            ev = run_model(sc, seed=s).events
            susp = ev[ev["kind"] == "suspension"]
            scandals = {
                (y + 1, a)
                for y, a in zip(
                    ev.loc[ev.kind == "scandal", "year"],
                    ev.loc[ev.kind == "scandal", "actors"],
                    strict=True,
                )
            }
            total += len(susp)
            scandal_free += sum(
                (y, a) not in scandals for y, a in zip(susp["year"], susp["actors"], strict=True)
            )
        rows.append(
            {
                "preset": name,
                "suspensions_per_run": total / len(seeds),
                "without_scandal_per_run": scandal_free / len(seeds),
            }
        )
    return pd.DataFrame(rows).set_index("preset")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    args = parser.parse_args(argv)
    seeds = range(args.seeds)
    print("Readiness (mean over run) by partners' defence share\n")
    print(frame_table(readiness_by_defence_share(seeds=seeds).reset_index(), 3))
    print("\nPartner capability in the final year by donor budget\n")
    print(frame_table(capability_by_budget(seeds=seeds).reset_index(), 4))
    print("\nBacksliding suspensions per run (every donor: backsliding_response = suspend)\n")
    print(frame_table(suspension_counts(seeds=seeds).reset_index(), 3))


if __name__ == "__main__":
    main()
