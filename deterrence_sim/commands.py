"""`deterrence-sim run` and `deterrence-sim scenarios`: one run of one scenario, and the presets."""

from __future__ import annotations

import argparse
import math
import tomllib
from typing import Any

from .errors import UsageError

DEFAULT_SCENARIO = "europe"

#: Metrics shown in the summary table printed after a run (all are in metrics.json).
SUMMARY = (
    "attacks_per_year",
    "wars",
    "coercions",
    "intervention_rate",
    "partner_capability_mean",
    "partner_capability_final",
    "post_exit_retention",
    "readiness_mean",
    "dependency_mean",
    "governance_at_sunset",
    "governance_10y_after_sunset",
    "leakage_share",
    "donor_cost_total",
    "aggressor_arms_growth",
    "post_exit_attack_share",
)


def register(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser(
        "run",
        help="run one scenario and write its results",
        description="Run one scenario; print a summary and write metrics.json, "
        "timeseries.csv, events.csv and run.png.",
    )
    run.add_argument(
        "--scenario",
        default=DEFAULT_SCENARIO,
        metavar="NAME|FILE",
        help=f"preset name or TOML file (default: {DEFAULT_SCENARIO})",
    )
    run.add_argument(
        "--years", type=int, default=None, help="years to simulate (default: the scenario's)"
    )
    run.add_argument(
        "--seed", type=int, default=0, help="random seed, an integer >= 0 (default: 0)"
    )
    run.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario value by dotted path, wildcards allowed, "
        "e.g. --set 'donors.*.policy.sunset_year=10' (repeatable)",
    )
    run.add_argument(
        "--out", default="run-output", metavar="DIR", help="output folder (default: run-output)"
    )
    run.set_defaults(func=cmd_run)

    scenarios = sub.add_parser("scenarios", help="list the preset scenarios")
    scenarios.set_defaults(func=cmd_scenarios)


def parse_override(text: str) -> tuple[str, Any]:
    """'KEY=VALUE' → (key, value); the value is read as a TOML value (10, 0.3, true, "x",
    [1, 2]) and otherwise kept as a plain string (open, equipment_heavy)."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"--set expects KEY=VALUE, got {text!r}")
    raw = raw.strip()
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key.strip(), value


def cmd_run(args: argparse.Namespace) -> int:
    from .run import run_model
    from .scenario import Scenario

    if args.seed < 0:
        raise UsageError(f"--seed must be an integer >= 0, got {args.seed}")
    if args.years is not None and args.years < 1:
        raise UsageError(f"--years must be a positive integer, got {args.years}")
    scenario = Scenario.load(args.scenario)
    overrides = dict(parse_override(o) for o in args.overrides)
    if overrides:
        scenario = scenario.with_overrides(overrides, source="--set")
    result = run_model(scenario, years=args.years, seed=args.seed)
    try:
        paths = result.save(args.out)
    except OSError as exc:
        raise UsageError(f"cannot write results to {args.out}: {exc}") from None
    print(summary_table(result))
    print(f"\nwrote {', '.join(str(p) for p in paths.values())}")
    return 0


def summary_table(result) -> str:
    """A readable table of the main metrics of one run, with units."""
    from .metrics import METRICS

    ts = result.timeseries
    lines = [
        f"scenario {result.scenario.name}, seed {result.seed}, {result.years} years",
        f"{len(result.scenario.donors)} donors, {len(result.scenario.partners)} partners, "
        f"{len(result.scenario.aggressors)} aggressors; {int(ts['wars'].sum())} wars, "
        f"{len(result.events)} events",
        "",
        f"{'metric':<32}{'value':>12}  unit",
        f"{'-' * 32}{'-' * 12}  {'-' * 12}",
    ]
    for name in SUMMARY:
        value = result.metrics[name]
        shown = "n/a" if math.isnan(value) else f"{value:,.3f}"
        lines.append(f"{name:<32}{shown:>12}  {METRICS[name][0]}")
    return "\n".join(lines)


def cmd_scenarios(args: argparse.Namespace) -> int:
    from .scenario import Scenario

    presets = Scenario.presets()
    width = max(len(n) for n in presets)
    for name, description in presets.items():
        print(f"{name:<{width}}  {description}")
    return 0
