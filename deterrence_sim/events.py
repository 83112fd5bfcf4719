"""The event log: what happened in a year, who was involved, the numbers behind it, and a sentence.

Every kind of event the model records is declared once, in :data:`EVENT_KINDS` (like the metric
registry in :mod:`deterrence_sim.metrics`): its meaning, its actors, the details it carries, the
sentence that tells it, whether the dashboard treats it as a key event, the dashboard's "Why?"
explainer for it, and what it does to an aid tie on the dashboard's map. The dashboard's log
filter, map and "Why?" texts and ``docs/events.md`` (``python -m deterrence_sim.eventtable``)
derive from it. Adding a kind is one :class:`EventSpec` entry in ``_SPECS``.

Decision events carry the numbers behind the choice (for an attack: p0, p1, q_hat, EU, the
threshold and which rule fired), so a researcher or a student can see why it happened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .vocab import EXIT_REASON_MEANINGS

__all__ = ["EVENT_KINDS", "KEY_KINDS", "Event", "EventKind", "EventSpec", "describe"]

Sentence = Callable[[tuple[str, ...], Mapping[str, Any]], str]


@dataclass(frozen=True)
class EventSpec:
    """One kind of event.

    ``actors``: the roles of the actors, in order. ``details``: the keys its details may carry.
    ``sentence``: a template over the actors (``"{0} began assisting {1}."``) or a function
    (actors, details) → the sentence after "Year N: ". ``key``: a key event — the dashboard gives
    it a "Why?" and shows it under the default log filter. ``explainer``: the name of its "Why?"
    function in :mod:`deterrence_sim.dashboard.explain` ("" = list its numbers). ``tie``: what it
    does to the donor → partner aid tie on the map (``aid``, ``aid_ended``, ``aid_suspended``,
    ``rejected``; "" = nothing). ``highlight``: drawn as a red tie on the map in its year.
    """

    name: str
    meaning: str
    actors: tuple[str, ...]
    details: tuple[str, ...]
    sentence: str | Sentence
    key: bool = False
    explainer: str = ""
    tie: str = ""
    highlight: bool = False

    @property
    def ends_aid(self) -> bool:
        """Whether it ends or pauses aid (its year is "the exit" when a belief is compared)."""
        return self.tie in ("aid_ended", "aid_suspended")


def _attack_sentence(a: tuple[str, ...], d: Mapping[str, Any]) -> str:
    parts = [f"{a[0]} attacked {a[1]}"]
    if d.get("rule") == "preventive":
        parts[0] += " (a preventive strike before aid shifted the balance)"
    elif d.get("escalation_probability") is not None:
        parts[0] += " after its demand was refused"
    helpers = d.get("intervened", [])
    stayed = d.get("abandoned", [])
    if helpers:
        parts.append(f"{' and '.join(helpers)} intervened")
    if stayed:
        parts.append(f"{' and '.join(stayed)} stayed out")
    parts.append("the attack succeeded" if d.get("aggressor_won") else "the attack failed")
    return "; ".join(parts) + "."


def _exit_sentence(a: tuple[str, ...], d: Mapping[str, Any]) -> str:
    reason = d.get("reason", "sunset")
    if reason == "will" or len(a) < 2:
        return f"{a[0]} ran out of political will and left abruptly."
    why = EXIT_REASON_MEANINGS.get(reason, "its time was up")
    return f"{a[0]}'s program in {a[1]} ended because {why}."


def _coercion_sentence(a: tuple[str, ...], d: Mapping[str, Any]) -> str:
    outcome = "resisted" if d.get("resisted") else "gave in"
    return f"{a[0]} challenged {a[1]} with a coercive demand; {a[1]} {outcome}."


_TRANCHE = ("conditional_share", "enforcement", "punished")
_DECISION = ("target", "eu", "threshold", "probability", "rule", "p0", "p1", "q_hat", "power_shift")
#: A state aggressor's challenge adds its dispute memory (log-odds) and, once resisted, the chance
#: it escalated; an accepted one the GDP the partner conceded.
_CHALLENGE = ("memory", "escalation_probability")
_WAR = ("aggressor_kind", "win_probability", "aggressor_won", "intervened", "abandoned")
_INTERVENTION = ("probability", "commitment", "via", "intervened")

_SPECS: tuple[EventSpec, ...] = (
    EventSpec(
        "program_start",
        "A donor's assistance program to a partner began.",
        ("donor", "partner"),
        ("budget_share",),
        "{0} began assisting {1}.",
        tie="aid",
    ),
    EventSpec(
        "tranche_withheld",
        "A donor withheld the conditional share of aid after a missed reform benchmark.",
        ("donor", "partner"),
        _TRANCHE,
        "{0} withheld aid from {1} for a missed reform benchmark.",
        explainer="why_tranche",
    ),
    EventSpec(
        "tranche_released",
        "A donor paid the conditional share despite a missed reform benchmark.",
        ("donor", "partner"),
        _TRANCHE,
        "{0} paid {1} in full despite a missed reform benchmark.",
        explainer="why_tranche",
    ),
    EventSpec(
        "program_rejected",
        "A partner rejected a program whose conditions it found too intrusive.",
        ("donor", "partner"),
        ("intrusiveness", "sovereignty_sensitivity"),
        "{1} rejected {0}'s program as too intrusive.",
        key=True,
        explainer="why_rejected",
        tie="rejected",
    ),
    EventSpec(
        "scandal",
        "An audit found aid diverted, costing the donor political will.",
        ("donor", "partner"),
        ("leakage",),
        "An audit found aid to {1} diverted; {0} lost political support.",
    ),
    EventSpec(
        "review",
        "A donor re-assessed threats and performance and reallocated its budget across partners.",
        ("donor",),
        ("weights",),
        "{0} reviewed its programs and reallocated its budget.",
    ),
    EventSpec(
        "exit",
        "Aid ended: a program's exit (reason sunset, milestones, horizon or backsliding), or a "
        "donor's departure from all its programs when its will fell below its floor (reason will).",
        ("donor", "partner (absent when the donor left every program)"),
        ("reason", "end_year", "milestone_years", "will", "extended"),
        _exit_sentence,
        key=True,
        explainer="why_exit",
        tie="aid_ended",
    ),
    EventSpec(
        "surge",
        "A donor raised its aid to a partner after the partner was attacked.",
        ("donor", "partner"),
        ("multiplier", "extra", "headroom"),
        "{0} surged aid to {1} after the attack.",
        key=True,
        explainer="why_surge",
        tie="aid",
    ),
    EventSpec(
        "suspension",
        "A donor suspended aid (or, at the last strike, cut the program) for backsliding.",
        ("donor", "partner"),
        ("governance_change", "leak_found", "strikes", "response"),
        "{0} suspended aid to {1} for backsliding.",
        key=True,
        explainer="why_suspension",
        tie="aid_suspended",
    ),
    EventSpec(
        "renegotiation",
        "A donor returned with a less intrusive program after a rejection.",
        ("donor", "partner"),
        ("conditionality", "audit_intensity", "years_since_rejection"),
        "{0} returned to {1} with a less intrusive program.",
        key=True,
        explainer="why_renegotiation",
        tie="aid",
    ),
    EventSpec(
        "reform_institutionalised",
        "A partner's reform held long enough to become its new governance baseline.",
        ("partner",),
        ("governance",),
        "{0}'s reforms took root: governance held at a new level.",
    ),
    EventSpec(
        "coercion",
        "A state aggressor challenged a partner with a coercive demand (the model's militarized dispute), which the partner conceded or resisted.",
        ("aggressor", "partner"),
        (*_DECISION, *_CHALLENGE, "demand", "war_share", "resisted", "conceded_gdp"),
        _coercion_sentence,
        key=True,
        explainer="why_coercion",
    ),
    EventSpec(
        "attack",
        "An aggressor attacked a partner (for a state aggressor: a resisted challenge escalated to war).",
        ("aggressor", "partner"),
        (*_DECISION, *_CHALLENGE, *_WAR),
        _attack_sentence,
        key=True,
        explainer="why_attack",
        highlight=True,
    ),
    EventSpec(
        "intervention",
        "A committed donor fought to defend a partner that was attacked.",
        ("donor", "partner"),
        _INTERVENTION,
        "{0} fought to defend {1}.",
        key=True,
        explainer="why_intervention",
    ),
    EventSpec(
        "abandonment",
        "A committed donor did not come to the defence of a partner that was attacked.",
        ("donor", "partner"),
        _INTERVENTION,
        "{0} did not come to {1}'s defence.",
        key=True,
        explainer="why_intervention",
    ),
)

#: Every event kind the model records → its :class:`EventSpec`.
EVENT_KINDS: dict[str, EventSpec] = {s.name: s for s in _SPECS}

#: The event kinds as an enum (``EventKind.ATTACK == "attack"``), derived from the registry.
EventKind = StrEnum("EventKind", {s.name.upper(): s.name for s in _SPECS})  # type: ignore[misc]

#: Kinds the dashboard gives a "Why?" and shows under its default log filter.
KEY_KINDS: tuple[str, ...] = tuple(s.name for s in _SPECS if s.key)


@dataclass(frozen=True)
class Event:
    """One thing that happened in a year; numbers are rounded to 6 digits when read."""

    year: int
    kind: str
    actors: tuple[str, ...]
    details: dict[str, Any] = field(default_factory=dict)
    # A sentence given at creation; otherwise it is written from the details when read (the
    # model logs without one, so runs that drop their events never pay for the sentences).
    given_text: str = ""

    @property
    def text(self) -> str:
        return self.given_text or describe(self.year, self.kind, self.actors, self.rounded())

    def rounded(self) -> dict[str, Any]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in self.details.items()}

    def as_row(self) -> dict[str, Any]:
        details = self.rounded()
        return {
            "year": self.year,
            "kind": self.kind,
            "actors": ",".join(self.actors),
            "details": details,
            "text": self.given_text or describe(self.year, self.kind, self.actors, details),
        }


def describe(year: int, kind: str, actors: tuple[str, ...], d: Mapping[str, Any]) -> str:
    """A plain sentence for an event, for the dashboard and the events table."""
    spec = EVENT_KINDS.get(kind)
    if spec is None:
        return f"Year {year}: " + kind.replace("_", " ") + ": " + ", ".join(actors) + "."
    if callable(spec.sentence):
        return f"Year {year}: " + spec.sentence(actors, d)
    return f"Year {year}: " + spec.sentence.format(*actors, "", "")
