"""Benchmark of the deterrence model: cost per agent-year against a trivial Mesa model, wall time
per preset and cost growth with world size.

Prints
(0) europe's cost per agent-year divided by a trivial Mesa model's cost per agent-step, both
    measured in this process (interleaved): the model's own speed as a ratio that does not depend
    on the machine (issue #21, goal <= 15x). Agent-year = (donors + partners + aggressors) x years;
    europe's cost is a whole 40-year ``run_model(..., keep_events=False)`` (what a sweep runs:
    build, 40 steps, metrics and the yearly table), median over seeds. The trivial model has 50
    agents; a step is ``agents.shuffle_do("step")`` (each agent adds one ``model.random.random()``
    draw to a float) and a ``mesa.DataCollector`` collecting one model reporter.
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
    python benchmarks/bench_model.py --ratio-only         # only (0)
    python benchmarks/bench_model.py --profile-europe 1000  # cProfile a 1,000-run europe batch

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

# --- (0) europe per agent-year vs a trivial Mesa agent step ---------------------------------------


class TrivialAgent(mesa.Agent):
    """An agent whose step is one float update with one draw of the model's random stream."""

    def __init__(self, model: mesa.Model):
        super().__init__(model)
        self.value = 0.0

    def step(self) -> None:
        self.value += self.model.random.random()


class TrivialModel(mesa.Model):
    """The baseline: ``n`` trivial agents stepped in random order, one model reporter collected."""

    def __init__(self, n: int = 50, seed: int = 0):
        super().__init__(rng=seed)
        for _ in range(n):
            TrivialAgent(self)
        self.datacollector = mesa.DataCollector(model_reporters={"steps": "steps"})

    def step(self) -> None:
        self.agents.shuffle_do("step")
        self.datacollector.collect(self)


def time_trivial(model: TrivialModel, steps: int) -> tuple[float, float]:
    """(wall, CPU) seconds per agent-step of the trivial model over ``steps`` more steps."""
    n_agents = len(model.agents)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        model.step()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return wall / (steps * n_agents), cpu / (steps * n_agents)


def time_europe_run(scenario: Scenario, seed: int) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole 40-year europe run as a sweep runs it."""
    t0, c0 = time.perf_counter(), time.process_time()
    run_model(scenario, years=40, seed=seed, keep_events=False)
    return time.perf_counter() - t0, time.process_time() - c0


def bench_ratio(reps: int, trivial_steps: int = 400, runs_per_rep: int = 3) -> dict[str, float]:
    """Europe's cost per agent-year and the trivial model's per agent-step (medians, seconds).

    The two alternate in repetitions, so that a busy spell of a shared machine falls on both;
    each side first runs once untimed in every repetition, so that neither is timed on caches the
    other has just filled with its own code and data."""
    scenario = Scenario.preset("europe")
    n_states = len(scenario.donors) + len(scenario.partners) + len(scenario.aggressors)
    # One trivial model stepped on and on: Mesa 3.3 keeps every model it built alive, and a
    # growing heap would slow both sides down as the repetitions go on.
    baseline = TrivialModel(50)
    runs, trivial = [], []
    for rep in range(reps):
        run_model(scenario, seed=rep, keep_events=False)  # warm-up
        runs += [
            time_europe_run(scenario, seed=rep * runs_per_rep + i) for i in range(runs_per_rep)
        ]
        time_trivial(baseline, trivial_steps // 4)  # warm-up
        trivial.append(time_trivial(baseline, trivial_steps))
    run_wall, run_cpu = (statistics.median(c) for c in zip(*runs, strict=True))
    step_wall, step_cpu = (statistics.median(c) for c in zip(*trivial, strict=True))
    agent_years = n_states * 40
    return {
        "states": n_states,
        "run_wall": run_wall,
        "run_cpu": run_cpu,
        "agent_year_wall": run_wall / agent_years,
        "agent_year_cpu": run_cpu / agent_years,
        "step_wall": step_wall,
        "step_cpu": step_cpu,
    }


def print_ratio(r: dict[str, float], reps: int) -> None:
    print(
        f"(0) europe per agent-year vs a trivial Mesa agent step (same process, {reps} alternating "
        f"repetitions, medians; {r['states']:.0f} states x 40 years per run)"
    )
    print(f"{'':<34}{'wall':>12}{'CPU':>12}")
    print(
        f"{'europe run (40 years)':<34}{1e3 * r['run_wall']:>10.2f}ms{1e3 * r['run_cpu']:>10.2f}ms"
    )
    print(
        f"{'europe per agent-year':<34}{1e6 * r['agent_year_wall']:>10.2f}us"
        f"{1e6 * r['agent_year_cpu']:>10.2f}us"
    )
    print(
        f"{'trivial Mesa per agent-step':<34}{1e6 * r['step_wall']:>10.3f}us"
        f"{1e6 * r['step_cpu']:>10.3f}us"
    )
    wall = r["agent_year_wall"] / r["step_wall"]
    cpu = r["agent_year_cpu"] / r["step_cpu"] if r["step_cpu"] > 0 else float("nan")
    print(f"{'ratio (goal <= 15x)':<34}{wall:>11.1f}x{cpu:>11.1f}x")
    print()


def profile_europe(runs: int, top: int) -> None:
    """cProfile a batch of europe runs as a sweep runs them; print the top functions by own time."""
    scenario = Scenario.preset("europe")
    run_model(scenario, seed=0, keep_events=False)
    profiler = cProfile.Profile()
    c0 = time.process_time()
    profiler.enable()
    for seed in range(runs):
        run_model(scenario, seed=seed, keep_events=False)
    profiler.disable()
    cpu = time.process_time() - c0
    buf = io.StringIO()
    pstats.Stats(profiler, stream=buf).sort_stats("tottime").print_stats(top)
    print(f"Profile of {runs} europe runs, keep_events=False ({cpu:.2f} s CPU under the profiler)")
    print(buf.getvalue())


# --- (a) presets, (b) synthetic worlds ------------------------------------------------------------


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
    parser.add_argument("--skip-ratio", action="store_true", help="leave out (0)")
    parser.add_argument("--ratio-only", action="store_true", help="only (0)")
    parser.add_argument("--ratio-reps", type=int, default=21, help="interleaved repetitions of (0)")
    parser.add_argument(
        "--profile-europe",
        type=int,
        metavar="RUNS",
        help="instead of timing, cProfile this many europe runs (keep_events=False)",
    )
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
    if args.profile_europe:
        profile_europe(args.profile_europe, args.top)
        return 0
    if args.baseline:
        bench_against(args.baseline, "europe", rounds=5, reps=max(args.reps, 10))
        return 0
    if not args.skip_ratio:
        print_ratio(bench_ratio(args.ratio_reps), args.ratio_reps)
    if args.ratio_only:
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
