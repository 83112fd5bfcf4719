"""The validation as a whole: which experiments each group of checks needs, and running them."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .arms import ExperimentResult, run_experiments
from .base_rates import analyse_arming, analyse_gating, analyse_pact
from .experiments import EXPERIMENTS
from .facts import analyse_fact1, analyse_fact2, analyse_fact3, analyse_fact4, analyse_fact5
from .mechanism_checks import mechanism_checks
from .results import Check, ValidationReport

__all__ = [
    "BASE_RATES",
    "CHECK_GROUPS",
    "FACTS",
    "FULL_SEEDS",
    "QUICK_SEEDS",
    "run_checks",
    "run_validation",
]

#: Seeds per arm of a quick (CI) and a full validation.
QUICK_SEEDS = 400  # the calibrated attack channels are rare: 60 seeds cannot resolve them
FULL_SEEDS = 800


@dataclass(frozen=True)
class CheckGroup:
    """The experiments a group of checks needs and the analysis that turns them into checks."""

    experiments: tuple[str, ...]
    analyse: Callable[[dict[str, ExperimentResult], dict], list[Check]]


FACTS: dict[str, CheckGroup] = {
    "fact1": CheckGroup(("fact1",), analyse_fact1),
    "fact2": CheckGroup(("fact2",), analyse_fact2),
    "fact3": CheckGroup(("fact3",), analyse_fact3),
    "fact4": CheckGroup(("fact4",), analyse_fact4),
    "fact5": CheckGroup(("fact5",), analyse_fact5),
}
BASE_RATES: dict[str, CheckGroup] = {
    "pact_honoured": CheckGroup(("pact",), analyse_pact),
    "aid_arming": CheckGroup(("fact4",), analyse_arming),
    "governance_gating": CheckGroup(("gating",), analyse_gating),
}
CHECK_GROUPS: dict[str, CheckGroup] = {**FACTS, **BASE_RATES}


def run_checks(
    names: Sequence[str],
    seeds: int = QUICK_SEEDS,
    workers: int = 1,
    progress: bool = False,
    figures: dict | None = None,
    executor: str = "process",
    scheduler: str | None = None,
) -> list[Check]:
    """Run the experiments behind the named groups (``fact1``…``fact5``, ``pact_honoured``,
    ``aid_arming``, ``governance_gating``) over ``seeds`` seeds and return their checks."""
    unknown = [n for n in names if n not in CHECK_GROUPS]
    if unknown:
        from ..errors import UsageError

        raise UsageError(
            f"unknown check group(s) {', '.join(unknown)}; allowed: {', '.join(CHECK_GROUPS)}"
        )
    needed = list(dict.fromkeys(e for n in names for e in CHECK_GROUPS[n].experiments))
    results = run_experiments(
        [EXPERIMENTS[e] for e in needed], seeds, workers, progress, executor, scheduler
    )
    figs = figures if figures is not None else {}
    checks: list[Check] = []
    for n in names:
        checks += CHECK_GROUPS[n].analyse(results, figs)
    return checks


def run_validation(
    quick: bool = False,
    seeds: int | None = None,
    workers: int = 1,
    progress: bool = False,
    executor: str = "process",
    scheduler: str | None = None,
) -> ValidationReport:
    """Every check: mechanisms, stylized facts 1-5, base rates, the calibration
    (``deterrence_sim.calibration.checks``). The runs go to the runner's ``executor``
    (``process`` or ``dask``; ``scheduler``: a running Dask cluster's address)."""
    start = time.perf_counter()
    n = seeds or (QUICK_SEEDS if quick else FULL_SEEDS)
    figures: dict = {}
    checks = mechanism_checks()
    checks += run_checks(list(CHECK_GROUPS), n, workers, progress, figures, executor, scheduler)
    # The calibrated attack and coercion rates against rival dyad-years (none without the data).
    from ..calibration import checks as calibration_checks

    checks += [Check(**record) for record in calibration_checks(quick)]
    return ValidationReport(checks, n, time.perf_counter() - start, figures)
