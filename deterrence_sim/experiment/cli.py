"""`deterrence-sim sweep`, `rerun` and `report`.

Imports are kept inside the handlers so that ``deterrence-sim --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .limits import default_max_runs

__all__ = ["add_executor_options", "add_version_mix_option", "executor_options", "register"]


def add_executor_options(
    p: argparse.ArgumentParser, workers: int = 1, workers_help: str = "worker processes"
) -> None:
    """``--workers``, ``--executor`` and ``--scheduler``: how the runner spreads the runs of
    ``sweep``, ``optimize`` (every evaluation is a sweep), ``validate`` and ``calibrate``."""
    p.add_argument("--workers", type=int, default=workers, metavar="N", help=workers_help)
    p.add_argument("--executor", choices=("process", "dask"), default="process")
    p.add_argument(
        "--scheduler", metavar="ADDR", help="Dask scheduler address (with --executor dask)"
    )


def executor_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options :func:`add_executor_options` added, checked, as the runner's keyword arguments."""
    _positive(args.workers, "--workers")
    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    return {"executor": args.executor, "workers": args.workers, "scheduler": args.scheduler}


def add_version_mix_option(p: argparse.ArgumentParser) -> None:
    """``--allow-version-mix``: let ``--resume`` continue a folder made by another model version."""
    p.add_argument(
        "--allow-version-mix",
        action="store_true",
        help="with --resume: continue a folder made by another deterrence-sim version or git "
        "commit (both are recorded in the manifest)",
    )


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sweep",
        help="run an experiment spec (a sweep over scenario levers)",
        description="Run the experiment described by SPEC (see docs/experiments.md) into a "
        "results folder: manifest.json, runs.parquet, status.jsonl, metrics/ and timeseries/.",
    )
    p.add_argument("spec", metavar="SPEC", help="experiment spec (TOML)")
    p.add_argument("--out", metavar="DIR", help="results folder (default: results/<name>)")
    add_executor_options(p)
    p.add_argument("--resume", action="store_true", help="run only what the folder lacks")
    p.add_argument(
        "--retry-failed", action="store_true", help="with --resume: also re-run failed runs"
    )
    add_version_mix_option(p)
    p.add_argument(
        "--dry-run", action="store_true", help="print the run count and a time estimate only"
    )
    p.add_argument("--batch-size", type=int, metavar="K", help="runs per task (default auto)")
    p.add_argument(
        "--max-runs",
        type=int,
        metavar="N",
        help=f"refuse a sweep of more than N runs (default {default_max_runs():,}, about half a "
        "day on two workers; the error gives the dry-run estimate)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    _allow_external(p)
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
    r.add_argument(
        "--force", action="store_true", help="write into --out even if it holds other files"
    )
    _allow_external(r)
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


def _allow_external(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-external-run-function",
        action="store_true",
        help="let the spec's run_function name a module outside deterrence_sim (it is imported "
        "and run: only for specs you trust)",
    )


def _positive(value: int | None, flag: str) -> None:
    if value is not None and value < 1:
        raise UsageError(f"{flag} must be at least 1, got {value}")


def _sweep(args: argparse.Namespace) -> int:
    from .runner import dry_run, format_duration, run_experiment
    from .spec import load_spec

    if args.retry_failed and not args.resume:
        raise UsageError("--retry-failed needs --resume")
    if args.allow_version_mix and not args.resume:
        raise UsageError("--allow-version-mix needs --resume")
    run_options = executor_options(args)
    _positive(args.batch_size, "--batch-size")
    _positive(args.max_runs, "--max-runs")
    spec = load_spec(args.spec, allow_external_run_function=args.allow_external_run_function)
    if args.dry_run:
        est = dry_run(spec, workers=args.workers)
        print(
            f"{est['name']}: {est['runs']} runs = {est['points']} design points × "
            f"{est['replications']} replications, {est['years']} years each"
        )
        print(
            f"pilot: {est['pilot_runs']} runs, {est['seconds_per_run'] * 1000:.0f} ms per run; "
            f"estimated time on {est['workers']} worker(s): {format_duration(est['estimate_s'])}"
        )
        limit = args.max_runs or default_max_runs()
        if est["runs"] > limit:
            print(f"more than --max-runs {limit}: the sweep would be refused unless raised")
        for e in est["pilot_errors"]:
            print(f"pilot run failed: {e}")
        return 0
    from concurrent.futures import BrokenExecutor

    out = Path(args.out) if args.out else Path("results") / spec.name
    try:
        summary = run_experiment(
            spec,
            out,
            **run_options,
            resume=args.resume,
            retry_failed=args.retry_failed,
            progress=not args.no_progress,
            batch_size=args.batch_size,
            max_runs=args.max_runs,
            allow_version_mix=args.allow_version_mix,
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
        f"{out}: {summary.ran} runs in {format_duration(summary.wall_s)}"
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

    from ..commands import RUN_FILES
    from ..escaping import terminal_text
    from ..output_paths import writable_folder
    from .runner import rerun
    from .store import run_factors

    def num(v: float) -> str:  # as `run` shows an undefined metric; full precision to compare
        return "n/a" if math.isnan(v) else f"{v:.6g}"

    out = None
    if args.out is not None:
        out = writable_folder(args.out, "--out", own_files=RUN_FILES, force=args.force)
    result, stored = rerun(
        args.dir, args.run_id, allow_external_run_function=args.allow_external_run_function
    )
    factors = run_factors(args.dir, args.run_id)
    shown = ", ".join(f"{k} = {v!r}" for k, v in factors.items()) or "no factors"
    # Factor values (bundle names) are free text from the spec: no control characters printed.
    print(
        terminal_text(
            f"run {args.run_id} of {args.dir}: {shown}; seed {result.seed}, {result.years} years"
        )
    )
    if out is not None:
        if not callable(getattr(result, "save", None)):
            raise UsageError(
                f"--out {out}: this experiment's run function returns a result that cannot be "
                "saved (only run_model's RunResult can); rerun without --out"
            )
        result.save(out)
        print(f"saved to {out}")
    same = True
    width = max(map(len, result.metrics), default=6)
    for k, v in result.metrics.items():
        mark = ""
        if stored is not None and k in stored:
            s = stored[k]
            equal = (math.isnan(s) and math.isnan(v)) or s == v
            same &= equal
            mark = "" if equal else f"   (stored: {num(s)})"
        print(f"{k:<{width}}  {num(v):>12}{mark}")
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
