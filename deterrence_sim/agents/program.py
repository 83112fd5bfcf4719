"""Ties between donors and partners: an aid `Program`, and an alliance `Guarantee` without aid.

Both answer the questions crises and beliefs ask of a commitment: is it live, what commitment
does it carry, what is the donor's stake, would it bring a tripwire, what force would come.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .donor import Donor
    from .partner import Partner

#: Commitment level entering the donor's intervention probability (b1 · level): assurances are
#: informal, pacts formal, alliances formal and multilateral (Leeds, Long & Mitchell 2000).
COMMITMENT_LEVEL = {"none": 0.0, "assurance": 1.0, "bilateral_pact": 2.0, "alliance": 2.5}


def clip(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return lo if x < lo else hi if x > hi else x


@dataclass(eq=False)
class Program:
    """One aid tie: a donor's assistance program to a partner, with its history."""

    donor: Donor
    partner: Partner
    stake: float
    weight: float
    tie_commitment: str | None = None
    conditionality: float = 0.0  # this program's terms (renegotiation can soften them)
    audit_intensity: float = 0.0
    rejected: bool = False
    rejected_year: int | None = None
    started: bool = False
    ended: bool = False
    end_year: int | None = None  # year aid ends (the sunset, or as the exit rule decides)
    exit_reason: str | None = None
    extended: int = 0  # years a hybrid exit pushed the sunset back
    milestone_years: int = 0  # consecutive years the partner met the exit milestones
    strikes: int = 0  # backsliding findings
    strike_year: int | None = None  # year of the last finding
    scandal_year: int | None = None  # last year an audit found leakage above scandal_leakage
    surge_until: int = -1  # last year of a surge after an attack
    missed_benchmark: bool = False
    complied_years: int = 0
    decided_years: int = 0
    scheduled: float = 0.0  # aid due this year before conditions and suspensions, $bn
    amount: float = 0.0  # aid paid this year, $bn
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
    def live(self) -> bool:
        """Still paying or due to pay: active and not ended (ended programs keep their commitment
        but no share of the donor's budget)."""
        return self.active and not self.ended

    @property
    def commitment(self) -> str:
        if self.rejected:
            return "none"
        return self.tie_commitment or self.donor.policy.commitment

    @property
    def tripwire(self) -> bool:
        return self.donor.policy.tripwire

    @property
    def via(self) -> str:
        return "aid"

    def projected_force(self) -> float:
        """The donor's force as it would fight beside this partner: a share of it counts
        regardless (`interop_force_floor`), the rest in proportion to interoperability (points)."""
        floor = self.donor.model.world.interop_force_floor
        return self.donor.projectable_force * (floor + (1 - floor) * self.partner.interoperability)

    def past_sunset(self, year: int) -> bool:
        return self.end_year is not None and year >= self.end_year

    def intrusiveness(self) -> float:
        """How intrusive the program's terms are (0–1): conditions weigh more than audits."""
        w = self.donor.model.world.intrusiveness_conditionality_weight
        return w * self.conditionality + (1 - w) * self.audit_intensity

    def performance(self) -> float:
        """Share of years the partner met its benchmarks, discounted by leakage audits found."""
        compliance = (self.complied_years + 1) / (self.decided_years + 2)
        return compliance * (1.0 - clip(self.leak_found))


@dataclass(eq=False)
class Guarantee:
    """An alliance member's commitment to a partner the alliance covers but it does not aid."""

    donor: Donor
    partner: Partner
    stake: float
    alliance: str
    commitment: str = "alliance"
    tripwire: bool = False

    @property
    def active(self) -> bool:
        return not self.donor.exited

    @property
    def via(self) -> str:
        return self.alliance

    def projected_force(self) -> float:
        floor = self.donor.model.world.interop_force_floor
        return self.donor.projectable_force * (floor + (1 - floor) * self.partner.interoperability)

    def past_sunset(self, year: int) -> bool:  # noqa: ARG002 - Program.past_sunset's signature
        return False
