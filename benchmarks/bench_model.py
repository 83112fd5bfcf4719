"""Benchmark of the deterrence model: wall time per preset and cost growth with world size.

Prints
(a) the median wall time of a full ``run_model`` (40 years by default) for every preset, and
(b) the cost per simulated year of synthetic worlds with 10, 100 and 1000 partners (donors about
    partners/10, aggressors about partners/20), per state and per tie, and the ratio of cost growth
    to size growth between consecutive sizes: about 1 means the cost is linear in states and ties,
    about 10 (for a tenfold size step) would mean quadratic.

A measurement, not a test: nothing here asserts on wall-clock time.

    python benchmarks/bench_model.py                 # defaults: 5 reps, 40-year presets
    python benchmarks/bench_model.py --reps 3 --sizes 10 100 1000 --synthetic-years 10
    python benchmarks/bench_model.py --profile 1000  # cProfile one synthetic world of 1000 partners
    python benchmarks/bench_model.py --baseline /tmp/base  # europe: this checkout vs another one

(c) With ``--baseline DIR`` (another checkout of the repository, e.g. ``git worktree add /tmp/base
    main``), the CPU time of a 40-year europe run in this checkout and in DIR, measured in
    alternating subprocesses so that both see the same load, and their ratio.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import platform
import pstats
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import mesa

from deterrence_sim import DeterrenceModel, Scenario, run_model


@dataclass
class SizeResult:
    """Timings of one synthetic world size (seconds)."""

    n_partners: int
    n_donors: int
    n_aggressors: int
    n_states: int
    n_ties: int
    build: float  # median wall time to construct the model
    per_year: float  # median wall time of one simulated year (step)
    cpu_per_year: float  # median CPU time of one simulated year (robust to a busy machine)
    finish: float  # median wall time to compute metrics and the yearly table at the end

    @property
    def per_state(self) -> float:
        return self.per_year / self.n_states

    @property
    def per_tie(self) -> float:
        return self.per_year / max(self.n_ties, 1)


def world_size(n_partners: int) -> tuple[int, int, int]:
    """(donors, partners, aggressors) for a synthetic world of ``n_partners`` partners."""
    return max(1, round(n_partners / 10)), n_partners, max(1, round(n_partners / 20))


def bench_presets(years: int, reps: int) -> list[tuple[str, int, int, float, float]]:
    """(preset, states, ties, median s, min s) of a full run of each preset."""
    rows = []
    for name in Scenario.presets():
        scenario = Scenario.preset(name)
        times = []
        for rep in range(reps):
            t0 = time.perf_counter()
            run_model(scenario, years=years, seed=rep)
            times.append(time.perf_counter() - t0)
        n_states = len(scenario.donors) + len(scenario.partners) + len(scenario.aggressors)
        rows.append((name, n_states, len(scenario.ties), statistics.median(times), min(times)))
    return rows


def time_synthetic(scenario: Scenario, years: int, seed: int) -> tuple[float, float, float, float]:
    """(build, wall per simulated year, CPU per simulated year, finish) seconds of one run."""
    t0 = time.perf_counter()
    model = DeterrenceModel(scenario, seed=seed)
    t1 = time.perf_counter()
    c1 = time.process_time()
    try:
        for _ in range(years):
            model.step()
        t2 = time.perf_counter()
        c2 = time.process_time()
        model.metrics()
        t3 = time.perf_counter()
    finally:
        model.release()
    return t1 - t0, (t2 - t1) / years, (c2 - c1) / years, t3 - t2


def bench_sizes(sizes: list[int], years: int, reps: int) -> list[SizeResult]:
    worlds = {n: world_size(n) for n in sizes}
    scenarios = {n: Scenario.synthetic(*worlds[n], seed=0) for n in sizes}
    runs: dict[int, list[tuple[float, float, float, float]]] = {n: [] for n in sizes}
    # Repetitions are interleaved across sizes so that a slow spell of a shared machine does not
    # land on one size only and fake a growth in cost.
    for rep in range(reps):
        for n in sizes:
            runs[n].append(time_synthetic(scenarios[n], years, seed=rep))
    out = []
    for n_partners in sizes:
        n_d, n_p, n_a = worlds[n_partners]
        scenario = scenarios[n_partners]
        build, per_year, cpu, finish = (
            statistics.median(col) for col in zip(*runs[n_partners], strict=True)
        )
        out.append(
            SizeResult(
                n_partners=n_p,
                n_donors=n_d,
                n_aggressors=n_a,
                n_states=n_d + n_p + n_a,
                n_ties=len(scenario.ties),
                build=build,
                per_year=per_year,
                cpu_per_year=cpu,
                finish=finish,
            )
        )
    return out


def print_presets(rows: list[tuple[str, int, int, float, float]], years: int, reps: int) -> None:
    print(f"(a) Presets: wall time of run_model, {years} years, median of {reps} seeds")
    print(f"{'preset':<28}{'states':>7}{'ties':>6}{'median s':>11}{'min s':>9}{'ms/year':>9}")
    for name, n_states, n_ties, med, lo in rows:
        print(f"{name:<28}{n_states:>7}{n_ties:>6}{med:>11.3f}{lo:>9.3f}{1000 * med / years:>9.2f}")
    print()


def print_sizes(results: list[SizeResult], years: int, reps: int) -> None:
    print(
        f"(b) Synthetic worlds: cost per simulated year ({years} years, median of {reps} seeds; "
        "build and end-of-run metrics timed separately)"
    )
    print(
        f"{'partners':>9}{'donors':>8}{'aggr.':>7}{'states':>8}{'ties':>7}{'build s':>9}"
        f"{'wall s/yr':>11}{'cpu s/yr':>10}{'us/state/yr':>13}{'us/tie/yr':>11}{'finish s':>10}"
    )
    for r in results:
        print(
            f"{r.n_partners:>9}{r.n_donors:>8}{r.n_aggressors:>7}{r.n_states:>8}{r.n_ties:>7}"
            f"{r.build:>9.4f}{r.per_year:>11.5f}{r.cpu_per_year:>10.5f}"
            f"{1e6 * r.per_state:>13.1f}{1e6 * r.per_tie:>11.1f}{r.finish:>10.4f}"
        )
    print("(us/state/yr and us/tie/yr are wall time per simulated year / states or ties)")
    print()
    if len(results) < 2:
        return
    print(
        "Growth between sizes: cost growth / size growth (~1 linear; ~size growth itself, e.g. 10,"
        " would be quadratic)"
    )
    print(
        f"{'from -> to':>14}{'states x':>10}{'ties x':>8}{'wall x':>9}{'cpu x':>8}"
        f"{'wall/states':>13}{'wall/ties':>11}{'cpu/states':>12}{'cpu/ties':>10}"
    )
    pairs = [*itertools.pairwise(results)]
    if len(results) > 2:
        pairs.append((results[0], results[-1]))
    for a, b in pairs:
        states = b.n_states / a.n_states
        ties = b.n_ties / max(a.n_ties, 1)
        wall = b.per_year / a.per_year
        cpu = b.cpu_per_year / a.cpu_per_year if a.cpu_per_year > 0 else float("nan")
        label = f"{a.n_partners} -> {b.n_partners}"
        print(
            f"{label:>14}{states:>10.2f}{ties:>8.2f}{wall:>9.2f}{cpu:>8.2f}"
            f"{wall / states:>13.2f}{wall / ties:>11.2f}{cpu / states:>12.2f}{cpu / ties:>10.2f}"
        )
    print()


def profile_size(n_partners: int, years: int, top: int) -> None:
    """cProfile the yearly steps of one synthetic world; print the top functions by own time."""
    n_d, n_p, n_a = world_size(n_partners)
    scenario = Scenario.synthetic(n_d, n_p, n_a, seed=0)
    model = DeterrenceModel(scenario, seed=0)
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        for _ in range(years):
            model.step()
        profiler.disable()
    finally:
        model.release()
    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf)
    stats.sort_stats("tottime").print_stats(top)
    print(f"Profile of {years} years of a synthetic world with {n_partners} partners (by own time)")
    print(buf.getvalue())


#: Timing snippet run in a subprocess: CPU seconds of `reps` runs of a preset, one per line.
_TIMER = """
import sys, time
from deterrence_sim import Scenario, run_model
sc = Scenario.preset(sys.argv[1])
run_model(sc, seed=0)
for rep in range(int(sys.argv[2])):
    t0 = time.process_time()
    run_model(sc, years=40, seed=rep)
    print(time.process_time() - t0)
