"""The donor: delivers aid under its policy and chooses — to enforce, exit, surge, suspend,
renegotiate and intervene (docs/model.md §7.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from .. import mechanisms as m
from ..scenario import INSTRUMENTS, DonorSpec
from . import decisions as d
from .program import COMMITMENT_LEVEL, Program, clip

if TYPE_CHECKING:
    from ..model import DeterrenceModel
    from .aggressor import StateAggressor
    from .partner import Partner


class Donor(mesa.Agent):
    """A donor state: budget, industry, political will, reputation and a policy."""

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
        self.alliance = None  # the scenario alliance it belongs to, if any
        self.contribution_share = 1.0  # set by the model from the burden-sharing rule
        self.cost_year = 0.0
        self.aid_cost_year = 0.0  # aid, audits and backlog premium (what the budget pays for)
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

    def program_end(self, prog: Program) -> int:
        """The year the program's aid is expected to end: the end its exit rule has set (a
        hybrid's extended sunset, a conditions exit once milestones held), else the sunset, else
        the horizon of a conditions exit or a nominal program length."""
        p = self.policy
        if prog.end_year is not None:
            return prog.end_year
        if p.exit_rule != "conditions" and p.sunset_year is not None:
            return p.sunset_year
        nominal = self.model.world.nominal_program_years
        return p.start_year + (
            min(nominal, p.max_horizon) if p.exit_rule == "conditions" else nominal
        )

    def sequenced_mix(self, year: int, prog: Program) -> dict[str, float]:
        """This program's instrument mix this year: sequencing moves half the governance share
        between the program's early and late halves (security first or reform first), the halves
        of the program as its exit rule has set it."""
        mix = self.policy.instrument_mix.shares()
        if self.policy.sequencing == "integrated":
            return mix
        length = self.program_end(prog) - self.policy.start_year
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
        """Phase 1: exit, review, renegotiate, then per program the schedule, the exit rule,
        backsliding, conditionality and surges; equipment through industrial capacity."""
        model, w = self.model, self.model.world
        year = model.year
        self.cost_year = self.aid_cost_year = self.aid_year = 0.0
        if not self.exited and self.will < self.will_floor:
            self.exit_on_will(year)
        start = self.policy.start_year
        if not self.exited and year > start and (year - start) % self.policy.review_period == 0:
            self.review()
        if not self.exited:
            for prog in self.programs:
                if prog.rejected:
                    self.consider_renegotiation(prog, year)
        envelope = 0.0 if self.exited else self.budget * self.contribution_share
        # A program that ended (exit rule, backsliding cut) frees its share of the budget for the
        # donor's other programs from the next year on (docs/model.md §10.20).
        active = [p for p in self.programs if p.live]
        total_weight = sum([p.weight for p in active]) or 1.0
        headroom = w.surge_headroom * self.budget
        orders: dict[Program, float] = {}
        for prog in self.programs:
            prog.amount, prog.scheduled, prog.instruments, prog.sustainment = 0.0, 0.0, {}, 0.0
            if not prog.active or prog.ended:
                continue
            factor = self.schedule(prog, year)
            if factor <= 0 or envelope <= 0:
                if prog.started and year >= start:
                    self.end_program(prog, year)
                continue
            if not prog.started:
                prog.started = True
                model.log(
                    "program_start",
                    (self.name, prog.partner.name),
                    {"budget_share": prog.weight / total_weight},
                )
            amount = envelope * factor * prog.weight / total_weight
            prog.scheduled = amount
            if self.check_backsliding(prog, year):
                continue
            amount = self.apply_conditionality(prog, amount, year)
            if year <= prog.surge_until and self.policy.surge_on_attack > 1:
                amount, headroom = self.apply_surge(prog, amount, headroom)
            mix = self.sequenced_mix(year, prog)
            instruments = {k: amount * mix[k] for k in INSTRUMENTS}
            equipment_money = instruments.pop("equipment")
            prog.sustainment = equipment_money * w.donor_sustainment_share
            orders[prog] = equipment_money - prog.sustainment
            prog.instruments = instruments
            prog.amount = amount
            self.aid_cost_year += amount * (1 + w.audit_cost_rate * prog.audit_intensity)
            self.aid_year += amount
        self.produce_equipment(orders, year)
        self.cost_year += self.aid_cost_year
        self.cost_total += self.cost_year

    # --- the exit rule --------------------------------------------------------------------------

    def milestones_met(self, partner: Partner) -> bool:
        """Whether the partner meets the exit milestones: self-sufficiency and governance."""
        ms = self.policy.milestones
        sufficiency = partner.capability_own / partner.capability if partner.capability > 0 else 0
        return sufficiency >= ms.self_sufficiency and partner.governance >= ms.governance

    def schedule(self, prog: Program, year: int) -> float:
        """This year's aid multiplier for one program, after the exit rule has set its end."""
        p = self.policy
        if year >= p.start_year:
            self.decide_exit(prog, year)
        return m.aid_schedule(
            year,
            p.start_year,
            prog.end_year,
            p.taper_years,
            p.pacing,
            self.model.world.front_load_years,
            self.model.world.front_load_factor,
        )

    def decide_exit(self, prog: Program, year: int) -> None:
        """Set the program's end year by the exit rule (docs/model.md §7.1.2):

        - ``sunset``: the sunset year;
        - ``conditions``: once the milestones have held ``milestones.years`` years the taper
          starts now (end = year + taper); at most ``max_horizon`` program years;
        - ``hybrid``: the sunset year, pushed back a year at a time while the milestones are unmet
          when the taper would start, by at most ``max_extension`` years.
        """
        p = self.policy
        if p.exit_rule != "sunset" and year > p.start_year:
            met = self.milestones_met(prog.partner)
            prog.milestone_years = prog.milestone_years + 1 if met else 0
        if p.exit_rule == "sunset":
            prog.end_year, prog.exit_reason = p.sunset_year, "sunset"
            return
        held = prog.milestone_years >= p.milestones.years
        taper = p.taper_years
        if p.exit_rule == "conditions" or p.sunset_year is None:
            if prog.end_year is not None:
                return
            if held:
                prog.end_year, prog.exit_reason = year + taper, "milestones"
            elif year + taper >= p.start_year + p.max_horizon:
                prog.end_year, prog.exit_reason = p.start_year + p.max_horizon, "horizon"
            return
        # hybrid
        if prog.end_year is None:
            prog.end_year, prog.exit_reason = p.sunset_year, "sunset"
        if prog.exit_reason == "sunset" and year == prog.end_year - taper:
            if held:
                prog.exit_reason = "milestones"
            elif prog.extended < p.max_extension:
                prog.end_year += 1
                prog.extended += 1

    def end_program(self, prog: Program, year: int, reason: str | None = None) -> None:
        """Aid to this partner ends (the commitment stays, as after a sunset)."""
        prog.ended = True
        prog.exit_reason = reason or prog.exit_reason or "sunset"
        if reason is not None:
            prog.end_year = year
        exit_ = d.Exit(
            prog.exit_reason,
            year,
            milestone_years=prog.milestone_years if self.policy.exit_rule != "sunset" else None,
            extended=prog.extended if self.policy.exit_rule == "hybrid" else None,
        )
        self.model.log("exit", (self.name, prog.partner.name), exit_.details())

    def exit_on_will(self, year: int) -> None:
        """Will below the floor: the donor leaves every program at once, commitments included."""
        self.exited = True
        self.exit_year = year
        for prog in self.programs:
            prog.ended = True
            prog.exit_reason = "will"
        self.model.log("exit", (self.name,), d.Exit("will", year, will=self.will).details())
        self.model.observe_signal(self, "exit")

    # --- conditions, backsliding, renegotiation ----------------------------------------------------

    def apply_conditionality(self, prog: Program, amount: float, year: int) -> float:
        """Withhold the conditional share after a missed benchmark, with probability eps."""
        kappa = prog.conditionality
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
        draw = self.model.streams.uniform(year, "enforcement", self.name, prog.partner.name)
        decision = d.Enforcement(eps, kappa, draw < eps)
        prog.observed_missed += 1
        prog.observed_punished += int(decision.punished)
        kind = "tranche_withheld" if decision.punished else "tranche_released"
        self.model.log(kind, (self.name, prog.partner.name), decision.details())
        return amount * (1 - kappa) if decision.punished else amount

    def check_backsliding(self, prog: Program, year: int) -> bool:
        """Suspend aid this year (or cut the program after repeated findings) when the partner's
        governance has fallen beyond the noise or an audit found heavy leakage last year (a
        scandal); True when no aid goes out."""
        response = self.policy.backsliding_response
        if response == "none":
            return False
        # Findings are last year's news: a fall in governance, or an audit scandal.
        decline = self.governance_decline(prog, year)
        scandal = prog.scandal_year is not None and prog.scandal_year == year - 1
        if decline is None and not scandal:
            return False
        prog.strikes += 1
        prog.strike_year = year
        change = -decline if decline is not None else prog.partner.governance_change
        finding = d.Suspension(change, prog.leak_found, prog.strikes, response)
        self.model.log("suspension", (self.name, prog.partner.name), finding.details())
        if response == "cut" and prog.strikes >= self.model.world.backsliding_strikes:
            self.end_program(prog, year, "backsliding")
            self.model.observe_signal(self, "exit")
        return True

    def governance_decline(self, prog: Program, year: int) -> float | None:
        """The partner's fall in governance over the backsliding window (or since this program's
        last finding) when it exceeds ``backsliding_sigmas`` standard deviations of the yearly
        governance noise over that span (a random walk's sd grows with sqrt(years)); else None."""
        w = self.model.world
        window = w.backsliding_window
        if prog.strike_year is not None:
            window = min(window, year - prog.strike_year)
        window = max(window, 1)
        decline = prog.partner.governance_decline(window)
        threshold = w.backsliding_sigmas * w.governance_noise * window**0.5
        return decline if decline > threshold else None

    def consider_renegotiation(self, prog: Program, year: int) -> None:
        """Return with softer terms some years after a rejection (renegotiate_after > 0)."""
        wait = self.policy.renegotiate_after
        if wait <= 0 or prog.rejected_year is None or year - prog.rejected_year < wait:
            return
        soften = self.model.world.renegotiation_softening
        prog.conditionality *= soften
        prog.audit_intensity *= soften
        prog.rejected, prog.decided_years = False, 0
        offer = d.Renegotiation(
            prog.conditionality, prog.audit_intensity, year - prog.rejected_year
        )
        self.model.log("renegotiation", (self.name, prog.partner.name), offer.details())

    # --- surges and production --------------------------------------------------------------------

    def apply_surge(self, prog: Program, amount: float, headroom: float) -> tuple[float, float]:
        """This year's amount and the headroom left after a surge; a surge that adds nothing
        (no headroom left, nothing to multiply) is neither logged nor seen by aggressors."""
        surge = self.surge(amount, headroom)
        if surge.extra <= 0:
            return amount, headroom
        self.model.log("surge", (self.name, prog.partner.name), surge.details())
        self.model.observe_signal(self, "surge")
        return amount + surge.extra, headroom - surge.extra

    def surge(self, amount: float, headroom: float) -> d.Surge:
        """Extra aid after an attack: (surge_on_attack − 1) × the amount, within the headroom."""
        extra = min(amount * (self.policy.surge_on_attack - 1), max(headroom, 0.0))
        return d.Surge(self.policy.surge_on_attack, extra, headroom)

    def produce_equipment(self, orders: dict[Program, float], year: int) -> None:
        """Orders capped by industrial capacity; the rest waits in a backlog that raises unit cost."""
        w = self.model.world
        wanted = sum(orders.values()) + sum([p.backlog for p in self.programs])
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
        self.aid_cost_year += premium * sum(orders.values())

    def review(self) -> None:
        """Re-assess: shift budget toward partners under higher threat and with better performance
        (programs that ended keep no weight)."""
        active = [p for p in self.programs if p.live]
        if not active:
            return
        floor = self.model.world.review_performance_floor
        for prog in active:
            prog.weight = prog.stake * (1.0 + prog.partner.threat) * (floor + prog.performance())
        self.model.log(
            "review",
            (self.name,),
            {"weights": {p.partner.name: round(p.weight, 4) for p in active}},
        )

    # --- will and crises -----------------------------------------------------------------------

    def observe_attack(self, prog: Program, year: int) -> None:
        """An attack on a partner it aids: will rallies in proportion to the stake, and a donor
        with surge_on_attack > 1 surges aid for the next surge_years years."""
        w = self.model.world
        self.will = clip(self.will + w.will_attack_rally * prog.stake)
        if self.policy.surge_on_attack > 1 and self.policy.surge_years > 0 and not prog.ended:
            prog.surge_until = year + self.policy.surge_years

    def update_will(self) -> None:
        """Will recovers toward its initial level and falls with aid costs above budget."""
        w = self.model.world
        overrun = max(0.0, self.aid_cost_year - self.budget) / max(self.budget, 1e-9)
        self.will += w.will_recovery * (self.will0 - self.will) - w.will_cost_sensitivity * overrun
        self.will = clip(self.will)

    def lose_will(self, amount: float) -> None:
        self.will = clip(self.will - amount)

    def honour_commitment(self, will_cost: float) -> None:
        """It fought for a partner: one more honoured commitment, at a cost in will."""
        self.reputation_honoured += 1
        self.lose_will(will_cost)

    def pay_war_cost(self, cost: float) -> None:
        """Its share of the cost of fighting ($bn), this year and in total."""
        self.cost_year += cost
        self.cost_total += cost

    def intervention_probability(self, commitment, aggressor: StateAggressor) -> float:
        """True probability of defending a partner against this aggressor (docs/model.md §7.1.7)."""
        w = self.model.world
        fight_share = aggressor.capability / (aggressor.capability + self.projectable_force + 1e-9)
        return m.intervention_probability(
            w.intervention_intercept,
            w.intervention_commitment,
            w.intervention_tripwire,
            w.intervention_stake,
            w.intervention_interop,
            w.intervention_cost,
            COMMITMENT_LEVEL[commitment.commitment],
            commitment.tripwire,
            commitment.stake,
            commitment.partner.interoperability,
            fight_share,
            self.will,
        )

    def decide_intervention(self, commitment, aggressor: StateAggressor) -> d.Intervention:
        """Fight for the attacked partner with the true probability, on this year's draw."""
        q = self.intervention_probability(commitment, aggressor)
        year, partner = self.model.year, commitment.partner.name
        draw = self.model.streams.uniform(year, "intervention", self.name, partner, aggressor.name)
        return d.Intervention(q, commitment.commitment, commitment.via, draw < q)
