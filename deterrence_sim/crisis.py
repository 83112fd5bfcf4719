"""Phase 4, crises: a war or an insurgent attack, the defenders called on, the contest, the losses
(docs/model.md §7.4).

The functions here decide what happens; every change of an agent's state goes through that agent's
own methods (``Partner.suffer_war``, ``StateAggressor.lose_forces``, ``Donor.lose_will`` …).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import mechanisms as m

if TYPE_CHECKING:
    from .agents import Donor, Insurgency, Partner, StateAggressor
    from .model import DeterrenceModel

    Aggressor = StateAggressor | Insurgency

__all__ = ["call_on_defenders", "resolve_crisis", "share_war_cost"]


def call_on_defenders(
    model: DeterrenceModel, aggressor: StateAggressor, partner: Partner
) -> tuple[float, list[str], list[str]]:
    """Every donor committed to the partner — by its aid tie or by an alliance that covers it —
    decides to intervene with its own probability; allies share the cost of fighting by their
    alliance's burden-sharing rule. Returns (force that came, who intervened, who stayed out)."""
    w = model.world
    committed = partner.commitments()
    if committed:
        model.count("deterrence_failures")
    intervened, abandoned, force = [], [], 0.0
    fighting: list[Donor] = []
    for c in committed:
        donor = c.donor
        decision = donor.decide_intervention(c, aggressor)
        kind = "intervention" if decision.intervened else "abandonment"
        model.count("interventions" if decision.intervened else "abandonments")
        model.observe_signal(donor, kind)
        if decision.intervened:
            intervened.append(donor.name)
            donor.honour_commitment(w.will_intervention_cost * (1 - c.stake))
            force += c.projected_force()
            fighting.append(donor)
        else:
            abandoned.append(donor.name)
            donor.reputation_failed += 1
        model.log(kind, (donor.name, partner.name), decision.details())
    for donor, cost in share_war_cost(fighting, w.intervention_cost_rate).items():
        donor.pay_war_cost(cost)
    return force, intervened, abandoned


def war_damage(model: DeterrenceModel, state: bool, won: bool, loss_share: float):
    """(GDP share, equipment share, governance loss) a partner suffers from one attack."""
    w = model.world
    if state:
        if won:
            gdp, equipment, governance = w.war_gdp_loss, w.war_equipment_loss, w.war_governance_loss
        else:
            gdp, equipment, governance = w.defended_gdp_loss, w.war_equipment_loss / 2, 0.0
        return gdp, min(1.0, max(equipment, loss_share)), governance
    if won:
        return w.defended_gdp_loss, w.insurgent_damage, w.insurgent_governance_loss
    return 0.0, w.insurgent_damage / 3, 0.0


def resolve_crisis(
    model: DeterrenceModel, aggressor: Aggressor, partner: Partner, numbers: dict
) -> None:
    """One attack: defenders are called on, the contest success function draws the winner,
    losses, GDP costs, will and reputations update."""
    w = model.world
    model.count("attacks")
    model.year_attacks[partner.name] += 1
    intervened, abandoned = [], []
    side = partner.capability
    state = aggressor.kind == "state"
    if state:
        model.count("wars")
        if numbers.get("rule") == "preventive":
            model.count("preventive_attacks")
        force, intervened, abandoned = call_on_defenders(model, aggressor, partner)
        side += force
    else:
        model.count("insurgent_attacks")
    for prog in partner.programs:
        if prog.active:
            prog.donor.observe_attack(prog, model.year)
    p_win = m.csf(aggressor.capability, side, w.csf_decisiveness)
    draw = model.streams.uniform(model.year, "contest", aggressor.name, partner.name)
    won = bool(draw < p_win)
    own_loss, partner_loss = m.attrition(aggressor.capability, side, w.war_losses)
    aggressor.lose_forces(own_loss)
    if won:
        model.count("aggressor_wins")
        if state:
            aggressor.won_war(partner)
    gdp, equipment, governance = war_damage(model, state, won, partner_loss)
    if state:
        model.year_war_damage += gdp
    partner.suffer_war(gdp, equipment, governance)
    details = {
        **numbers,
        "aggressor_won": won,
        "win_probability": p_win,
        "intervened": intervened,
        "abandoned": abandoned,
        "aggressor_kind": aggressor.kind,
    }
    model.log("attack", (aggressor.name, partner.name), details)


def share_war_cost(fighting: list[Donor], rate: float) -> dict[Donor, float]:
    """Each intervening donor's cost ($bn): rate × projected force for those fighting alone;
    members of one alliance fighting together pool their cost and split it by the alliance's
    burden-sharing rule (capability for 'gdp' and 'voluntary', equal shares for 'equal')."""
    out: dict[Donor, float] = {}
    groups: dict[str, list[Donor]] = {}
    for donor in fighting:
        key = donor.alliance.name if donor.alliance is not None else donor.name
        groups.setdefault(key, []).append(donor)
    for group in groups.values():
        total = rate * sum(d.projectable_force for d in group)
        rule = group[0].alliance.burden_sharing if group[0].alliance is not None else "gdp"
        weights = [1.0 if rule == "equal" else d.capability for d in group]
        norm = sum(weights) or 1.0
        for d, wgt in zip(group, weights, strict=True):
            out[d] = out.get(d, 0.0) + total * wgt / norm
    return out