"""


def _cpu_times(checkout: Path, preset: str, reps: int) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", _TIMER, preset, str(reps)],
        cwd=checkout,
        env={"PYTHONPATH": str(checkout), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    return [float(x) for x in out.stdout.split()]


def bench_against(baseline: Path, preset: str, rounds: int, reps: int) -> None:
    """CPU ms per 40-year run here and in `baseline`, alternating rounds; and the ratio."""
    here = Path(__file__).resolve().parents[1]
    times: dict[str, list[float]] = {"this checkout": [], "baseline": []}
    for _ in range(rounds):
        times["this checkout"] += _cpu_times(here, preset, reps)
        times["baseline"] += _cpu_times(baseline, preset, reps)
    med = {k: 1000 * statistics.median(v) for k, v in times.items()}
    print(f"(c) {preset}, 40 years: CPU ms per run, median of {rounds} x {reps} alternating runs")
    for name, ms in med.items():
        print(f"{name:<16}{ms:>9.2f} ms")
    print(f"{'ratio':<16}{med['this checkout'] / med['baseline']:>9.2f} (this / baseline)")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="repetitions (seeds) per measurement")
    parser.add_argument("--years", type=int, default=40, help="years of each preset run")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10, 100, 1000], help="partners per synthetic world"
    )
    parser.add_argument(
        "--synthetic-years", type=int, default=10, help="simulated years per synthetic run"
    )
    parser.add_argument("--skip-presets", action="store_true", help="only the synthetic worlds")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N_PARTNERS",
        help="instead of timing, cProfile one synthetic world of this many partners",
    )
    parser.add_argument("--top", type=int, default=25, help="rows of the profile to print")
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="DIR",
        help="another checkout: compare a europe run here and there (CPU time, alternating)",
    )
    args = parser.parse_args(argv)

    print(
        f"deterrence-sim model benchmark: Python {platform.python_version()}, "
        f"Mesa {mesa.__version__}, {platform.machine()}"
    )
    print()
    if args.profile:
        profile_size(args.profile, args.synthetic_years, args.top)
        return 0
    if args.baseline:
        bench_against(args.baseline, "europe", rounds=5, reps=max(args.reps, 10))
        return 0
    if not args.skip_presets:
        print_presets(bench_presets(args.years, args.reps), args.years, args.reps)
    sizes = sorted(set(args.sizes))
    print_sizes(
        bench_sizes(sizes, args.synthetic_years, args.reps), args.synthetic_years, args.reps
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
