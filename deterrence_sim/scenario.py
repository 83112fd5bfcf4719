"""The scenario: a typed, validated description of one world and each donor's policy.

A scenario holds world settings (mechanism coefficients), donors with their policy levers,
partners, aggressors (states or insurgencies), ties (aid, rivalry) and alliances. It is loaded from
TOML (a preset shipped with the package or a user's file), changed by dotted-path overrides, and
written back to TOML. Every problem in an input is reported at once, naming the file, the dotted
key, the bad value and what is allowed (:class:`~deterrence_sim.errors.ScenarioError`).

Each field carries its unit, valid range and source; ``docs/parameters.md`` is generated from them
(``python -m deterrence_sim.paramtable``).
"""

from __future__ import annotations

import copy
import fnmatch
import math
import tomllib
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import MISSING, Problem, ScenarioError, read_toml

__all__ = [
    "INSTRUMENTS",
    "MIX_PRESETS",
    "Aggressor",
    "Alliance",
    "Donor",
    "InstrumentMix",
    "Milestones",
    "Partner",
    "Policy",
    "Scenario",
    "Tie",
    "World",
]

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

COMMITMENTS = ("none", "assurance", "bilateral_pact", "alliance")


def param(
    default: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    unit: str = "",
    meaning: str,
    source: str,
) -> Any:
    """A scenario field with its valid range, unit, meaning and source (for the parameter table)."""
    extra = {"unit": unit, "source": source}
    return Field(default, ge=lo, le=hi, description=meaning, json_schema_extra=extra)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


