"""Calibration of the deterrence core against rival dyad-years (``docs/calibration.md``).

- :mod:`.strata` — each empirical stratum as model scenarios;
- :mod:`.simulate` — simulated yearly hazards with common random numbers;
- :mod:`.fit` — the fitted parameters, the Gaussian-process emulator and the minimum distance;
- :mod:`.procedure` — the whole calibration (``run_calibration``);
- :mod:`.report` — calibration.csv, fitted.toml, figures and report.md;
- :mod:`.acceptance` — the calibration checks of ``deterrence-sim validate`` (:func:`checks`);
- :mod:`.cli` — ``deterrence-sim calibrate``.

``fitted.toml`` beside this file is the last full calibration's parameter set; the World defaults
equal it. Importing this package is cheap (the model and the data load on use).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["FITTED_PATH", "PRE_CALIBRATION", "checks", "fitted_parameters", "run_calibration"]

#: The committed parameter set of the last full calibration.
FITTED_PATH = Path(__file__).with_name("fitted.toml")


#: The attack and coercion coefficients before the calibration: attack almost a switch,
#: logistic(20·(EU − θ)). Worlds that must show the deterrence mechanisms at work within a few
#: dozen seeds (classroom presets, the validation's stylized-fact worlds) keep them on purpose.
PRE_CALIBRATION = {
    "attack_base_rate": 0.5,
    "attack_sharpness": 20.0,
    "coercion_rate": 0.3,
    "coercion_band": 0.25,
}


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
