"""`deterrence-sim run` and `deterrence-sim scenarios`: one run of one scenario, and the presets."""

from __future__ import annotations

import argparse
import math
import tomllib
from typing import Any

from .errors import UsageError
from .escaping import terminal_text
from .scenario.world import MAX_YEARS

DEFAULT_SCENARIO = "europe"

#: The files `run` writes (an --out folder holding only these is an earlier run's, safe to reuse).
RUN_FILES = ("metrics.json", "timeseries.csv", "events.csv", "run.png")  # = run.RUN_FILES

#: Runs at least this long show a progress bar (a 40-year run takes well under a second).
PROGRESS_YEARS = 200

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
        "--years",
        type=int,
        default=None,
        help=f"years to simulate, 1 to {MAX_YEARS} (default: the scenario's)",
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
        "--out",
        default="run-output",
        metavar="DIR",
        help="output folder: new, empty, or holding an earlier run's files (default: run-output)",
    )
    run.add_argument(
        "--force", action="store_true", help="write into --out even if it holds other files"
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bar on long runs")
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


def check_years(years: int | None, flag: str = "--years") -> None:
    """A horizon of 1 to MAX_YEARS years (the same cap as an experiment spec's ``years``)."""
    if years is not None and not 1 <= years <= MAX_YEARS:
        raise UsageError(f"{flag} must be an integer from 1 to {MAX_YEARS}, got {years}")


def cmd_run(args: argparse.Namespace) -> int:
    from .output_paths import writable_folder
    from .run import run_model
    from .scenario import Scenario

    if args.seed < 0:
        raise UsageError(f"--seed must be an integer >= 0, got {args.seed}")
    check_years(args.years)
    out = writable_folder(args.out, "--out", own_files=RUN_FILES, force=args.force)
    scenario = Scenario.load(args.scenario)
    overrides = dict(parse_override(o) for o in args.overrides)
    if overrides:
        scenario = scenario.with_overrides(overrides, source="--set")
    years = args.years or scenario.world.years
    bar = None
    if years >= PROGRESS_YEARS and not args.no_progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=years, unit="year", dynamic_ncols=True)
    try:
        result = run_model(
            scenario, years=years, seed=args.seed, on_year=bar and (lambda _y: bar.update(1))
        )
    finally:
        if bar is not None:
            bar.close()
    paths = result.save(out)
    # Names come from the scenario file: never send its control characters to the terminal.
    print(terminal_text(summary_table(result)))
    print(terminal_text(f"\nwrote {', '.join(str(p) for p in paths.values())}"))
    return 0


def summary_table(result) -> str:
    """A readable table of the main metrics of one run, with units."""
    from .metrics import METRICS

    ts = result.timeseries
    scen = result.scenario
    head = [
        f"scenario {scen.name}, seed {result.seed}, {result.years} years",
        f"{_count(len(scen.donors), 'donor')}, {_count(len(scen.partners), 'partner')}, "
        f"{_count(len(scen.aggressors), 'aggressor')}; {_count(int(ts['wars'].sum()), 'war')}, "
        f"{_count(len(result.events), 'event')}",
        "",
    ]
    rows = [(name, format_value(result.metrics[name]), METRICS[name][0]) for name in SUMMARY]
    return "\n".join(head + table(("metric", "value", "unit"), rows, align="<><"))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def format_value(value: float | None) -> str:
    """A metric value for a table: thousands separators, 3 decimals, ``n/a`` when undefined;
    scientific notation from 10^12 up."""
    if value is None or math.isnan(value):
        return "n/a"
    if math.isinf(value) or abs(value) >= 1e12:  # a 160-digit number helps nobody
        return f"{value:.3e}"
    return f"{value:,.3f}"


def table(header: tuple[str, ...], rows: list[tuple[str, ...]], align: str) -> list[str]:
    """Plain-text table lines, each column as wide as its widest cell, two spaces apart.

    ``align`` has one ``<`` (left) or ``>`` (right) per column."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]

    def line(cells) -> str:
        return "  ".join(
            f"{c!s:{a}{w}}" for c, a, w in zip(cells, align, widths, strict=True)
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def cmd_scenarios(args: argparse.Namespace) -> int:
    from .scenario import Scenario

    presets = Scenario.presets()
    width = max(len(n) for n in presets)
    for name, description in presets.items():
        print(f"{name:<{width}}  {description}")
    return 0