class World(_Strict):
    """World settings: the horizon and the coefficients of the mechanisms (DESIGN §5)."""

    years: int = param(
        40,
        1,
        500,
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
        meaning="GDP a partner concedes when it accepts a coercive demand, per unit of the demand above its war share.",
        source="Assumption (gray-zone concessions: Mazarr 2015).",
    )
    leakage_base: float = param(
        0.5,
        0,
        1,
        unit="share",
        meaning="Leakage l0 at zero governance, zero alignment and no audits.",
        source="SIGAR 2021: large shares of reconstruction aid unaccounted for in Afghanistan.",
    )
    audit_sensitivity: float = param(
        2.0,
        0,
        10,
        unit="-",
        meaning="theta: how fast audits cut leakage, l ∝ exp(-theta·audit).",
        source="Olken 2007: audits cut missing expenditures by about a third.",
    )
    leakage_erosion: float = param(
        0.05,
        0,
        1,
        unit="G per leaked share",
        meaning="Governance eroded each year per unit of the leaked share of aid (diversion corrupts institutions).",
        source="Knack 2001: aid dependence erodes governance quality.",
    )
    absorption_saturation: float = param(
        1.0,
        0.1,
        10,
        unit="-",
        meaning="Scale of saturation in u = (1-l)·a/(1 + a/(capacity·saturation)).",
        source="Clemens et al. 2012: diminishing returns to aid; RAND Paul et al. 2013.",
    )
    training_rate: float = param(
        0.35,
        0,
        5,
        unit="H per absorbed $ / own defence $",
        meaning="Human capital gained per unit of absorbed training aid relative to the partner's own defence budget (times 0.5+0.5G and 1-H).",
        source="Governance gating of training (x 0.5+0.5G): RAND Paul et al. 2013; McNerney et al. 2014 (validation B3: the aid effect at G=0.8 is 1.7x that at G=0.2).",
    )
    skill_attrition: float = param(
        0.06,
        0,
        1,
        unit="1/yr",
        meaning="Yearly loss of trained human capital (turnover, desertion).",
        source="SIGAR 2017: ANDSF attrition ~2–3%/month at worst; 6%/yr for a stable force.",
    )
    skill_bonus: float = param(
        1.0,
        0,
        5,
        unit="-",
        meaning="Capability multiplier 1 + skill_bonus·H from trained personnel.",
        source="Biddle 2004: force employment and skill matter as much as materiel.",
    )
    equipment_depreciation: float = param(
        0.05,
        0,
        1,
        unit="1/yr",
        meaning="Yearly depreciation of the equipment stock.",
        source="20-year service life of major systems.",
    )
    upkeep_rate: float = param(
        0.15,
        0,
        1,
        unit="1/yr",
        meaning="Yearly sustainment cost per unit of equipment (before the skill discount).",
        source="O&M is 10–20% of acquisition value per year (CBO 2021).",
    )
    upkeep_skill_discount: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="Share of upkeep saved by fully trained personnel: need = rate·E·(1 - discount·H).",
        source="Assumption: trained maintainers cut sustainment costs (Karlin 2018).",
    )
    donor_sustainment_share: float = param(
        0.5,
        0,
        1,
        unit="share",
        meaning="Share of absorbed equipment aid spent on sustaining the stock (spares, contractors) rather than new equipment.",
        source="SIGAR 2022/23: contractor maintenance of Afghan aircraft.",
    )
    own_upkeep_share: float = param(
        0.6,
        0,
        1,
        unit="share",
        meaning="Share of a partner's own defence budget available for upkeep (rest buys equipment).",
        source="Typical O&M share of defence budgets (SIPRI).",
    )
    own_procurement_efficiency: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="Equipment gained per unit of own procurement spending.",
        source="Assumption: partners buy less efficiently than donor programs.",
    )
    intelligence_decay: float = param(
        0.3,
        0,
        1,
        unit="1/yr",
        meaning="Yearly decay of early-warning capacity from intelligence sharing.",
        source="Assumption: intelligence value is perishable.",
    )
    intelligence_rate: float = param(
        0.5,
        0,
        5,
        unit="w per absorbed $ / own defence $",
        meaning="Early-warning capacity gained per unit of absorbed intelligence aid, times governance.",
        source="Assumption; crisis response improves with shared warning (Byman 2006).",
    )
    crisis_bonus: float = param(
        0.3,
        0,
        2,
        unit="-",
        meaning="Capability multiplier 1 + crisis_bonus·w from early warning.",
        source="Assumption.",
    )
    governance_rate: float = param(
        0.15,
        0,
        2,
        unit="G per absorbed $ / 1% of GDP",
        meaning="Governance gained per unit of absorbed governance aid relative to 1% of GDP, when the partner makes the reform effort (times 1-G).",
        source="Calibrated to RAND McNerney et al. 2014 (governance gains are slow).",
    )
    reform_effort_gain: float = param(
        0.02,
        0,
        0.5,
        unit="G/yr",
        meaning="Governance a complying partner gains from its own reform effort each year (times 1-G).",
        source="Assumption.",
    )
    governance_reversion: float = param(
        0.15,
        0,
        1,
        unit="1/yr",
        meaning="Yearly pull of governance back toward its baseline (share of the gap).",
        source="Andrews, Pritchett & Woolcock 2017: reforms as isomorphic mimicry revert.",
    )
    governance_noise: float = param(
        0.01,
        0,
        0.2,
        unit="G",
        meaning="Standard deviation of yearly governance shocks (halved by stabilization aid).",
        source="V-Dem polyarchy year-on-year changes: median |Δ| ≈ 0.01.",
    )
    reform_threshold: float = param(
        0.05,
        0,
        0.5,
        unit="G",
        meaning="How far above baseline governance must stay to count as reform holding.",
        source="Assumption.",
    )
    institutionalisation_years: int = param(
        5,
        1,
        30,
        unit="years",
        meaning="Consecutive years a reform must hold before it becomes the new baseline.",
        source="North 1990; Huntington 1968 on institutionalisation; assumption for the number.",
    )
    reform_cost: float = param(
        0.6,
        0,
        5,
        unit="share of aid",
        meaning="Political cost of reform at zero governance and alignment, relative to aid at stake.",
        source="Assumption; elite resistance (Ladwig 2017).",
    )
    reform_sharpness: float = param(
        8.0,
        0.1,
        100,
        unit="-",
        meaning="Sharpness of the partner's comply/shirk logistic choice.",
        source="Assumption (quantal response).",
    )
    governance_aid_benefit: float = param(
        0.3,
        0,
        5,
        unit="-",
        meaning="Direct benefit a partner sees in governance aid (per unit share of the mix).",
        source="Assumption.",
    )
    rejection_threshold: float = param(
        0.35,
        0,
        1,
        unit="-",
        meaning="A partner rejects a program when sovereignty sensitivity × intrusiveness exceeds this.",
        source="Assumption (sovereignty costs: Ladwig 2017).",
    )
    enforcement_stake_discount: float = param(
        0.5,
        0,
        2,
        unit="-",
        meaning="eps1: how much a donor's stake × threat lowers its enforcement.",
        source="Samaritan's dilemma: Buchanan 1975; Gibson et al. 2005.",
    )
    enforcement_pooling_bonus: float = param(
        0.15,
        0,
        1,
        unit="-",
        meaning="eps2: enforcement gained when aid is pooled through an alliance.",
        source="Multilateral conditionality is more credible (Ladwig 2017; Milner 2006).",
    )
    enforcement_prior: float = param(
        0.3,
        0,
        1,
        unit="probability",
        meaning="Partner's prior belief that a missed benchmark is punished.",
        source="Partners start sceptical: conditions on security assistance were rarely enforced (Ladwig 2017). With 0.5, unenforced conditions bought a quarter of the enforced governance gain before partners learned (validation F2b).",
    )
    enforcement_prior_weight: float = param(
        2.0,
        0.1,
        100,
        unit="observations",
        meaning="Weight of that prior in pseudo-observations (Beta prior).",
        source="Weak prior: partners learn within a few years.",
    )
    insecurity_response: float = param(
        1.0,
        0,
        10,
        unit="-",
        meaning="How strongly a partner's own defence share rises with insecurity.",
        source="Balancing (Waltz 1979); assumption for the number.",
    )
    aid_crowd_out: float = param(
        0.4,
        0,
        2,
        unit="-",
        meaning="Own defence spending crowded out per unit of aid relative to own spending (fungibility).",
        source="Feyzioglu, Swaroop & Zhu 1998: aid is largely fungible.",
    )
    sunset_anticipation: float = param(
        0.5,
        0,
        5,
        unit="-",
        meaning="Rise of own defence share ahead of a credible sunset (fully in the last 5 years).",
        source="Hypothesis: sunset clauses as commitment devices (no quantitative evidence).",
    )
    spending_adjustment: float = param(
        0.25,
        0,
        1,
        unit="1/yr",
        meaning="Share of the gap to its target defence share a partner closes each year.",
        source="Budgets adjust slowly (Nordhaus, Oneal & Russett 2012).",
    )
    interoperability_rate: float = param(
        0.1,
        0,
        2,
        unit="1/yr",
        meaning="Interoperability gained per unit of absorbed training+intelligence aid relative to the own defence budget.",
        source="Assumption.",
    )
    interoperability_decay: float = param(
        0.05,
        0,
        1,
        unit="1/yr",
        meaning="Yearly decay of interoperability without aid.",
        source="Assumption.",
    )
    attack_sharpness: float = param(
        20.0,
        0.1,
        200,
        unit="1/utility",
        meaning="beta in P(attack) = logistic(beta·(EU - theta)).",
        source="Calibrated so that well-defended partners see rare attacks.",
    )
    intervention_escalation: float = param(
        0.5,
        0,
        5,
        unit="-",
        meaning="h: extra cost of a war in which donors intervene, EU cost c·(1+h).",
        source="Huth 1988: extended deterrence raises expected costs.",
    )
    coercion_band: float = param(
        0.25,
        0,
        2,
        unit="utility",
        meaning="An aggressor coerces when its best EU is within this band below its threshold.",
        source="Gray-zone coercion below the threshold of war (Mazarr 2015).",
    )
    coercion_rate: float = param(
        0.3,
        0,
        1,
        unit="1/yr",
        meaning="Yearly probability of a coercive demand when coercion is in the band.",
        source="Assumption.",
    )
    partner_resolve: float = param(
        0.4,
        0,
        2,
        unit="prize",
        meaning="cbar: upper bound of a partner's private cost of war (uniform on [0, cbar]).",
        source="Fearon 1995 (risk-return trade-off).",
    )
    coercion_escalation: float = param(
        0.3,
        0,
        1,
        unit="probability",
        meaning="Probability that a resisted coercive demand escalates to war.",
        source="Assumption; most gray-zone crises do not escalate.",
    )
    preventive_discount: float = param(
        0.9,
        0.01,
        0.999,
        unit="-",
        meaning="delta, the aggressor's discount factor in Powell's preventive-war condition.",
        source="Powell 2006.",
    )
    preventive_resolve: float = param(
        0.35,
        0,
        1,
        unit="probability",
        meaning="Yearly probability of a preventive attack while Powell's condition holds.",
        source="Assumption: a window of danger is not always acted on.",
    )
    intervention_intercept: float = param(
        -1.3,
        -20,
        20,
        unit="logit",
        meaning="b0 of the donor's true intervention probability.",
        source="Calibrated with b1 so a bilateral pact is honoured ~75% of the times it is called on (Leeds, Long & Mitchell 2000): 0.717 at -1.5, 0.800 at -1.0 over 400 seeds (python -m deterrence_sim.data.calibrate).",
    )
    intervention_commitment: float = param(
        1.1,
        0,
        10,
        unit="logit per level",
        meaning="b1: effect of the commitment level (none 0, assurance 1, pact 2, alliance 2.5).",
        source="Leeds, Long & Mitchell 2000.",
    )
    intervention_tripwire: float = param(
        1.0,
        0,
        10,
        unit="logit",
        meaning="b2: effect of a tripwire force.",
        source="Schelling 1966; Reiter & Poast 2021.",
    )
    intervention_stake: float = param(
        1.0,
        0,
        10,
        unit="logit per unit stake",
        meaning="b3: effect of the donor's stake in the partner.",
        source="Huth 1988.",
    )
    intervention_interop: float = param(
        0.5, 0, 10, unit="logit", meaning="b4: effect of interoperability.", source="Assumption."
    )
    intervention_cost: float = param(
        0.4,
        0,
        10,
        unit="logit",
        meaning="b5: effect of the expected cost relative to political will.",
        source="Assumption.",
    )
    belief_prior_assurance: float = param(
        0.3,
        0,
        1,
        unit="probability",
        meaning="Prior for an informal assurance.",
        source="Assumption.",
    )
    belief_prior_pact: float = param(
        0.6,
        0,
        1,
        unit="probability",
        meaning="Prior for a bilateral defence pact.",
        source="Leeds, Long & Mitchell 2000.",
    )
    belief_prior_alliance: float = param(
        0.7,
        0,
        1,
        unit="probability",
        meaning="Prior for an alliance member's collective commitment.",
        source="Assumption.",
    )
    belief_tripwire_bonus: float = param(
        0.15,
        0,
        1,
        unit="probability",
        meaning="Prior raised by a tripwire / forward presence.",
        source="Schelling 1966.",
    )
    belief_post_sunset: float = param(
        0.5,
        0,
        1,
        unit="multiplier",
        meaning="Belief multiplier once a donor's program has passed its sunset.",
        source="Hypothesis (sunset as a signal of waning interest).",
    )
    will_recovery: float = param(
        0.1,
        0,
        1,
        unit="1/yr",
        meaning="Yearly recovery of a donor's political will toward its initial level.",
        source="Assumption.",
    )
    will_intervention_cost: float = param(
        0.15,
        0,
        1,
        unit="W",
        meaning="Will lost per intervention (casualties and cost), times (1 - the donor's stake in the partner).",
        source="Mueller 1973; Gartner 2008; Gelpi, Feaver & Reifler 2009 (casualty tolerance rises with the stakes).",
    )
    will_scandal_cost: float = param(
        0.08,
        0,
        1,
        unit="W",
        meaning="Will lost when an audit finds a leakage scandal.",
        source="Assumption.",
    )
    will_cost_sensitivity: float = param(
        0.02,
        0,
        1,
        unit="W per budget",
        meaning="Will lost per yearly program cost above budget.",
        source="Assumption.",
    )
    war_losses: float = param(
        0.25,
        0,
        1,
        unit="share",
        meaning="Capability each side loses in a war, times the other's strength share.",
        source="Lanchester-style attrition; assumption for the number.",
    )
    intervention_cost_rate: float = param(
        0.05,
        0,
        1,
        unit="$bn per unit force",
        meaning="Donor cost of an intervention per unit of projected force.",
        source="Assumption.",
    )
    audit_cost_rate: float = param(
        0.05,
        0,
        1,
        unit="share of aid",
        meaning="Cost of audits at intensity 1, as a share of the aid audited.",
        source="Assumption.",
    )
    backlog_cost: float = param(
        0.2,
        0,
        5,
        unit="-",
        meaning="Unit cost increase per year of industrial backlog (backlog/capacity).",
        source="Defence industrial surge limits (CSIS 2023).",
    )
    insurgent_growth: float = param(
        0.3,
        0,
        2,
        unit="1/yr",
        meaning="Insurgency growth rate at zero governance (grievance), logistic in strength.",
        source="Fearon & Laitin 2003; Collier & Hoeffler 2004.",
    )
    insurgent_suppression: float = param(
        0.05,
        0,
        1,
        unit="per capability·G",
        meaning="Insurgent strength suppressed per unit partner capability used with good governance.",
        source="Assumption (population-centric COIN: Paul, Clarke & Grill 2010).",
    )
    stabilization_rate: float = param(
        0.5,
        0,
        5,
        unit="strength per absorbed $bn",
        meaning="Insurgent strength reduced per unit of absorbed stabilization aid.",
        source="Berman, Shapiro & Felter 2011 (small-scale aid reduces violence).",
    )
    insurgent_violence_gdp: float = param(
        0.01,
        0,
        0.5,
        unit="share of GDP per strength",
        meaning="GDP lost per unit of insurgent strength per year.",
        source="Abadie & Gardeazabal 2003.",
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
    insurgent_damage: float = param(
        0.1,
        0,
        1,
        unit="share",
        meaning="Share of equipment a partner loses when an insurgent attack succeeds (a third of that when it fails).",
        source="Assumption.",
    )
    preventive_horizon: int = param(
        3,
        1,
        10,
        unit="years",
        meaning="How far ahead an aggressor looks at the visible aid pipeline.",
        source="Powell 2006.",
    )
    # --- Agents that choose (docs/model.md §7): constants made visible to sensitivity analysis ---
    intrusiveness_conditionality_weight: float = param(
        0.6,
        0,
        1,
        unit="-",
        meaning="Weight of conditionality in a program's intrusiveness (audits get 1 minus this).",
        source="Assumption: conditions on policy are felt more than audits of spending (Ladwig 2017).",
    )
    reform_sovereignty_cost: float = param(
        0.5,
        0,
        2,
        unit="-",
        meaning="Weight of intrusiveness × sovereignty sensitivity in the partner's cost of reform.",
        source="Assumption (sovereignty costs of conditions: Ladwig 2017).",
    )
    reform_leverage_half: float = param(
        0.001,
        0,
        1,
        unit="share of GDP",
        meaning="Aid (as a share of the partner's GDP) at which a donor has half its full leverage over reform; leverage = A/(A + this·Y).",
        source="Assumption: leverage grows with what is at stake for the partner (Biddle, Macdonald & Baker 2018).",
    )
    rejection_alignment_loss: float = param(
        0.2,
        0,
        1,
        unit="-",
        meaning="Alignment a partner loses when it rejects a program as too intrusive.",
        source="Assumption.",
    )
    scandal_leakage: float = param(
        0.15,
        0,
        1,
        unit="share",
        meaning="Leakage share above which an audit find is a scandal (and counts as heavy leakage for backsliding).",
        source="Assumption; SIGAR 2021 reports diversion on this order in its worst findings.",
    )
    audit_memory: float = param(
        0.7,
        0,
        1,
        unit="-",
        meaning="Weight of past findings in the leakage share audits have found (exponential smoothing).",
        source="Assumption.",
    )
    war_governance_loss: float = param(
        0.05,
        0,
        1,
        unit="G",
        meaning="Governance a partner loses when it loses a war.",
        source="Assumption (defeat weakens institutions; Collier 1999).",
    )
    insurgent_governance_loss: float = param(
        0.02,
        0,
        1,
        unit="G",
        meaning="Governance a partner loses to a successful insurgent attack.",
        source="Assumption (Fearon & Laitin 2003).",
    )
    insurgent_gdp_loss_cap: float = param(
        0.1,
        0,
        1,
        unit="share of GDP/yr",
        meaning="Upper bound of the GDP share insurgent violence destroys in a year; loss = cap·(1 − exp(−insurgent_violence_gdp·S/cap)).",
        source="Abadie & Gardeazabal 2003 (about 10% of GDP over two decades of ETA violence; a year's loss far lower).",
    )
    nominal_program_years: int = param(
        20,
        1,
        100,
        unit="years",
        meaning="Length a program without a sunset is taken to have, for sequencing.",
        source="Assumption (two decades of US assistance to Afghanistan and Iraq).",
    )
    sunset_anticipation_years: int = param(
        5,
        1,
        20,
        unit="years",
        meaning="Years before a sunset in which a partner starts raising its own spending.",
        source="Hypothesis (budget cycles of about five years).",
    )
    belief_reputation_reference: float = param(
        0.75,
        0.01,
        1,
        unit="probability",
        meaning="Reputation at which an aggressor's belief equals its commitment prior (q = prior·resolve/this).",
        source="Prior mean of alliance reliability (Leeds, Long & Mitchell 2000).",
    )
    belief_exit_weight: float = param(
        1.0,
        0,
        10,
        unit="count",
        meaning="Failed-commitment count an aggressor adds to its belief about a donor when that donor exits a program early (will, backsliding).",
        source="Assumption: an abandonment signal (Leeds 2003).",
    )
    belief_surge_weight: float = param(
        0.5,
        0,
        10,
        unit="count",
        meaning="Honoured-commitment count an aggressor adds to its belief about a donor when that donor surges aid after an attack.",
        source="Assumption: a costly signal of resolve (Fearon 1997), weaker than fighting.",
    )
    alliance_member_stake: float = param(
        0.3,
        0,
        1,
        unit="-",
        meaning="Stake an alliance member without an aid tie has in a covered partner (enters its intervention probability).",
        source="Assumption (collective defence: Leeds 2003).",
    )
    will_attack_rally: float = param(
        0.05,
        0,
        1,
        unit="-",
        meaning="Will a donor gains per attack on a partner it aids, times its stake (rally effect).",
        source="Mueller 1973 (rally round the flag).",
    )
    surge_headroom: float = param(
        1.0,
        0,
        10,
        unit="share of budget",
        meaning="Extra aid a donor can find for surges in a year, as a share of its annual budget.",
        source="Assumption (supplemental appropriations; CSIS 2023 on industrial limits).",
    )
    backsliding_governance_drop: float = param(
        0.02,
        0,
        1,
        unit="G/yr",
        meaning="Fall of a partner's governance in a year that counts as backsliding.",
        source="Assumption (V-Dem autocratisation episodes: Lührmann & Lindberg 2019).",
    )
    backsliding_strikes: int = param(
        3,
        1,
        20,
        unit="count",
        meaning="Backsliding findings after which a donor with backsliding_response 'cut' ends the program.",
        source="Assumption.",
    )
    interop_force_floor: float = param(
        0.5,
        0,
        1,
        unit="share",
        meaning="Share of a donor's projected force that fights beside a partner whatever its interoperability (the rest scales with it).",
        source="Assumption (interoperability multiplies coalition effectiveness; Biddle 2004).",
    )
    belief_max: float = param(
        0.99,
        0,
        1,
        unit="probability",
        meaning="Largest belief an aggressor holds that one commitment is honoured.",
        source="Assumption: no commitment is certain.",
    )
    training_governance_floor: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="Training effect at zero governance relative to perfect governance.",
        source="Assumption (Paul et al. 2013: governance conditions training's effect).",
    )
    stabilization_calm: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="Largest cut in governance noise that absorbed stabilization aid buys.",
        source="Assumption (Berman, Shapiro & Felter 2011).",
    )
    interoperability_decay_with_aid: float = param(
        0.2,
        0,
        1,
        unit="-",
        meaning="Interoperability decay in a year with aid, relative to a year without.",
        source="Assumption (joint exercises slow the loss).",
    )
    governance_aid_scale: float = param(
        0.01,
        0.0001,
        1,
        unit="share of GDP",
        meaning="Governance aid acts relative to this share of the partner's GDP.",
        source="Assumption (McNerney et al. 2014: governance gains are slow).",
    )
    review_performance_floor: float = param(
        0.25,
        0,
        5,
        unit="-",
        meaning="Budget weight a program keeps at zero performance in a review (weight = stake·(1+threat)·(this + performance)).",
        source="Assumption.",
    )
    front_load_years: int = param(
        3,
        0,
        20,
        unit="years",
        meaning="Program years a front-loaded pacing surges.",
        source="Assumption (Powell 2006 on windows of danger).",
    )
    front_load_factor: float = param(
        1.5,
        1,
        5,
        unit="multiplier",
        meaning="Aid multiplier of the front-loaded years.",
        source="Assumption.",
    )
    renegotiation_softening: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="Factor applied to conditionality and audit intensity when a donor returns after a rejection.",
        source="Assumption.",
    )


