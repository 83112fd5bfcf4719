"""The partner: absorbs aid, trains, sustains its equipment, decides on reform and on its own
defence spending (docs/model.md §7.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from .. import mechanisms as m
from ..scenario import INSTRUMENTS, PartnerSpec
from . import decisions as d
from .program import COMMITMENT_LEVEL, Guarantee, Program, clip

if TYPE_CHECKING:
    from ..model import DeterrenceModel
    from .aggressor import Insurgency, StateAggressor


class Partner(mesa.Agent):
    """A partner state receiving assistance."""

    def __init__(self, model: DeterrenceModel, spec: PartnerSpec):
        super().__init__(model)
        self.name = spec.name
        self.equipment = spec.equipment
        self.human_capital = spec.human_capital
        self.readiness = spec.readiness
        self.absorptive_capacity = spec.absorptive_capacity
        self.governance = spec.governance
        self.governance_baseline = spec.governance
        self.governance_change = 0.0  # governance this year minus last year's
        self.governance_path: list[float] = []  # governance at the end of each past year
        self.gdp = spec.gdp
        self.defence_share0 = spec.defence_share
        self.defence_share = spec.defence_share
        self.alignment = spec.alignment
        self.sovereignty_sensitivity = spec.sovereignty_sensitivity
        self.interoperability = spec.interoperability
        self.early_warning = 0.0
        self.reform_years_held = 0
        self.institutionalised = False
        self.programs: list[Program] = []
        self.guarantees: list[Guarantee] = []  # alliance members that cover it without aid
        self.rivals: list[tuple[StateAggressor, float]] = []  # (aggressor, prize)
        self.insurgencies: list[Insurgency] = []
        self.dependency = 0.0
        self.own_spending = spec.defence_share * spec.gdp
        self.aid_received = 0.0
        self.aid_absorbed = 0.0  # aid for the forces that reached them this year, $bn
        self.leaked = 0.0
        self.stabilization = 0.0
        self.gdp_lost = 0.0
        self.equipment_lost = 0.0
        self.capability = 0.0
        self.capability_own = 0.0
        self.readiness_own = self.readiness
        self.threat = 0.0
        self.insecurity0: float | None = None  # insecurity in the first year (the observed share's)
        self.update_capability(self.readiness, self.readiness)

    # --- state ----------------------------------------------------------------------------------

    def update_capability(self, readiness: float, readiness_own: float) -> None:
        """Effective capability = readiness × equipment × skill bonus × crisis-response bonus."""
        w = self.model.world
        mult = (1 + w.skill_bonus * self.human_capital) * (1 + w.crisis_bonus * self.early_warning)
        self.capability = readiness * self.equipment * mult
        self.capability_own = readiness_own * self.equipment * mult
        self.readiness_own = readiness_own

    def governance_decline(self, years: int) -> float:
        """How far governance has fallen over the last ``years`` years (negative: it rose); the
        whole history when it is shorter."""
        if not self.governance_path:
            return 0.0
        ref = (
            self.governance_path[-years]
            if years <= len(self.governance_path)
            else self.governance_path[0]
        )
        return ref - self.governance

    def upkeep_need(self) -> float:
        w = self.model.world
        return w.upkeep_rate * self.equipment * (1 - w.upkeep_skill_discount * self.human_capital)

    def commitments(self) -> list[Program | Guarantee]:
        """Every live commitment to defend it: aid ties with a commitment, alliance guarantees."""
        out: list[Program | Guarantee] = [
            p for p in self.programs if p.active and p.commitment != "none"
        ]
        if self.guarantees:
            out += [g for g in self.guarantees if g.active]
        return out

    def assess_threat(self) -> None:
        """Threat = the strongest rival's chance of beating this partner alone (0..1)."""
        k = self.model.world.csf_decisiveness
        threats = [m.csf(a.capability, self.capability, k) for a, _ in self.rivals]
        threats += [m.csf(i.capability, self.capability, k) for i in self.insurgencies]
        self.threat = max(threats, default=0.0)

    # --- phase 2: absorb and respond ------------------------------------------------------------

    def absorb_and_respond(self) -> None:
        """Phase 2: leakage and audits, absorption, training, reform, sustainment, own spending."""
        w = self.model.world
        year = self.model.year
        g_before = self.governance
        self.governance_path.append(g_before)
        totals, arrivals, sustainment = self.receive_aid(year)
        cap = self.absorptive_capacity
        # Saturating absorption per instrument; leakage was taken out on receipt.
        sat = w.absorption_saturation
        usable = {k: m.absorption(v, cap, 0.0, sat) if v > 0 else 0.0 for k, v in totals.items()}
        delivered = m.absorption(arrivals, cap, 0.0, sat) if arrivals > 0 else 0.0
        donor_upkeep = m.absorption(sustainment, cap, 0.0, sat) if sustainment > 0 else 0.0
        # Aid that builds forces (not governance or stabilization) replaces own defence spending.
        self.aid_absorbed = usable["training"] + usable["intelligence"] + delivered + donor_upkeep
        self.train(usable)
        self.stabilization = usable["stabilization"]
        self.decide_reform(usable["governance"], year)
        if self.leaked > 0 and self.aid_received > 0:
            self.governance = clip(
                self.governance - w.leakage_erosion * self.leaked / self.aid_received
            )
        self.revert_governance(year)
        self.governance_change = self.governance - g_before
        self.sustain_equipment(delivered, donor_upkeep, year)

    def receive_aid(self, year: int) -> tuple[dict[str, float], float, float]:
        """Aid net of leakage by instrument, arriving equipment and donor sustainment ($bn);
        audits find part of what leaked, and a large find is a scandal at home."""
        w = self.model.world
        totals = dict.fromkeys(INSTRUMENTS, 0.0)
        arrivals = sustainment = leaked = gross = 0.0
        uniform = self.model.streams.uniform
        for prog in self.programs:
            arriving = prog.pipeline.pop(year, 0.0)
            if prog.amount <= 0 and arriving <= 0:
                continue
            audit = prog.audit_intensity
            leak = m.leakage_rate(
                w.leakage_base, self.governance, self.alignment, w.audit_sensitivity, audit
            )
            kept = 1 - leak
            instruments = prog.instruments
            for k, v in instruments.items():
                totals[k] += v * kept
            arrivals += arriving * kept
            sustainment += prog.sustainment * kept
            flow = sum(instruments.values()) + prog.sustainment + arriving
            leaked += leak * flow
            gross += flow
            draw = uniform(year, "audit", prog.donor.name, self.name)
            if audit > 0 and leak > 0 and draw < audit:
                prog.leak_found = w.audit_memory * prog.leak_found + (1 - w.audit_memory) * leak
                if leak > w.scandal_leakage:
                    prog.scandal_year = year
                    prog.donor.lose_will(w.will_scandal_cost)
                    self.model.log("scandal", (prog.donor.name, self.name), {"leakage": leak})
        self.aid_received = gross
        self.leaked = leaked
        return totals, arrivals, sustainment

    def train(self, usable: dict[str, float]) -> None:
        """Training (aid and the partner's own), intelligence and interoperability gains,
        relative to the own defence budget."""
        w = self.model.world
        scale = max(self.own_spending, 0.01)
        floor = w.training_governance_floor
        training = usable["training"] + w.own_training_share * self.own_spending
        self.human_capital = m.human_capital_step(
            self.human_capital,
            training,
            scale,
            w.training_rate,
            floor + (1 - floor) * self.governance,
            w.skill_attrition,
        )
        self.early_warning = clip(
            self.early_warning * (1 - w.intelligence_decay)
            + w.intelligence_rate * usable["intelligence"] / scale * self.governance
        )
        decay = 1.0 if self.aid_received <= 0 else w.interoperability_decay_with_aid
        self.interoperability = clip(
            self.interoperability
            + w.interoperability_rate
            * (usable["training"] + usable["intelligence"])
            / scale
            * (1 - self.interoperability)
            - w.interoperability_decay * self.interoperability * decay
        )

    def sustain_equipment(self, delivered: float, donor_upkeep: float, year: int) -> None:
        """Upkeep paid by donors first, then from the own operations-and-maintenance budget;
        the own procurement budget and unspent O&M buy equipment (docs/model.md §7.2.7)."""
        w = self.model.world
        self.equipment = self.equipment * (1 - w.equipment_depreciation) + delivered
        need = self.upkeep_need()
        self.update_own_spending(year)
        own_budget = self.own_spending
        allowance = w.own_upkeep_share * own_budget
        donor_used = min(donor_upkeep, need)
        own_upkeep = min(allowance, max(0.0, need - donor_used))
        procurement = w.own_procurement_share * own_budget + (allowance - own_upkeep)
        self.equipment += procurement * w.own_procurement_efficiency
        self.readiness = m.readiness_share(donor_used + own_upkeep, need)
        readiness_own = m.readiness_share(min(allowance, need), need)
        funded = donor_used + own_upkeep
        self.dependency = donor_used / funded if funded > 0 else 0.0
        self.gdp *= 1 + w.gdp_growth
        self.update_capability(self.readiness, readiness_own)

    # --- reform ---------------------------------------------------------------------------------

    def consider_rejection(self, prog: Program, year: int) -> bool:
        """In a program's first decision year, reject it if its terms are too intrusive."""
        w = self.model.world
        intrusiveness = prog.intrusiveness()
        if self.sovereignty_sensitivity * intrusiveness <= w.rejection_threshold:
            return False
        prog.rejected, prog.rejected_year = True, year
        self.alignment = clip(self.alignment - w.rejection_alignment_loss)
        decision = d.Rejection(intrusiveness, self.sovereignty_sensitivity)
        self.model.log("program_rejected", (prog.donor.name, self.name), decision.details())
        return True

    def decide_reform(self, governance_aid: float, year: int) -> d.Reform | None:
        """Comply iff the conditional aid at stake (weighted by believed enforcement and by the
        donors' leverage) plus governance aid's benefit outweighs the political and sovereignty
        costs of reform (logistic choice). Every program due to pay this year counts, including
        one whose tranche was withheld, so a withheld tranche can be earned back."""
        w = self.model.world
        live = [p for p in self.programs if p.active and p.scheduled > 0]
        live = [p for p in live if p.decided_years > 0 or not self.consider_rejection(p, year)]
        if not live:
            return None
        total = sum([p.scheduled for p in live])
        benefit = intrusive = gov = 0.0
        for prog in live:
            believed = (
                w.enforcement_prior * w.enforcement_prior_weight + prog.observed_punished
            ) / (w.enforcement_prior_weight + prog.observed_missed)
            share = prog.scheduled / total
            benefit += prog.conditionality * believed * share
            intrusive += prog.intrusiveness() * share
            gov += prog.instruments.get("governance", 0.0)
        # Leverage: aid that is small beside the partner's economy buys little reform.
        leverage = total / (total + w.reform_leverage_half * max(self.gdp, 1e-9))
        benefit = leverage * benefit + w.governance_aid_benefit * gov / total
        cost = (
            w.reform_cost * (1 - self.governance) * (1 - self.alignment)
            + w.reform_sovereignty_cost * self.sovereignty_sensitivity * intrusive
        )
        prob = m.logistic_choice(benefit, w.reform_sharpness, cost)
        draw = self.model.streams.uniform(year, "reform", self.name)
        decision = d.Reform(benefit, cost, leverage, prob, draw < prob)
        for prog in live:
            prog.decided_years += 1
            prog.complied_years += int(decision.complied)
            prog.missed_benchmark = not decision.complied
        if decision.complied:
            g = self.governance
            g += w.reform_effort_gain * (1 - g)
            g += (
                w.governance_rate
                * governance_aid
                / max(w.governance_aid_scale * self.gdp, 0.01)
                * (1 - g)
            )
            self.governance = clip(g)
        return decision

    def revert_governance(self, year: int) -> None:
        """Governance reverts toward its baseline unless reform holds above a threshold for
        several consecutive years; then the new level becomes the baseline (North 1990)."""
        w = self.model.world
        calm = 1 - w.stabilization_calm * min(
            1.0, self.stabilization / max(self.absorptive_capacity, 1e-9)
        )
        g = self.governance - w.governance_reversion * (self.governance - self.governance_baseline)
        g += w.governance_noise * calm * self.model.streams.normal(year, "governance", self.name)
        self.governance = clip(g)
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

    # --- own spending -----------------------------------------------------------------------------

    def believed_help(self) -> tuple[float, float]:
        """(probability some donor helps, force that would come) as the partner sees it:
        reputation × commitment level relative to an alliance's."""
        q_none, force = 1.0, 0.0
        top = COMMITMENT_LEVEL["alliance"]
        for c in self.commitments():
            q = c.donor.reputation * COMMITMENT_LEVEL[c.commitment] / top
            q_none *= 1 - clip(q)
            force += c.donor.projectable_force
        return 1 - q_none, force

    def update_own_spending(self, year: int) -> None:
        """Own defence share: up with insecurity, crowded out by aid, up ahead of a known exit."""
        w = self.model.world
        k = w.csf_decisiveness
        q, force = self.believed_help()
        insecurity = 0.0
        own, helped = self.capability, self.capability + force
        for a, _prize in self.rivals:
            p0 = m.csf(a.capability, own, k)
            p1 = m.csf(a.capability, helped, k)
            insecurity = max(insecurity, q * p1 + (1 - q) * p0)
        # The scenario's defence share is observed: it already answers the threat of that
        # year, so the share responds to insecurity above or below its first-year level.
        if self.insecurity0 is None:
            self.insecurity0 = insecurity
        baseline = w.insecurity_baseline_weight * self.insecurity0
        response = max(0.0, 1 + w.insecurity_response * (insecurity - baseline))
        own0 = max(self.defence_share0 * self.gdp, 1e-9)
        crowd = m.crowd_out_share(self.aid_absorbed, own0, w.aid_crowd_out)
        anticipation = 0.0
        window = w.sunset_anticipation_years
        paid = sum([p.amount for p in self.programs])
        for prog in self.programs:
            end = prog.end_year
            if prog.active and end is not None and 0 < end - year <= window and paid > 0:
                share = prog.amount / paid
                anticipation += w.sunset_anticipation * (1 - (end - year) / window) * share
        target = self.defence_share0 * response * (1 - crowd) * (1 + anticipation)
        self.defence_share = clip(
            self.defence_share + w.spending_adjustment * (target - self.defence_share), 0.001, 0.5
        )
        self.own_spending = self.defence_share * self.gdp

    # --- losses (called by crises, coercion and insurgencies) ----------------------------------

    def lose_gdp(self, share: float) -> float:
        """Lose a share of GDP (war damage, violence, a concession); returns the $bn lost."""
        loss = share * self.gdp
        self.gdp -= loss
        self.gdp_lost += loss
        return loss

    def concede(self, share: float) -> float:
        """Accept a coercive demand: hand over what it is worth, a share of GDP ($bn)."""
        return self.lose_gdp(share)

    def suffer_war(self, gdp_share: float, equipment_share: float, governance_loss: float) -> None:
        """A war or an insurgent attack on its soil: GDP and equipment destroyed, governance hurt,
        capability recomputed at the current readiness."""
        self.lose_gdp(gdp_share)
        self.equipment_lost += equipment_share * self.equipment
        self.equipment *= 1 - equipment_share
        self.governance = max(0.0, self.governance - governance_loss)
        self.update_capability(self.readiness, self.readiness_own)
