"""Lever audit: does each donor lever change outcomes in each region preset, and by how much?

For every lever × region preset two arms run the same seeds (common random numbers): the preset
with the lever at its reference value and with the changed value. For each outcome the effect is
the mean per-seed difference (changed − reference) with a paired 95% t-interval
(:func:`deterrence_sim.stats.paired`). Where the interval includes 0 the ``inert`` column says
why, from what the runs logged: whether the two arms differed in any seed at all, and how often
the events through which the lever acts (surges, withheld tranches, renegotiations,
interventions …) happened.

``python -m deterrence_sim.validation.lever_audit --seeds 300`` writes the table in Markdown.
"""

from __future__ import annotations

import argparse
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import stats
from ..markdown import md_table
from ..metrics import compute_metrics
from ..model import DeterrenceModel
from ..scenario import Scenario

__all__ = ["LEVERS", "OUTCOMES", "REGIONS", "Lever", "lever_audit", "markdown"]

REGIONS = ("europe", "indo_pacific", "middle_east", "africa")

#: run metric -> column label in the Markdown table
OUTCOMES = {
    "attacks_per_year": "attacks per year",
    "wars": "state wars",
    "insurgent_violence": "insurgent violence",
    "partner_capability_final": "partner capability, year 40",
    "readiness_mean": "readiness",
}
SHORT = dict(
    zip(OUTCOMES, ("attacks", "wars", "insurgency", "capability", "readiness"), strict=True)
)

Overrides = dict[str, object]
NOMINAL_SUNSET = 20  # for exit-rule and taper arms of presets whose donors have no sunset


def _each_donor(scenario: Scenario, field: str, value_of: Callable) -> Overrides:
    return {f"donors.{d.name}.policy.{field}": value_of(d) for d in scenario.donors}


def _with_sunset(scenario: Scenario) -> Overrides:
    """Every donor time-bound: its own sunset, or a nominal one when it has none."""
    return _each_donor(scenario, "sunset_year", lambda d: d.policy.sunset_year or NOMINAL_SUNSET)


def _set(field: str, value: object) -> Callable[[Scenario], Overrides]:
    return lambda _sc: {f"donors.*.policy.{field}": value}


def _none(_sc: Scenario) -> Overrides:
    return {}


def _both(*parts: Callable[[Scenario], Overrides]) -> Callable[[Scenario], Overrides]:
    def merged(sc: Scenario) -> Overrides:
        out: Overrides = {}
        for part in parts:
            out.update(part(sc))
        return out

    return merged


# Budgets sit on the donor, not its policy.
def _each_budget(sc: Scenario, factor: float) -> Overrides:
    return {f"donors.{d.name}.budget": d.budget * factor for d in sc.donors}


@dataclass(frozen=True)
class Lever:
    """One comparison: a lever moved from a reference value to a changed one."""

    lever: str
    comparison: str
    reference: Callable[[Scenario], Overrides]
    changed: Callable[[Scenario], Overrides]
    events: tuple[str, ...]  # event kinds through which the lever acts


def _budget_lever(factor: float) -> Lever:
    return Lever(
        "budget",
        f"x1 -> x{factor:g}",
        _none,
        lambda sc: _each_budget(sc, factor),
        (),
    )


_TOUGH = _set("conditionality", 0.6)

