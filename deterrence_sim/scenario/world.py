"""The world: the horizon and every mechanism coefficient, grouped by the phase that uses it."""

from __future__ import annotations

from typing import Any

from .conflict_phases import Costs, Deterrence, Insurgency, Intervention
from .fields import ScenarioBase, param
from .partner_phases import AidDelivery, ForceBuilding, Governance, PartnerSpending

__all__ = [
    "MAX_YEARS",
    "AidDelivery",
    "Costs",
    "Deterrence",
    "ForceBuilding",
    "Governance",
    "Insurgency",
    "Intervention",
    "Outcomes",
    "PartnerSpending",
    "PlainWorld",
    "World",
]


#: Longest horizon of one run, in years: the one cap of the scenario's ``world.years``, a spec's
#: ``years``, ``run_model(years=)`` and ``deterrence-sim run --years`` (a 1,000-year run takes
#: seconds; the model's mechanisms say nothing about longer spans).
MAX_YEARS = 1000


class Outcomes(ScenarioBase):
    """The horizon, the contest of arms and what a war or coercion costs (docs/design.md §5.4)."""

    years: int = param(
        40,
        1,
        MAX_YEARS,
        unit="years",
        meaning="Default horizon of a run.",
        source="Long enough to see a program, its sunset and 10+ years after.",
    )
    csf_decisiveness: float = param(
        1.0,
        0.1,
        5.0,
        unit="-",
        meaning="Decisiveness k of the contest success function a^k/(a^k+b^k).",
        source="Tullock 1980; Hirshleifer 1989 (k = 1 is the ratio form).",
    )
    gdp_growth: float = param(
        0.025,
        -0.05,
        0.10,
        unit="1/yr",
        meaning="Partners' base GDP growth rate.",
        source="World Bank long-run average for middle-income states, ~2.5%.",
    )
    war_gdp_loss: float = param(
        0.15,
        0,
        0.9,
        unit="share of GDP",
        meaning="GDP a partner loses when it loses a war.",
        source="Collier 1999: civil and interstate wars cost ~2.2%/yr; a lost war several years' growth.",
    )
    defended_gdp_loss: float = param(
        0.03,
        0,
        0.5,
        unit="share of GDP",
        meaning="GDP a partner loses in a war it wins (disruption of trade and supply chains).",
        source="Glick & Taylor 2010: wars cut bilateral trade sharply.",
    )
    war_equipment_loss: float = param(
        0.30,
        0,
        1,
        unit="share",
        meaning="Share of equipment a partner loses in a lost war (half that in a won one).",
        source="Assumption; attrition in modern interstate wars (Biddle 2004).",
    )
    coercion_concession: float = param(
        0.02,
        0,
        0.5,
        unit="share of GDP per unit demand",
        meaning="GDP a partner concedes when it accepts a coercive demand, per unit of the demand (the share of the disputed prize it hands over, measured from the status quo).",
        source="Assumption (gray-zone concessions: Mazarr 2015).",
    )
    war_cooldown: int = param(
        5,
        0,
        50,
        unit="years",
        meaning="Years after a war during which the aggressor does not attack the same partner again (a settlement, exhaustion).",
        source="Werner 1999; Fortna 2004 (ceasefires after wars tend to hold for years).",
    )
    conquest_share: float = param(
        0.3,
        0,
        1,
        unit="share of prize",
        meaning="Share of the prize an aggressor takes when it wins a war (the remaining prize is what it can still want).",
        source="Assumption; limited territorial gains are the norm (Altman 2017).",
    )


class World(
    Insurgency,
    Costs,
    Intervention,
    Deterrence,
    PartnerSpending,
    Governance,
    ForceBuilding,
    AidDelivery,
    Outcomes,
):
    """World settings: the horizon and the coefficients of the mechanisms, one base per phase.

    Pydantic orders inherited fields from the last base to the first, so the table (and TOML
    output) reads in phase order: outcomes, aid delivery, force building, ... insurgency.
    """


class PlainWorld:
    """A :class:`World`'s coefficients as plain attributes, for the model's yearly loops.

    Reading a field of a pydantic model costs about three times a plain attribute, and the model
    reads several hundred coefficients a year. The values are copied once; ``source`` is the World
    they come from, and its methods are offered here too, the two read in every challenge decision
    computed once (no ``__getattr__`` fallback: defining one would slow every attribute read
    down again)."""

    def __init__(self, world: World):
        self.__dict__.update({name: getattr(world, name) for name in type(world).model_fields})
        self.source = world
        # Read every challenge decision: built once here (the caller reads, never mutates).
        self._memory_weights = world.memory_weights()
        self._belief_priors = world.belief_priors()

    def memory_weights(self) -> dict[str, float]:
        return self._memory_weights

    def belief_priors(self) -> dict[str, float]:
        return self._belief_priors

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> World:
        return self.source.model_copy(update=update, deep=deep)

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        return self.source.model_dump(**kwargs)
