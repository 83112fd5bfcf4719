"""`deterrence-sim sweep`, `rerun` and `report`.

Imports are kept inside the handlers so that ``deterrence-sim --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError

__all__ = ["register"]


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sweep",
        help="run an experiment spec (a sweep over scenario levers)",
        description="Run the experiment described by SPEC (see docs/experiments.md) into a "
        "results folder: manifest.json, runs.parquet, status.jsonl, metrics/ and timeseries/.",
    )
    p.add_argument("spec", metavar="SPEC", help="experiment spec (TOML)")
    p.add_argument("--out", metavar="DIR", help="results folder (default: results/<name>)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes")
    p.add_argument("--executor", choices=("process", "dask"), default="process")
    p.add_argument(
        "--scheduler", metavar="ADDR", help="Dask scheduler address (with --executor dask)"
    )
    p.add_argument("--resume", action="store_true", help="run only what the folder lacks")
    p.add_argument(
        "--retry-failed", action="store_true", help="with --resume: also re-run failed runs"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="print the run count and a time estimate only"
    )
    p.add_argument("--batch-size", type=int, metavar="K", help="runs per task (default auto)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_sweep)

    r = subparsers.add_parser(
        "rerun",
        help="rebuild one run of an experiment from its recorded seed and factors",
        description="Re-run RUN_ID of the experiment in DIR alone and compare with the stored "
        "metrics.",
    )
    r.add_argument("dir", metavar="DIR")
    r.add_argument("run_id", metavar="RUN_ID", help="e.g. p000012-r0003 (see runs.parquet)")
    r.add_argument("--out", metavar="DIR", help="also save the run (metrics, series, events, plot)")
    r.set_defaults(func=_rerun)

    rep = subparsers.add_parser(
        "report",
        help="write report.md and figures for an experiment folder",
        description="Means with 95%% confidence intervals per design point, lever plots with CI "
        "bands, heatmaps and (Sobol/Morris designs) sensitivity indices.",
    )
    rep.add_argument("dir", metavar="DIR")
    rep.add_argument("--metrics", nargs="+", metavar="NAME", help="metrics to plot")
    rep.add_argument(
        "--require-complete",
        action="store_true",
        help="refuse (exit 2) a sweep with runs still missing instead of marking it incomplete",
    )
    rep.set_defaults(func=_report)


def _fmt_time(s: float) -> str:
    if s != s:  # NaN
        return "unknown"
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


def _sweep(args: argparse.Namespace) -> int:
    from .runner import dry_run, run_experiment
    from .spec import load_spec

    if args.retry_failed and not args.resume:
        raise UsageError("--retry-failed needs --resume")
    spec = load_spec(args.spec)
    if args.dry_run:
        est = dry_run(spec, workers=args.workers)
        print(
            f"{est['name']}: {est['runs']} runs = {est['points']} design points × "
            f"{est['replications']} replications, {est['years']} years each"
        )
        print(
            f"pilot: {est['pilot_runs']} runs, {est['seconds_per_run'] * 1000:.0f} ms per run; "
            f"estimated time on {est['workers']} worker(s): {_fmt_time(est['estimate_s'])}"
        )
        for e in est["pilot_errors"]:
            print(f"pilot run failed: {e}")
        return 0
    from concurrent.futures import BrokenExecutor

    out = Path(args.out) if args.out else Path("results") / spec.name
    try:
        summary = run_experiment(
            spec,
            out,
            executor=args.executor,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            retry_failed=args.retry_failed,
            progress=not args.no_progress,
            batch_size=args.batch_size,
        )
    except BrokenExecutor as exc:
        # A worker process died (killed, out of memory): finished batches are safe on disk.
        print(
            f"error: a worker process died ({exc}); the runs finished so far are saved in {out}: "
            "continue with --resume",
            file=sys.stderr,
        )
        return 1
    print(
        f"{out}: {summary.ran} runs in {_fmt_time(summary.wall_s)}"
        + (f" ({summary.skipped} already done)" if summary.skipped else "")
        + f"; {summary.ok} ok, {summary.failed} failed, {summary.missing} missing "
        f"of {summary.planned}"
    )
    if summary.failed:
        print(
            f"failed runs are listed in {out / 'status.jsonl'}; re-run with --resume --retry-failed"
        )
    return 0 if summary.missing == 0 and summary.failed == 0 else 1


def _rerun(args: argparse.Namespace) -> int:
    import math

    from .runner import rerun

    result, stored = rerun(args.dir, args.run_id)
    if args.out:
        result.save(args.out)
        print(f"saved to {args.out}")
    same = True
    for k, v in result.metrics.items():
        mark = ""
        if stored is not None and k in stored:
            s = stored[k]
            equal = (math.isnan(s) and math.isnan(v)) or s == v
            same &= equal
            mark = "" if equal else f"   (stored: {s:.6g})"
        print(f"{k:32s} {v:.6g}{mark}")
    if stored is None:
        print("(no stored metrics for this run to compare with)")
        return 0
    print("matches the stored metrics" if same else "DIFFERS from the stored metrics")
    return 0 if same else 1


def _report(args: argparse.Namespace) -> int:
    from ..analysis import write_report

    path = write_report(args.dir, metrics=args.metrics, require_complete=args.require_complete)
    print(f"wrote {path} and figures in {Path(path).parent / 'figures'}")
    return 0
