"""DeterrenceModel: builds the world from a scenario and runs the yearly phases (docs/design.md §5).

One step is one year. Phases run by agent type, in this order and never shuffled across types:
donors deliver aid → partners absorb and respond → aggressors arm, update beliefs and decide →
crises resolve → record. Within a type, agents act in scenario order. Every random draw comes from
a stream of its own (``self.streams``: one per mechanism and agents involved, indexed by year), so a
scenario and a seed give identical results on any machine and in any process, and a lever that
changes one decision leaves the numbers every other decision draws unchanged.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import mesa
import networkx as nx
import pandas as pd

from . import mechanisms as m
from .agents import Donor, Guarantee, Insurgency, Partner, Program, StateAggressor
from .events import Event
from .metrics import TIMESERIES_COLUMNS, compute_metrics, observe
from .scenario import Scenario
from .streams import Streams

Aggressor = StateAggressor | Insurgency


class DeterrenceModel(mesa.Model):
    """A world of donors, partners and aggressors, stepped one year at a time."""

    def __init__(self, scenario: Scenario, seed: int = 0):
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        super().__init__(rng=seed)
        # Mesa 3.5 reserves `Model.scenario` for its own experimental Scenario class, so ours is
        # kept as `spec`; `world` is a shortcut to its mechanism coefficients.
        self.spec = scenario
        self.world = scenario.world
        self.seed = seed
        self.streams = Streams(seed)
        self.year = 0
        self.event_log: list[Event] = []
        self.counts: Counter[str] = Counter()
        self.year_counts: Counter[str] = Counter()
        self._crises: list[tuple[Aggressor, Partner, dict]] = []
        self.year_war_damage = 0.0  # share of partner GDP destroyed in wars this year
        self._build()
        self.graph = self._build_graph()
        # One dict of reporters per year. Mesa's DataCollector deep-copies every value it
        # collects, which cost a tenth of a europe run; these rows are fresh floats each year.
        self.rows: list[dict[str, float]] = []
        self._row: dict[str, float] = {}
        self._observe()

    # --- construction ---------------------------------------------------------------------------

    def _build(self) -> None:
        sc = self.spec
        self.donors = [Donor(self, d) for d in sc.donors]
        self.partners = [Partner(self, p) for p in sc.partners]
        self.aggressors: list[Aggressor] = [
            StateAggressor(self, a) if a.kind == "state" else Insurgency(self, a)
            for a in sc.aggressors
        ]
        self.states = [a for a in self.aggressors if isinstance(a, StateAggressor)]
        self.insurgencies = [a for a in self.aggressors if isinstance(a, Insurgency)]
        donor = {d.name: d for d in self.donors}
        partner = {p.name: p for p in self.partners}
        aggressor = {a.name: a for a in self.aggressors}
        self.programs: list[Program] = []
        for tie in sc.ties:
            if tie.kind == "aid":
                d = donor[tie.source]
                prog = Program(
                    d,
                    partner[tie.target],
                    tie.stake,
                    tie.stake,
                    tie.commitment,
                    conditionality=d.policy.conditionality,
                    audit_intensity=d.policy.audit_intensity,
                )
                d.programs.append(prog)
                partner[tie.target].programs.append(prog)
                self.programs.append(prog)
            elif isinstance(aggressor[tie.source], StateAggressor):
                aggressor[tie.source].targets.append((partner[tie.target], tie.prize))
                aggressor[tie.source].prizes[tie.target] = tie.prize
                partner[tie.target].rivals.append((aggressor[tie.source], tie.prize))
        for a in self.insurgencies:
            a.host = partner[a.host_name]
            a.host.insurgencies.append(a)
        for alliance in sc.alliances:
            members = [donor[n] for n in alliance.members]
            for d in members:
                d.alliance = alliance
            self._share_burden(alliance.burden_sharing, [d for d in members if d.pooled])
            self._guarantee(alliance, members, partner)
        for p in self.partners:
            p.assess_threat()

    def _guarantee(self, alliance, members: list[Donor], partner: dict[str, Partner]) -> None:
        """Collective defence: a member bound by the alliance (its commitment is 'alliance')
        guarantees every covered partner it does not aid itself (docs/model.md §7.4)."""
        covered = alliance.covers or sorted(
            {p.partner.name for d in members for p in d.programs}, key=list(partner).index
        )
        stake = self.world.alliance_member_stake
        for d in members:
            if d.policy.commitment != "alliance":
                continue
            aided = {p.partner.name for p in d.programs}
            for name in covered:
                if name not in aided:
                    partner[name].guarantees.append(
                        Guarantee(d, partner[name], stake, alliance.name)
                    )

    @staticmethod
    def _share_burden(rule: str, pooled: list[Donor]) -> None:
        """Divide the pooled budget among members: by capability ('gdp'), equally, or voluntarily
        by stake, which under-provides (Olson & Zeckhauser 1966)."""
        if not pooled:
            return
        total = sum(d.budget for d in pooled)
        if rule == "equal":
            shares = [1 / len(pooled)] * len(pooled)
        else:
            weights = [d.capability for d in pooled]
            shares = [w / (sum(weights) or 1) for w in weights]
        for d, share in zip(pooled, shares, strict=True):
            contribution = total * share
            if rule == "voluntary":
                stakes = [p.stake for p in d.programs] or [0.0]
                contribution *= sum(stakes) / len(stakes)
            d.contribution_share = contribution / d.budget if d.budget > 0 else 0.0

    def _build_graph(self) -> nx.MultiDiGraph:
        g = nx.MultiDiGraph()
        for d in self.donors:
            g.add_node(d.name, role="donor")
        for p in self.partners:
            g.add_node(p.name, role="partner")
        for a in self.aggressors:
            g.add_node(a.name, role="aggressor", kind=a.kind)
        for prog in self.programs:
            g.add_edge(prog.donor.name, prog.partner.name, kind="aid", stake=prog.stake)
            if prog.commitment != "none":
                g.add_edge(
                    prog.donor.name,
                    prog.partner.name,
                    kind="commitment",
                    commitment=prog.commitment,
                    tripwire=prog.donor.policy.tripwire,
                )
        for p in self.partners:
            for c in p.guarantees:
                g.add_edge(
                    c.donor.name, p.name, kind="commitment", commitment=c.commitment, tripwire=False
                )
        for a in self.states:
            for p, prize in a.targets:
                g.add_edge(a.name, p.name, kind="rivalry", prize=prize)
        for a in self.insurgencies:
            g.add_edge(a.name, a.host.name, kind="rivalry", prize=1.0)
        for alliance in self.spec.alliances:
            for i, u in enumerate(alliance.members):
                for v in alliance.members[i + 1 :]:
                    g.add_edge(u, v, kind="alliance", alliance=alliance.name)
        return g

    # --- the year -------------------------------------------------------------------------------

    def step(self) -> None:
        """One year: the five phases of docs/design.md §5, in order."""
        self.year += 1
        self.year_counts = Counter()
        self.year_war_damage = 0.0
        for donor in self.donors:
            donor.deliver_aid()
        for partner in self.partners:
            partner.absorb_and_respond()
        for partner in self.partners:
            partner.assess_threat()
        for aggressor in self.aggressors:
            aggressor.step_year()
        self.resolve_crises()
        for donor in self.donors:
            donor.update_will()
        self._observe()

    def open_crisis(self, aggressor: Aggressor, target: Partner, numbers: dict) -> None:
        """Queue an attack for phase 4."""
        self._crises.append((aggressor, target, numbers))

    def observe_signal(self, donor: Donor, kind: str) -> None:
        """Every state aggressor sees what a donor did and updates its belief in its resolve:
        an intervention or a surge counts as honoured, an abandonment or an exit as failed."""
        w = self.world
        honoured, failed = {
            "intervention": (1.0, 0.0),
            "abandonment": (0.0, 1.0),
            "surge": (w.belief_surge_weight, 0.0),
            "exit": (0.0, w.belief_exit_weight),
        }[kind]
        for a in self.states:
            a.observe(donor, honoured, failed)
        if kind == "exit":
            self.count("program_exits")
        elif kind == "surge":
            self.count("surges")

    def resolve_crises(self) -> None:
        """Phase 4: each crisis in turn (docs/model.md §7.4)."""
        crises, self._crises = self._crises, []
        for aggressor, partner, numbers in crises:
            self.resolve_crisis(aggressor, partner, numbers)

    def call_on_defenders(
        self, aggressor: StateAggressor, partner: Partner
    ) -> tuple[float, list, list]:
        """Every donor committed to the partner — by its aid tie or by an alliance that covers it —
        decides to intervene with its own probability; allies share the cost of fighting by their
        alliance's burden-sharing rule. Returns (force that came, who intervened, who stayed out)."""
        w = self.world
        committed = partner.commitments()
        if committed:
            self.count("deterrence_failures")
        intervened, abandoned, force = [], [], 0.0
        fighting: list[Donor] = []
        for c in committed:
            donor = c.donor
            decision = donor.decide_intervention(c, aggressor)
            kind = "intervention" if decision.intervened else "abandonment"
            self.count("interventions" if decision.intervened else "abandonments")
            self.observe_signal(donor, kind)
            if decision.intervened:
                intervened.append(donor.name)
                donor.reputation_honoured += 1
                force += c.projected_force()
                donor.lose_will(w.will_intervention_cost * (1 - c.stake))
                fighting.append(donor)
            else:
                abandoned.append(donor.name)
                donor.reputation_failed += 1
            self.log(kind, (donor.name, partner.name), decision.details())
        for donor, cost in _share_war_cost(fighting, w.intervention_cost_rate).items():
            donor.cost_year += cost
            donor.cost_total += cost
        return force, intervened, abandoned

    def resolve_crisis(self, aggressor: Aggressor, partner: Partner, numbers: dict) -> None:
        """One attack: defenders are called on, the contest success function draws the winner,
        losses, GDP costs, will and reputations update."""
        w = self.world
        self.count("attacks")
        intervened, abandoned = [], []
        side = partner.capability
        state = isinstance(aggressor, StateAggressor)
        if state:
            self.count("wars")
            if numbers.get("rule") == "preventive":
                self.count("preventive_attacks")
            force, intervened, abandoned = self.call_on_defenders(aggressor, partner)
            side += force
        else:
            self.count("insurgent_attacks")
        for prog in partner.programs:
            if prog.active:
                prog.donor.observe_attack(prog, self.year)
        p_win = m.csf(aggressor.capability, side, w.csf_decisiveness)
        won = bool(self.streams.uniform(self.year, "contest", aggressor.name, partner.name) < p_win)
        attacker = aggressor.capability
        total = attacker + side
        # Each side loses in proportion to the other's share of the forces engaged.
        if total > 0:
            aggressor.capability = attacker * (1 - w.war_losses * side / total)
            partner_loss_share = w.war_losses * attacker / total
        else:
            partner_loss_share = 0.0
        if won:
            self.count("aggressor_wins")
        if state:
            aggressor.last_war[partner.name] = self.year
            if won:
                aggressor.prizes[partner.name] *= 1 - w.conquest_share
                lost_share, equipment_share = w.war_gdp_loss, w.war_equipment_loss
                partner.governance = max(0.0, partner.governance - w.war_governance_loss)
            else:
                lost_share, equipment_share = w.defended_gdp_loss, w.war_equipment_loss / 2
            equipment_share = min(1.0, max(equipment_share, partner_loss_share))
            self.year_war_damage += lost_share
        elif won:
            lost_share, equipment_share = w.defended_gdp_loss, w.insurgent_damage
            partner.governance = max(0.0, partner.governance - w.insurgent_governance_loss)
        else:
            lost_share, equipment_share = 0.0, w.insurgent_damage / 3
        partner.gdp_lost += lost_share * partner.gdp
        partner.gdp *= 1 - lost_share
        partner.equipment_lost += equipment_share * partner.equipment
        partner.equipment *= 1 - equipment_share
        partner.update_capability(partner.readiness, partner.readiness_own)
        details = {
            **numbers,
            "aggressor_won": won,
            "win_probability": p_win,
            "intervened": intervened,
            "abandoned": abandoned,
            "aggressor_kind": aggressor.kind,
        }
        self.log("attack", (aggressor.name, partner.name), details)

    def count(self, name: str) -> None:
        self.counts[name] += 1
        self.year_counts[name] += 1

    def log(self, kind: str, actors: tuple[str, ...], details: dict[str, Any]) -> None:
        """Record an event of this year (its sentence is written when it is read)."""
        self.event_log.append(Event(self.year, kind, actors, details))

    # --- recording ------------------------------------------------------------------------------

    def _observe(self) -> None:
        """The year's reporters (``metrics.COLUMNS``), computed once and kept in ``rows``."""
        self._row = observe(self)
        self.rows.append(self._row)

    def timeseries(self) -> pd.DataFrame:
        """The yearly reporters so far, one row per year from 0 (the initial state)."""
        df = pd.DataFrame({c: [row[c] for row in self.rows] for c in TIMESERIES_COLUMNS})
        df["year"] = df["year"].astype(int)
        return df

    def metrics(self) -> dict[str, float]:
        """The run's outcome metrics so far (docs/design.md §6; :mod:`deterrence_sim.metrics`)."""
        return compute_metrics(self)

    def release(self) -> None:
        """Drop Mesa 3.3's class-level reference to this model so it can be garbage-collected
        (Mesa < 3.4.2 keeps every finished model alive through ``Agent._ids``)."""
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)


def _share_war_cost(fighting: list[Donor], rate: float) -> dict[Donor, float]:
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