class InstrumentMix(_Strict):
    """Shares of a donor's aid by instrument; must sum to 1."""

    training: float = param(
        0.25, 0, 1, unit="share", meaning="Training of partner forces.", source="DESIGN §4."
    )
    equipment: float = param(
        0.30,
        0,
        1,
        unit="share",
        meaning="Equipment deliveries (and their sustainment).",
        source="DESIGN §4.",
    )
    intelligence: float = param(
        0.15,
        0,
        1,
        unit="share",
        meaning="Intelligence sharing (early warning).",
        source="DESIGN §4.",
    )
    governance: float = param(
        0.15,
        0,
        1,
        unit="share",
        meaning="Governance and institutional reform.",
        source="DESIGN §4.",
    )
    stabilization: float = param(
        0.15,
        0,
        1,
        unit="share",
        meaning="Stabilization aid against insurgency.",
        source="DESIGN §4.",
    )

    def shares(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in INSTRUMENTS}


class Milestones(_Strict):
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


class Policy(_Strict):
    """A donor's policy: the levers a sweep varies."""

    instrument_mix: InstrumentMix = Field(
        default_factory=InstrumentMix,
        description="Shares by instrument, or a named mix: " + ", ".join(MIX_PRESETS) + ".",
        json_schema_extra={"unit": "shares", "source": "DESIGN §4"},
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
    commitment: Literal["none", "assurance", "bilateral_pact", "alliance"] = Field(
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

    exit_rule: Literal["sunset", "conditions", "hybrid"] = Field(
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
    backsliding_response: Literal["none", "suspend", "cut"] = Field(
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


class Donor(_Strict):
    """A donor state: capability, budget, industry, political will, reputation and policy."""

    name: str = Field(description="Unique name (e.g. a COW state abbreviation).")
    capability: float = param(
        100.0,
        0,
        None,
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
        None,
        unit="$bn/yr",
        meaning="Annual security-assistance budget across its partners.",
        source="Region presets; e.g. US FMF + 333 programs.",
    )
    industrial_capacity: float = param(
        2.0,
        0,
        None,
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
        None,
        unit="count",
        meaning="Beta prior: pseudo-count of honoured commitments.",
        source="Prior mean 0.75 (Leeds, Long & Mitchell 2000).",
    )
    reputation_failed: float = param(
        2.5,
        0,
        None,
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


class Partner(_Strict):
    """A partner state receiving assistance."""

    name: str = Field(description="Unique name.")
    equipment: float = param(
        5.0,
        0,
        None,
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
        None,
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
    gdp: float = param(50.0, 0, None, unit="$bn", meaning="GDP.", source="Region presets.")
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


class Aggressor(_Strict):
    """An aggressor: a state (deterred by commitments) or an insurgency inside a partner."""

    name: str = Field(description="Unique name.")
    kind: Literal["state", "insurgency"] = Field(
        "state",
        description="A state, or an insurgency inside its host partner.",
        json_schema_extra={"unit": "choice", "source": "DESIGN §4"},
    )
    host: str | None = Field(None, description="For an insurgency: the partner it operates in.")
    capability: float = param(
        20.0,
        0,
        None,
        unit="capability points",
        meaning="Initial capability K (insurgency: strength).",
        source="Region presets: COW NMC milex.",
    )
    growth: float = param(
        0.05,
        -0.5,
        0.5,
        unit="1/yr",
        meaning="Richardson grievance term as a rate: the aggressor adds g·K a year, so arming scales with its own size (economy).",
        source="Richardson 1960; proportional growth as in Intriligator & Brito 1984.",
    )
    reaction: float = param(
        0.05,
        0,
        5,
        unit="1/yr",
        meaning="Richardson reaction k to the partners' capability it faces.",
        source="Richardson 1960; Collier & Hoeffler 2007 (aid raises rivals' arming; validation B2 measures +0.06 points of rival capability per $bn of aid at 0.05).",
    )
    fatigue: float = param(
        0.1, 0, 1, unit="1/yr", meaning="Richardson fatigue a.", source="Richardson 1960."
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
        None,
        unit="points",
        meaning="Insurgency only: strength at which grievance growth saturates.",
        source="Assumption.",
    )


class Tie(_Strict):
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
    commitment: Literal["none", "assurance", "bilateral_pact", "alliance"] | None = Field(
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


class Alliance(_Strict):
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


class Scenario(_Strict):
    """One world: settings, states, ties, alliances and policies (see docs/model.md)."""

    name: str = "scenario"
    description: str = ""
    world: World = Field(default_factory=World)
    donors: list[Donor] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    aggressors: list[Aggressor] = Field(default_factory=list)
    ties: list[Tie] = Field(default_factory=list)
    alliances: list[Alliance] = Field(default_factory=list)

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>") -> Scenario:
        """Validate a plain dict (as read from TOML); raise ScenarioError listing every problem."""
        problems: list[Problem] = []
        scenario = None
        try:
            scenario = cls.model_validate(dict(data))
        except ValidationError as exc:
            problems += _pydantic_problems(exc, data, source)
        problems += _reference_problems(data, source)
        if problems:
            raise ScenarioError(problems)
        assert scenario is not None
        return scenario

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Load a scenario file; missing file and invalid TOML are ScenarioErrors naming the file."""
        return cls.from_dict(read_toml(path, ScenarioError), source=str(path))

    @classmethod
    def from_toml_string(cls, text: str, source: str = "<string>") -> Scenario:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError([Problem(source, "", MISSING, f"invalid TOML: {exc}")]) from None
        return cls.from_dict(data, source=source)

    @classmethod
    def presets(cls) -> dict[str, str]:
        """Preset names shipped with the package, each with its one-line description."""
        out = {}
        for entry in sorted(
            resources.files("deterrence_sim.scenarios").iterdir(), key=lambda e: e.name
        ):
            if entry.name.endswith(".toml"):
                data = tomllib.loads(entry.read_text(encoding="utf-8"))
                out[entry.name[:-5]] = (
                    data.get("description", "").strip().splitlines()[0]
                    if data.get("description")
                    else ""
                )
        return out

    @classmethod
    def preset(cls, name: str) -> Scenario:
        """A preset by name (see :meth:`presets`)."""
        entry = resources.files("deterrence_sim.scenarios") / f"{name}.toml"
        if not entry.is_file():
            allowed = "one of: " + ", ".join(cls.presets())
            raise ScenarioError([Problem("presets", "scenario", name, allowed)])
        return cls.from_toml_string(entry.read_text(encoding="utf-8"), source=f"preset '{name}'")

    @classmethod
    def load(cls, name_or_path: str | Path) -> Scenario:
        """A preset name, or the path of a TOML file."""
        text = str(name_or_path)
        if text.endswith(".toml") or Path(text).exists() or "/" in text:
            return cls.from_toml(text)
        return cls.preset(text)

    @classmethod
    def synthetic(
        cls, n_donors: int, n_partners: int, n_aggressors: int, seed: int = 0
    ) -> Scenario:
        """A random world of the given size, for scaling studies; ties grow linearly with states.

        Each partner is aided by one donor (a second with probability 0.3) and is the rival of one
        aggressor (a second with probability 0.2); about a tenth of aggressors are insurgencies.
        """
        if min(n_donors, n_partners) < 1 or n_aggressors < 0:
            raise ScenarioError(
                [
                    Problem(
                        "synthetic",
                        "n_donors/n_partners/n_aggressors",
                        (n_donors, n_partners, n_aggressors),
                        "at least 1 donor and 1 partner, 0 or more aggressors",
                    )
                ]
            )
        rng = np.random.default_rng(seed)
        donors = [
            {
                "name": f"D{i + 1}",
                "capability": float(rng.uniform(50, 200)),
                "budget": float(rng.uniform(0.5, 2.0)) * max(1.0, n_partners / n_donors),
                "industrial_capacity": float(rng.uniform(1, 3)) * max(1.0, n_partners / n_donors),
                "policy": {
                    "sunset_year": int(rng.choice([10, 15, 20])),
                    "taper_years": int(rng.integers(0, 4)),
                },
            }
            for i in range(n_donors)
        ]
        partners = [
            {
                "name": f"P{i + 1}",
                "equipment": float(rng.uniform(1, 10)),
                "governance": float(rng.uniform(0.1, 0.9)),
                "gdp": float(rng.uniform(10, 200)),
                "absorptive_capacity": float(rng.uniform(0.2, 1.5)),
                "alignment": float(rng.uniform(0.2, 0.9)),
            }
            for i in range(n_partners)
        ]
        ties: list[dict[str, Any]] = []
        for p in partners:
            chosen = {int(rng.integers(n_donors))}
            if n_donors > 1 and rng.random() < 0.3:
                chosen.add(int(rng.integers(n_donors)))
            for d in sorted(chosen):
                ties.append(
                    {
                        "kind": "aid",
                        "source": donors[d]["name"],
                        "target": p["name"],
                        "stake": float(rng.uniform(0.2, 0.9)),
                    }
                )
        aggressors = []
        for i in range(n_aggressors):
            if n_aggressors >= 5 and rng.random() < 0.1:
                host = partners[int(rng.integers(n_partners))]["name"]
                aggressors.append(
                    {
                        "name": f"I{i + 1}",
                        "kind": "insurgency",
                        "host": host,
                        "capability": float(rng.uniform(0.5, 3)),
                        "growth": 0.0,
                    }
                )
            else:
                aggressors.append({"name": f"A{i + 1}", "capability": float(rng.uniform(10, 40))})
        states = [a for a in aggressors if a.get("kind", "state") == "state"] if aggressors else []
        if states:
            for j, p in enumerate(partners):
                rivals = {j % len(states)}
                if len(states) > 1 and rng.random() < 0.2:
                    rivals.add(int(rng.integers(len(states))))
                for r in sorted(rivals):
                    ties.append(
                        {
                            "kind": "rivalry",
                            "source": states[r]["name"],
                            "target": p["name"],
                            "prize": float(rng.uniform(0.5, 1.5)),
                        }
                    )
        data = {
            "name": f"synthetic-{n_donors}-{n_partners}-{n_aggressors}-{seed}",
            "description": "Synthetic world for scaling studies.",
            "donors": donors,
            "partners": partners,
            "aggressors": aggressors,
            "ties": ties,
        }
        return cls.from_dict(data, source="synthetic")

    @classmethod
    def from_data(
        cls, year: int, donors: list[str], partners: list[str], aggressors: list[str], **kwargs: Any
    ) -> Scenario:
        """A scenario built from COW NMC, V-Dem and ATOP data for one year (see deterrence_sim.data)."""
        from .data.scenario_builder import scenario_from_data

        return scenario_from_data(year, donors, partners, aggressors, **kwargs)

    # --- serialisation ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A complete plain dict (every default filled in); None values are left out (TOML has no null)."""
        return _drop_none(self.model_dump(mode="python"))

    def to_toml(self, path: str | Path | None = None) -> str:
        """The scenario as TOML text; also written to `path` when given."""
        text = tomli_w.dumps(self.to_dict())
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    # --- overrides ----------------------------------------------------------------------------

    def resolve(self, path: str) -> list[tuple[str, Any]]:
        """The (concrete dotted key, value) pairs a dotted path with wildcards matches.

        Segments name a field, an item of a list of named tables by its name (or index), or a
        wildcard (``*``, or a glob like ``P*``). A path that matches nothing is a ScenarioError.
        """
        data = self.model_dump(mode="python")
        matches, problem = _match(data, path.split("."), [])
        if problem:
            raise ScenarioError([Problem(self.name, path, MISSING, problem)])
        return [(_named_key(data, k), _get(data, k)) for k in matches]

    def with_overrides(self, overrides: Mapping[str, Any], source: str = "overrides") -> Scenario:
        """A new scenario with values set by dotted paths (wildcards allowed), validated again.

        ``{"donors.*.policy.sunset_year": 10, "partners.EST.governance": 0.3}``. Every problem (an
        unknown key, a bad value) is reported at once, naming the key and what is allowed.
        """
        data = self.model_dump(mode="python")
        problems: list[Problem] = []
        origin: dict[str, str] = {}  # concrete dotted key -> the override path that set it
        for path, value in overrides.items():
            matches, problem = _match(data, str(path).split("."), [])
            if problem:
                problems.append(Problem(source, str(path), value, problem))
                continue
            for keys in matches:
                origin[_named_key(data, keys)] = str(path)
                _set(data, keys, copy.deepcopy(value))
        if problems:
            raise ScenarioError(problems)
        try:
            return Scenario.from_dict(_drop_none(data), source=f"{self.name} with {source}")
        except ScenarioError as exc:
            # Report a bad value once per override (a wildcard may have set it in many places).
            merged: dict[tuple[str, str], Problem] = {}
            for p in exc.problems:
                key = next(
                    (o for k, o in origin.items() if p.key == k or p.key.startswith(k + ".")), None
                )
                if key is None:
                    merged[(p.key, p.allowed)] = p
                else:
                    merged.setdefault(
                        (key, p.allowed), Problem(source, key, overrides[key], p.allowed)
                    )
            raise ScenarioError(list(merged.values())) from None

    # --- convenience --------------------------------------------------------------------------

    def state_names(self) -> dict[str, str]:
        """Every state's name mapped to its role ('donor', 'partner', 'aggressor')."""
        out = {d.name: "donor" for d in self.donors}
        out.update({p.name: "partner" for p in self.partners})
        out.update({a.name: "aggressor" for a in self.aggressors})
        return out


# --- helpers -----------------------------------------------------------------------------------


def _drop_none(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _drop_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [_drop_none(v) for v in obj]
    return obj


def _label(container: list, index: int) -> str:
    item = container[index] if 0 <= index < len(container) else None
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        return item["name"]
    return str(index)


def _dotted(loc: tuple, data: Any) -> tuple[str, Any]:
    """Turn a field location (see _field_loc) into a dotted key with list items named; return the
    raw value there."""
    parts: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list):
            parts.append(_label(node, part))
            node = node[part] if 0 <= part < len(node) else MISSING
        elif isinstance(node, Mapping) and part in node:
            parts.append(str(part))
            node = node[part]
        else:  # a missing key: name it, there is no value
            parts.append(str(part))
            node = MISSING
    return ".".join(parts), node


def _allowed_text(err: dict, model_loc: tuple) -> str:
    kind = err["type"]
    ctx = err.get("ctx", {}) or {}
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model_loc[:-1])
        return "unknown key" + (f"; allowed keys here: {', '.join(allowed)}" if allowed else "")
    if kind == "missing":
        return "required key is missing"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        field = _field_for(model_loc)
        lo, hi = field_bounds(field) if field is not None else (None, None)
        if lo is not None and hi is not None:
            return f"must be between {lo:g} and {hi:g}"
        if lo is not None:
            return f"must be at least {lo:g}"
        if hi is not None:
            return f"must be at most {hi:g}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"][0].lower() + err["msg"][1:]


_LIST_MODELS = {
    "donors": Donor,
    "partners": Partner,
    "aggressors": Aggressor,
    "ties": Tie,
    "alliances": Alliance,
}


def _model_at(loc: tuple) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Scenario
    skip_index = False
    for part in loc:
        if skip_index:
            skip_index = False
            if isinstance(part, int):
                continue
        if model is None or not isinstance(part, str):
            return None
        if model is Scenario and part in _LIST_MODELS:
            model, skip_index = _LIST_MODELS[part], True
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        ann = field.annotation
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return model


def _allowed_keys(loc: tuple) -> list[str]:
    model = _model_at(loc)
    return list(model.model_fields) if model is not None else []


def _field_for(loc: tuple):
    model = _model_at(loc[:-1])
    if model is None or not isinstance(loc[-1], str):
        return None
    return model.model_fields.get(loc[-1])


def field_bounds(field) -> tuple[float | None, float | None]:
    """(lower, upper) bounds of a scenario field (None where unbounded)."""
    lo = hi = None
    for m in field.metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
    return lo, hi


def _field_loc(loc: tuple) -> tuple:
    """The part of a pydantic error location that names scenario fields.

    Pydantic appends tags for union branches and validators (``int``, ``function-before[…]``)
    after a field; they are dropped by walking the schema and stopping at the first leaf field.
    An unknown last part is kept: it is the unknown key of an ``extra_forbidden`` error.
    """
    out: list = []
    model: type[BaseModel] | None = Scenario
    list_item = False
    for i, part in enumerate(loc):
        if list_item and isinstance(part, int):
            out.append(part)
            list_item = False
            continue
        list_item = False
        if model is None or not isinstance(part, str):
            break
        if model is Scenario and part in _LIST_MODELS:
            out.append(part)
            model, list_item = _LIST_MODELS[part], True
            continue
        field = model.model_fields.get(part)
        if field is None:
            if i == len(loc) - 1:
                out.append(part)
            break
        out.append(part)
        ann = field.annotation
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
        if model is None:
            break
    return tuple(out)


def _pydantic_problems(exc: ValidationError, data: Mapping[str, Any], source: str) -> list[Problem]:
    problems = []
    for err in exc.errors():
        model_loc = _field_loc(tuple(err["loc"]))
        key, value = _dotted(model_loc, data)
        if err["type"] == "missing":
            value = MISSING
        problems.append(Problem(source, key, value, _allowed_text(err, model_loc)))
    # One problem per key is enough (unions report each branch).
    seen, unique = set(), []
    for p in problems:
        if p.key not in seen:
            seen.add(p.key)
            unique.append(p)
    return unique


def _names(data: Mapping[str, Any], section: str) -> list[str]:
    items = data.get(section, [])
    if not isinstance(items, list):
        return []
    return [i["name"] for i in items if isinstance(i, Mapping) and isinstance(i.get("name"), str)]


def _reference_problems(data: Mapping[str, Any], source: str) -> list[Problem]:
    """Checks across sections: unique names, ties and hosts naming states that exist."""
    problems: list[Problem] = []
    donors, partners, aggressors = (_names(data, s) for s in ("donors", "partners", "aggressors"))
    seen: set[str] = set()
    for section, names in (("donors", donors), ("partners", partners), ("aggressors", aggressors)):
        for n in names:
            if n in seen:
                problems.append(
                    Problem(source, f"{section}.{n}.name", n, "state names must be unique")
                )
            seen.add(n)
    expect = {
        "aid": (donors, partners, "a donor", "a partner"),
        "rivalry": ([a for a in aggressors], partners, "an aggressor", "a partner"),
    }
    ties = data.get("ties", [])
    if isinstance(ties, list):
        for i, tie in enumerate(ties):
            if not isinstance(tie, Mapping) or tie.get("kind") not in expect:
                continue
            src_ok, dst_ok, src_what, dst_what = expect[tie["kind"]]
            for end, names, what in (("source", src_ok, src_what), ("target", dst_ok, dst_what)):
                if end in tie and tie[end] not in names:
                    allowed = (
                        f"must name {what} of this scenario ({', '.join(names) or 'none defined'})"
                    )
                    problems.append(Problem(source, f"ties.{i}.{end}", tie[end], allowed))
    aggs = data.get("aggressors", [])
    if isinstance(aggs, list):
        for a in aggs:
            if not isinstance(a, Mapping):
                continue
            label = a.get("name", "?")
            if a.get("kind") == "insurgency" and a.get("host") not in partners:
                problems.append(
                    Problem(
                        source,
                        f"aggressors.{label}.host",
                        a.get("host", MISSING),
                        f"an insurgency needs a host partner ({', '.join(partners) or 'none defined'})",
                    )
                )
    alliances = data.get("alliances", [])
    if isinstance(alliances, list):
        for al in alliances:
            if not isinstance(al, Mapping):
                continue
            for m in al.get("members", []) or []:
                if m not in donors:
                    problems.append(
                        Problem(
                            source,
                            f"alliances.{al.get('name', '?')}.members",
                            m,
                            f"members must be donors ({', '.join(donors) or 'none defined'})",
                        )
                    )
            for pname in al.get("covers", []) or []:
                if pname not in partners:
                    problems.append(
                        Problem(
                            source,
                            f"alliances.{al.get('name', '?')}.covers",
                            pname,
                            f"an alliance covers partners ({', '.join(partners) or 'none defined'})",
                        )
                    )
    problems += _alliance_commitment_problems(data, source)
    return problems


def _alliance_covers(data: Mapping[str, Any]) -> dict[str, set[str]]:
    """Donor name -> partners some alliance it belongs to covers (an empty `covers` list means
    every partner one of its members aids)."""
    ties = [t for t in data.get("ties", []) or [] if isinstance(t, Mapping)]
    out: dict[str, set[str]] = {}
    for al in data.get("alliances", []) or []:
        if not isinstance(al, Mapping):
            continue
        members = [m for m in al.get("members", []) or [] if isinstance(m, str)]
        covered = set(al.get("covers", []) or []) or {
            t.get("target") for t in ties if t.get("kind") == "aid" and t.get("source") in members
        }
        for m in members:
            out.setdefault(m, set()).update(covered)
    return out


def _alliance_commitment_problems(data: Mapping[str, Any], source: str) -> list[Problem]:
    """An 'alliance' commitment needs an alliance of the donor that covers the partner."""
    donors = {
        d["name"]: d
        for d in data.get("donors", []) or []
        if isinstance(d, Mapping) and isinstance(d.get("name"), str)
    }
    covers = _alliance_covers(data)
    problems = []
    for i, tie in enumerate(data.get("ties", []) or []):
        if (
            not isinstance(tie, Mapping)
            or tie.get("kind") != "aid"
            or tie.get("source") not in donors
        ):
            continue
        policy = donors[tie["source"]].get("policy") or {}
        commitment = tie.get("commitment") or (
            policy.get("commitment", "bilateral_pact") if isinstance(policy, Mapping) else None
        )
        if commitment == "alliance" and tie.get("target") not in covers.get(tie["source"], set()):
            problems.append(
                Problem(
                    source,
                    f"ties.{i}.commitment",
                    f"alliance ({tie['source']} -> {tie.get('target')})",
                    "commitment 'alliance' needs an alliance with this donor as a member that covers"
                    " this partner (add it to [[alliances]] or use 'bilateral_pact')",
                )
            )
    return problems


def _match(
    node: Any, segments: list[str], prefix: list, named: tuple[str, ...] = ()
) -> tuple[list[list], str | None]:
    """Concrete key lists matching a dotted path, or an explanation of why nothing matches."""
    where = ".".join(named) or "(top level)"
    if not segments:
        return [prefix], None
    seg, rest = segments[0], segments[1:]
    if isinstance(node, list):
        labels = [_label(node, i) for i in range(len(node))]
        if seg.isdigit() and int(seg) < len(node):
            picked = [int(seg)]
        else:
            picked = [i for i, lab in enumerate(labels) if fnmatch.fnmatchcase(lab, seg)]
        if not picked:
            return [], f"no item named '{seg}' under {where}; items: {', '.join(labels) or 'none'}"
        out: list[list] = []
        for i in picked:
            found, problem = _match(node[i], rest, [*prefix, i], (*named, labels[i]))
            if problem:
                return [], problem
            out += found
        return out, None
    if isinstance(node, dict):
        keys = (
            [k for k in node if fnmatch.fnmatchcase(k, seg)]
            if any(c in seg for c in "*?[")
            else ([seg] if seg in node else [])
        )
        if not keys:
            return [], f"unknown key '{seg}' under {where}; allowed keys: {', '.join(node)}"
        out = []
        for k in keys:
            found, problem = _match(node[k], rest, [*prefix, k], (*named, k))
            if problem:
                return [], problem
            out += found
        return out, None
    return [], f"{where} is a value, it has no key '{seg}'"


def _named_key(data: Any, keys: list) -> str:
    """A key list as a dotted string, list items by name."""
    parts = []
    for k in keys:
        parts.append(_label(data, k) if isinstance(k, int) else str(k))
        data = data[k]
    return ".".join(parts)


def _get(data: Any, keys: list) -> Any:
    for k in keys:
        data = data[k]
    return data


def _set(data: Any, keys: list, value: Any) -> None:
    for k in keys[:-1]:
        data = data[k]
    data[keys[-1]] = value


def iter_fields(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf field of a scenario model as (dotted name, FieldInfo), for the parameter table."""
    for name, field in model.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from iter_fields(ann, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field
