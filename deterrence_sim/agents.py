"""The three kinds of state: donors, partners and aggressors (DESIGN §4–§5).

Each agent holds its state and one method per yearly phase; the mathematics lives in
:mod:`deterrence_sim.mechanisms`. Units: money and equipment in $bn, capability in capability points
(equipment-$bn weighted by readiness, skill and early warning), shares and indices in [0, 1].
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import mesa

from . import mechanisms as m
from .scenario import INSTRUMENTS, AggressorSpec, DonorSpec, PartnerSpec

if TYPE_CHECKING:
    from .model import DeterrenceModel

#: Commitment level entering the donor's intervention probability (b1 · level).
COMMITMENT_LEVEL = {"none": 0.0, "assurance": 1.0, "bilateral_pact": 2.0, "alliance": 2.5}

#: Years a program is taken to last, for sequencing, when it has no sunset.
NOMINAL_PROGRAM_YEARS = 20


def _clip(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return lo if x < lo else hi if x > hi else x


@dataclass(eq=False)
class Program:
    """One aid tie: a donor's assistance program to a partner, with its history."""

    donor: DonorState
    partner: PartnerState
    stake: float
    weight: float
    tie_commitment: str | None = None
    rejected: bool = False
    started: bool = False
    ended: bool = False
    missed_benchmark: bool = False
    complied_years: int = 0
    decided_years: int = 0
    amount: float = 0.0  # aid this year, $bn
    instruments: dict[str, float] = field(default_factory=dict)
    sustainment: float = 0.0  # equipment money spent on upkeep this year, $bn
    backlog: float = 0.0  # equipment ordered but not yet produced, $bn
    pipeline: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    observed_punished: int = 0
    observed_missed: int = 0
    leak_found: float = 0.0

    @property
    def active(self) -> bool:
        return not (self.rejected or self.donor.exited)

    @property
    def commitment(self) -> str:
        if self.rejected:
            return "none"
        return self.tie_commitment or self.donor.policy.commitment

    def projected_force(self) -> float:
        """The donor's force as it would fight beside this partner: half of it counts regardless,
        the other half in proportion to interoperability (points)."""
        return self.donor.projectable_force * (0.5 + 0.5 * self.partner.interoperability)

    def past_sunset(self, year: int) -> bool:
        sunset = self.donor.policy.sunset_year
        return sunset is not None and year >= sunset

    def performance(self) -> float:
        """Share of years the partner met its benchmarks, discounted by leakage audits found."""
        compliance = (self.complied_years + 1) / (self.decided_years + 2)
        return compliance * (1.0 - _clip(self.leak_found))


