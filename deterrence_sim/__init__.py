"""deterrence-sim: agent-based simulation of security assistance, alliances and deterrence (Mesa).

Public API::

    from deterrence_sim import Scenario, run_model
    result = run_model(Scenario.preset("europe"), years=40, seed=0)
    result.metrics, result.timeseries, result.events
"""

from .errors import DeterrenceSimError, ScenarioError, UsageError
from .scenario import Scenario

__version__ = "0.1.0"

__all__ = [
    "DeterrenceModel",
    "DeterrenceSimError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "UsageError",
    "__version__",
    "run_model",
]


def __getattr__(name: str):
    # Mesa is imported only when the model is used, so `deterrence-sim scenarios` and scenario
    # validation stay fast.
    if name == "DeterrenceModel":
        from .model import DeterrenceModel

        return DeterrenceModel
    if name in ("RunResult", "run_model"):
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module 'deterrence_sim' has no attribute {name!r}")
