"""Declarative experiments: sweeps over scenario levers from one TOML spec.

::

    from deterrence_sim.experiment import load_spec, run_experiment, load
    summary = run_experiment("experiments/sunset_x_conditionality.toml", "/tmp/s", workers=2)
    df = load("/tmp/s")          # one row per run: factors + metrics

See ``docs/experiments.md`` for the spec reference.
"""

from __future__ import annotations

from .spec import ExperimentSpec, SpecError, load_spec, spec_from_dict
from .store import load, load_timeseries

__all__ = [
    "ExperimentSpec",
    "SpecError",
    "dry_run",
    "load",
    "load_spec",
    "load_timeseries",
    "plan",
    "rerun",
    "run_experiment",
    "spec_from_dict",
]


def __getattr__(name: str):
    # The runner pulls in executors and pandas machinery; keep `import deterrence_sim.experiment`
    # light for the CLI.
    if name in ("run_experiment", "dry_run", "plan", "rerun"):
        from . import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'deterrence_sim.experiment' has no attribute {name!r}")
