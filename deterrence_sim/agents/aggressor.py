"""Aggressors: a `StateAggressor` arms, learns about donors' resolve and decides to attack,
coerce or wait; an `Insurgency` grows inside its host and is not deterred by treaties
(docs/model.md §7.3)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa

from .. import mechanisms as m
from ..scenario import AggressorSpec
from . import decisions as d
from .program import Guarantee, Program, clip

if TYPE_CHECKING:
    from ..model import DeterrenceModel
    from .donor import Donor
    from .partner import Partner


class StateAggressor(mesa.Agent):
    """A rival state: arms (Richardson), believes (Beta resolve per donor), decides (expected
    utility, Powell's preventive war, Fearon's coercion)."""

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
        self.targets: list[tuple[Partner, float]] = []  # (partner, prize)
        self.prizes: dict[str, float] = {}  # what each target is still worth to it
        self.last_war: dict[str, int] = {}
        self.resolve: dict[str, list[float]] = {}  # donor -> [honoured, failed] pseudo-counts
        self.last_decision: dict = {}

    # --- arming ---------------------------------------------------------------------------------

    def arm(self) -> None:
        """Richardson with growth scaled to the aggressor: K ← K + gK + k·ΣK_p − aK."""
        faced = sum(p.capability for p, _ in self.targets)
        k = self.capability
        self.capability = max(0.0, k + self.growth * k + self.reaction * faced - self.fatigue * k)

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

    def belief(self, c: Program | Guarantee) -> float:
        """q̂ that this commitment is honoured: prior by commitment and tripwire, times the
        believed resolve of the donor relative to the reference, lowered once a program's aid has
        passed its end (not for alliances), zero after the donor left (docs/model.md §7.3.2)."""
        if c.donor.exited or c.commitment == "none":
            return 0.0
        w = self.model.world
        prior = {
            "assurance": w.belief_prior_assurance,
            "bilateral_pact": w.belief_prior_pact,
            "alliance": w.belief_prior_alliance,
        }[c.commitment]
        if c.tripwire:
            prior += w.belief_tripwire_bonus
        h, f = self.counts(c.donor)
        q = prior * (h / (h + f)) / w.belief_reputation_reference
        # Alliance commitments are treaty obligations that outlive an aid program; assurances and
        # bilateral pacts tied to the program lose credibility once it passes its end.
        if c.commitment != "alliance" and c.past_sunset(self.model.year):
            q *= w.belief_post_sunset
        return clip(q, 0.0, w.belief_max)

    def expected_help(self, partner: Partner) -> tuple[float, float]:
        """(q̂ that some donor intervenes, force that would come if they do)."""
        q_none, force = 1.0, 0.0
        for c in partner.commitments():
            q = self.belief(c)
            if q > 0:
                q_none *= 1 - q
                force += c.projected_force()
        return 1 - q_none, force

    # --- decisions ------------------------------------------------------------------------------

    def assess(self, partner: Partner, prize: float) -> dict:
        """Expected utility of attacking one partner, with the numbers behind it."""
        w = self.model.world
        k = w.csf_decisiveness
        q_hat, help_force = self.expected_help(partner)
        p0 = m.csf(self.capability, partner.capability, k)
        p1 = m.csf(self.capability, partner.capability + help_force, k)
        eu = m.expected_attack_utility(
            q_hat, p0, p1, prize, self.war_cost, w.intervention_escalation
        )
        return {
            "target": partner,
            "prize": prize,
            "q_hat": q_hat,
            "help": help_force,
            "p0": p0,
            "p1": p1,
            "eu": eu,
        }

    def power_shift(self, option: dict) -> float | None:
        """Powell's preventive-war test with the help it expects: the drop in its expected war
        share as the partner's visible equipment pipeline arrives, if Powell's condition holds
        against the expected share and cost of war (so commitments deter preventive war too)."""
        w = self.model.world
        partner = option["target"]
        year = self.model.year
        coming = sum(
            amt
            for prog in partner.programs
            for yr, amt in prog.pipeline.items()
            if yr <= year + w.preventive_horizon
        )
        if coming <= 0 or partner.equipment <= 0:
            return None
        k = w.csf_decisiveness
        q, help_force = option["q_hat"], option["help"]
        future = partner.capability * (1 + coming / partner.equipment)
        p_now = q * option["p1"] + (1 - q) * option["p0"]
        p_later = q * m.csf(self.capability, future + help_force, k) + (1 - q) * m.csf(
            self.capability, future, k
        )
        shift = p_now - p_later
        cost = self.war_cost * (1 + q * w.intervention_escalation)
        if m.prefers_preventive_war(shift, p_now, cost, w.preventive_discount):
            return shift
        return None

    def decide(self) -> tuple[d.Attack, dict] | None:
        """The best target by EU, attacked with logistic probability; a window of danger raises
        it to preventive_resolve (Powell 2006)."""
        w = self.model.world
        year = self.model.year
        options = [
            self.assess(p, self.prizes[p.name])
            for p, _ in self.targets
            if year - self.last_war.get(p.name, -(10**6)) > w.war_cooldown
        ]
        if not options:
            return None
        best = max(options, key=lambda o: o["eu"])
        prob = m.attack_probability(
            best["eu"], w.attack_base_rate, w.attack_sharpness, self.threshold
        )
        rule, shift = "expected_utility", None
        # A window of danger can only raise the probability to preventive_resolve.
        for o in options if w.preventive_resolve > prob else ():
            s = self.power_shift(o)
            if s is not None and w.preventive_resolve > prob:
                prob, best, rule, shift = w.preventive_resolve, o, "preventive", s
                break
        return d.Attack(
            best["target"].name,
            best["p0"],
            best["eu"],
            self.threshold,
            prob,
            rule,
            p1=best["p1"],
            q_hat=best["q_hat"],
            power_shift=shift,
        ), best

    def step_year(self) -> None:
        """Phase 3: arm, then attack, coerce or wait."""
        self.arm()
        if not self.targets:
            return
        choice = self.decide()
        if choice is None:
            return
        attack, best = choice
        numbers = attack.details()
        self.last_decision = numbers
        streams, year = self.model.streams, self.model.year
        w = self.model.world
        if streams.uniform(year, "attack", self.name) < attack.probability:
            self.model.open_crisis(self, best["target"], numbers)
        elif (
            best["eu"] > self.threshold - w.coercion_band
            and streams.uniform(year, "coercion", self.name) < w.coercion_rate
        ):
            self.coerce(best, numbers)

    def coerce(self, option: dict, numbers: dict) -> None:
        """A gray-zone demand under private information about the partner's resolve (Fearon 1995)."""
        w = self.model.world
        streams, year = self.model.streams, self.model.year
        partner = option["target"]
        p = option["q_hat"] * option["p1"] + (1 - option["q_hat"]) * option["p0"]
        demand = m.fearon_optimal_demand(p, w.partner_resolve, self.war_cost)
        partner_cost = w.partner_resolve * streams.uniform(year, "resolve", self.name)
        resisted = m.defender_resists(demand, p, partner_cost)
        details = {**numbers, "war_share": p, "demand": demand, "resisted": resisted}
        self.model.log("coercion", (self.name, partner.name), details)
        self.model.count("coercions")
        if resisted:
            if streams.uniform(year, "escalation", self.name) < w.coercion_escalation:
                self.model.open_crisis(self, partner, {**numbers, "rule": "coercion"})
        else:
            loss = w.coercion_concession * max(demand - p, 0.0) * partner.gdp
            partner.gdp -= loss
            partner.gdp_lost += loss


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
        self.targets: list = []
        self.last_decision: dict = {}

    def grow(self) -> None:
        """Logistic growth with grievance 1 − G, minus suppression and stabilization."""
        w = self.model.world
        host = self.host
        s = self.capability
        s += w.insurgent_growth * (1 - host.governance) * s * (1 - s / self.max_strength)
        s -= w.insurgent_suppression * host.capability * host.governance
        s -= w.stabilization_rate * host.stabilization
        self.capability = max(0.0, s)

    def damage_economy(self) -> None:
        """Violence costs the host GDP every year, saturating at insurgent_gdp_loss_cap."""
        w = self.model.world
        cap = w.insurgent_gdp_loss_cap
        rate = w.insurgent_violence_gdp * self.capability
        share = cap * (1 - math.exp(-rate / cap)) if cap > 0 else 0.0
        loss = share * self.host.gdp
        self.host.gdp -= loss
        self.host.gdp_lost += loss

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
