"""How long a sweep would take, before it runs: count the runs and time a short pilot.

Kept apart from the runner so that the job-size check (:mod:`.limits`), which quotes the pilot's
estimate in its error, and the runner, which makes that check, import it one way.
"""

from __future__ import annotations

import contextlib
import math
import time
from pathlib import Path
from typing import Any

from . import posterior
from .designs import build_design, design_size, from_unit, point_overrides
from .planning import as_spec
from .seeds import replication_seeds
from .spec import ExperimentSpec

__all__ = ["PILOT_BUILD_LIMIT", "dry_run", "format_duration"]

#: Sampling designs up to this many points are built for the pilot; larger ones are sampled
#: along the diagonal instead (an LHS or Sobol sample is held whole while it is drawn).
PILOT_BUILD_LIMIT = 100_000


def format_duration(s: float) -> str:
    """Seconds as '42 s', '3.5 min' or '2.1 h' ('unknown' for NaN)."""
    if math.isnan(s):
        return "unknown"
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.1f} min"
    return f"{s / 3600:.1f} h"


def _pilot_points(spec: ExperimentSpec, n_points: int, k: int) -> list[dict[str, Any]]:
    """``k`` design points spread over the design, without building a sample too large to hold:
    those are sampled along the diagonal of the unit cube (every factor from low to high)."""
    if spec.design.kind in ("grid", "list") or n_points <= PILOT_BUILD_LIMIT:
        points = build_design(spec).points  # grid: made on demand, any size
        picks = sorted({round(j * (len(points) - 1) / max(1, k - 1)) for j in range(k)})
        return [points[i] for i in picks]
    return [{f.name: from_unit(f, j / max(1, k - 1)) for f in spec.factors} for j in range(k)]


def dry_run(
    spec: ExperimentSpec | str | Path | dict, workers: int = 1, pilot: int = 8
) -> dict[str, Any]:
    """Count the runs and time a short pilot (a few runs in this process) to estimate the sweep.

    The design is counted, not built, so a dry run of a spec too large to run is safe."""
    from .worker import DEFAULT_RUN_FUNCTION, run_one, simulate

    spec = as_spec(spec)
    base = spec.base_scenario()
    years = spec.years(base)
    n_points = design_size(spec)
    reps = spec.experiment.replications
    n_runs = n_points * reps
    seed = replication_seeds(spec.experiment.seed, 1)[0][0]
    fn = spec.experiment.run_function
    drawn = posterior.replication_draws(spec, [seed])[0].get("drawn", {})

    def one(point: dict[str, Any]) -> None:
        # The pilot runs what a worker runs (the lean path for the default run function), with
        # replication 0's posterior draw when the study carries the calibration's uncertainty.
        overrides = {**point_overrides(spec, point), **drawn}
        if fn == DEFAULT_RUN_FUNCTION:
            scen = base.with_overrides(overrides) if overrides else base
            simulate(scen, years, seed, spec.output.timeseries)
        else:
            run_one(base, overrides, years, seed, fn)

    points = _pilot_points(spec, n_points, min(pilot, n_runs))
    times = []
    errors = []
    # One untimed warm-up run: the first run pays for importing Mesa and the model.
    with contextlib.suppress(Exception):  # reported below, when the same run is timed
        one(points[0])
    for j, point in enumerate(points):
        t0 = time.perf_counter()
        try:
            one(point)
        except Exception as exc:
            errors.append(f"pilot point {j} {point}: {type(exc).__name__}: {exc}")
        times.append(time.perf_counter() - t0)
    per_run = sum(times) / len(times) if times else float("nan")
    # Workers also start up (imports, ~1-2 s) and write parts; a 10% allowance covers it.
    estimate = n_runs * per_run * 1.1 / max(1, workers) + 2.0
    return {
        "name": spec.name,
        "points": n_points,
        "replications": reps,
        "runs": n_runs,
        "years": years,
        "pilot_runs": len(times),
        "seconds_per_run": per_run,
        "workers": workers,
        "estimate_s": estimate,
        "pilot_errors": errors,
        "spec_sha256": spec.sha256(base.to_dict()),
    }
