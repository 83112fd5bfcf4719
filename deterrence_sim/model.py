"""DeterrenceModel: builds the world from a scenario and runs the yearly phases (DESIGN §5).

One step is one year. Phases run by agent type, in this order and never shuffled across types:
donors deliver aid → partners absorb and respond → aggressors arm, update beliefs and decide →
crises resolve → record. Within a type, agents act in scenario order. Every random draw comes from
the model's seeded generator (``self.rng``), so a scenario and a seed give identical results on any
machine and in any process.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import mesa
import networkx as nx
import pandas as pd

from . import mechanisms as m
from .agents import AggressorState, DonorState, PartnerState, Program
from .events import Event, describe
from .metrics import TIMESERIES_COLUMNS, compute_metrics, observe
from .scenario import Scenario


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
        self.year = 0
        self.event_log: list[Event] = []
        self.counts: Counter[str] = Counter()
        self.year_counts: Counter[str] = Counter()
        self._crises: list[tuple[AggressorState, PartnerState, dict]] = []
        self.year_war_damage = 0.0  # share of partner GDP destroyed in wars this year
        self._build()
        self.graph = self._build_graph()
        self.datacollector = mesa.DataCollector(
            model_reporters={c: _reporter(c) for c in TIMESERIES_COLUMNS}
        )
        self._row: dict[str, float] = {}
        self._observe()
        self.datacollector.collect(self)

    # --- construction ---------------------------------------------------------------------------

    def _build(self) -> None:
        sc = self.spec
        self.donors = [DonorState(self, d) for d in sc.donors]
        self.partners = [PartnerState(self, p) for p in sc.partners]
        self.aggressors = [AggressorState(self, a) for a in sc.aggressors]
        donor = {d.name: d for d in self.donors}
        partner = {p.name: p for p in self.partners}
        aggressor = {a.name: a for a in self.aggressors}
        self.programs: list[Program] = []
        for tie in sc.ties:
            if tie.kind == "aid":
                prog = Program(
                    donor[tie.source], partner[tie.target], tie.stake, tie.stake, tie.commitment
                )
                donor[tie.source].programs.append(prog)
                partner[tie.target].programs.append(prog)
                self.programs.append(prog)
            elif aggressor[tie.source].kind == "state":
                aggressor[tie.source].targets.append((partner[tie.target], tie.prize))
                aggressor[tie.source].prizes[tie.target] = tie.prize
                partner[tie.target].rivals.append((aggressor[tie.source], tie.prize))
        for a in self.aggressors:
            if a.kind == "insurgency":
                a.host = partner[a.host_name]
                a.host.insurgencies.append(a)
        for alliance in sc.alliances:
            members = [donor[n] for n in alliance.members]
            for d in members:
                d.alliance = alliance
            self._share_burden(alliance.burden_sharing, [d for d in members if d.pooled])
        for p in self.partners:
            p.assess_threat()

    @staticmethod
    def _share_burden(rule: str, pooled: list[DonorState]) -> None:
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
        for a in self.aggressors:
            for p, prize in a.targets:
                g.add_edge(a.name, p.name, kind="rivalry", prize=prize)
            if a.host is not None:
                g.add_edge(a.name, a.host.name, kind="rivalry", prize=1.0)
        for alliance in self.spec.alliances:
            for i, u in enumerate(alliance.members):
                for v in alliance.members[i + 1 :]:
                    g.add_edge(u, v, kind="alliance", alliance=alliance.name)
        return g

    # --- the year -------------------------------------------------------------------------------

    def step(self) -> None:
        """One year: the five phases of DESIGN §5, in order."""
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
            aggressor.arm_update_decide()
        self.resolve_crises()
        for donor in self.donors:
            donor.update_will()
        self._observe()
        self.datacollector.collect(self)

    def open_crisis(self, aggressor: AggressorState, target: PartnerState, numbers: dict) -> None:
        """Queue an attack for phase 4."""
        self._crises.append((aggressor, target, numbers))

    def resolve_crises(self) -> None:
        """Phase 4: committed donors intervene with their true probability; the contest success
        function draws the winner; losses, GDP costs, will and reputations update (DESIGN §5.4)."""
        w = self.world
        crises, self._crises = self._crises, []
        for aggressor, partner, numbers in crises:
            self.count("attacks")
            intervened, abandoned = [], []
            side = partner.capability
            if aggressor.kind == "state":
                self.count("wars")
                if numbers.get("rule") == "preventive":
                    self.count("preventive_attacks")
                committed = [p for p in partner.programs if p.active and p.commitment != "none"]
                if committed:
                    self.count("deterrence_failures")
                for prog in committed:
                    donor = prog.donor
                    q = donor.intervention_probability(prog, aggressor)
                    if self.rng.random() < q:
                        intervened.append(donor.name)
                        donor.reputation_honoured += 1
                        side += prog.projected_force()
                        donor.cost_year += w.intervention_cost_rate * donor.projectable_force
                        donor.cost_total += w.intervention_cost_rate * donor.projectable_force
                        donor.lose_will(w.will_intervention_cost)
                        self.count("interventions")
                        self.log("intervention", (donor.name, partner.name), {"probability": q})
                    else:
                        abandoned.append(donor.name)
                        donor.reputation_failed += 1
                        self.count("abandonments")
                        self.log("abandonment", (donor.name, partner.name), {"probability": q})
            else:
                self.count("insurgent_attacks")
            k = w.csf_decisiveness
            p_win = m.csf(aggressor.capability, side, k)
            won = bool(self.rng.random() < p_win)
            attacker = aggressor.capability
            total = attacker + side
            # Each side loses in proportion to the other's share of the forces engaged.
            if total > 0:
                aggressor.capability = attacker * (1 - w.war_losses * side / total)
                partner_loss_share = w.war_losses * attacker / total
            else:
                partner_loss_share = 0.0
            if aggressor.kind == "state":
                aggressor.last_war[partner.name] = self.year
                if won:
                    self.count("aggressor_wins")
                    aggressor.prizes[partner.name] *= 1 - w.conquest_share
                    lost_share, equipment_share = w.war_gdp_loss, w.war_equipment_loss
                    partner.governance = max(0.0, partner.governance - 0.05)
                else:
                    lost_share, equipment_share = w.defended_gdp_loss, w.war_equipment_loss / 2
                equipment_share = min(1.0, max(equipment_share, partner_loss_share))
            elif won:
                self.count("aggressor_wins")
                lost_share, equipment_share = w.defended_gdp_loss, w.insurgent_damage
                partner.governance = max(0.0, partner.governance - 0.02)
            else:
                lost_share, equipment_share = 0.0, w.insurgent_damage / 3
            if aggressor.kind == "state":
                self.year_war_damage += lost_share
            partner.gdp_lost += lost_share * partner.gdp
            partner.gdp *= 1 - lost_share
            partner.equipment_lost += equipment_share * partner.equipment
            partner.equipment *= 1 - equipment_share
            partner._update_capability(partner.readiness, partner.readiness_own)
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
        """Record an event of this year, with its plain sentence."""
        clean = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in details.items()}
        self.event_log.append(
            Event(self.year, kind, actors, clean, describe(self.year, kind, actors, clean))
        )

    # --- recording ------------------------------------------------------------------------------

    def _observe(self) -> None:
        """The year's reporters (``metrics.COLUMNS``), computed once and read by the DataCollector."""
        self._row = observe(self)

    def timeseries(self) -> pd.DataFrame:
        """The yearly reporters so far, one row per year from 0 (the initial state)."""
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        df["year"] = df["year"].astype(int)
        return df

    def metrics(self) -> dict[str, float]:
        """The run's outcome metrics so far (DESIGN §6; see :mod:`deterrence_sim.metrics`)."""
        return compute_metrics(self)

    def release(self) -> None:
        """Drop Mesa 3.3's class-level reference to this model so it can be garbage-collected
        (Mesa < 3.4.2 keeps every finished model alive through ``Agent._ids``)."""
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)


def _reporter(column: str):
    def report(model: DeterrenceModel) -> float:
        return model._row[column]

    report.__name__ = f"report_{column}"
    return report
