"""Benchmark of the calibration's likelihood: cost of one evaluation, relative to a preset run.

One evaluation of the indirect-inference likelihood (``deterrence-sim calibrate``) simulates the
model's two-stage decision on every politically relevant dyad-year of the fit sample (``reps``
stacked replicates) and fits the stage's auxiliary logit. This prints its CPU time, the CPU time of
one 40-year ``europe`` run measured in the same process (the baseline), their ratio, the speed-up of
the simulated side's Newton logit over the clustered fit the data side uses, and what that implies
for the quick and the full calibration (evaluations from
``deterrence_sim.calibration.procedure.SETTINGS``). A measurement, not a test.

    python benchmarks/bench_calibration.py [--reps 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from deterrence_sim import Scenario, run_model
from deterrence_sim.calibration import inference as inf
from deterrence_sim.calibration.design import load_panels
from deterrence_sim.calibration.procedure import SETTINGS
from deterrence_sim.calibration.tables import complete
from deterrence_sim.scenario import World


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3, help="repetitions of each measurement")
    args = ap.parse_args()
    frame = complete(load_panels().prd, "fit")
    world = World()
    europe = Scenario.preset("europe")
    base = statistics.median(
        _cpu(lambda: run_model(europe, years=40, seed=0)) for _ in range(args.reps)
    )
    print(f"baseline: one europe 40-year run {1000 * base:.1f} ms CPU")
    for mode, s in SETTINGS.items():
        sim = inf.SimFrame.make(frame, s.reps, 1)
        stage = {
            st: statistics.median(
                _cpu(lambda st=st, sim=sim: sim.statistics(st, world)) for _ in range(args.reps)
            )
            for st in ("challenge", "escalation")
        }
        evals = s.mode_evaluations + s.iterations
        total = evals * sum(stage.values())
        print(
            f"{mode}: {len(sim.frame):,} simulated dyad-years per evaluation; challenge "
            f"{1000 * stage['challenge']:.0f} ms ({stage['challenge'] / base:.0f}x a europe run), "
            f"escalation {1000 * stage['escalation']:.0f} ms; ~{evals} evaluations per stage "
            f"and chain -> ~{total / 60:.1f} CPU min per chain pair"
        )
    sim = inf.SimFrame.make(frame, 1, 1)
    outcomes = sim.outcomes(world)
    fast = statistics.median(
        _cpu(lambda: sim.statistics("challenge", world)) for _ in range(args.reps)
    )
    slow = statistics.median(
        _cpu(lambda: inf.aux_statistics(outcomes, "challenge", cluster="dyad"))
        for _ in range(args.reps)
    )
    print(f"simulated side (simulate + Newton) / clustered data-side fit: {fast / slow:.2f}x")


if __name__ == "__main__":
    main()
