"""`deterrence-sim calibrate`: fit the deterrence core to rival dyad-years and report the fit."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from ..errors import UsageError
from ..experiment.cli import add_executor_options, executor_options

#: What a calibration writes into --out (an earlier run's files may be replaced).
OUTPUT_FILES = (
    "report.md",
    "calibration.csv",
    "fitted.toml",
    "hazards_fit.png",
    "hazards_holdout.png",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `calibrate` to the `deterrence-sim` command."""
    p = subparsers.add_parser(
        "calibrate",
        help="fit the deterrence core to rival dyad-years 1816-1945 and check it on 1946-2010",
        description=(
            "Build the rival directed dyad-year panel from the shared conflict data, fit the "
            "attack and coercion parameters by simulated method of moments (Gaussian-process "
            "emulator, common random numbers) on 1816-1945, and compare simulated and empirical "
            "hazards of war and coercion by stratum in the fit and holdout (1946-2010) samples. "
            "Writes DIR/report.md, DIR/calibration.csv, DIR/fitted.toml and two figures. "
            "See docs/calibration.md."
        ),
        epilog="example: deterrence-sim calibrate --quick --out calibration-check",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="refit in a box around the committed values with fewer simulations (CI; ~2 min)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("calibration"),
        help="output folder (default ./calibration)",
    )
    p.add_argument(
        "--data",
        type=Path,
        help="folder with the data files (default: $DETERRENCE_SIM_DATA or ../shared/data)",
    )
    add_executor_options(
        p, workers=min(2, os.cpu_count() or 1), workers_help="workers (default 2; 1 on one core)"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_calibrate)


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from ..data.panel import load_panel_sources

    run_options = executor_options(args)
    from ..output_paths import writable_folder

    # Checked before any simulation: a folder we can write in, holding nothing but our outputs.
    writable_folder(args.out, "--out", own_files=OUTPUT_FILES)
    if args.data is not None and not args.data.is_dir():
        raise UsageError(f"--data {args.data}: not a folder")
    load_panel_sources(args.data)  # every data file present and readable before any simulation

    from .procedure import run_calibration
    from .report import write_outputs

    start = time.perf_counter()
    cal = run_calibration(args.data, args.quick, progress=not args.no_progress, **run_options)
    paths = write_outputs(cal, args.out)
    war = cal.table[(cal.table["outcome"] == "war") & (cal.table["dyad_years"] >= 100)]
    print(f"calibration ({cal.mode}) in {time.perf_counter() - start:.0f} s:")
    for name, value in cal.fitted.items():
        lo, hi = cal.interval[name]
        print(f"  {name} = {value:.4g}  (bootstrap 95% [{lo:.4g}, {hi:.4g}])")
    for sample in ("fit", "holdout"):
        rows = war[war["sample"] == sample]
        print(
            f"  {sample}: simulated war hazard in [0.5 x CI low, 2 x CI high] in "
            f"{int(rows['in_band'].sum())}/{len(rows)} strata"
        )
    print(f"report: {paths['report']}")
    return 0
