"""Aggressors: a `StateAggressor` arms, learns about donors' resolve and, target by target,
challenges (a coercive demand) or waits; a resisted challenge may escalate to war. An
`Insurgency` grows inside its host and is not deterred by treaties (docs/model.md §7.3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import mesa

from .. import mechanisms as m
from ..scenario import AggressorSpec
from . import decisions as d
from .program import Guarantee, Program, clip

if TYPE_CHECKING:
    from ..model import DeterrenceModel
    from ..scenario import Tie
    from .donor import Donor
    from .partner import Partner

#: Years of dispute history the memory counts as recent (the data's 5-year window).
RECENT_YEARS = 5


@dataclass(eq=False)
class Dyad:
    """An aggressor's relation to one target: what it is worth, where it lies, its dispute memory."""

    partner: Partner
    prize: float
    contiguous: bool
    claim: bool
    rival: bool
    last_dispute: int  # year of the last militarized dispute (negative: before the run)
    dispute_years: list[int] = field(default_factory=list)
    last_war: int = -(10**6)

    @classmethod
    def from_tie(cls, partner: Partner, tie: Tie) -> Dyad:
        """The memory at the start: the last dispute ``peace_years`` before year 1, the recent
        ones in the years before it (one a year)."""
        last = 1 - tie.peace_years
        recent = [last - i for i in reversed(range(tie.recent_disputes))]
        return cls(partner, tie.prize, tie.contiguous, tie.claim, tie.rival, last, recent)

    def peace_years(self, year: int) -> int:
        return year - self.last_dispute

    def recent_disputes(self, year: int) -> int:
        first = year - RECENT_YEARS
        return len([y for y in self.dispute_years if first <= y < year])

    def record_dispute(self, year: int) -> None:
        self.last_dispute = year
        if not self.dispute_years or self.dispute_years[-1] != year:
            self.dispute_years.append(year)
            del self.dispute_years[:-RECENT_YEARS]


