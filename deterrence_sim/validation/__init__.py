"""`deterrence-sim validate`: does the model reproduce what the literature found?

Three kinds of check, one row each in ``validation.md``:

1. **Mechanisms** (:mod:`.mechanism_checks`, analytic): every pure function of
   :mod:`deterrence_sim.mechanisms` against its closed-form result (contest success at parity,
   Fearon's war probability against a Monte Carlo of the bargaining game, Powell's threshold,
   Richardson's equilibrium and stability, …).
2. **Stylized facts** 1–5 (:mod:`.facts`, ``docs/design.md`` §7): each a small paired
   experiment (:mod:`.experiments`, :mod:`.arms`). The same seeds run every arm (common random
   numbers), so an effect is the mean over seeds of the per-seed difference, with a 95%
   t-interval. Each fact has a figure (:mod:`.figures`).
3. **Base rates** (:mod:`.base_rates`) the defaults are calibrated to: formal pacts honoured
   about 75% of the time (Leeds, Long & Mitchell 2000), aid to a partner raising the rival's
   arming (Collier & Hoeffler 2007), governance gating aid's effect (Paul et al. 2013; McNerney
   et al. 2014).

Every check states its pass rule before it is run (``expected``); a failing check fails the report
(exit code 1) and is never loosened to pass. Predictions about sunset clauses are hypotheses: no
quantitative study isolates them.

The experiments use small purpose-built worlds (:mod:`.worlds`: one donor, one partner, at most one
aggressor) so that each effect is isolated; they use the model's default coefficients, which are
what is being validated. The runs go through the experiment runner's executors.
"""

from __future__ import annotations

from .arms import Experiment, ExperimentResult, measure, run_experiments
from .cli import register
from .experiments import EXPERIMENTS
from .mechanism_checks import mechanism_checks
from .report import SUNSET_STATEMENT, write_report
from .results import Check, ValidationReport
from .suite import BASE_RATES, CHECK_GROUPS, FACTS, run_checks, run_validation
from .worlds import BASES, SUNSET, YEARS, arm_scenario, base_scenario, overrides_key

__all__ = [
    "BASES",
    "BASE_RATES",
    "CHECK_GROUPS",
    "EXPERIMENTS",
    "FACTS",
    "SUNSET",
    "SUNSET_STATEMENT",
    "YEARS",
    "Check",
    "Experiment",
    "ExperimentResult",
    "ValidationReport",
    "arm_scenario",
    "base_scenario",
    "measure",
    "mechanism_checks",
    "overrides_key",
    "register",
    "run_checks",
    "run_experiments",
    "run_validation",
    "write_report",
]
