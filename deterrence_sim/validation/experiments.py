"""The paired experiments behind the stylized facts and base rates: named arms on the base worlds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .arms import Experiment
from .worlds import SUNSET

__all__ = ["EXPERIMENTS", "GOV_LEVELS", "PARTNER_SIZES", "REACTIONS"]

#: Governance levels of the dose-response experiments; absorptive capacity rises with governance
#: in fact 1 (fragile states are both badly governed and unable to absorb: Paul et al. 2013).
GOV_LEVELS = (0.1, 0.3, 0.5, 0.7, 0.9)
#: Partner sizes (GDP, $bn) of fact 5: the local balance is set by the economy that sustains the
#: partner's forces (own defence 2% of GDP; equipment starts at GDP/10, near its sustainable
#: level). Initial equipment alone does not move the balance for long: forces converge to what the
#: partner's budget can sustain, as the aggressor's converge to its Richardson equilibrium.
PARTNER_SIZES = (25.0, 50.0, 100.0, 200.0, 400.0)
REACTIONS = (0.0, 0.05, 0.1)


def _capacity_for(g: float) -> float:
    return round(0.05 + 1.5 * g, 3)


def _with_and_without_aid(
    tag: str, levels: tuple[float, ...], setting: Callable[[float], dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """At each level, an aid arm ``aid_<tag><level>`` and a no-aid arm ``none_<tag><level>``
    (donor budget 0) with the same ``setting(level)``: the pair an aid effect is paired over."""
    arms = {}
    for v in levels:
        common = setting(v)
        arms[f"aid_{tag}{v}"] = dict(common)
        arms[f"none_{tag}{v}"] = {**common, "donors.D.budget": 0.0}
    return arms


EXPERIMENTS: dict[str, Experiment] = {
    "fact1": Experiment(
        "fact1",
        "calm",
        _with_and_without_aid(
            "g",
            GOV_LEVELS,
            lambda g: {
                "partners.P.governance": g,
                "partners.P.absorptive_capacity": _capacity_for(g),
            },
        ),
    ),
    "fact2": Experiment(
        "fact2",
        "calm",
        {
            "none": {"donors.D.policy.conditionality": 0.0, "partners.P.governance": 0.4},
            "enforced": {
                "donors.D.policy.conditionality": 0.5,
                "donors.D.policy.enforcement": 1.0,
                "partners.P.governance": 0.4,
            },
            "unenforced": {
                "donors.D.policy.conditionality": 0.5,
                "donors.D.policy.enforcement": 0.0,
                "partners.P.governance": 0.4,
            },
        },
    ),
    "fact3": Experiment(
        "fact3",
        "dependent",
        {
            "open_equipment": {"donors.D.policy.instrument_mix": "equipment_heavy"},
            "open_training": {"donors.D.policy.instrument_mix": "training_heavy"},
            "cliff_equipment": {
                "donors.D.policy.instrument_mix": "equipment_heavy",
                "donors.D.policy.sunset_year": SUNSET,
                "donors.D.policy.taper_years": 0,
            },
            "taper_training": {
                "donors.D.policy.instrument_mix": "training_heavy",
                "donors.D.policy.sunset_year": SUNSET,
                "donors.D.policy.taper_years": 5,
            },
        },
    ),
    "fact4": Experiment(
        "fact4",
        "threat",
        _with_and_without_aid("k", REACTIONS, lambda k: {"aggressors.A.reaction": k}),
    ),
    "fact5": Experiment(
        "fact5",
        "contested",
        {
            f"{c}_gdp{g:g}": {
                "partners.P.gdp": g,
                "partners.P.equipment": g / 10,
                "donors.D.budget": 0.0,
                "donors.D.policy.commitment": c,
            }
            for g in PARTNER_SIZES
            for c in ("none", "bilateral_pact")
        },
    ),
    "pact": Experiment(
        "pact",
        "contested",
        {"pact": {"donors.D.policy.commitment": "bilateral_pact", "donors.D.budget": 0.0}},
    ),
    "gating": Experiment(
        "gating",
        "calm",
        _with_and_without_aid("g", (0.2, 0.8), lambda g: {"partners.P.governance": g}),
    ),
}
