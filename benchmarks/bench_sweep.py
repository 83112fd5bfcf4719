"""Benchmark: our sweep runner against ``mesa.batch_run`` on the same model and grid.

Measures, in one go:

1. runs per second on one grid of runs (the europe preset, 40 years, conditionality x sunset x
   seeds) for our runner with 1 and 2 worker processes and for ``mesa.batch_run`` with 1 and 2
   processes, printed with ratios (targets: 2 workers >= 1.85x one worker; ours >= 1.2x batch_run
   at 2 processes). ``--repeat N`` measures every configuration N times, interleaved, and prints
   the median ratio with its range (the machine is shared: one measurement is not enough).
   Beside the wall-clock ratios it prints CPU-time ones: the CPU seconds every process of a
   configuration used (the parent, its pool's workers, a fork server and the workers it forked),
   so that other load on a shared machine does not enter; "runs per CPU-second x processes" is the
   rate the configuration would reach on idle dedicated cores if all its CPU overlapped;
2. peak resident memory of the *parent* process for sweeps of 2,000 and 20,000 runs (each in a
   fresh interpreter, ``VmHWM`` of that process alone; workers are separate processes). It
   must stay flat: results are streamed to Parquet parts by the workers, never held.

Usage::

    python benchmarks/bench_sweep.py                 # full (about 4-6 minutes on 2 cores)
    python benchmarks/bench_sweep.py --quick         # smaller sizes, for a smoke test
    python benchmarks/bench_sweep.py --replications 1 --years 2 --memory-sizes 40 80  # CI

Notes on fairness: both sides build the same scenario from the same overrides, run the same
``DeterrenceModel`` for the same number of years with the seed as a parameter (batch_run 3.3 does
not seed), and keep the same end-of-run metrics (batch_run through a ``DataCollector``, see
:class:`BenchModel`). With one process both run in the calling process (no start-up cost).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from statistics import median

from mesa import DataCollector

from deterrence_sim.metrics import METRICS
from deterrence_sim.model import DeterrenceModel

BASE = "europe"
YEARS = 40
CONDITIONALITY = [0.0, 0.15, 0.3, 0.45, 0.6]
SUNSET = [5, 10, 15, 20]

_SCENARIOS: dict = {}


def _scenario(conditionality: float, sunset: int):
    from deterrence_sim import Scenario

    key = (conditionality, sunset)
    if key not in _SCENARIOS:
        _SCENARIOS[key] = Scenario.preset(BASE).with_overrides(
            {
                "donors.*.policy.conditionality": conditionality,
                "donors.*.policy.sunset_year": sunset,
            }
        )
    return _SCENARIOS[key]


class BenchModel(DeterrenceModel):
    """A DeterrenceModel batch_run can drive: keyword parameters, one Mesa step per run.

    Module level, because batch_run's spawned workers unpickle the class by name. Its
    ``DataCollector`` collects what our runner keeps of a run -- every end-of-run metric, once --
    so both sides do the same output work up to the storage (ours writes Parquet parts in the
    workers, batch_run pickles the rows back to its parent). batch_run reads the collector's row
    at index ``model.steps - 1``, so the whole run of ``years`` model years is one Mesa step:
    collecting every year instead (Mesa's usual idiom) would cost batch_run 34 reporter calls and
    deep copies a year that our runner does not pay.
    """

    def __init__(
        self, conditionality: float = 0.0, sunset: int = 10, seed: int = 0, years: int = YEARS
    ):
        super().__init__(_scenario(conditionality, sunset), seed=seed)
        self.years = years
        self.final_metrics: dict[str, float] = {}
        self.datacollector = DataCollector(
            model_reporters={name: partial(_final_metric, name=name) for name in METRICS}
        )

    def step(self):
        for _ in range(self.years):
            DeterrenceModel.step(self)
        self.final_metrics = self.metrics()
        self.datacollector.collect(self)
        self.running = False


def _final_metric(model: BenchModel, name: str) -> float:
    return float(model.final_metrics.get(name, float("nan")))


def _spec(replications: int, years: int = YEARS) -> dict:
    return {
        "experiment": {
            "name": "bench",
            "scenario": BASE,
            "years": years,
            "replications": replications,
            "seed": 1,
        },
        "design": {"kind": "grid"},
        "factors": [
            {
                "name": "conditionality",
                "path": "donors.*.policy.conditionality",
                "values": CONDITIONALITY,
            },
            {"name": "sunset", "path": "donors.*.policy.sunset_year", "values": SUNSET},
        ],
        "output": {"metrics": "all"},
    }


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def tree_cpu() -> float:
    """CPU seconds (user + system) of this process and every process below it: its own, its
    reaped children's, and each live child's own and reaped children's (a fork server counts the
    workers it forked and reaped). Linux (/proc); elsewhere only this process and reaped ones."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = time.process_time() + r.ru_utime + r.ru_stime
    me = str(os.getpid())
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if fields[1] == me:  # ppid; then utime, stime, cutime, cstime (fields 14-17)
            total += sum(int(x) for x in fields[11:15]) / _TICK
    return total


