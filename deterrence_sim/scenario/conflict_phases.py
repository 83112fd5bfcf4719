"""Conflict-side world coefficients: deterrence, intervention, costs, insurgency."""

from __future__ import annotations

from .fields import ScenarioBase, param


class Deterrence(ScenarioBase):
    """The aggressor's choice to attack, coerce or strike preventively (docs/design.md §5.3)."""

    challenge_base_rate: float = param(
        0.00587,
        1e-5,
        0.99,
        unit="1/yr",
        meaning="h_c: yearly probability that a state challenges one target (a coercive demand: a MID) when the expected utility of war equals its threshold and the dyad has no dispute memory; P(challenge) = logistic(logit(h_c) + beta_c·(EU - theta) + memory).",
        source="Calibrated by indirect inference on politically relevant directed dyad-years 1816-1945 (posterior median; docs/calibration.md).",
    )
    challenge_sharpness: float = param(
        0.722,
        0,
        60,
        unit="1/utility",
        meaning="beta_c: each unit of the expected utility of war multiplies the odds of a challenge by exp(beta_c) (general deterrence: the balance and expected help).",
        source="Calibrated by indirect inference (posterior median; docs/calibration.md); Huth & Russett 1988 on general deterrence.",
    )
    escalation_base_rate: float = param(
        0.92,
        1e-5,
        0.99,
        unit="probability",
        meaning="h_e: probability that a resisted challenge escalates to war when its expected utility equals the threshold; P(war | resisted) = logistic(logit(h_e) + beta_e·(EU - theta)).",
        source="Calibrated by indirect inference on the challenges of politically relevant dyads 1816-1945 (posterior median; docs/calibration.md).",
    )
    escalation_sharpness: float = param(
        11.2,
        0,
        60,
        unit="1/utility",
        meaning="beta_e: each unit of the expected utility of war multiplies the odds that a resisted challenge becomes war by exp(beta_e) (immediate deterrence).",
        source="Calibrated by indirect inference (posterior median; docs/calibration.md); Huth 1988 on immediate deterrence.",
    )
    peace_weight: float = param(
        0.461,
        -5,
        10,
        unit="log-odds",
        meaning="Dispute memory: log-odds added to the challenge hazard right after a dispute, decaying as exp(-peace_years/10).",
        source="Calibrated (docs/calibration.md); Beck, Katz & Tucker 1998 (temporal dependence).",
    )
    recent_weight: float = param(
        0.39,
        -2,
        5,
        unit="log-odds per dispute",
        meaning="Dispute memory: log-odds added to the challenge hazard per dispute in the dyad's last 5 years.",
        source="Calibrated (docs/calibration.md); Goertz & Diehl 1993 (enduring rivalries).",
    )
    claim_weight: float = param(
        0.129,
        -2,
        5,
        unit="log-odds",
        meaning="Log-odds added to the challenge hazard when the challenger has a territorial claim on the target.",
        source="Calibrated (docs/calibration.md); Vasquez 1993, Hensel 2001 (territorial issues are the most war-prone).",
    )
    contiguity_weight: float = param(
        0.183,
        -2,
        6,
        unit="log-odds",
        meaning="Log-odds added to the challenge hazard for neighbours (land border or up to 400 miles of water): the opportunity to interact.",
        source="Calibrated (docs/calibration.md); Most & Starr 1989, Bremer 1992.",
    )
    rivalry_weight: float = param(
        1.44,
        -2,
        6,
        unit="log-odds",
        meaning="Log-odds added to the challenge hazard when the pair are strategic rivals (a rivalry tie with rival = true).",
        source="Calibrated (docs/calibration.md); Thompson & Dreyer 2012 strategic rivalries.",
    )
    era_weight: float = param(
        -0.0199,
        -3,
        3,
        unit="log-odds",
        meaning="Log-odds added to the challenge hazard in the post-1945 system (world.post1945).",
        source="Estimated on politically relevant dyad-years 1816-2010 (docs/calibration.md).",
    )
    escalation_era_weight: float = param(
        -2.12,
        -3,
        3,
        unit="log-odds",
        meaning="Log-odds added to the escalation of a resisted challenge in the post-1945 system.",
        source="Estimated on the challenges of politically relevant dyads 1816-2010 (docs/calibration.md).",
    )
    post1945: bool = param(
        True,
        unit="flag",
        meaning="The world is the post-1945 international system (nuclear weapons, the UN, bipolarity and after): era_weight and escalation_era_weight apply.",
        source="Region and classroom presets are present-day worlds; the calibration reads each dyad-year's own era.",
    )
    distant_projection: float = param(
        0.5,
        0,
        1,
        unit="share",
        meaning="Share of its capability a state can bring against a target it is not contiguous with (loss-of-strength gradient).",
        source="Boulding 1962; Bueno de Mesquita 1981 (power declines with distance); assumption of half at a distance.",
    )
    intervention_escalation: float = param(
        0.5,
        0,
        5,
        unit="-",
        meaning="h: extra cost of a war in which donors intervene, EU cost c·(1+h).",
        source="Huth 1988: extended deterrence raises expected costs.",
    )
    partner_resolve: float = param(
        1.47,
        0,
        2,
        unit="prize",
        meaning="cbar: upper bound of a partner's private cost of war (uniform on [0, cbar]); sets how often a demand is resisted.",
        source="Calibrated with the escalation stage (posterior median, weakly identified: docs/calibration.md); Fearon 1995 (risk-return trade-off).",
    )
    preventive_discount: float = param(
        0.9,
        0.01,
        0.999,
        unit="-",
        meaning="delta, the aggressor's discount factor in Powell's preventive-war condition.",
        source="Powell 2006.",
    )
    preventive_weight: float = param(
        2.12,
        -3,
        5,
        unit="log-odds",
        meaning="Log-odds added to the escalation of a resisted challenge while Powell's preventive-war condition holds against the target (a window of danger).",
        source="Calibrated to the declining side's escalation after large five-year shifts in the capability ratio, politically relevant dyads 1816-1945 (docs/calibration.md); Powell 2006.",
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

    def memory_weights(self) -> dict[str, float]:
        """The log-odds weights of :func:`deterrence_sim.mechanisms.dispute_memory` (the agent's
        challenge and the calibration's simulator read them from here)."""
        return {
            "peace_weight": self.peace_weight,
            "recent_weight": self.recent_weight,
            "claim_weight": self.claim_weight,
            "contiguity_weight": self.contiguity_weight,
            "rivalry_weight": self.rivalry_weight,
            "era_weight": self.era_weight,
        }


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
    belief_post_sunset_alliance: float = param(
        0.85,
        0,
        1,
        unit="multiplier",
        meaning="Belief multiplier for an alliance commitment once the donor's aid program to that partner has passed its end: the treaty stands, but ending the aid signals a lower priority.",
        source="Hypothesis, weaker than belief_post_sunset because the treaty outlives the program (Leeds 2003: formal alliances are more reliable than informal ties).",
    )
    belief_will_noise: float = param(
        0.1,
        0,
        1,
        unit="will",
        meaning="Standard deviation of the noise with which aggressors see a donor's political will (polls, votes, statements).",
        source="Assumption: domestic support is public but read imperfectly (Fearon 1994, audience costs).",
    )
    belief_will_reference: float = param(
        0.8,
        0.01,
        1,
        unit="will",
        meaning="Visible will at or above which aggressors take a donor's resolve at face value; below it their belief in its commitments falls in proportion.",
        source="Assumption: the default donor's initial will, so a donor at its starting will is believed fully.",
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

    def belief_priors(self) -> dict[str, float]:
        """An aggressor's prior that each kind of commitment is honoured (before tripwire,
        reputation and will), by commitment name."""
        return {
            "assurance": self.belief_prior_assurance,
            "bilateral_pact": self.belief_prior_pact,
            "alliance": self.belief_prior_alliance,
        }


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
        0.2,
        0,
        2,
        unit="1/yr",
        meaning="Share of its strength an insurgency loses a year to a host with perfect governance that dominates it; scaled by the host's governance and by its contest share csf(K_host, S), so a host thirty times larger does not suppress thirty times faster.",
        source="UCDP/PRIO 1946-2024: the odds of an insurgency ending do not rise with the host's military spending (docs/capability-data.md); set with insurgent_volatility and insurgency_reemergence to the termination hazard by age (model in middle_east / africa, 40 seeds: 0.30 / 0.27 in the first year, 0.11 / 0.21 in years 2-4, 0.11 / 0.15 later; data 0.41, 0.21, 0.06-0.10); Paul, Clarke & Grill 2010.",
    )
    insurgent_volatility: float = param(
        0.6,
        0,
        3,
        unit="log strength/yr",
        meaning="Standard deviation of the yearly shock to an insurgency's log strength (recruitment, leadership losses, local deals); with the floor it makes insurgencies end at random, young ones most often.",
        source="Set to UCDP/PRIO episode termination by age (0.41 in the first year, 0.21 in years 2-4, 0.06-0.10 later; docs/capability-data.md); assumption of a lognormal shock.",
    )
    insurgent_floor: float = param(
        0.02,
        0,
        0.5,
        unit="share of max_strength",
        meaning="Below this share of its maximum strength an insurgency has ended (strength 0).",
        source="UCDP's 25 battle-deaths-a-year threshold for an active conflict, as a share of a full insurgency (docs/capability-data.md).",
    )
    insurgency_onset_intercept: float = param(
        -3.78,
        -10,
        5,
        unit="log-odds",
        meaning="Onset of a new insurgency in a host at peace: logit P = intercept + b1·G + b2·G², G the host's governance.",
        source="UCDP/PRIO onsets 1946-1990 on V-Dem polyarchy, logit 95% [-4.38, -3.19] (docs/capability-data.md); Fearon & Laitin 2003.",
    )
    insurgency_onset_governance: float = param(
        4.76,
        -20,
        20,
        unit="log-odds per G",
        meaning="b1 of the onset logit (the rise of risk from autocracy to anocracy).",
        source="UCDP/PRIO onsets 1946-1990, 95% [0.97, 8.56] (docs/capability-data.md); Hegre et al. 2001 (the inverted U).",
    )
    insurgency_onset_governance2: float = param(
        -7.52,
        -30,
        30,
        unit="log-odds per G^2",
        meaning="b2 of the onset logit (democracies at low risk).",
        source="UCDP/PRIO onsets 1946-1990, 95% [-11.8, -3.23] (docs/capability-data.md).",
    )
    insurgency_reemergence: float = param(
        0.03,
        0,
        1,
        unit="share of max_strength",
        meaning="Strength of a new insurgency when it breaks out.",
        source="Assumption: a minor conflict (UCDP intensity 1) at a few times the activity floor.",
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
