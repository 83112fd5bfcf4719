"""Benchmark: our sweep runner against ``mesa.batch_run`` on the same model and grid.

Measures, in one go:

1. runs per second on one grid of runs (the europe preset, 40 years, conditionality x sunset x
   seeds) for our runner with 1 and 2 worker processes and for ``mesa.batch_run`` with 1 and 2
   processes, printed with ratios (targets: 2 workers >= 1.8x one worker; ours faster than
   batch_run at equal processes);
2. peak resident memory of the *parent* process for sweeps of 2,000 and 20,000 runs (each in a
   fresh interpreter, ``ru_maxrss`` of that process alone; workers are separate processes). It
   must stay flat: results are streamed to Parquet parts by the workers, never held.

Usage::

    python benchmarks/bench_sweep.py            # full (about 4-6 minutes on 2 cores)
    python benchmarks/bench_sweep.py --quick    # smaller sizes, for a smoke test

Notes on fairness: both sides build the same scenario from the same overrides, run the same
``DeterrenceModel`` for the same number of years with the seed as a parameter (batch_run 3.3 does
not seed), and keep the same end-of-run metrics. batch_run runs ``max_steps + 1`` steps, so it is
the model stops itself after ``years`` steps instead. With one process batch_run runs in the calling process (no
start-up cost) while our runner still starts one worker process.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    """A DeterrenceModel batch_run can drive: keyword parameters, stops itself after YEARS.

    Module level, because batch_run's spawned workers unpickle the class by name. It computes the
    same end-of-run metrics as our runner (batch_run itself returns one row of the model's own
    DataCollector per run, so it does less output work than our runner, which also keeps and
    writes the metrics).
    """

    def __init__(
        self, conditionality: float = 0.0, sunset: int = 10, seed: int = 0, years: int = YEARS
    ):
        super().__init__(_scenario(conditionality, sunset), seed=seed)
        self.years = years
        self.final_metrics = None

    def step(self):
        super().step()
        if self.year >= self.years:
            self.final_metrics = self.metrics()
            self.running = False


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


def bench_ours(workers: int, replications: int) -> float:
    from deterrence_sim.experiment import run_experiment, spec_from_dict

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        s = run_experiment(
            spec_from_dict(_spec(replications)), Path(tmp) / "o", workers=workers, progress=False
        )
        dt = time.perf_counter() - t0
    assert s.ok == s.planned, s
    return s.planned / dt


def bench_batch_run(processes: int, replications: int, years: int = YEARS) -> float:
    import mesa

    params = {
        "conditionality": CONDITIONALITY,
        "sunset": SUNSET,
        "seed": list(range(replications)),
        "years": years,  # a parameter, so that batch_run's spawned workers see it
    }
    t0 = time.perf_counter()
    rows = mesa.batch_run(
        BenchModel,
        params,
        number_processes=processes,
        iterations=1,
        max_steps=10 * years,  # the model stops itself (running = False) after `years`
        data_collection_period=-1,
        display_progress=False,
    )
    dt = time.perf_counter() - t0
    assert len(rows) == len(CONDITIONALITY) * len(SUNSET) * replications
    return len(rows) / dt


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
    import os

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (smoke test)")
    ap.add_argument("--replications", type=int, help="seeds per grid point for the speed test")
    ap.add_argument("--skip-speed", action="store_true", help="only the memory part")
    ap.add_argument("--skip-memory", action="store_true", help="only the speed part")
    args = ap.parse_args()
    reps = args.replications or (5 if args.quick else 100)
    n = len(CONDITIONALITY) * len(SUNSET) * reps

    if not args.skip_speed:
        print(
            f"speed: {n} runs ({BASE}, {YEARS} years; {len(CONDITIONALITY)}x{len(SUNSET)} grid x {reps} seeds)"
        )
        rates = {}
        for label, fn, k in [
            ("ours, 1 worker", bench_ours, 1),
            ("ours, 2 workers", bench_ours, 2),
            ("batch_run, 1 process", bench_batch_run, 1),
            ("batch_run, 2 processes", bench_batch_run, 2),
        ]:
            rates[label] = fn(k, reps)
            print(f"  {label:24s} {rates[label]:7.1f} runs/s")
        print("ratios:")
        print(
            f"  ours 2 workers / 1 worker           {rates['ours, 2 workers'] / rates['ours, 1 worker']:.2f}x (target >= 1.8)"
        )
        print(
            f"  batch_run 2 / 1 processes           {rates['batch_run, 2 processes'] / rates['batch_run, 1 process']:.2f}x"
        )
        print(
            f"  ours / batch_run, 1 process         {rates['ours, 1 worker'] / rates['batch_run, 1 process']:.2f}x (target > 1)"
        )
        print(
            f"  ours / batch_run, 2 processes       {rates['ours, 2 workers'] / rates['batch_run, 2 processes']:.2f}x (target > 1)"
        )

    if not args.skip_memory:
        sizes = [400, 4000] if args.quick else [2000, 20000]
        mem_years = 10
        print(f"parent peak memory (2 workers/processes, {mem_years}-year runs):")
        ours, theirs = [], []
        for size in sizes:
            m = _child(_MEMORY_CHILD, size, mem_years)
            ours.append(m)
            print(
                f"  ours       {m['runs']:6d} runs: {m['peak_mb']:6.1f} MB "
                f"({m['wall_s']:.0f} s, {m['runs'] / m['wall_s']:.0f} runs/s; results streamed to Parquet)"
            )
            b = _child(_BATCH_RUN_CHILD, size, mem_years)
            theirs.append(b)
            print(
                f"  batch_run  {b['runs']:6d} runs: {b['peak_mb']:6.1f} MB "
                f"({b['wall_s']:.0f} s, {b['runs'] / b['wall_s']:.0f} runs/s; all rows held in the parent)"
            )
        print(
            f"  growth {sizes[0]} -> {sizes[1]} runs: ours {ours[1]['peak_mb'] / ours[0]['peak_mb']:.2f}x "
            f"(flat = about 1), batch_run {theirs[1]['peak_mb'] / theirs[0]['peak_mb']:.2f}x"
        )

    import os

    print(f"load average at the end: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