class StateAggressor(mesa.Agent):
    """A rival state: arms (Richardson), believes (Beta resolve per donor, the donor's visible
    will), challenges each target by the expected utility of war (general deterrence) and
    escalates a resisted demand by it again (immediate deterrence; Fearon's bargaining between)."""

    kind = "state"

    def __init__(self, model: DeterrenceModel, spec: AggressorSpec):
        super().__init__(model)
        self.name = spec.name
        self.capability = spec.capability
        self.growth = spec.growth
        self.reaction = spec.reaction
        self.fatigue = spec.fatigue
        self.war_cost = spec.war_cost
        self.threshold = spec.threshold
        self.dyads: dict[str, Dyad] = {}  # by target partner's name
        self.resolve: dict[str, list[float]] = {}  # donor -> [honoured, failed] pseudo-counts
        self.last_challenge: d.Challenge | None = None

    @property
    def last_decision(self) -> dict:
        """The numbers behind its last challenge decision (built when read, not every year)."""
        return self.last_challenge.details() if self.last_challenge is not None else {}

    def add_target(self, partner: Partner, tie: Tie) -> None:
        self.dyads[partner.name] = Dyad.from_tie(partner, tie)

    @property
    def targets(self) -> list[tuple[Partner, float]]:
        """(partner, what it is still worth to the aggressor) for each target."""
        return [(d.partner, d.prize) for d in self.dyads.values()]

    # --- arming ---------------------------------------------------------------------------------

    def arm(self) -> None:
        """Richardson with growth scaled to the aggressor: K ← K + gK + k·ΣK_p − aK."""
        faced = sum([d.partner.capability for d in self.dyads.values()])
        k = self.capability
        nxt, _ = m.richardson_step(
            x=k, y=faced, a=self.fatigue, b=0.0, k=self.reaction, l=0.0, g=self.growth * k, h=0.0
        )
        self.capability = max(0.0, nxt)

    def lose_forces(self, share: float) -> None:
        """War losses: a share of its capability."""
        self.capability *= 1.0 - share

    # --- beliefs --------------------------------------------------------------------------------

    def counts(self, donor: Donor) -> list[float]:
        c = self.resolve.get(donor.name)
        if c is None:
            c = self.resolve[donor.name] = [donor.reputation_honoured, donor.reputation_failed]
        return c

    def observe(self, donor: Donor, honoured: float, failed: float) -> None:
        """Update the Beta belief about a donor's resolve from what it did (Bayes)."""
        c = self.counts(donor)
        c[0] += honoured
        c[1] += failed

    def perceived_will(self, donor: Donor) -> float:
        """How much of its resolve a donor's visible will supports (0–1): the will seen through
        noise (polls, parliamentary votes), relative to belief_will_reference."""
        w = self.model.world
        noise = w.belief_will_noise * self.model.streams.normal(
            self.model.year, "will_seen", self.name, donor.name
        )
        seen = clip(donor.will + noise)
        return clip(seen / w.belief_will_reference) if w.belief_will_reference > 0 else 1.0

    def belief(self, c: Program | Guarantee) -> float:
        """q̂ that this commitment is honoured: prior by commitment and tripwire, times the
        believed resolve of the donor relative to the reference and its visible will, lowered once
        a program's aid has passed its end, zero after the donor left (docs/model.md §7.3.2)."""
        commitment, donor = c.commitment, c.donor
        if donor.exited or commitment == "none":
            return 0.0
        w = self.model.world
        prior = w.belief_priors()[commitment]
        if c.tripwire:
            prior += w.belief_tripwire_bonus
        h, f = self.counts(donor)
        q = prior * (h / (h + f)) / w.belief_reputation_reference
        if c.past_sunset(self.model.year):
            # A treaty outlives the program, so an alliance loses less credibility than an
            # assurance or a pact tied to the aid.
            q *= w.belief_post_sunset_alliance if commitment == "alliance" else w.belief_post_sunset
        q *= self.perceived_will(donor)
        return clip(q, 0.0, w.belief_max)

    def expected_help(self, partner: Partner) -> tuple[float, float]:
        """(q̂ that some donor intervenes, the force expected if any does)."""
        committed = partner.commitments()
        beliefs = [self.belief(c) for c in committed]
        return m.expected_help(beliefs, [c.projected_force() for c in committed])

    # --- decisions ------------------------------------------------------------------------------

    def assess(self, dyad: Dyad) -> dict:
        """Expected utility of war against one target, with the numbers behind it."""
        w = self.model.world
        k = w.csf_decisiveness
        partner = dyad.partner
        q_hat, help_force = self.expected_help(partner)
        own = self.capability if dyad.contiguous else self.capability * w.distant_projection
        p0 = m.csf(own, partner.capability, k)
        p1 = m.csf(own, partner.capability + help_force, k)
        eu = m.expected_attack_utility(
            q_hat, p0, p1, dyad.prize, self.war_cost, w.intervention_escalation
        )
        return {"q_hat": q_hat, "help": help_force, "p0": p0, "p1": p1, "eu": eu, "own": own}

    def power_shift(self, dyad: Dyad, option: dict) -> float | None:
        """Powell's preventive-war test with the help it expects: the drop in its expected war
        share as the partner's visible equipment pipeline arrives, if Powell's condition holds
        against the expected share and cost of war (so commitments deter preventive war too)."""
        w = self.model.world
        partner = dyad.partner
        year = self.model.year
        horizon = year + w.preventive_horizon
        coming = 0  # summed in pipeline order, as sum() would
        for prog in partner.programs:
            for yr, amt in prog.pipeline.items():
                if yr <= horizon:
                    coming += amt
        if coming <= 0 or partner.equipment <= 0:
            return None
        k = w.csf_decisiveness
        q, help_force, own = option["q_hat"], option["help"], option["own"]
        future = partner.capability * (1 + coming / partner.equipment)
        p_now = q * option["p1"] + (1 - q) * option["p0"]
        p_later = q * m.csf(own, future + help_force, k) + (1 - q) * m.csf(own, future, k)
        shift = p_now - p_later
        cost = self.war_cost * (1 + q * w.intervention_escalation)
        if m.prefers_preventive_war(shift, p_now, cost, w.preventive_discount):
            return shift
        return None

    def decide_challenge(self, dyad: Dyad) -> d.Challenge:
        """Stage 1, general deterrence: challenge this target with probability
        logistic(logit(h_c) + β_c(EU − θ) + memory), memory from the dyad's dispute history,
        claim, contiguity, rivalry and era. Whether it is in a window of danger (Powell) is noted
        for the escalation stage, where the data show the preventive motive."""
        w = self.model.world
        year = self.model.year
        option = self.assess(dyad)
        shift = self.power_shift(dyad, option) if w.preventive_weight != 0 else None
        memory = m.dispute_memory(
            peace_years=dyad.peace_years(year),
            recent_disputes=dyad.recent_disputes(year),
            claim=float(dyad.claim),
            contiguous=float(dyad.contiguous),
            rival=float(dyad.rival),
            post1945=float(w.post1945),
            **w.memory_weights(),
        )
        prob = m.choice_hazard(
            option["eu"], w.challenge_base_rate, w.challenge_sharpness, self.threshold, memory
        )
        return d.Challenge(
            dyad.partner.name,
            option["p0"],
            option["eu"],
            self.threshold,
            prob,
            "preventive" if shift is not None else "expected_utility",
            p1=option["p1"],
            q_hat=option["q_hat"],
            power_shift=shift,
            memory=memory,
            option=option,
        )

    def escalation_probability(self, challenge: d.Challenge) -> float:
        """Stage 2, immediate deterrence: a resisted demand becomes war with probability
        logistic(logit(h_e) + β_e(EU − θ) + era [+ preventive_weight in a window of danger])."""
        w = self.model.world
        shift = w.escalation_era_weight * float(w.post1945)
        if challenge.rule == "preventive":
            shift += w.preventive_weight
        return m.choice_hazard(
            challenge.eu, w.escalation_base_rate, w.escalation_sharpness, self.threshold, shift
        )

    def step_year(self) -> None:
        """Phase 3: arm, then challenge each target out of cooldown — or wait."""
        self.arm()
        w = self.model.world
        streams, year = self.model.streams, self.model.year
        for dyad in self.dyads.values():
            if year - dyad.last_war <= w.war_cooldown:
                continue
            challenge = self.decide_challenge(dyad)
            self.last_challenge = challenge
            if (
                streams.uniform(year, "challenge", self.name, dyad.partner.name)
                < challenge.probability
            ):
                self.challenge(dyad, challenge)

    def challenge(self, dyad: Dyad, challenge: d.Challenge) -> None:
        """A demand under private information about the partner's resolve (Fearon 1995): the
        partner concedes the demanded share of the prize, measured from the status quo, or
        resists, and a resisted demand escalates to war or is dropped."""
        w = self.model.world
        streams, year = self.model.streams, self.model.year
        partner = dyad.partner
        option = challenge.option
        p = option["q_hat"] * option["p1"] + (1 - option["q_hat"]) * option["p0"]
        demand = m.fearon_optimal_demand(p, w.partner_resolve, self.war_cost)
        partner_cost = w.partner_resolve * streams.uniform(year, "resolve", self.name, partner.name)
        resisted = m.defender_resists(demand, p, partner_cost)
        numbers = challenge.details()
        dyad.record_dispute(year)
        self.model.count("coercions")
        escalated = False
        if resisted:
            self.model.count("resisted_demands")
            escalation = self.escalation_probability(challenge)
            draw = streams.uniform(year, "escalation", self.name, partner.name)
            escalated = draw < escalation
            numbers = {**numbers, "escalation_probability": escalation}
        else:
            conceded = partner.concede(w.coercion_concession * demand)
            self.model.count("concessions")
            numbers = {**numbers, "conceded_gdp": conceded}
        details = {**numbers, "war_share": p, "demand": demand, "resisted": resisted}
        self.model.log("coercion", (self.name, partner.name), details)
        if escalated:
            dyad.last_war = year
            self.model.open_crisis(self, partner, numbers)

    def won_war(self, partner: Partner) -> None:
        """A conquest: part of what the partner was worth to it is taken."""
        dyad = self.dyads[partner.name]
        dyad.prize *= 1 - self.model.world.conquest_share


