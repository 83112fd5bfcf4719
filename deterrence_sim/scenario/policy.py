"""A donor's policy: the instrument mix and the levers a sweep varies."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, field_validator

from ..vocab import COMMITMENTS, BackslidingResponse, Commitment, ExitRule
from .fields import ScenarioBase, param

__all__ = ["COMMITMENTS", "INSTRUMENTS", "MIX_PRESETS", "InstrumentMix", "Milestones", "Policy"]

INSTRUMENTS = ("training", "equipment", "intelligence", "governance", "stabilization")

#: Named instrument mixes, so that a sweep can treat the mix as one categorical lever.
MIX_PRESETS: dict[str, dict[str, float]] = {
    "balanced": dict(
        training=0.25, equipment=0.30, intelligence=0.15, governance=0.15, stabilization=0.15
    ),
    "equipment_heavy": dict(
        training=0.10, equipment=0.70, intelligence=0.10, governance=0.05, stabilization=0.05
    ),
    "training_heavy": dict(
        training=0.50, equipment=0.20, intelligence=0.10, governance=0.10, stabilization=0.10
    ),
    "governance_heavy": dict(
        training=0.15, equipment=0.15, intelligence=0.10, governance=0.40, stabilization=0.20
    ),
    "stabilization_heavy": dict(
        training=0.15, equipment=0.10, intelligence=0.10, governance=0.20, stabilization=0.45
    ),
}


class InstrumentMix(ScenarioBase):
    """Shares of a donor's aid by instrument; must sum to 1."""

    training: float = param(
        0.25, 0, 1, unit="share", meaning="Training of partner forces.", source="docs/design.md §4."
    )
    equipment: float = param(
        0.30,
        0,
        1,
        unit="share",
        meaning="Equipment deliveries (and their sustainment).",
        source="docs/design.md §4.",
    )
    intelligence: float = param(
        0.15,
        0,
        1,
        unit="share",
        meaning="Intelligence sharing (early warning).",
        source="docs/design.md §4.",
    )
    governance: float = param(
        0.15,
        0,
        1,
        unit="share",
        meaning="Governance and institutional reform.",
        source="docs/design.md §4.",
    )
    stabilization: float = param(
        0.15,
        0,
        1,
        unit="share",
        meaning="Stabilization aid against insurgency.",
        source="docs/design.md §4.",
    )

    def shares(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in INSTRUMENTS}


class Milestones(ScenarioBase):
    """What a partner must reach, and for how long, before a conditions-based exit."""

    self_sufficiency: float = param(
        0.8,
        0,
        1,
        unit="ratio",
        meaning="Capability the partner keeps on its own upkeep / its capability (capability_own / capability).",
        source="SIGAR 2022/23 (Afghan forces could not sustain themselves); assumption for the number.",
    )
    governance: float = param(
        0.5,
        0,
        1,
        unit="G",
        meaning="Governance the partner must hold.",
        source="Assumption (Paul et al. 2013: governance conditions aid effectiveness).",
    )
    years: int = param(
        3,
        1,
        50,
        unit="years",
        meaning="Consecutive years the milestones must be met before the exit starts.",
        source="Assumption (a program review cycle).",
    )


