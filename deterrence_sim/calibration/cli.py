"""`deterrence-sim calibrate`: fit the deterrence core to rival dyad-years and report the fit."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from ..errors import UsageError
from ..experiment.cli import add_executor_options, executor_options


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `calibrate` to the `deterrence-sim` command."""
    p = subparsers.add_parser(
        "calibrate",
        help="fit the two-stage deterrence core to dyad-years 1816-1945 and check it on 1946-2010",
        description=(
            "Build the politically relevant and rival directed dyad-year panels from the shared "
            "conflict data, fit the challenge and escalation parameters by Bayesian indirect "
            "inference (the same auxiliary logits on data and on dyad-years the model simulates) "
            "on 1816-1945, the era terms on 1816-2010, and compare coefficients and hazards in the "
            "fit and holdout (1946-2010) samples. Writes DIR/report.md, calibration.csv, "
            "coefficients.csv, posterior.csv, fitted.toml and two figures. See "
            "docs/calibration.md."
        ),
        epilog="example: deterrence-sim calibrate --quick --out calibration-check",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="shorter chains and fewer simulated replicates (CI; ~2-3 min on 2 cores)",
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
    from ..data.prd import load_prd_sources
    from .report import OUTPUT_FILES

    run_options = executor_options(args)
    from ..output_paths import writable_folder

    # Checked before any simulation: a folder we can write in, holding nothing but our outputs.
    writable_folder(args.out, "--out", own_files=OUTPUT_FILES)
    if args.data is not None and not args.data.is_dir():
        raise UsageError(f"--data {args.data}: not a folder")
    load_prd_sources(args.data)  # every data file present and readable before any simulation

    from .procedure import run_calibration
    from .report import write_outputs

    start = time.perf_counter()
    cal = run_calibration(args.data, args.quick, progress=not args.no_progress, **run_options)
    paths = write_outputs(cal, args.out)
    print(f"calibration ({cal.mode}) in {time.perf_counter() - start:.0f} s:")
    for name, value in cal.fitted.items():
        lo, hi = cal.interval.get(name, (value, value))
        print(f"  {name} = {value:.4g}  (posterior 95% [{lo:.4g}, {hi:.4g}])")
    c = cal.coefficients
    key = c[(c["population"] == "prd") & c["term"].isin(("log_capability_ratio", "target_pact"))]
    for sample in ("fit", "holdout"):
        rows = key[key["sample"] == sample]
        print(
            f"  prd {sample}: {int(rows['inside_ci'].sum())}/{len(rows)} deterrence coefficients "
            "(capability ratio, target pact; both stages) inside the data's 95% CI"
        )
    print(f"report: {paths['report.md']}")
    return 0
