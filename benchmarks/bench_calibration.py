"""Benchmark of the calibration's simulator: cost of one design point, relative to a preset run.

One design point of ``deterrence-sim calibrate`` simulates every stratum (16) × 4 ratio points ×
``--seeds`` seeds × 10 years of a three-state world. This prints its CPU time, the CPU time of one
40-year ``europe`` run measured in the same process (the baseline), their ratio, and what that
implies for the quick and the full calibration (design points × seeds from
``deterrence_sim.calibration.procedure.SETTINGS``, one worker). A measurement, not a test.

    python benchmarks/bench_calibration.py [--seeds 4] [--reps 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from deterrence_sim.calibration.simulate import simulate_hazards
from deterrence_sim.calibration.strata import strata_from_panel

from deterrence_sim import Scenario, run_model
from deterrence_sim.calibration.procedure import SETTINGS
from deterrence_sim.data.panel import build_panel


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    strata = strata_from_panel(build_panel())
    europe = Scenario.preset("europe")
    world = {"attack_base_rate": 0.01, "attack_sharpness": 1.0}
    simulate_hazards(strata[:1], world, 1, 10)  # imports and caches out of the timing
    base, point = [], []
    for _ in range(args.reps):
        base.append(_cpu(lambda: run_model(europe, years=40, seed=0, keep_events=False)))
        point.append(_cpu(lambda: simulate_hazards(strata, world, args.seeds, 10)))
    b, p = statistics.median(base), statistics.median(point)
    model_years = len(strata) * 4 * args.seeds * 10
    print(f"baseline: europe 40-year run       {b * 1e3:8.1f} ms CPU")
    print(
        f"design point ({args.seeds} seeds)          {p:8.2f} s CPU  "
        f"= {p / b:6.0f} x baseline, {p / model_years * 1e6:.0f} µs per simulated dyad-year"
    )
    for mode, s in SETTINGS.items():
        per_seed = p / args.seeds
        sim = (s.wave1 + s.wave2) * s.seeds * per_seed + s.final_seeds * per_seed
        print(f"implied {mode:5s} calibration simulator CPU: {sim / 60:5.1f} min (one worker)")


if __name__ == "__main__":
    main()