class Policy(ScenarioBase):
    """A donor's policy: the levers a sweep varies."""

    instrument_mix: InstrumentMix = Field(
        default_factory=InstrumentMix,
        description="Shares by instrument, or a named mix: " + ", ".join(MIX_PRESETS) + ".",
        json_schema_extra={"unit": "shares", "source": "docs/design.md §4"},
    )
    conditionality: float = param(
        0.2,
        0,
        1,
        unit="share",
        meaning="kappa: share of aid conditional on reform benchmarks.",
        source="Ladwig 2017; Biddle, Macdonald & Baker 2018.",
    )
    enforcement: float = param(
        0.7,
        0,
        1,
        unit="probability",
        meaning="eps0: base probability that a missed benchmark is punished.",
        source="Ladwig 2017 (enforcement intent).",
    )
    audit_intensity: float = param(
        0.3,
        0,
        1,
        unit="-",
        meaning="Audit effort (0 none, 1 continuous); cuts leakage and finds scandals.",
        source="Olken 2007.",
    )
    sunset_year: int | None = param(
        None,
        1,
        500,
        unit="year",
        meaning="Year the program ends (aid zero from then on); open-ended when omitted or 'open'.",
        source="Hypothesis: sunset clauses have no quantitative evidence base.",
    )
    taper_years: int = param(
        0,
        0,
        50,
        unit="years",
        meaning="Years of linear taper before the sunset (0 = cliff exit).",
        source="SIGAR 2022/23; Karlin 2018.",
    )
    start_year: int = param(
        1, 1, 500, unit="year", meaning="First year of the program.", source="-"
    )
    pacing: Literal["steady", "front_loaded"] = Field(
        "steady",
        description="Steady amounts, or a front-loaded surge (×1.5 for 3 years).",
        json_schema_extra={
            "unit": "choice",
            "source": "Powell 2006: surges open windows of danger.",
        },
    )
    sequencing: Literal["integrated", "security_first", "reform_first"] = Field(
        "integrated",
        description="How the mix shifts between the program's early and late years.",
        json_schema_extra={
            "unit": "choice",
            "source": "The 'governance vs immediate security' debate (Ladwig 2017).",
        },
    )
    review_period: int = param(
        4,
        1,
        50,
        unit="years",
        meaning="Years between re-assessments (budget reallocation across partners).",
        source="Typical multi-year program review cycle.",
    )
    commitment: Commitment = Field(
        "bilateral_pact",
        description="Security commitment to the partners the donor aids.",
        json_schema_extra={"unit": "choice", "source": "Leeds, Long & Mitchell 2000."},
    )
    tripwire: bool = Field(
        False,
        description="Forward presence / tripwire force with the partner.",
        json_schema_extra={"unit": "bool", "source": "Schelling 1966."},
    )
    channel: Literal["bilateral", "pooled"] = Field(
        "bilateral",
        description="Aid given bilaterally or pooled through the donor's alliance.",
        json_schema_extra={"unit": "choice", "source": "Milner 2006 on multilateral aid."},
    )

    exit_rule: ExitRule = Field(
        "sunset",
        description="How a program ends: at the sunset year; once the partner meets its milestones for milestones.years consecutive years (at most max_horizon program years); or at the sunset year, extended while milestones are unmet by up to max_extension years.",
        json_schema_extra={
            "unit": "choice",
            "source": "The time-bound vs conditions-based exit debate (SIGAR 2022/23; Karlin 2018).",
        },
    )
    milestones: Milestones = Field(
        default_factory=Milestones,
        description="Milestones of a conditions-based or hybrid exit.",
        json_schema_extra={"unit": "table", "source": "see its fields"},
    )
    max_horizon: int = param(
        30,
        1,
        500,
        unit="years",
        meaning="exit_rule 'conditions': program years after which aid ends even if milestones are unmet.",
        source="Assumption (appropriations rarely run longer).",
    )
    max_extension: int = param(
        5,
        0,
        100,
        unit="years",
        meaning="exit_rule 'hybrid': most years the sunset can be pushed back while milestones are unmet.",
        source="Assumption.",
    )
    surge_on_attack: float = param(
        1.0,
        1,
        5,
        unit="multiplier",
        meaning="Aid multiplier to a partner after it is attacked (1 = no surge); bounded by surge_headroom and industrial capacity.",
        source="Emergency drawdowns after an attack (e.g. Ukraine 2022; CSIS 2023).",
    )
    surge_years: int = param(
        2,
        0,
        20,
        unit="years",
        meaning="Years a surge lasts after an attack.",
        source="Assumption (one or two supplemental appropriations).",
    )
    backsliding_response: BackslidingResponse = Field(
        "none",
        description="What the donor does when the partner's governance falls or audits find heavy leakage: nothing, suspend aid that year, or end the program after backsliding_strikes findings.",
        json_schema_extra={
            "unit": "choice",
            "source": "Leahy laws and aid suspensions after coups (US Foreign Assistance Act §7008).",
        },
    )
    renegotiate_after: int = param(
        0,
        0,
        50,
        unit="years",
        meaning="Years after a rejection when the donor returns with a less intrusive program (0 = never).",
        source="Assumption (renegotiated status-of-forces and assistance agreements).",
    )

    @field_validator("instrument_mix", mode="before")
    @classmethod
    def _named_mix(cls, v: Any) -> Any:
        if isinstance(v, str):
            if v not in MIX_PRESETS:
                raise ValueError(f"must be one of {', '.join(MIX_PRESETS)} or a table of shares")
            return dict(MIX_PRESETS[v])
        return v

    @field_validator("instrument_mix", mode="after")
    @classmethod
    def _mix_sums_to_one(cls, v: InstrumentMix) -> InstrumentMix:
        total = sum(v.shares().values())
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            raise ValueError(f"instrument shares must sum to 1 (they sum to {total:.6g})")
        return v

    @field_validator("sunset_year", mode="before")
    @classmethod
    def _open_ended(cls, v: Any) -> Any:
        if isinstance(v, str) and v.strip().lower() in ("open", "none", "open-ended", "open_ended"):
            return None
        return v
