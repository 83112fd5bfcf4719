"""Calibration of the two-stage deterrence core against dyad-years (``docs/calibration.md``).

- :mod:`.design` — the politically relevant and rival dyad-year panels as the model reads them;
- :mod:`.dyadsim` — the model's challenge and escalation decisions simulated on those dyad-years;
- :mod:`.inference` — Bayesian indirect inference: auxiliary logits, likelihood, mode, chains;
- :mod:`.tables` — coefficients and hazards by stratum, data against model;
- :mod:`.procedure` — the whole calibration (``run_calibration``);
- :mod:`.report` — calibration.csv, coefficients.csv, posterior.csv, fitted.toml, report.md;
- :mod:`.acceptance` — the calibration checks of ``deterrence-sim validate`` (:func:`checks`);
- :mod:`.cli` — ``deterrence-sim calibrate``.

``fitted.toml`` beside this file is the last full calibration's parameter set (posterior
medians) and ``posterior.csv`` its draws; the World defaults equal ``fitted.toml``. Importing this package is cheap (the model and the data load on use).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["FITTED_PATH", "POSTERIOR_PATH", "checks", "fitted_parameters", "run_calibration"]

#: The committed parameter set of the last full calibration.
FITTED_PATH = Path(__file__).with_name("fitted.toml")


#: The committed posterior draws of the last full calibration (one column per parameter path).
POSTERIOR_PATH = Path(__file__).with_name("posterior.csv")


def fitted_parameters(path: str | Path = FITTED_PATH) -> dict[str, float]:
    """The ``[world]`` table of a fitted.toml (default: the committed one)."""
    import tomllib

    with open(path, "rb") as fh:
        return {k: float(v) for k, v in tomllib.load(fh)["world"].items()}


def __getattr__(name: str) -> Any:
    if name == "run_calibration":
        from .procedure import run_calibration

        return run_calibration
    if name == "checks":
        from .acceptance import checks

        return checks
    raise AttributeError(f"module 'deterrence_sim.calibration' has no attribute {name!r}")
