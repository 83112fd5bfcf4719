"""Small shared worlds and sweeps for the tests (each cheap, each built once per session).

- ``europe`` / ``europe_run``: the ``europe`` preset, and one 25-year run of it (seed 3).
- ``small_world``: one donor aiding one partner against one state aggressor (the validation's
  ``threat`` world), for tests that need a world whose every agent is known.
- ``toy_spec``: a factory of small grid specs (sunset × conditionality) run by the fast stand-in
  model ``experiment.testing.toy_run_model``, for tests of the runner, store and report.
- ``thread_pool``: an in-process executor, so sweeps in tests pay no process start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

TOY_RUN = "deterrence_sim.experiment.testing:toy_run_model"


@pytest.fixture(scope="session")
def europe():
    from deterrence_sim.scenario import Scenario

    return Scenario.preset("europe")


@pytest.fixture(scope="session")
def europe_run(europe):
    from deterrence_sim.run import run_model

    return run_model(europe, years=25, seed=3)


@pytest.fixture(scope="session")
def small_world():
    from deterrence_sim.validation import base_scenario

    return base_scenario("threat")


@pytest.fixture(scope="session")
def toy_spec() -> Callable[..., dict[str, Any]]:
    """``toy_spec(replications=6, years=8, **experiment)``: a 2 × 2 grid spec run by the toy model."""

    def make(replications: int = 6, years: int = 8, **experiment: Any) -> dict[str, Any]:
        return {
            "experiment": {
                "name": "toy",
                "scenario": "europe",
                "years": years,
                "replications": replications,
                "run_function": TOY_RUN,
                **experiment,
            },
            "design": {"kind": "grid"},
            "factors": [
                {"name": "sunset", "path": "donors.*.policy.sunset_year", "values": ["open", 4]},
                {"name": "c", "path": "donors.*.policy.conditionality", "values": [0.0, 0.5]},
            ],
            "output": {"metrics": "all", "timeseries": True},
        }

    return make


@pytest.fixture()
def thread_pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield pool
