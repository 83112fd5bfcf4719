"""From an empirical stratum of rival dyad-years to the model scenarios that stand for it.

A stratum (capability-ratio bin × target has a third-party defence pact × period) becomes
``RATIO_POINTS`` scenarios, one per quantile of the stratum's own capability ratios, each with:

- the **target as a partner** with the unit milex ``PARTNER_MILEX`` ($bn): equipment 6 × milex
  (near the level its own spending sustains in the default world, so the balance drifts little
  over the simulated years), GDP at a 2% defence share, default governance and alignment;
- the **challenger as a state aggressor** with capability = ratio × the partner's initial
  effective capability, its arms held constant (no growth, reaction or fatigue): the data
  condition each year on that year's balance, so the simulation holds the balance where the data
  put it; threshold and war cost are the package defaults;
- a **third-party defender as a donor**: with a pact (``bilateral_pact`` on its aid tie, stake
  0.7) when the stratum's targets have one, else no commitment (stake 0.4), as in
  ``scenario from-data``. Its capability is the stratum's median of the allies' summed CINC over
  the target's (pact strata) — what the target's defence partners could bring. Aid: a modest
  open-ended program of ``AID_SHARE`` of the partner's milex a year, the same with and without a
  pact so that the pact is the only difference (most rival dyad-years saw little or no security
  assistance; the simulated hazards barely move with it over the horizon, ``docs/calibration.md``);
- a ``rivalry`` tie aggressor → partner with prize 1.

The numbers a scenario needs come from :class:`Stratum`, computed from the panel by
:func:`strata_from_panel`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..data.hazards import stratify

__all__ = [
    "AID_SHARE",
    "PARTNER_MILEX",
    "RATIO_POINTS",
    "Stratum",
    "scenario_dict",
    "strata_from_panel",
]

PARTNER_MILEX = 10.0  # $bn; the model's capabilities are ratios, this only fixes the scale
EQUIPMENT_PER_MILEX = 6.0
DEFENCE_SHARE = 0.02
AID_SHARE = 0.02  # donor aid a year as a share of the partner's milex
STAKE_PACT, STAKE_NO_PACT = 0.7, 0.4
#: Quantiles of a stratum's capability ratios simulated (equal weight each).
RATIO_POINTS = (0.125, 0.375, 0.625, 0.875)


@dataclass(frozen=True)
class Stratum:
    """One empirical stratum as the simulation needs it."""

    name: str
    sample: str  # fit | holdout
    pact: bool
    ratios: tuple[float, ...]  # challenger/target CINC ratio at RATIO_POINTS quantiles
    ally_ratio: float  # median summed CINC of the target's pact partners / target's CINC
    dyad_years: int = 0
    extra: dict = field(default_factory=dict, compare=False)


def strata_from_panel(panel: pd.DataFrame) -> list[Stratum]:
    """The strata of the rival panel (``deterrence_sim.data.hazards.stratify``), each with its
    ratio quantiles and the median capability of the target's defence partners."""
    s = stratify(panel)
    out = []
    for (name, sample), g in s.groupby(["stratum", "sample"], observed=True, sort=True):
        pact = bool(g["target_pact"].iloc[0])
        ratios = tuple(float(x) for x in np.quantile(g["cinc_ratio"], RATIO_POINTS))
        ally = g["ally_cinc"] / g["cinc_target"]
        ally_ratio = float(ally[g["target_pact"] == 1].median()) if pact else 0.0
        out.append(Stratum(name, str(sample), pact, ratios, ally_ratio, len(g)))
    return out


def scenario_dict(stratum: Stratum, ratio: float, world: dict[str, float]) -> dict:
    """The scenario (as a dict for ``Scenario.from_dict``) standing for ``stratum`` at one ratio,
    with ``world`` overriding World defaults (the candidate parameters)."""
    equipment = EQUIPMENT_PER_MILEX * PARTNER_MILEX
    partner_capability = equipment  # readiness 1, no skill or warning bonus at the start
    ally = max(stratum.ally_ratio, 0.1) * partner_capability if stratum.pact else partner_capability
    commitment = "bilateral_pact" if stratum.pact else "none"
    return {
        "name": f"calibration {stratum.name} ({stratum.sample}) ratio {ratio:.3g}",
        "description": "Calibration scenario: one rival dyad-year stratum (docs/calibration.md).",
        "world": dict(world),
        "donors": [
            {
                "name": "Defender",
                "capability": round(ally, 6),
                "budget": AID_SHARE * PARTNER_MILEX,
                "policy": {"commitment": commitment},
            }
        ],
        "partners": [
            {
                "name": "Target",
                "equipment": equipment,
                "gdp": PARTNER_MILEX / DEFENCE_SHARE,
                "defence_share": DEFENCE_SHARE,
            }
        ],
        "aggressors": [
            {
                "name": "Challenger",
                "kind": "state",
                "capability": round(max(ratio, 1e-3) * partner_capability, 6),
                "growth": 0.0,
                "reaction": 0.0,
                "fatigue": 0.0,
            }
        ],
        "ties": [
            {
                "kind": "aid",
                "source": "Defender",
                "target": "Target",
                "stake": STAKE_PACT if stratum.pact else STAKE_NO_PACT,
                "commitment": commitment,
            },
            {"kind": "rivalry", "source": "Challenger", "target": "Target", "prize": 1.0},
        ],
    }


def describe_mapping() -> str:
    """One paragraph for the report: the mapping's fixed numbers."""
    return (
        f"Partner milex {PARTNER_MILEX:g} $bn (equipment {EQUIPMENT_PER_MILEX:g}× milex, defence "
        f"share {DEFENCE_SHARE:.0%}); aggressor capability = CINC ratio × partner capability, arms "
        f"held constant; donor aid {AID_SHARE:.0%} of the partner's milex a year; pact strata: "
        f"bilateral pact, stake {STAKE_PACT}, donor capability = median allies' CINC / target CINC "
        f"× partner capability; no-pact strata: no commitment, stake {STAKE_NO_PACT}; "
        f"{len(RATIO_POINTS)} ratio quantiles per stratum ({', '.join(f'{q:g}' for q in RATIO_POINTS)})."
    )