class Insurgency(mesa.Agent):
    """An insurgency inside its host: grows with grievance, is suppressed by capability used with
    good governance and by stabilization, costs the host GDP and attacks when it can win."""

    kind = "insurgency"

    def __init__(self, model: DeterrenceModel, spec: AggressorSpec):
        super().__init__(model)
        self.name = spec.name
        self.capability = spec.capability
        self.war_cost = spec.war_cost
        self.threshold = spec.threshold
        self.max_strength = spec.max_strength
        self.host_name = spec.host
        self.host: Partner | None = None
        self.last_decision: dict = {}

    def grow(self) -> None:
        """Logistic growth with grievance 1 − G, minus suppression (governance × the host's
        contest share) and stabilization, times a lognormal shock; below the floor it has ended,
        and an ended insurgency breaks out again with the onset hazard of its host's governance."""
        w = self.model.world
        host, year = self.host, self.model.year
        s = self.capability
        if s <= 0:
            onset = m.insurgency_onset_probability(
                host.governance,
                intercept=w.insurgency_onset_intercept,
                linear=w.insurgency_onset_governance,
                quadratic=w.insurgency_onset_governance2,
            )
            if self.model.streams.uniform(year, "onset", self.name) < onset:
                self.capability = w.insurgency_reemergence * self.max_strength
                self.model.count("insurgency_onsets")
            return
        shock = self.model.streams.normal(year, "insurgency", self.name)
        s = m.insurgent_step(
            strength=s,
            max_strength=self.max_strength,
            growth=w.insurgent_growth,
            grievance=1 - host.governance,
            suppression=w.insurgent_suppression * host.governance,
            host_share=m.csf(host.capability, s, w.csf_decisiveness),
            stabilization=w.stabilization_rate * host.stabilization,
            volatility=w.insurgent_volatility,
            shock=shock,
        )
        self.capability = s if s >= w.insurgent_floor * self.max_strength else 0.0

    def lose_forces(self, share: float) -> None:
        """Losses in a clash with the host's forces: a share of its strength."""
        self.capability *= 1.0 - share

    def damage_economy(self) -> None:
        """Violence costs the host GDP every year, saturating at insurgent_gdp_loss_cap."""
        w = self.model.world
        self.host.lose_gdp(
            m.insurgent_gdp_loss(
                self.capability, rate=w.insurgent_violence_gdp, cap=w.insurgent_gdp_loss_cap
            )
        )

    def decide(self) -> d.Attack:
        """Attack with logistic probability on a unit prize; no donor term (treaties do not deter
        insurgents)."""
        w = self.model.world
        p0 = m.csf(self.capability, self.host.capability, w.csf_decisiveness)
        eu = p0 - self.war_cost
        prob = m.logistic_choice(eu, w.insurgent_attack_sharpness, self.threshold)
        return d.Attack(self.host.name, p0, eu, self.threshold, prob, "insurgency")

    def step_year(self) -> None:
        self.grow()
        self.damage_economy()
        attack = self.decide()
        self.last_decision = attack.details()
        draw = self.model.streams.uniform(self.model.year, "attack", self.name)
        if self.capability > 0 and draw < attack.probability:
            self.model.open_crisis(self, self.host, self.last_decision)
