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

from .agents import Donor, Guarantee, Insurgency, Partner, Program, StateAggressor
from .crisis import resolve_crisis
from .events import Event
from .exits import ExitRecord, PartnerHistory
from .metrics import TIMESERIES_COLUMNS, compute_metrics, observe_row
from .scenario import Scenario
from .scenario.world import PlainWorld
from .streams import Streams
from .yeartable import timeseries_frame

Aggressor = StateAggressor | Insurgency


class DeterrenceModel(mesa.Model):
    """A world of donors, partners and aggressors, stepped one year at a time."""

    def __init__(self, scenario: Scenario, seed: int = 0, keep_events: bool = True):
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        super().__init__(rng=seed)
        # Mesa 3.5 reserves `Model.scenario` for its own experimental Scenario class, so ours is
        # kept as `spec`; `world` is a shortcut to its mechanism coefficients.
        self.spec = scenario
        self.world = PlainWorld(scenario.world)
        self.seed = seed
        self.streams = Streams(seed)
        self.year = 0
        self.event_log: list[Event] = []
        # Without events (a sweep's run) nothing is appended to the log; exits are still recorded.
        self.keep_events = keep_events
        self.counts: Counter[str] = Counter()
        self.year_counts: Counter[str] = Counter()
        self._crises: list[tuple[Aggressor, Partner, dict]] = []
        self.year_war_damage = 0.0  # share of partner GDP destroyed in wars this year
        self.exits: list[ExitRecord] = []
        self.history = PartnerHistory()
        self.year_attacks: Counter[str] = Counter()  # attacks on each partner this year
        self._build()
        self.graph = self._build_graph()
        # One row of reporters per year, in the order of metrics.COLUMNS. Mesa's DataCollector
        # deep-copies every value it collects, which cost a tenth of a europe run; these rows are
        # fresh floats each year.
        self.rows: list[list[float]] = []
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
                aggressor[tie.source].add_target(partner[tie.target], tie)
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
        self.year_attacks = Counter()
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

    def resolve_crisis(self, aggressor: Aggressor, partner: Partner, numbers: dict) -> None:
        """One attack (:func:`deterrence_sim.crisis.resolve_crisis`)."""
        resolve_crisis(self, aggressor, partner, numbers)

    def count(self, name: str) -> None:
        self.counts[name] += 1
        self.year_counts[name] += 1

    def log(self, kind: str, actors: tuple[str, ...], details: dict[str, Any]) -> None:
        """Record an event of this year (its sentence is written when it is read); an exit is
        also kept as an exit record per program it ends."""
        if self.keep_events:
            self.event_log.append(Event(self.year, kind, actors, details))
        if kind == "exit":
            self._record_exits(actors, details["reason"])

    def _record_exits(self, actors: tuple[str, ...], reason: str) -> None:
        donor = actors[0]
        done = {(e.donor, e.partner) for e in self.exits}
        partners = (
            [actors[1]]
            if len(actors) > 1
            else [p.partner.name for p in self.programs if p.donor.name == donor and p.started]
        )
        for partner in partners:
            if (donor, partner) not in done:
                self.exits.append(ExitRecord(donor, partner, self.year, reason))

    # --- recording ------------------------------------------------------------------------------

    def _observe(self) -> None:
        """The year's reporters (``metrics.COLUMNS``), computed once and kept in ``rows``, and
        each partner's own line of history (for the post-exit metrics)."""
        self.rows.append(observe_row(self))
        for p in self.partners:
            self.history.record(p.name, p.capability, p.governance, self.year_attacks[p.name])

    def columns(self) -> dict[str, list[float]]:
        """The yearly reporters so far as plain columns (name -> one value per year from 0)."""
        return dict(zip(TIMESERIES_COLUMNS, map(list, zip(*self.rows, strict=True)), strict=True))

    def timeseries(self) -> pd.DataFrame:
        """The yearly reporters so far, one row per year from 0 (the initial state)."""
        return timeseries_frame(self.columns())

    def metrics(self) -> dict[str, float]:
        """The run's outcome metrics so far (docs/design.md §6; :mod:`deterrence_sim.metrics`)."""
        return compute_metrics(self)

    def release(self) -> None:
        """Drop Mesa 3.3's class-level reference to this model so it can be garbage-collected
        (Mesa < 3.4.2 keeps every finished model alive through ``Agent._ids``)."""
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)
