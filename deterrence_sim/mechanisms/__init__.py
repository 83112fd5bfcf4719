"""Pure mechanism functions of the deterrence model (docs/design.md §5; docs/model.md §7).

Every function here maps numbers to numbers: no Mesa, no model state, no randomness. That keeps
each mechanism testable against its analytic result and lets the agents stay thin.

Mechanisms and sources:

- Contest success function ``csf`` (Tullock 1980, Efficient rent seeking; Hirshleifer 1989,
  Conflict and rent-seeking success functions, Public Choice 63).
- Quantal-response choice ``logistic`` / ``logistic_choice`` (McFadden 1974; McKelvey & Palfrey
  1995).
- Yearly attack probability with a base rate ``attack_probability`` (quantal response around a
  threshold; the base rate calibrated to rival dyad-years, ``docs/calibration.md``).
- Expected utility of attack with uncertain intervention ``expected_attack_utility`` (Bueno de
  Mesquita 1981, The War Trap; Huth 1988, Extended Deterrence and the Prevention of War).
- Bargaining under private information ``fearon_optimal_demand``, ``fearon_war_probability``,
  ``defender_resists`` (Fearon 1995, Rationalist Explanations for War, IO 49(3)).
- Preventive war as a commitment problem ``powell_preventive_threshold``,
  ``prefers_preventive_war`` (Powell 2006, War as a Commitment Problem, IO 60(1)).
- Arms-race dynamics ``richardson_step``, ``richardson_equilibrium``, ``richardson_stable``
  (Richardson 1960, Arms and Insecurity).
- Saturating absorption of aid ``absorption`` (Clemens et al. 2012; Paul et al. 2013, RAND, What
  Works Best When Building Partner Capacity).
- Diversion of aid ``leakage_rate`` (Collier & Hoeffler 2007; Biddle, Macdonald & Baker 2018,
  Small footprint, small payoff, JSS 41(1-2); SIGAR 2021).
- Enforcement of conditionality ``enforcement_probability`` (Buchanan 1975; Gibson et al. 2005;
  Ladwig 2017, The Forgotten Front).
- Donor intervention in a crisis ``intervention_probability`` (Leeds, Long & Mitchell 2000,
  Reevaluating Alliance Reliability, JCR 44(5); Schelling 1966, Arms and Influence).
- Program schedule with sunset and taper ``aid_schedule`` (docs/design.md §5.1).
- Durable reform ``institutionalised`` (North 1990; Andrews, Pritchett & Woolcock 2017).
- Burden-share inequality ``gini`` (Gini 1912).

Modules: ``contest`` (contests, choice, beliefs in help, war attrition), ``bargaining`` (Fearon,
Powell), ``arms`` (Richardson, insurgency), ``aid`` (delivery and programs), ``capability``
(upkeep, readiness, training, crowd-out). Import the package (``from deterrence_sim import
mechanisms as m``); the names below are its interface.
"""

from __future__ import annotations

from .aid import (
    PACINGS,
    absorption,
    aid_schedule,
    enforcement_probability,
    gini,
    institutionalised,
    intervention_probability,
    leakage_rate,
)
from .arms import (
    insurgency_onset_probability,
    insurgent_gdp_loss,
    insurgent_step,
    richardson_equilibrium,
    richardson_stable,
    richardson_step,
)
from .bargaining import (
    defender_resists,
    fearon_optimal_demand,
    fearon_war_probability,
    powell_preventive_threshold,
    prefers_preventive_war,
    resistance_probability,
)
from .capability import (
    crowd_out_share,
    human_capital_step,
    readiness_share,
    sustainable_human_capital,
    sustainment_rate,
)
from .contest import (
    attrition,
    choice_hazard,
    csf,
    dispute_memory,
    expected_attack_utility,
    expected_help,
    logistic,
    logistic_choice,
)

__all__ = [
    "PACINGS",
    "absorption",
    "aid_schedule",
    "attrition",
    "choice_hazard",
    "crowd_out_share",
    "csf",
    "defender_resists",
    "dispute_memory",
    "enforcement_probability",
    "expected_attack_utility",
    "expected_help",
    "fearon_optimal_demand",
    "fearon_war_probability",
    "gini",
    "human_capital_step",
    "institutionalised",
    "insurgency_onset_probability",
    "insurgent_gdp_loss",
    "insurgent_step",
    "intervention_probability",
    "leakage_rate",
    "logistic",
    "logistic_choice",
    "powell_preventive_threshold",
    "prefers_preventive_war",
    "readiness_share",
    "resistance_probability",
    "richardson_equilibrium",
    "richardson_stable",
    "richardson_step",
    "sustainable_human_capital",
    "sustainment_rate",
]