class DonorState(mesa.Agent):
    """A donor: delivers aid under its policy, reviews programs, and decides to intervene."""

    def __init__(self, model: DeterrenceModel, spec: DonorSpec):
        super().__init__(model)
        self.name = spec.name
        self.policy = spec.policy
        self.capability = spec.capability
        self.projectable_share = spec.projectable_share
        self.budget = spec.budget
        self.industrial_capacity = spec.industrial_capacity
        self.lead_time = spec.lead_time
        self.will0 = spec.will
        self.will = spec.will
        self.will_floor = spec.will_floor
        self.reputation_honoured = spec.reputation_honoured
        self.reputation_failed = spec.reputation_failed
        self.programs: list[Program] = []
        self.alliance = None  # the scenario Alliance it pools through, if any
        self.contribution_share = 1.0  # set by the model from the burden-sharing rule
        self.cost_year = 0.0
        self.cost_total = 0.0
        self.aid_year = 0.0
        self.exited = False
        self.exit_year: int | None = None
        self.backlog = 0.0

    # --- derived quantities -------------------------------------------------------------------

    @property
    def projectable_force(self) -> float:
        return self.capability * self.projectable_share

    @property
    def reputation(self) -> float:
        """Posterior mean of the Beta reputation for honouring commitments."""
        return self.reputation_honoured / (self.reputation_honoured + self.reputation_failed)

    @property
    def pooled(self) -> bool:
        return self.policy.channel == "pooled" and self.alliance is not None

    def schedule(self, year: int) -> float:
        p = self.policy
        return m.aid_schedule(year, p.start_year, p.sunset_year, p.taper_years, p.pacing)

    def sequenced_mix(self, year: int) -> dict[str, float]:
        """The instrument mix this year: sequencing moves half the governance share between the
        program's early and late halves (security first or reform first)."""
        mix = self.policy.instrument_mix.shares()
        if self.policy.sequencing == "integrated":
            return mix
        length = (self.policy.sunset_year or NOMINAL_PROGRAM_YEARS) - self.policy.start_year
        early = (year - self.policy.start_year) < max(length, 1) / 2
        security = mix["training"] + mix["equipment"]
        # Half the governance share moves, but never more than security can give, so shares still sum to 1.
        shift = min(0.5 * mix["governance"], security)
        reform_early = self.policy.sequencing == "reform_first"
        delta = shift if early == reform_early else -shift
        mix["governance"] += delta
        if security > 0:
            mix["training"] -= delta * mix["training"] / security
            mix["equipment"] -= delta * mix["equipment"] / security
        return {k: max(v, 0.0) for k, v in mix.items()}

    # --- phase 1: deliver aid -----------------------------------------------------------------

    def deliver_aid(self) -> None:
        """Phase 1: schedule, conditionality, industrial capacity, audits, reviews (DESIGN §5.1)."""
        model, w = self.model, self.model.world
        year = model.year
        self.cost_year = 0.0
        self.aid_year = 0.0
        if not self.exited and self.will < self.will_floor:
            self._exit_early(year)
        if (
            not self.exited
            and year > self.policy.start_year
            and ((year - self.policy.start_year) % self.policy.review_period == 0)
        ):
            self._review(year)
        factor = 0.0 if self.exited else self.schedule(year)
        envelope = self.budget * self.contribution_share * factor
        active = [p for p in self.programs if p.active]
        total_weight = sum(p.weight for p in active) or 1.0
        mix = self.sequenced_mix(year)
        orders: dict[Program, float] = {}
        for prog in self.programs:
            prog.amount, prog.instruments, prog.sustainment = 0.0, {}, 0.0
            if prog not in active or envelope <= 0:
                if (
                    prog.started
                    and not prog.ended
                    and not prog.rejected
                    and factor == 0
                    and not self.exited
                ):
                    prog.ended = True
                    model.log("sunset", (self.name, prog.partner.name), {"year": year})
                continue
            if not prog.started:
                prog.started = True
                model.log(
                    "program_start",
                    (self.name, prog.partner.name),
                    {"budget_share": prog.weight / total_weight},
                )
            amount = envelope * prog.weight / total_weight
            amount = self._apply_conditionality(prog, amount, year)
            instruments = {k: amount * mix[k] for k in INSTRUMENTS}
            equipment_money = instruments.pop("equipment")
            prog.sustainment = equipment_money * w.donor_sustainment_share
            orders[prog] = equipment_money - prog.sustainment
            prog.instruments = instruments
            prog.amount = amount
            audit_cost = w.audit_cost_rate * self.policy.audit_intensity * amount
            self.cost_year += amount + audit_cost
            self.aid_year += amount
        self._produce_equipment(orders, year)
        self.cost_total += self.cost_year

    def _apply_conditionality(self, prog: Program, amount: float, year: int) -> float:
        """Withhold the conditional share after a missed benchmark, with probability eps."""
        kappa = self.policy.conditionality
        if kappa <= 0 or not prog.missed_benchmark:
            return amount
        w = self.model.world
        eps = m.enforcement_probability(
            self.policy.enforcement,
            w.enforcement_stake_discount,
            w.enforcement_pooling_bonus,
            prog.stake,
            prog.partner.threat,
            self.pooled,
        )
        punished = self.model.rng.random() < eps
        prog.observed_missed += 1
        prog.observed_punished += int(punished)
        kind = "tranche_withheld" if punished else "tranche_released"
        self.model.log(
            kind, (self.name, prog.partner.name), {"enforcement": eps, "conditional_share": kappa}
        )
        return amount * (1 - kappa) if punished else amount

    def _produce_equipment(self, orders: dict[Program, float], year: int) -> None:
        """Orders capped by industrial capacity; the rest waits in a backlog that raises unit cost."""
        w = self.model.world
        wanted = sum(orders.values()) + sum(p.backlog for p in self.programs)
        if wanted <= 0:
            self.backlog = 0.0
            return
        produced = min(wanted, self.industrial_capacity)
        share = produced / wanted
        premium = w.backlog_cost * self.backlog / max(self.industrial_capacity, 1e-9)
        for prog in self.programs:
            queue = prog.backlog + orders.get(prog, 0.0)
            shipped = queue * share
            prog.backlog = queue - shipped
            if shipped > 0:
                prog.pipeline[year + self.lead_time] += shipped
        self.backlog = wanted - produced
        extra = premium * sum(orders.values())
        self.cost_year += extra

    def _review(self, year: int) -> None:
        """Re-assess: shift budget toward partners under higher threat and with better performance."""
        active = [p for p in self.programs if p.active]
        if not active:
            return
        for prog in active:
            prog.weight = prog.stake * (1.0 + prog.partner.threat) * (0.25 + prog.performance())
        self.model.log(
            "review",
            (self.name,),
            {"weights": {p.partner.name: round(p.weight, 4) for p in active}},
        )

    def _exit_early(self, year: int) -> None:
        self.exited = True
        self.exit_year = year
        for prog in self.programs:
            prog.ended = True
        self.model.log("early_exit", (self.name,), {"will": self.will, "floor": self.will_floor})

    # --- will ----------------------------------------------------------------------------------

    def update_will(self) -> None:
        """Will recovers toward its initial level and falls with costs above budget."""
        w = self.model.world
        overrun = max(0.0, self.cost_year - self.budget) / max(self.budget, 1e-9)
        self.will += w.will_recovery * (self.will0 - self.will) - w.will_cost_sensitivity * overrun
        self.will = _clip(self.will)

    def lose_will(self, amount: float) -> None:
        self.will = _clip(self.will - amount)

    def intervention_probability(self, prog: Program, aggressor: AggressorState) -> float:
        """True probability of defending this partner against this aggressor (DESIGN §5.4)."""
        w = self.model.world
        fight_share = aggressor.capability / (aggressor.capability + self.projectable_force + 1e-9)
        return m.intervention_probability(
            w.intervention_intercept,
            w.intervention_commitment,
            w.intervention_tripwire,
            w.intervention_stake,
            w.intervention_interop,
            w.intervention_cost,
            COMMITMENT_LEVEL[prog.commitment],
            self.policy.tripwire,
            prog.stake,
            prog.partner.interoperability,
            fight_share,
            self.will,
        )


