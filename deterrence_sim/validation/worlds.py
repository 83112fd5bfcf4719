"""The small purpose-built worlds the validation experiments run in.

One donor, one partner, at most one aggressor, so that each effect is isolated; every coefficient
is the model's default, which is what is being validated. Arms change a base world with
``Scenario.with_overrides``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

__all__ = ["BASES", "SUNSET", "YEARS", "arm_scenario", "base_scenario", "overrides_key"]

#: Horizon of every experiment and the sunset year of the exit experiments (years).
YEARS = 30
SUNSET = 15


def _world(
    aggressor: float | None = None, governance: float = 0.6, absorptive: float = 1.0
) -> dict[str, Any]:
    """One donor D aiding one partner P (optionally rival of one state aggressor A).

    Sizes in $bn: donor capability 100 (projectable 30), aid budget 1/yr, partner equipment 5 and
    GDP 50 (own defence 2% = 1/yr), aggressor capability as given. Every coefficient is the
    model's calibrated default, which is what the validation tests; the rivalry is a tense one of
    the data's own kind (neighbours, a territorial claim, two disputes in the last five years, the
    last one a year ago), so the attack channels show within a few hundred seeds.
    """
    data: dict[str, Any] = {
        "name": "validation",
        "description": "Validation world: one donor, one partner, at most one aggressor.",
        "world": {"years": YEARS},
        "donors": [
            {
                "name": "D",
                "capability": 100.0,
                "budget": 1.0,
                "industrial_capacity": 2.0,
                "policy": {"commitment": "bilateral_pact"},
            }
        ],
        "partners": [
            {
                "name": "P",
                "equipment": 5.0,
                "governance": governance,
                "gdp": 50.0,
                "absorptive_capacity": absorptive,
                "alignment": 0.6,
            }
        ],
        "aggressors": [],
        "ties": [{"kind": "aid", "source": "D", "target": "P", "stake": 0.5}],
    }
    if aggressor is not None:
        data["aggressors"].append({"name": "A", "capability": aggressor})
        data["ties"].append(
            {
                "kind": "rivalry",
                "source": "A",
                "target": "P",
                "prize": 1.0,
                "contiguous": True,
                "peace_years": 1,
                "recent_disputes": 2,
                "claim": True,
            }
        )
    return data


def _dependent_world() -> dict[str, Any]:
    """An aid-dependent partner (the case fact 3 is about: SIGAR on the ANDSF): aid of $3bn/yr
    against an own defence budget of $0.4bn/yr (2% of a $20bn GDP); fairly well governed (0.7,
    absorptive capacity 1.5) so that a taper has something to keep; a state aggressor of 8."""
    data = _world(8.0, governance=0.7, absorptive=1.5)
    data["partners"][0]["gdp"] = 20.0
    data["donors"][0]["budget"] = 3.0
    data["donors"][0]["industrial_capacity"] = 4.0
    return data


#: Named base worlds of the experiments.
BASES: dict[str, Callable[[], dict[str, Any]]] = {
    "calm": lambda: _world(None),
    "threat": lambda: _world(8.0),
    "contested": lambda: _world(15.0),
    "dependent": _dependent_world,
}

#: How the report describes the worlds (kept beside them so the two cannot drift apart).
DESCRIPTION = (
    "One donor D (capability 100, budget $1bn/yr, bilateral pact), one partner P (equipment "
    "$5bn, GDP $50bn, governance 0.6, absorptive capacity 1, alignment 0.6), horizon "
    f"{YEARS} years; `calm` has no aggressor, `threat` a state aggressor of capability 8, "
    "`contested` one of capability 15; `dependent` (fact 3) an aid-dependent partner: aid "
    "$3bn/yr against its own $0.4bn/yr (GDP $20bn), governance 0.7, absorptive capacity 1.5, "
    "aggressor 8. The rivalry is between neighbours with a territorial claim and two disputes in "
    "the last five years. Every coefficient is the model default. Arms "
    f"change the scenario with `Scenario.with_overrides`; exits are at year {SUNSET}."
)


@cache
def base_scenario(name: str):
    """The validated Scenario of a named base world (cached per process)."""
    from ..scenario import Scenario

    return Scenario.from_dict(BASES[name](), source=f"validation base '{name}'")


def overrides_key(overrides: dict[str, Any]) -> tuple:
    """A hashable form of an arm's overrides (the cache key of :func:`arm_scenario`)."""
    return tuple(sorted(overrides.items()))


@lru_cache(maxsize=4096)
def arm_scenario(base: str, key: tuple):
    """The scenario of one arm: a base world with the overrides of ``key`` (cached per process)."""
    sc = base_scenario(base)
    return sc.with_overrides(dict(key), source="validation arm") if key else sc
