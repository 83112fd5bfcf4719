"""``deterrence-sim validate``: run every check and write the report."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..errors import UsageError
from ..experiment.cli import add_executor_options, executor_options
from ..output_paths import writable_folder
from .report import REPORT_FILES, write_report
from .suite import FULL_SEEDS, QUICK_SEEDS, run_validation

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `validate` to the `deterrence-sim` command."""
    p = subparsers.add_parser(
        "validate",
        help="check the model against analytic results, stylized facts and base rates",
        description=(
            "Run the analytic checks of every mechanism, the stylized facts of docs/design.md §7 "
            "and the calibration base rates; write DIR/validation.md (one row per check) with a "
            "figure per stylized fact. Exit code 1 if any check fails."
        ),
    )
    p.add_argument(
        "--quick", action="store_true", help=f"{QUICK_SEEDS} seeds per arm (CI; < 2 min)"
    )
    p.add_argument(
        "--seeds", type=int, help=f"seeds per arm (default {FULL_SEEDS}, quick {QUICK_SEEDS})"
    )
    p.add_argument(
        "--out", type=Path, default=Path("validation"), help="output folder (default ./validation)"
    )
    add_executor_options(
        p, workers=min(2, os.cpu_count() or 1), workers_help="workers (default 2; 1 on one core)"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="write into an --out folder that holds other files than an earlier report's",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_validate)


def _cmd_validate(args: argparse.Namespace) -> int:
    if args.seeds is not None and args.seeds < 2:
        raise UsageError(f"--seeds {args.seeds}: need at least 2 seeds for a confidence interval")
    run_options = executor_options(args)
    # Checked before any run: a report that cannot be saved would lose every run.
    writable_folder(args.out, "--out", own_files=REPORT_FILES, force=args.force)
    report = run_validation(args.quick, args.seeds, progress=not args.no_progress, **run_options)
    path = write_report(report, args.out, quick=args.quick)
    n_pass = sum(c.passed for c in report.checks)
    print(f"{n_pass}/{len(report.checks)} checks pass ({report.seconds:.0f} s); report: {path}")
    for c in report.failed:
        print(f"FAIL {c.id}: {c.claim}: expected {c.expected}; measured {c.measured}")
    return 0 if report.passed else 1