class PartnerState(mesa.Agent):
    """A partner: absorbs aid, sustains its forces, decides on reform, and spends on defence."""

    def __init__(self, model: DeterrenceModel, spec: PartnerSpec):
        super().__init__(model)
        self.name = spec.name
        self.equipment = spec.equipment
        self.human_capital = spec.human_capital
        self.readiness = spec.readiness
        self.absorptive_capacity = spec.absorptive_capacity
        self.governance = spec.governance
        self.governance_baseline = spec.governance
        self.gdp = spec.gdp
        self.gdp0 = spec.gdp
        self.defence_share0 = spec.defence_share
        self.defence_share = spec.defence_share
        self.alignment = spec.alignment
        self.sovereignty_sensitivity = spec.sovereignty_sensitivity
        self.interoperability = spec.interoperability
        self.early_warning = 0.0
        self.reform_years_held = 0
        self.institutionalised = False
        self.programs: list[Program] = []
        self.rivals: list[tuple[AggressorState, float]] = []  # (aggressor, prize)
        self.insurgencies: list[AggressorState] = []
        self.dependency = 0.0
        self.own_spending = spec.defence_share * spec.gdp
        self.aid_received = 0.0
        self.leaked = 0.0
        self.stabilization = 0.0
        self.gdp_lost = 0.0
        self.equipment_lost = 0.0
        self.capability = 0.0
        self.capability_own = 0.0
        self.readiness_own = self.readiness
        self.threat = 0.0
        self._update_capability(self.readiness, self.readiness)

    # --- helpers --------------------------------------------------------------------------------

    def _multiplier(self) -> float:
        w = self.model.world
        return (1 + w.skill_bonus * self.human_capital) * (1 + w.crisis_bonus * self.early_warning)

    def _update_capability(self, readiness: float, readiness_own: float) -> None:
        """Effective capability = readiness × equipment × skill bonus × crisis-response bonus."""
        mult = self._multiplier()
        self.capability = readiness * self.equipment * mult
        self.capability_own = readiness_own * self.equipment * mult
        self.readiness_own = readiness_own

    def upkeep_need(self) -> float:
        w = self.model.world
        return w.upkeep_rate * self.equipment * (1 - w.upkeep_skill_discount * self.human_capital)

    def assess_threat(self) -> None:
        """Threat = the strongest rival's chance of beating this partner alone (0..1)."""
        k = self.model.world.csf_decisiveness
        threats = [m.csf(a.capability, self.capability, k) for a, _ in self.rivals]
        threats += [m.csf(i.capability, self.capability, k) for i in self.insurgencies]
        self.threat = max(threats, default=0.0)

    # --- phase 2: absorb and respond ------------------------------------------------------------

    def absorb_and_respond(self) -> None:
        """Phase 2 (DESIGN §5.2): leakage, absorption, sustainment, reform, own spending."""
        w = self.model.world
        year = self.model.year
        cap = self.absorptive_capacity
        totals = dict.fromkeys(INSTRUMENTS, 0.0)
        arrivals = 0.0
        sustainment = 0.0
        leaked = 0.0
        gross = 0.0
        for prog in self.programs:
            arriving = prog.pipeline.pop(year, 0.0)
            if prog.amount <= 0 and arriving <= 0:
                continue
            leak = m.leakage_rate(
                w.leakage_base,
                self.governance,
                self.alignment,
                w.audit_sensitivity,
                prog.donor.policy.audit_intensity,
            )
            for k, v in prog.instruments.items():
                totals[k] += v * (1 - leak)
            arrivals += arriving * (1 - leak)
            sustainment += prog.sustainment * (1 - leak)
            lost = leak * (sum(prog.instruments.values()) + prog.sustainment + arriving)
            leaked += lost
            gross += sum(prog.instruments.values()) + prog.sustainment + arriving
            # Audits find part of what leaked; a large find is a scandal at home (DESIGN §5.1).
            audit = prog.donor.policy.audit_intensity
            if audit > 0 and lost > 0 and self.model.rng.random() < audit:
                prog.leak_found = 0.7 * prog.leak_found + 0.3 * leak
                if leak > 0.15:
                    prog.donor.lose_will(w.will_scandal_cost)
                    self.model.log("scandal", (prog.donor.name, self.name), {"leakage": leak})
        self.aid_received = gross
        self.leaked = leaked
        # Saturating absorption per instrument; leakage was taken out above (leakage=0 here).
        usable = {k: m.absorption(v, cap, 0.0, w.absorption_saturation) for k, v in totals.items()}
        delivered = m.absorption(arrivals, cap, 0.0, w.absorption_saturation)
        donor_upkeep = m.absorption(sustainment, cap, 0.0, w.absorption_saturation)
        # Aid effects are relative to the size of what they act on: training, intelligence and
        # interoperability to the partner's own defence budget, governance aid to 1% of its GDP.
        scale = max(self.own_spending, 0.01)

        # Training raises human capital, more so with good governance; attrition wears it down.
        h = self.human_capital
        h += w.training_rate * usable["training"] / scale * (0.5 + 0.5 * self.governance) * (1 - h)
        self.human_capital = _clip(h - w.skill_attrition * h)
        # Intelligence sharing builds early warning in proportion to governance.
        self.early_warning = _clip(
            self.early_warning * (1 - w.intelligence_decay)
            + w.intelligence_rate * usable["intelligence"] / scale * self.governance
        )
        self.interoperability = _clip(
            self.interoperability
            + w.interoperability_rate
            * (usable["training"] + usable["intelligence"])
            / scale
            * (1 - self.interoperability)
            - w.interoperability_decay
            * self.interoperability
            * (1.0 if self.aid_received <= 0 else 0.2)
        )
        self.stabilization = usable["stabilization"]

        # Reform decision: comply with conditions, or reject an intrusive program.
        self._decide_reform(usable["governance"], year)
        if leaked > 0 and gross > 0:
            self.governance = _clip(self.governance - w.leakage_erosion * leaked / gross)
        self._revert_governance(year)

        # Sustainment: upkeep paid by donors first, the partner's own budget covers the rest.
        self.equipment = self.equipment * (1 - w.equipment_depreciation) + delivered
        need = self.upkeep_need()
        self._update_own_spending(year)
        own_budget = self.own_spending
        donor_used = min(donor_upkeep, need)
        own_upkeep = min(w.own_upkeep_share * own_budget, max(0.0, need - donor_used))
        own_only = min(w.own_upkeep_share * own_budget, need)
        self.equipment += (own_budget - own_upkeep) * w.own_procurement_efficiency
        if need > 0:
            self.readiness = _clip((donor_used + own_upkeep) / need)
            readiness_own = _clip(own_only / need)
        else:
            self.readiness, readiness_own = 1.0, 1.0
        self.dependency = (
            donor_used / (donor_used + own_upkeep) if donor_used + own_upkeep > 0 else 0.0
        )
        self.gdp *= 1 + w.gdp_growth
        self._update_capability(self.readiness, readiness_own)

    def _decide_reform(self, governance_aid: float, year: int) -> None:
        """Comply iff expected conditional aid at stake plus governance aid's benefit outweigh the
        political and sovereignty costs of reform (logistic choice); reject intrusive programs."""
        w = self.model.world
        live = [p for p in self.programs if p.active and p.amount > 0]
        if not live:
            return
        total = sum(p.amount for p in live)
        for prog in live:
            pol = prog.donor.policy
            intrusiveness = 0.6 * pol.conditionality + 0.4 * pol.audit_intensity
            if (
                prog.decided_years == 0
                and self.sovereignty_sensitivity * intrusiveness > w.rejection_threshold
            ):
                prog.rejected = True
                self.alignment = _clip(self.alignment - 0.2)
                self.model.log(
                    "program_rejected",
                    (prog.donor.name, self.name),
                    {
                        "intrusiveness": intrusiveness,
                        "sovereignty_sensitivity": self.sovereignty_sensitivity,
                    },
                )
        live = [p for p in live if not p.rejected]
        if not live:
            return
        total = sum(p.amount for p in live)
        benefit = 0.0
        intrusive = 0.0
        gov_share = 0.0
        for prog in live:
            pol = prog.donor.policy
            believed = (
                w.enforcement_prior * w.enforcement_prior_weight + prog.observed_punished
            ) / (w.enforcement_prior_weight + prog.observed_missed)
            benefit += pol.conditionality * believed * prog.amount / total
            intrusive += (
                (0.6 * pol.conditionality + 0.4 * pol.audit_intensity) * prog.amount / total
            )
            gov_share += prog.instruments.get("governance", 0.0) / total
        benefit += w.governance_aid_benefit * gov_share
        cost = (
            w.reform_cost * (1 - self.governance) * (1 - self.alignment)
            + 0.5 * self.sovereignty_sensitivity * intrusive
        )
        comply = self.model.rng.random() < m.logistic_choice(benefit, w.reform_sharpness, cost)
        for prog in live:
            prog.decided_years += 1
            prog.complied_years += int(comply)
            prog.missed_benchmark = not comply
        if comply:
            g = self.governance
            g += w.reform_effort_gain * (1 - g)
            g += w.governance_rate * governance_aid / max(0.01 * self.gdp, 0.01) * (1 - g)
            self.governance = _clip(g)

    def _revert_governance(self, year: int) -> None:
        """Governance reverts toward its baseline unless reform holds above a threshold for
        several consecutive years; then the new level becomes the baseline (North 1990)."""
        w = self.model.world
        calm = 1 - 0.5 * min(1.0, self.stabilization / max(self.absorptive_capacity, 1e-9))
        g = self.governance - w.governance_reversion * (self.governance - self.governance_baseline)
        g += (
            self.model.rng.normal(0.0, w.governance_noise * calm) if w.governance_noise > 0 else 0.0
        )
        self.governance = _clip(g)
        if self.governance >= self.governance_baseline + w.reform_threshold:
            self.reform_years_held += 1
        else:
            self.reform_years_held = 0
        if m.institutionalised(self.reform_years_held, w.institutionalisation_years):
            self.governance_baseline = self.governance
            self.reform_years_held = 0
            self.institutionalised = True
            self.model.log(
                "reform_institutionalised", (self.name,), {"governance": self.governance}
            )

    def believed_help(self) -> tuple[float, float]:
        """(probability some donor helps, force that would come) as the partner sees it."""
        q_none, force = 1.0, 0.0
        for prog in self.programs:
            if prog.active and prog.commitment != "none":
                q = prog.donor.reputation * COMMITMENT_LEVEL[prog.commitment] / 2.5
                q_none *= 1 - _clip(q)
                force += prog.donor.projectable_force
        return 1 - q_none, force

    def _update_own_spending(self, year: int) -> None:
        """Own defence share: up with insecurity, crowded out by aid, up ahead of a credible sunset."""
        w = self.model.world
        k = w.csf_decisiveness
        q, force = self.believed_help()
        insecurity = 0.0
        for a, _prize in self.rivals:
            p0 = m.csf(a.capability, self.capability, k)
            p1 = m.csf(a.capability, self.capability + force, k)
            insecurity = max(insecurity, q * p1 + (1 - q) * p0)
        own0 = max(self.defence_share0 * self.gdp, 1e-9)
        crowd = w.aid_crowd_out * min(1.0, self.aid_received / own0)
        anticipation = 0.0
        for prog in self.programs:
            sunset = prog.donor.policy.sunset_year
            if (
                prog.active
                and sunset is not None
                and 0 < sunset - year <= 5
                and self.aid_received > 0
            ):
                share = prog.amount / max(sum(q.amount for q in self.programs), 1e-9)
                anticipation += w.sunset_anticipation * (1 - (sunset - year) / 5) * share
        target = (
            self.defence_share0
            * (1 + w.insecurity_response * insecurity)
            * (1 - crowd)
            * (1 + anticipation)
        )
        self.defence_share = _clip(
            self.defence_share + w.spending_adjustment * (target - self.defence_share), 0.001, 0.5
        )
        self.own_spending = self.defence_share * self.gdp


