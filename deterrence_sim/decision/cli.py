"""`deterrence-sim discover` and `deterrence-sim optimize` (see docs/decision-support.md).

Imports stay inside the handlers so that ``deterrence-sim --help`` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError
from ..escaping import terminal_text
from ..experiment.cli import add_executor_options, add_version_mix_option, executor_options
from ..experiment.limits import default_max_runs

__all__ = ["register"]


def register(subparsers) -> None:
    d = subparsers.add_parser(
        "discover",
        help="scenario discovery: where in a sweep does a metric cross a threshold (PRIM, CART)",
        description="Find the ranges of the factors (boxes) where METRIC is above or below a "
        "value in the sweep in RESULTS: PRIM peeling and pasting or CART, with the "
        "coverage-density trade-off, quasi-p-values, resampling statistics and feature scores. "
        "Writes discover.md, boxes.csv, trajectory.csv, feature_scores.csv and figures/.",
    )
    d.add_argument("results", metavar="RESULTS", help="a sweep's results folder")
    d.add_argument("--metric", required=True, metavar="M")
    g = d.add_mutually_exclusive_group(required=True)
    g.add_argument("--above", type=float, metavar="X", help="cases of interest: M > X")
    g.add_argument("--below", type=float, metavar="X", help="cases of interest: M < X")
    d.add_argument("--method", choices=("prim", "cart"), default="prim")
    d.add_argument("--box", type=int, metavar="N", help="box N of the trajectory (default: rule)")
    d.add_argument(
        "--min-density",
        type=float,
        default=0.8,
        metavar="D",
        help="default rule: most coverage among boxes this dense (default 0.8)",
    )
    d.add_argument(
        "--roles",
        choices=("all", "uncertainty", "lever"),
        default="all",
        help="which factors may bound a box (default all)",
    )
    d.add_argument(
        "--per-point", action="store_true", help="average M over replications of each point first"
    )
    d.add_argument("--resamples", type=int, default=10, metavar="K", help="PRIM resamples")
    d.add_argument("--out", metavar="DIR", help="default RESULTS/discover_<metric>")
    d.set_defaults(func=_discover)

    o = subparsers.add_parser(
        "optimize",
        help="robust many-objective search over a spec's levers (NSGA-II/III)",
        description="Search the levers of SPEC for policies that do well across its "
        "uncertainties, scored by the robustness metrics of its [[objectives]]; every evaluation "
        "is a stored sweep (resumable). Writes pareto.csv, evaluations.csv, history.csv, "
        "optimize.md, figures/ and a stress-test sweep of the chosen policy in stress/.",
    )
    o.add_argument("spec", metavar="SPEC", help="optimisation spec (TOML)")
    o.add_argument("--out", metavar="DIR", help="default results/<name> (or <name>-quick)")
    add_executor_options(o)
    o.add_argument("--resume", action="store_true", help="continue an interrupted search")
    o.add_argument("--quick", action="store_true", help="the spec's small [optimize.quick] sizes")
    o.add_argument(
        "--max-runs",
        type=int,
        metavar="N",
        help=f"refuse a search that may make more than N runs (default {default_max_runs():,}, "
        "as for sweep)",
    )
    add_version_mix_option(o)
    o.add_argument("--no-progress", action="store_true")
    o.set_defaults(func=_optimize)


def _discover(args: argparse.Namespace) -> int:
    from .discover import discover
    from .discover_report import box_summary, write_discovery

    if not (Path(args.results) / "manifest.json").exists():
        raise UsageError(f"{args.results}: not a sweep results folder (no manifest.json)")
    if not 0 < args.min_density <= 1:
        raise UsageError(f"--min-density {args.min_density}: must be in (0, 1]")
    d = discover(
        args.results,
        args.metric,
        above=args.above,
        below=args.below,
        method=args.method,
        box=args.box,
        min_density=args.min_density,
        role=args.roles,
        per_point=args.per_point,
        resamples=args.resamples,
    )
    out = Path(args.out) if args.out else Path(args.results) / f"discover_{args.metric}"
    path = write_discovery(d, out, source=str(args.results))
    print(terminal_text(box_summary(d)))
    print(terminal_text(f"wrote {path}, boxes.csv and figures in {out / 'figures'}"))
    return 0


def _optimize(args: argparse.Namespace) -> int:
    from .opt_spec import load_optimize_spec
    from .optimize import optimize

    try:
        import pymoo  # noqa: F401
    except ImportError:
        raise UsageError("optimize needs pymoo: pip install 'deterrence-sim[decision]'") from None
    run_options = executor_options(args)
    if args.max_runs is not None and args.max_runs < 1:
        raise UsageError(f"--max-runs must be at least 1, got {args.max_runs}")
    if args.allow_version_mix and not args.resume:
        raise UsageError("--allow-version-mix needs --resume")
    spec = load_optimize_spec(args.spec, quick=args.quick)
    default = Path("results") / (spec.name + ("-quick" if args.quick else ""))
    out = Path(args.out) if args.out else default
    r = optimize(
        spec,
        out,
        **run_options,
        resume=args.resume,
        progress=not args.no_progress,
        max_runs=args.max_runs,
        allow_version_mix=args.allow_version_mix,
    )
    last = r.history.iloc[-1]
    print(
        f"{out}: {int(last['evaluated'])} policies, {len(r.pareto)} on the Pareto front, "
        f"hypervolume {last['hypervolume']:.4f}, {r.wall_s:.0f} s"
    )
    print(terminal_text("chosen: " + ", ".join(f"{k} = {v}" for k, v in r.chosen.items())))
    print(
        f"wrote {out / 'optimize.md'}"
        + (f"; stress test in {r.stress_dir}" if r.stress_dir else "")
    )
    return 0
