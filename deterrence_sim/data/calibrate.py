"""Calibrate the intervention intercept so a bilateral pact is honoured ~75% of the time.

Leeds, Long & Mitchell (2000, JCR 44(5)) find formal defence pacts honoured in about 75% of the
cases where the commitment was invoked. The model's donor intervenes with
``q = logistic(b0 + b1·level + b2·tripwire + b3·stake + b4·interop - b5·cost/will)``
(``world.intervention_*``). This script runs the validation's reference pact world (base rate B1
of ``deterrence-sim validate``: one donor with a bilateral pact, stake 0.5, no tripwire, a partner
attacked by a stronger state aggressor) for a grid of intercepts ``b0`` with
``Scenario.with_overrides``, measures the intervention rate (interventions / calls over all
seeds), and interpolates the ``b0`` that gives the target rate.

``python -m deterrence_sim.data.calibrate [--seeds 400] [--target 0.75] [--workers 2]``
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from ..stats import pooled_ratio_ci
from ..validation import Experiment, run_experiments

__all__ = ["calibrate_intervention", "main"]


def calibrate_intervention(
    target: float = 0.75,
    intercepts: tuple[float, ...] = (-3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0),
    seeds: int = 400,
    workers: int = 1,
    progress: bool = False,
) -> dict:
    """Intervention rate by intercept and the interpolated intercept hitting ``target``.

    Returns ``{"rates": {b0: (rate, (lo, hi), seeds_with_calls)}, "intercept": b0*, "target": t}``;
    ``intercept`` is NaN when the target is outside the grid's range of rates.
    """
    arms = {
        f"b0={b0:g}": {
            "world.intervention_intercept": b0,
            "donors.D.policy.commitment": "bilateral_pact",
            "donors.D.budget": 0.0,
        }
        for b0 in intercepts
    }
    exp = Experiment("calibration", "contested", arms)
    res = run_experiments([exp], seeds, workers, progress)["calibration"]
    rates = {}
    for b0 in intercepts:
        arm = f"b0={b0:g}"
        num = res.values(arm, "interventions_total")
        den = num + res.values(arm, "abandonments_total")
        rates[b0] = pooled_ratio_ci(num, den)
    xs = np.array(intercepts, dtype=float)
    ys = np.array([rates[b][0] for b in intercepts], dtype=float)
    order = np.argsort(ys)
    best = float("nan")
    if ys.min() <= target <= ys.max():
        best = float(np.interp(target, ys[order], xs[order]))
    return {"rates": rates, "intercept": best, "target": target}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deterrence_sim.data.calibrate", description=__doc__
    )
    parser.add_argument("--seeds", type=int, default=400)
    parser.add_argument("--target", type=float, default=0.75)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    out = calibrate_intervention(args.target, seeds=args.seeds, workers=args.workers, progress=True)
    print(f"intervention rate of a bilateral-pact donor ({args.seeds} seeds per intercept):")
    for b0, (rate, (lo, hi), n) in out["rates"].items():
        print(
            f"  intervention_intercept = {b0:+.2f}: rate {rate:.3f} [{lo:.3f}, {hi:.3f}] ({n} seeds with calls)"
        )
    print(f"target {out['target']:.2f} -> intervention_intercept ≈ {out['intercept']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