LEVERS: tuple[Lever, ...] = (
    Lever(
        "exit_rule",
        "sunset -> conditions",
        _both(_with_sunset, _set("exit_rule", "sunset")),
        _both(_with_sunset, _set("exit_rule", "conditions")),
        ("exit",),
    ),
    Lever(
        "exit_rule",
        "sunset -> hybrid",
        _both(_with_sunset, _set("exit_rule", "sunset")),
        _both(_with_sunset, _set("exit_rule", "hybrid")),
        ("exit",),
    ),
    Lever("surge_on_attack", "1 -> 2", _none, _set("surge_on_attack", 2.0), ("surge", "attack")),
    Lever(
        "conditionality",
        "0 -> 0.6",
        _set("conditionality", 0.0),
        _TOUGH,
        ("tranche_withheld", "program_rejected"),
    ),
    Lever("sunset_year", "default -> 5", _none, _set("sunset_year", 5), ("exit",)),
    Lever("sunset_year", "default -> open", _none, _set("sunset_year", None), ("exit",)),
    Lever(
        "taper_years",
        "0 -> 3",
        _both(_with_sunset, _set("taper_years", 0)),
        _both(_with_sunset, _set("taper_years", 3)),
        ("exit",),
    ),
    Lever(
        "commitment",
        "default -> none",
        _none,
        _set("commitment", "none"),
        ("intervention", "abandonment"),
    ),
    Lever(
        "tripwire",
        "off -> on",
        _set("tripwire", False),
        _set("tripwire", True),
        ("intervention", "abandonment"),
    ),
    _budget_lever(0.0),
    _budget_lever(2.0),
    _budget_lever(3.0),
    Lever(
        "renegotiate_after",
        "0 -> 3 (conditionality 0.6)",
        _both(_TOUGH, _set("renegotiate_after", 0)),
        _both(_TOUGH, _set("renegotiate_after", 3)),
        ("program_rejected", "renegotiation"),
    ),
)


# --- running the arms --------------------------------------------------------------------------


def _key(overrides: Overrides) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in overrides.items()))


def _run_arm(job: tuple[str, tuple, Overrides, int]) -> dict[str, float]:
    """One run: the outcomes and the count of each event kind (module level for map_runs).

    The model is stepped here rather than through ``run_model`` so the event log is counted
    without building its table of texts."""
    preset, _, overrides, seed = job
    sc = Scenario.preset(preset)
    if overrides:
        sc = sc.with_overrides(overrides, source="lever audit")
    model = DeterrenceModel(sc, seed=seed)
    try:
        for _ in range(sc.world.years):
            model.step()
        metrics = compute_metrics(model, model.timeseries())
        kinds = Counter(e.kind for e in model.event_log)
    finally:
        model.release()
    out = {k: float(metrics[k]) for k in OUTCOMES}
    out.update({f"events:{kind}": float(n) for kind, n in kinds.items()})
    return out


def _arms(
    presets: Sequence[str], levers: Sequence[Lever], seeds: Sequence[int], workers: int
) -> dict[tuple[str, tuple], list[dict[str, float]]]:
    """Every distinct (preset, overrides) arm, run once over all seeds (arms shared by levers)."""
    from ..experiment.inmemory import map_runs

    wanted: dict[tuple[str, tuple], Overrides] = {}
    for name in presets:
        sc = Scenario.preset(name)
        for lever in levers:
            for side in (lever.reference, lever.changed):
                ov = side(sc)
                wanted[(name, _key(ov))] = ov
    jobs = [(p, k, ov, s) for (p, k), ov in wanted.items() for s in seeds]
    results = map_runs(_run_arm, jobs, workers=workers, desc="lever audit")
    out: dict[tuple[str, tuple], list[dict[str, float]]] = {}
    for (p, k, _ov, _s), res in zip(jobs, results, strict=True):
        out.setdefault((p, k), []).append(res)
    return out


# --- comparing them ----------------------------------------------------------------------------


def _events_per_run(runs: list[dict[str, float]], kinds: Iterable[str]) -> dict[str, float]:
    return {k: sum(r.get(f"events:{k}", 0.0) for r in runs) / len(runs) for k in kinds}


def _inert_reason(differs: float, events: dict[str, float]) -> str:
    """Why an outcome did not move: the arms never differed in it (and whether the lever's
    mechanism acted at all), or they differed in some seeds by less than the noise."""
    if differs == 0:
        if events and all(v == 0 for v in events.values()):
            return "identical in every seed: the mechanism never acted"
        return "identical in every seed"
    return f"differs in {differs:.0%} of seeds, within noise"