class AggressorState(mesa.Agent):
    """An aggressor: a state that arms, forms beliefs and decides to attack, coerce or wait; or an
    insurgency inside a partner that grows with grievance and is not deterred by treaties."""

    def __init__(self, model: DeterrenceModel, spec: AggressorSpec):
        super().__init__(model)
        self.name = spec.name
        self.kind = spec.kind
        self.capability = spec.capability
        self.capability0 = spec.capability
        self.growth = spec.growth
        self.reaction = spec.reaction
        self.fatigue = spec.fatigue
        self.war_cost = spec.war_cost
        self.threshold = spec.threshold
        self.max_strength = spec.max_strength
        self.targets: list[tuple[PartnerState, float]] = []  # (partner, prize)
        self.host_name = spec.host
        self.prizes: dict[str, float] = {}  # what each target is still worth to it
        self.last_war: dict[str, int] = {}
        self.host: PartnerState | None = None
        self.last_decision: dict = {}

    # --- beliefs --------------------------------------------------------------------------------

    def belief(self, prog: Program) -> float:
        """q_hat that this donor defends this partner: prior by commitment, tripwire, reputation,
        lowered once the program passed its sunset, zero after an early exit (DESIGN §5.3)."""
        if prog.donor.exited or prog.commitment == "none":
            return 0.0
        w = self.model.world
        prior = {
            "assurance": w.belief_prior_assurance,
            "bilateral_pact": w.belief_prior_pact,
            "alliance": w.belief_prior_alliance,
        }[prog.commitment]
        if prog.donor.policy.tripwire:
            prior += w.belief_tripwire_bonus
        q = prior * prog.donor.reputation / 0.75
        # Alliance commitments are treaty obligations that outlive an aid program; assurances and
        # bilateral pacts tied to the program lose credibility once it passes its sunset.
        if prog.commitment != "alliance" and prog.past_sunset(self.model.year):
            q *= w.belief_post_sunset
        return _clip(q, 0.0, 0.99)

    def assess(self, partner: PartnerState, prize: float) -> dict:
        """Expected utility of attacking one partner, with the numbers behind it."""
        w = self.model.world
        k = w.csf_decisiveness
        q_none, help_force = 1.0, 0.0
        for prog in partner.programs:
            q = self.belief(prog)
            if q > 0:
                q_none *= 1 - q
                help_force += prog.projected_force()
        q_hat = 1 - q_none
        p0 = m.csf(self.capability, partner.capability, k)
        p1 = m.csf(self.capability, partner.capability + help_force, k)
        eu = m.expected_attack_utility(
            q_hat, p0, p1, prize, self.war_cost, w.intervention_escalation
        )
        return {"target": partner, "prize": prize, "q_hat": q_hat, "p0": p0, "p1": p1, "eu": eu}

    # --- phase 3: arm, update beliefs, decide -----------------------------------------------------

    def arm_update_decide(self) -> None:
        """Phase 3 (DESIGN §5.3)."""
        if self.kind == "insurgency":
            self._insurgency_year()
        else:
            self._state_year()

    def _state_year(self) -> None:
        w = self.model.world
        rng = self.model.rng
        faced = sum(p.capability for p, _ in self.targets)
        # Richardson: K <- K + g + k·(partners' capability it faces) - a·K.
        self.capability = max(
            0.0,
            self.capability + self.growth + self.reaction * faced - self.fatigue * self.capability,
        )
        if not self.targets:
            return
        year = self.model.year
        options = [
            self.assess(p, self.prizes[p.name])
            for p, _ in self.targets
            if year - self.last_war.get(p.name, -(10**6)) > w.war_cooldown
        ]
        if not options:
            return
        best = max(options, key=lambda o: o["eu"])
        prob = m.logistic_choice(best["eu"], w.attack_sharpness, self.threshold)
        rule = "expected_utility"
        # Preventive war: attack before the visible aid pipeline shifts the balance (Powell 2006).
        for o in options:
            partner = o["target"]
            coming = sum(
                amt
                for prog in partner.programs
                for yr, amt in prog.pipeline.items()
                if yr <= self.model.year + w.preventive_horizon
            )
            if coming <= 0 or partner.equipment <= 0:
                continue
            future = partner.capability * (1 + coming / partner.equipment)
            p_future = m.csf(self.capability, future, w.csf_decisiveness)
            shift = o["p0"] - p_future
            if m.prefers_preventive_war(shift, o["p0"], self.war_cost, w.preventive_discount) and (
                w.preventive_resolve > prob
            ):
                prob, best, rule = w.preventive_resolve, o, "preventive"
                best = {**o, "power_shift": shift}
        target = best["target"]
        numbers = {
            "p0": best["p0"],
            "p1": best["p1"],
            "q_hat": best["q_hat"],
            "eu": best["eu"],
            "threshold": self.threshold,
            "probability": prob,
            "rule": rule,
        }
        if "power_shift" in best:
            numbers["power_shift"] = best["power_shift"]
        self.last_decision = {"target": target.name, **numbers}
        if rng.random() < prob:
            self.model.open_crisis(self, target, numbers)
        elif best["eu"] > self.threshold - w.coercion_band and rng.random() < w.coercion_rate:
            self._coerce(best, numbers)

    def _coerce(self, option: dict, numbers: dict) -> None:
        """A gray-zone demand under private information about the partner's resolve (Fearon 1995)."""
        w = self.model.world
        rng = self.model.rng
        partner = option["target"]
        p = option["q_hat"] * option["p1"] + (1 - option["q_hat"]) * option["p0"]
        demand = m.fearon_optimal_demand(p, w.partner_resolve, self.war_cost)
        partner_cost = rng.uniform(0.0, w.partner_resolve)
        resisted = m.defender_resists(demand, p, partner_cost)
        details = {**numbers, "war_share": p, "demand": demand, "resisted": resisted}
        self.model.log("coercion", (self.name, partner.name), details)
        self.model.count("coercions")
        if resisted:
            if rng.random() < w.coercion_escalation:
                self.model.open_crisis(self, partner, {**numbers, "rule": "coercion"})
        else:
            loss = w.coercion_concession * max(demand - p, 0.0) * partner.gdp
            partner.gdp -= loss
            partner.gdp_lost += loss

    def _insurgency_year(self) -> None:
        w = self.model.world
        host = self.host
        assert host is not None
        s = self.capability
        grievance = 1 - host.governance
        s += w.insurgent_growth * grievance * s * (1 - s / self.max_strength)
        s -= w.insurgent_suppression * host.capability * host.governance
        s -= w.stabilization_rate * host.stabilization
        self.capability = max(0.0, s)
        # Violence costs the host GDP (trade and supply chains) whether or not an attack is made.
        loss = w.insurgent_violence_gdp * self.capability * host.gdp
        host.gdp -= loss
        host.gdp_lost += loss
        p0 = m.csf(self.capability, host.capability, w.csf_decisiveness)
        eu = p0 * 1.0 - self.war_cost
        prob = m.logistic_choice(eu, w.attack_sharpness, self.threshold)
        numbers = {
            "p0": p0,
            "eu": eu,
            "threshold": self.threshold,
            "probability": prob,
            "rule": "insurgency",
        }
        self.last_decision = {"target": host.name, **numbers}
        if self.capability > 0 and self.model.rng.random() < prob:
            self.model.open_crisis(self, host, numbers)