def bench_ours(workers: int, replications: int, years: int = YEARS) -> tuple[float, float]:
    """Runs per second and CPU seconds per run (every process, see :func:`tree_cpu`)."""
    from deterrence_sim.experiment import run_experiment, spec_from_dict

    with tempfile.TemporaryDirectory() as tmp:
        c0, t0 = tree_cpu(), time.perf_counter()
        s = run_experiment(
            spec_from_dict(_spec(replications, years)),
            Path(tmp) / "o",
            workers=workers,
            progress=False,
        )
        dt, cpu = time.perf_counter() - t0, tree_cpu() - c0
    assert s.ok == s.planned, s
    return s.planned / dt, cpu / s.planned


def bench_batch_run(processes: int, replications: int, years: int = YEARS) -> tuple[float, float]:
    """Runs per second and CPU seconds per run (every process, see :func:`tree_cpu`)."""
    import mesa

    params = {
        "conditionality": CONDITIONALITY,
        "sunset": SUNSET,
        "seed": list(range(replications)),
        "years": years,  # a parameter, so that batch_run's spawned workers see it
    }
    c0, t0 = tree_cpu(), time.perf_counter()
    rows = mesa.batch_run(
        BenchModel,
        params,
        number_processes=processes,
        iterations=1,
        max_steps=1,  # one Mesa step is the whole run (see BenchModel)
        data_collection_period=-1,
        display_progress=False,
    )
    dt, cpu = time.perf_counter() - t0, tree_cpu() - c0
    assert len(rows) == len(CONDITIONALITY) * len(SUNSET) * replications
    return len(rows) / dt, cpu / len(rows)


# Peak RSS from /proc/self/status (VmHWM): ru_maxrss would also count the memory of the
# benchmark process this child was forked from, which Linux carries across exec.
_HWM = """
def hwm_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
"""

_MEMORY_CHILD = (
    _HWM
    + """
import json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {bench_dir!r})
from bench_sweep import _spec
from deterrence_sim.experiment import run_experiment, spec_from_dict
if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        s = run_experiment(spec_from_dict(_spec({reps}, years={years})), Path(tmp) / "o",
                           workers=2, progress=False)
    print(json.dumps({{"runs": s.planned, "wall_s": s.wall_s, "peak_mb": hwm_mb()}}))
"""
)

_BATCH_RUN_CHILD = (
    _HWM
    + """
import json, sys, time
sys.path.insert(0, {bench_dir!r})
import bench_sweep
if __name__ == "__main__":
    t0 = time.perf_counter()
    bench_sweep.bench_batch_run(2, {reps}, years={years})
    n = {reps} * len(bench_sweep.CONDITIONALITY) * len(bench_sweep.SUNSET)
    print(json.dumps({{"runs": n, "wall_s": time.perf_counter() - t0, "peak_mb": hwm_mb()}}))
"""
)