def _compare(
    preset: str, lever: Lever, ref: list[dict[str, float]], new: list[dict[str, float]]
) -> list[dict]:
    """One row per outcome: paired mean difference, its 95% CI and, when inert, why."""
    rows = []
    events = _events_per_run(new, lever.events)
    for outcome in OUTCOMES:
        a = [r[outcome] for r in new]
        b = [r[outcome] for r in ref]
        diff, (lo, hi), n = stats.paired(a, b)
        differs = sum(x != y for x, y in zip(a, b, strict=True)) / len(a)
        inert = not (lo > 0 or hi < 0)
        rows.append(
            {
                "preset": preset,
                "lever": lever.lever,
                "comparison": lever.comparison,
                "outcome": outcome,
                "reference": stats.mean_ci(b)[0],
                "changed": stats.mean_ci(a)[0],
                "diff": diff,
                "ci_low": lo,
                "ci_high": hi,
                "n": n,
                "differs_share": differs,
                "mechanism_events": ", ".join(f"{k} {v:.2f}/run" for k, v in events.items()),
                "inert": _inert_reason(differs, events) if inert else "",
            }
        )
    return rows


def lever_audit(
    presets: Sequence[str] = REGIONS,
    levers: Sequence[Lever] = LEVERS,
    seeds: Iterable[int] = range(300),
    workers: int = 1,
) -> pd.DataFrame:
    """Paired-seed effect of every lever × preset on every outcome (one row per outcome)."""
    seeds = list(seeds)
    arms = _arms(presets, levers, seeds, workers)
    rows: list[dict] = []
    for name in presets:
        sc = Scenario.preset(name)
        for lever in levers:
            ref = arms[(name, _key(lever.reference(sc)))]
            new = arms[(name, _key(lever.changed(sc)))]
            rows += _compare(name, lever, ref, new)
    return pd.DataFrame(rows)


# --- the Markdown table ------------------------------------------------------------------------


def _cell(row: pd.Series) -> str:
    if any(math.isnan(row[k]) for k in ("ci_low", "ci_high")):
        return f"{row['diff']:+.3g} (no spread)"
    mark = "" if row["inert"] else " *"
    return f"{row['diff']:+.3g} [{row['ci_low']:+.3g}, {row['ci_high']:+.3g}]{mark}"


def markdown(table: pd.DataFrame) -> str:
    """One row per preset × comparison: each outcome's paired difference [95% CI] (* = CI
    excludes 0), the mechanism's events per run in the changed arm, and why inert outcomes are."""
    header = ["preset", "lever", "comparison", *OUTCOMES.values(), "mechanism", "inert: why"]
    rows = []
    for (preset, lever, comparison), group in table.groupby(
        ["preset", "lever", "comparison"], sort=False
    ):
        g = group.set_index("outcome")
        reasons: dict[str, list[str]] = {}
        for outcome, reason in g["inert"].items():
            if reason:
                reasons.setdefault(reason, []).append(SHORT[outcome])
        rows.append(
            [
                preset,
                f"`{lever}`",
                comparison,
                *(_cell(g.loc[o]) for o in OUTCOMES),
                g["mechanism_events"].iloc[0] or "(aid itself)",
                "; ".join(f"{', '.join(o)}: {r}" for r, o in reasons.items()),
            ]
        )
    return md_table(rows, header)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=300)
    parser.add_argument(
        "--presets", nargs="*", default=list(REGIONS), choices=sorted(Scenario.presets())
    )
    names = sorted({lever.lever for lever in LEVERS})
    parser.add_argument(
        "--levers", nargs="*", default=names, choices=names, help="default: every lever"
    )
    parser.add_argument("--workers", type=int, default=1, help="at most 2 on a shared machine")
    parser.add_argument("--out", type=Path, help="write the Markdown table here (else stdout)")
    parser.add_argument("--csv", type=Path, help="also write the long table as CSV")
    args = parser.parse_args(argv)
    if args.seeds < 2:
        parser.error(f"--seeds must be at least 2 (a paired interval needs two), got {args.seeds}")
    levers = [lever for lever in LEVERS if lever.lever in args.levers]
    table = lever_audit(args.presets, levers, range(args.seeds), args.workers)
    text = (
        f"Lever audit: {args.seeds} paired seeds per arm; changed − reference, mean [95% CI]; "
        "* = the CI excludes 0.\n\n" + markdown(table) + "\n"
    )
    if args.csv:
        table.to_csv(args.csv, index=False)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
