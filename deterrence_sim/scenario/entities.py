"""The states and links of a scenario: donors, partners, aggressors, ties and alliances.

The classes are named ``...Spec`` because they describe a state's starting values; the Mesa agents
that act a state out over the years live in :mod:`deterrence_sim.agents`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from ..vocab import Commitment
from .fields import MAX_CAPABILITY, MAX_COUNT, WORLD_GDP, ScenarioBase, param
from .policy import Policy

__all__ = ["AggressorSpec", "Alliance", "DonorSpec", "PartnerSpec", "Tie"]


class DonorSpec(ScenarioBase):
    """A donor state: capability, budget, industry, political will, reputation and policy."""

    name: str = Field(description="Unique name (e.g. a COW state abbreviation).")
    capability: float = param(
        100.0,
        0,
        MAX_CAPABILITY,
        hi_means="4 x world GDP in $bn: a military as large as the world's output",
        unit="capability points",
        meaning="Military capability C.",
        source="Region presets: COW NMC milex (see data).",
    )
    projectable_share: float = param(
        0.3,
        0,
        1,
        unit="share",
        meaning="pi: share of capability it can project to a partner's defence.",
        source="Assumption; force projection limits (Posen 2003).",
    )
    budget: float = param(
        1.0,
        0,
        WORLD_GDP,
        hi_means="world GDP in $bn",
        unit="$bn/yr",
        meaning="Annual security-assistance budget across its partners.",
        source="Region presets; e.g. US FMF + 333 programs.",
    )
    industrial_capacity: float = param(
        2.0,
        0,
        WORLD_GDP,
        hi_means="world GDP in $bn",
        unit="$bn/yr",
        meaning="Equipment it can deliver per year.",
        source="CSIS 2023 on defence-industrial surge capacity.",
    )
    lead_time: int = param(
        2,
        0,
        10,
        unit="years",
        meaning="Years from an equipment order to delivery.",
        source="FMF case processing (GAO 2022).",
    )
    will: float = param(
        0.8, 0, 1, unit="-", meaning="Initial political will W.", source="Assumption."
    )
    will_floor: float = param(
        0.2,
        0,
        1,
        unit="-",
        meaning="Below this will the donor exits early and abruptly.",
        source="Assumption.",
    )
    reputation_honoured: float = param(
        7.5,
        0,
        MAX_COUNT,
        hi_means="far more commitments than ATOP records",
        unit="count",
        meaning="Beta prior: pseudo-count of honoured commitments.",
        source="Prior mean 0.75 (Leeds, Long & Mitchell 2000).",
    )
    reputation_failed: float = param(
        2.5,
        0,
        MAX_COUNT,
        hi_means="far more commitments than ATOP records",
        unit="count",
        meaning="Beta prior: pseudo-count of failed commitments.",
        source="Prior mean 0.75 (Leeds, Long & Mitchell 2000).",
    )
    policy: Policy = Field(default_factory=Policy, description="The donor's policy levers.")

    @field_validator("reputation_failed", mode="after")
    @classmethod
    def _reputation_prior(cls, v: float, info: Any) -> float:
        if v + info.data.get("reputation_honoured", 1.0) <= 0:
            raise ValueError("reputation_honoured + reputation_failed must be positive")
        return v


class PartnerSpec(ScenarioBase):
    """A partner state receiving assistance."""

    name: str = Field(description="Unique name.")
    equipment: float = param(
        5.0,
        0,
        WORLD_GDP,
        hi_means="world GDP in $bn",
        unit="$bn",
        meaning="Initial equipment stock.",
        source="Region presets: COW NMC milex.",
    )
    human_capital: float = param(
        0.3, 0, 1, unit="-", meaning="Initial trained human capital H.", source="Assumption."
    )
    readiness: float = param(
        0.8, 0, 1, unit="-", meaning="Initial readiness.", source="Assumption."
    )
    absorptive_capacity: float = param(
        1.0,
        0,
        WORLD_GDP,
        hi_means="world GDP in $bn",
        unit="$bn/yr",
        meaning="Aid per instrument the partner can absorb before saturation.",
        source="RAND Paul et al. 2013; McNerney et al. 2014.",
    )
    governance: float = param(
        0.6,
        0,
        1,
        unit="-",
        meaning="Governance G (civilian control, rule of law, low corruption).",
        source="V-Dem polyarchy (Coppedge et al.) in region presets.",
    )
    gdp: float = param(
        50.0,
        0,
        WORLD_GDP,
        hi_means="world GDP in $bn",
        unit="$bn",
        meaning="GDP.",
        source="Region presets.",
    )
    defence_share: float = param(
        0.02,
        0,
        0.5,
        unit="share of GDP",
        meaning="Own defence spending share.",
        source="SIPRI; COW milex.",
    )
    alignment: float = param(
        0.6,
        0,
        1,
        unit="-",
        meaning="Alignment with donor interests.",
        source="Assumption (UN voting affinity).",
    )
    sovereignty_sensitivity: float = param(
        0.3, 0, 1, unit="-", meaning="Sensitivity to intrusive conditions.", source="Assumption."
    )
    interoperability: float = param(
        0.3, 0, 1, unit="-", meaning="Interoperability with donors.", source="Assumption."
    )


class AggressorSpec(ScenarioBase):
    """An aggressor: a state (deterred by commitments) or an insurgency inside a partner."""

    name: str = Field(description="Unique name.")
    kind: Literal["state", "insurgency"] = Field(
        "state",
        description="A state, or an insurgency inside its host partner.",
        json_schema_extra={"unit": "choice", "source": "docs/design.md §4"},
    )
    host: str | None = Field(None, description="For an insurgency: the partner it operates in.")
    capability: float = param(
        20.0,
        0,
        MAX_CAPABILITY,
        hi_means="4 x world GDP in $bn: a military as large as the world's output",
        unit="capability points",
        meaning="Initial capability K (insurgency: strength).",
        source="Region presets: COW NMC milex.",
    )
    growth: float = param(
        0.0375,
        -0.5,
        0.5,
        unit="1/yr",
        meaning="Richardson grievance term as a rate: the aggressor adds g·K a year, so arming scales with its own size (economy).",
        source="NMC milex of Thompson & Dreyer rivals 1816-2010: 0.0125/yr relative to the system (95% [0.007, 0.017]) plus world.gdp_growth (docs/capability-data.md); Richardson 1960; Intriligator & Brito 1984.",
    )
    reaction: float = param(
        0.005,
        0,
        5,
        unit="1/yr",
        meaning="Richardson reaction k to the partners' capability it faces.",
        source="Fitted to NMC milex of Thompson & Dreyer rivals 1816-2010, 95% [0.0003, 0.0087] (docs/capability-data.md); Richardson 1960; Collier & Hoeffler 2007.",
    )
    fatigue: float = param(
        0.02,
        0,
        1,
        unit="1/yr",
        meaning="Richardson fatigue a.",
        source="NMC milex of rivals: growth relative to the system minus fatigue = -0.0077/yr (docs/capability-data.md); Richardson 1960.",
    )
    war_cost: float = param(
        0.3,
        0,
        5,
        unit="prize",
        meaning="c: cost of war relative to a unit prize.",
        source="Fearon 1995.",
    )
    threshold: float = param(
        0.3,
        -5,
        5,
        unit="utility",
        meaning="theta: utility a war must offer before it is likely.",
        source="Calibrated.",
    )
    max_strength: float = param(
        10.0,
        0.1,
        MAX_CAPABILITY,
        hi_means="4 x world GDP in $bn: a military as large as the world's output",
        unit="points",
        meaning="Insurgency only: strength at which grievance growth saturates.",
        source="Assumption.",
    )


class Tie(ScenarioBase):
    """A tie: 'aid' donor → partner (with the donor's stake) or 'rivalry' aggressor → partner (with a prize)."""

    kind: Literal["aid", "rivalry"]
    source: str
    target: str
    stake: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="aid: the donor's strategic stake in the partner.",
        source="Assumption.",
    )
    commitment: Commitment | None = Field(
        None,
        description="aid: this tie's commitment, when it differs from the donor's policy (e.g. strategic ambiguity).",
        json_schema_extra={"unit": "choice", "source": "Leeds, Long & Mitchell 2000."},
    )
    prize: float = param(
        1.0,
        0,
        10,
        unit="prize",
        meaning="rivalry: value of the partner to the aggressor.",
        source="Assumption.",
    )
    contiguous: bool = param(
        True,
        unit="flag",
        meaning="rivalry: the aggressor borders the partner (land, or up to 400 miles of water); a distant aggressor brings only world.distant_projection of its capability and lacks the neighbours' opportunity (world.contiguity_weight).",
        source="COW Direct Contiguity v3.2 (types 1-5) for scenarios built from data; Lemke & Reed 2001.",
    )
    rival: bool = param(
        True,
        unit="flag",
        meaning="rivalry: the pair are strategic rivals, states that see each other as competitors and enemies (raises the challenge hazard by world.rivalry_weight); false for a merely politically relevant pair.",
        source="Thompson & Dreyer 2012 (td-rivalries) for scenarios built from data; the region presets' rivalries are on that list.",
    )
    peace_years: int = param(
        30,
        0,
        1000,
        unit="years",
        meaning="rivalry: years since the dyad's last militarized dispute, as of year 1 (1: a dispute last year).",
        source="GML MID 2.2.1 for scenarios built from data; 30 (no recent dispute) otherwise.",
    )
    recent_disputes: int = param(
        0,
        0,
        5,
        unit="disputes",
        meaning="rivalry: militarized disputes in the dyad's last 5 years, counted back from the last one (one a year).",
        source="GML MID 2.2.1 for scenarios built from data.",
    )
    claim: bool = param(
        False,
        unit="flag",
        meaning="rivalry: the aggressor has a territorial claim on the partner (raises the challenge hazard by world.claim_weight).",
        source="GML MID revision type 1 (territory) in the dyad's disputes, for scenarios built from data; Hensel 2001.",
    )


class Alliance(ScenarioBase):
    """An alliance of donors: pooled aid, burden sharing and a collective commitment."""

    name: str
    members: list[str]
    burden_sharing: Literal["gdp", "equal", "voluntary"] = Field(
        "gdp",
        description="How pooled aid is divided among members: by capability, equally, or voluntarily by stake (under-provides).",
        json_schema_extra={"unit": "choice", "source": "Olson & Zeckhauser 1966."},
    )
    covers: list[str] = Field(
        default_factory=list,
        description="Partners the alliance defends collectively; empty = every partner a member aids.",
        json_schema_extra={"unit": "names", "source": "Collective defence clauses (Leeds 2003)."},
    )