def _child(template: str, runs: int, years: int) -> dict:
    """Run a template in a fresh interpreter; its JSON result (peak parent memory and time)."""
    points = len(CONDITIONALITY) * len(SUNSET)
    code = template.format(
        bench_dir=str(Path(__file__).resolve().parent), reps=runs // points, years=years
    )
    # batch_run's spawned workers re-import __main__: give them a file, not `-c`.
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(code)
    try:
        out = subprocess.run([sys.executable, fh.name], capture_output=True, text=True, check=True)
    finally:
        os.unlink(fh.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


SPEED_CONFIGS = (
    ("ours, 1 worker", "ours", 1),
    ("ours, 2 workers", "ours", 2),
    ("batch_run, 1 process", "batch_run", 1),
    ("batch_run, 2 processes", "batch_run", 2),
)

RATIOS = (
    ("ours 2 workers / 1 worker", "ours, 2 workers", "ours, 1 worker", "target >= 1.85"),
    ("batch_run 2 / 1 processes", "batch_run, 2 processes", "batch_run, 1 process", ""),
    ("ours / batch_run, 1 process", "ours, 1 worker", "batch_run, 1 process", "target > 1"),
    ("ours / batch_run, 2 processes", "ours, 2 workers", "batch_run, 2 processes", "target >= 1.2"),
)


def speed(reps: int, years: int, repeat: int) -> dict[str, list[float]]:
    """Runs per second of every configuration, ``repeat`` times, interleaved; print the ratios,
    by wall clock and by CPU time."""
    n = len(CONDITIONALITY) * len(SUNSET) * reps
    grid = f"{len(CONDITIONALITY)}x{len(SUNSET)} grid x {reps} seeds"
    print(f"speed: {n} runs ({BASE}, {years} years; {grid}), {repeat} repetition(s)")
    rates: dict[str, list[float]] = {label: [] for label, _, _ in SPEED_CONFIGS}
    cpu_rates: dict[str, list[float]] = {label: [] for label, _, _ in SPEED_CONFIGS}
    for _ in range(repeat):
        for label, kind, k in SPEED_CONFIGS:
            fn = bench_ours if kind == "ours" else bench_batch_run
            rate, cpu = fn(k, reps, years)
            rates[label].append(rate)
            cpu_rates[label].append(k / cpu)  # runs per CPU-second x processes
            print(
                f"  {label:24s} {rate:7.1f} runs/s  {cpu * 1e3:7.2f} ms CPU per run (all processes)"
            )
    _print_ratios("ratios by wall clock (median [min, max] over repetitions):", rates, "")
    _print_ratios(
        "ratios by CPU time (runs per CPU-second x processes; median [min, max]):",
        cpu_rates,
        " (CPU)",
    )
    return rates


def _print_ratios(title: str, rates: dict[str, list[float]], suffix: str) -> None:
    print(title)
    for name, top, bottom, target in RATIOS:
        r = sorted(a / b for a, b in zip(rates[top], rates[bottom], strict=True))
        label = name + suffix
        print(f"  {label:38s} {median(r):.2f}x [{r[0]:.2f}, {r[-1]:.2f}] {target}")


def memory(sizes: list[int], years: int) -> None:
    """Peak parent memory of ours and batch_run (2 workers) for each sweep size."""
    print(f"parent peak memory (2 workers/processes, {years}-year runs):")
    ours, theirs = [], []
    for size in sizes:
        m = _child(_MEMORY_CHILD, size, years)
        ours.append(m)
        print(
            f"  ours       {m['runs']:6d} runs: {m['peak_mb']:6.1f} MB "
            f"({m['wall_s']:.0f} s, {m['runs'] / m['wall_s']:.0f} runs/s; results streamed to Parquet)"
        )
        b = _child(_BATCH_RUN_CHILD, size, years)
        theirs.append(b)
        print(
            f"  batch_run  {b['runs']:6d} runs: {b['peak_mb']:6.1f} MB "
            f"({b['wall_s']:.0f} s, {b['runs'] / b['wall_s']:.0f} runs/s; all rows held in the parent)"
        )
    print(
        f"  growth {sizes[0]} -> {sizes[-1]} runs: "
        f"ours {ours[-1]['peak_mb'] / ours[0]['peak_mb']:.2f}x (flat = about 1), "
        f"batch_run {theirs[-1]['peak_mb'] / theirs[0]['peak_mb']:.2f}x"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (smoke test)")
    ap.add_argument("--replications", type=int, help="seeds per grid point for the speed test")
    ap.add_argument("--years", type=int, default=YEARS, help="years per run (speed test)")
    ap.add_argument("--repeat", type=int, default=1, help="repetitions of the speed test")
    ap.add_argument(
        "--memory-sizes", type=int, nargs=2, metavar=("SMALL", "LARGE"), help="runs per sweep"
    )
    ap.add_argument("--skip-speed", action="store_true", help="only the memory part")
    ap.add_argument("--skip-memory", action="store_true", help="only the speed part")
    args = ap.parse_args(argv)
    reps = args.replications or (5 if args.quick else 100)
    if not args.skip_speed:
        speed(reps, args.years, args.repeat)
    if not args.skip_memory:
        sizes = args.memory_sizes or ([400, 4000] if args.quick else [2000, 20000])
        memory(sizes, years=10)
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
