"""The numbers behind each decision, one small dataclass per decision rule.

An agent's decision method returns one of these; its fields become the details of the event the
model logs, so a reader sees why a donor withheld a tranche or an aggressor attacked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class _Details:
    def details(self) -> dict[str, Any]:
        """The fields as an event's details (None fields left out)."""
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass
class Enforcement(_Details):
    """A donor's choice to withhold the conditional tranche after a missed benchmark."""

    enforcement: float  # probability of punishing (Samaritan's dilemma)
    conditional_share: float
    punished: bool


@dataclass
class Exit(_Details):
    """Why and when a program ends (or a donor leaves)."""

    reason: str  # sunset, milestones, horizon, will, backsliding
    end_year: int
    milestone_years: int | None = None
    will: float | None = None
    extended: int | None = None


@dataclass
class Surge(_Details):
    """Extra aid after an attack on the partner."""

    multiplier: float
    extra: float  # $bn this year
    headroom: float  # $bn the donor could still find this year


@dataclass
class Suspension(_Details):
    """Aid suspended (or a program cut) for backsliding."""

    governance_change: float
    leak_found: float
    strikes: int
    response: str


@dataclass
class Renegotiation(_Details):
    """A donor's return, with a less intrusive program, after a rejection."""

    conditionality: float
    audit_intensity: float
    years_since_rejection: int


@dataclass
class Reform(_Details):
    """A partner's choice to comply with reform benchmarks."""

    benefit: float
    cost: float
    leverage: float
    probability: float
    complied: bool


@dataclass
class Rejection(_Details):
    """A partner's rejection of an intrusive program."""

    intrusiveness: float
    sovereignty_sensitivity: float


@dataclass
class Intervention(_Details):
    """A committed donor's choice to fight for an attacked partner."""

    probability: float
    commitment: str
    via: str  # "aid" (its own tie) or the name of the alliance that covers the partner
    intervened: bool


@dataclass
class Attack(_Details):
    """An aggressor's yearly choice: the best target, its value and the probability of attacking."""

    target: str
    p0: float
    eu: float
    threshold: float
    probability: float
    rule: str  # expected_utility, preventive (state wars, from a challenge), insurgency
    p1: float | None = None
    q_hat: float | None = None
    power_shift: float | None = None


@dataclass
class Challenge(_Details):
    """A state aggressor's yearly choice against one target: challenge (a coercive demand, a
    MID) or wait; its event details also carry the escalation, the demand and the concession."""

    target: str
    p0: float
    eu: float
    threshold: float
    probability: float
    rule: str  # expected_utility or preventive
    p1: float | None = None
    q_hat: float | None = None
    power_shift: float | None = None
    memory: float | None = None  # log-odds from the dyad's history, claim, contiguity and era
    option: dict | None = None  # the assessment behind it (not an event detail)

    def details(self) -> dict:
        out = super().details()
        out.pop("option", None)
        return out
