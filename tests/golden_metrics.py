"""Record every preset's metrics for seeds 0–4 (the behaviour-unchanged check's reference).

Run ``python tests/golden_metrics.py`` to rewrite ``tests/data/golden_metrics.json`` after a change
that is meant to alter the model's behaviour; a refactoring must leave the file as it is.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from deterrence_sim import Scenario, run_model

GOLDEN = Path(__file__).parent / "data" / "golden_metrics.json"
SEEDS = range(5)


def current() -> dict[str, dict[str, dict[str, float | None]]]:
    """Metrics of every preset and seed, NaN written as None (JSON has no NaN)."""
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    for name in sorted(Scenario.presets()):
        sc = Scenario.preset(name)
        out[name] = {}
        for seed in SEEDS:
            metrics = run_model(sc, seed=seed, keep_events=False).metrics
            out[name][str(seed)] = {
                k: (None if isinstance(v, float) and math.isnan(v) else float(v))
                for k, v in sorted(metrics.items())
            }
    return out


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(current(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN}")
