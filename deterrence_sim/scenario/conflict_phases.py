"""Conflict-side world coefficients: deterrence, intervention, costs, insurgency."""

from __future__ import annotations

from .fields import ScenarioBase, param


class Deterrence(ScenarioBase):
    """The aggressor's choice to attack, coerce or strike preventively (docs/design.md §5.3)."""

    attack_sharpness: float = param(
        0.1,
        0.1,
        200,
        unit="1/utility",
        meaning="beta in P(attack) = logistic(logit(h0) + beta·(EU - theta)): each unit of expected utility multiplies the odds of attack by exp(beta).",
        source="Calibrated with attack_base_rate on rival dyad-years 1816-1945, bootstrap 95% [0.101, 17.1]: war initiation rises only mildly with the balance (docs/calibration.md). Classroom presets keep 20.",
    )
    attack_base_rate: float = param(
        0.00364,
        1e-5,
        0.99,
        unit="1/yr",
        meaning="h0: a state aggressor's yearly probability of attack when the expected utility of war equals its threshold; P(attack) = logistic(logit(h0) + beta·(EU - theta)).",
        source="Calibrated: simulated method of moments on Thompson & Dreyer rival dyad-years 1816-1945 (war and MID initiation by capability ratio and target's defence pact), bootstrap 95% [0.000145, 0.00523]; holdout 1946-2010 (docs/calibration.md).",
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
        1.73,
        0,
        2,
        unit="utility",
        meaning="An aggressor coerces when its best EU is within this band below its threshold.",
        source="Calibrated to MID initiation by capability ratio among rivals 1816-1945, bootstrap 95% [0.468, 1.86] (docs/calibration.md); gray-zone coercion below the threshold of war (Mazarr 2015).",
    )
    coercion_rate: float = param(
        0.056,
        0,
        1,
        unit="1/yr",
        meaning="Yearly probability of a coercive demand when coercion is in the band.",
        source="Calibrated to MID initiation among rivals 1816-1945, bootstrap 95% [0.0447, 0.0679] (docs/calibration.md).",
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
    preventive_horizon: int = param(
        3,
        1,
        10,
        unit="years",
        meaning="How far ahead an aggressor looks at the visible aid pipeline.",
        source="Powell 2006.",
    )
    belief_reputation_reference: float = param(
        0.75,
        0.01,
        1,
        unit="probability",
        meaning="Reputation at which an aggressor's belief equals its commitment prior (q = prior·resolve/this).",
        source="Prior mean of alliance reliability (Leeds, Long & Mitchell 2000).",
    )
    belief_max: float = param(
        0.99,
        0,
        1,
        unit="probability",
        meaning="Largest belief an aggressor holds that one commitment is honoured.",
        source="Assumption: no commitment is certain.",
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


class Intervention(ScenarioBase):
    """Donor intervention, beliefs about it, and political will (docs/design.md §5.3–§5.4)."""

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
    alliance_member_stake: float = param(
        0.3,
        0,
        1,
        unit="-",
        meaning="Stake an alliance member without an aid tie has in a covered partner (enters its intervention probability).",
        source="Assumption (collective defence: Leeds 2003).",
    )
    interop_force_floor: float = param(
        0.5,
        0,
        1,
        unit="share",
        meaning="Share of a donor's projected force that fights beside a partner whatever its interoperability (the rest scales with it).",
        source="Assumption (interoperability multiplies coalition effectiveness; Biddle 2004).",
    )
    will_attack_rally: float = param(
        0.05,
        0,
        1,
        unit="-",
        meaning="Will a donor gains per attack on a partner it aids, times its stake (rally effect).",
        source="Mueller 1973 (rally round the flag).",
    )


class Costs(ScenarioBase):
    """What a program costs its donor (docs/design.md §6)."""

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
    war_governance_loss: float = param(
        0.05,
        0,
        1,
        unit="G",
        meaning="Governance a partner loses when it loses a war.",
        source="Assumption (defeat weakens institutions; Collier 1999).",
    )


class Insurgency(ScenarioBase):
    """Insurgencies inside partners (docs/design.md §4–§5)."""

    insurgent_attack_sharpness: float = param(
        20.0,
        0.1,
        200,
        unit="1/utility",
        meaning="beta of an insurgency's attack choice, P = logistic(beta·(EU - theta)); its own coefficient because the state aggressors' attack_sharpness is calibrated to rival states, which insurgencies are not.",
        source="Assumption (the pre-calibration value shared by all aggressors; no insurgent campaign data are fitted). Kept separate so the calibration of state rivals does not change insurgent violence.",
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
    insurgent_damage: float = param(
        0.1,
        0,
        1,
        unit="share",
        meaning="Share of equipment a partner loses when an insurgent attack succeeds (a third of that when it fails).",
        source="Assumption.",
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
