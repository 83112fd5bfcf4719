"""The event log: what happened in a year, who was involved, the numbers behind it, and a sentence.

Decision events carry the numbers behind the choice (for an attack: p0, p1, q_hat, EU, the
threshold and which rule fired), so a researcher or a student can see why it happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Every event kind the model records, with what it means.
EVENT_KINDS: dict[str, str] = {
    "program_start": "a donor's assistance program to a partner began",
    "tranche_withheld": "a donor withheld the conditional share after a missed reform benchmark",
    "tranche_released": "a donor paid the conditional share despite a missed benchmark",
    "program_rejected": "a partner rejected a program whose conditions it found too intrusive",
    "scandal": "an audit found a leakage scandal, costing the donor political will",
    "review": "a donor re-assessed threats and performance and reallocated its budget",
    "exit": "aid ended: a program's exit (reason sunset, milestones, horizon or backsliding) or a donor's departure when its will fell below its floor (reason will)",
    "surge": "a donor raised aid to a partner after it was attacked",
    "suspension": "a donor suspended aid (or, at the last strike, cut the program) for backsliding",
    "renegotiation": "a donor returned with a less intrusive program after a rejection",
    "reform_institutionalised": "a partner's reform held long enough to become its new baseline",
    "coercion": "an aggressor made a coercive demand that the partner accepted or resisted",
    "attack": "an aggressor attacked a partner (war for a state aggressor)",
    "intervention": "a committed donor fought to defend a partner",
    "abandonment": "a committed donor did not come to a partner's defence",
}


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


def _attack_sentence(year: int, aggressor: str, partner: str, d: dict[str, Any]) -> str:
    parts = [f"Year {year}: {aggressor} attacked {partner}"]
    if d.get("rule") == "preventive":
        parts[0] += " (a preventive strike before aid shifted the balance)"
    elif d.get("rule") == "coercion":
        parts[0] += " after its demand was refused"
    helpers = d.get("intervened", [])
    stayed = d.get("abandoned", [])
    if helpers:
        parts.append(f"{' and '.join(helpers)} intervened")
    if stayed:
        parts.append(f"{' and '.join(stayed)} stayed out")
    parts.append("the attack succeeded" if d.get("aggressor_won") else "the attack failed")
    return "; ".join(parts) + "."


_EXIT_REASONS = {
    "sunset": "reached its end date",
    "milestones": "ended once the partner met its milestones",
    "horizon": "reached its longest allowed length",
    "backsliding": "was cut for backsliding",
}


def _exit_sentence(a: tuple[str, ...], d: dict[str, Any]) -> str:
    reason = d.get("reason", "sunset")
    if reason == "will" or len(a) < 2:
        return f"{a[0]} ran out of political will and left abruptly."
    return f"{a[0]}'s program in {a[1]} {_EXIT_REASONS.get(reason, 'ended')}; aid ended."


def describe(year: int, kind: str, actors: tuple[str, ...], d: dict[str, Any]) -> str:
    """A plain sentence for an event, for the dashboard and the events table."""
    a = actors
    if kind == "attack":
        return _attack_sentence(year, a[0], a[1], d)
    templates = {
        "program_start": "{0} began assisting {1}.",
        "tranche_withheld": "{0} withheld aid from {1} for a missed reform benchmark.",
        "tranche_released": "{0} paid {1} in full despite a missed reform benchmark.",
        "program_rejected": "{1} rejected {0}'s program as too intrusive.",
        "scandal": "An audit found aid to {1} diverted; {0} lost political support.",
        "review": "{0} reviewed its programs and reallocated its budget.",
        "surge": "{0} surged aid to {1} after the attack.",
        "suspension": "{0} suspended aid to {1} for backsliding.",
        "renegotiation": "{0} returned to {1} with a less intrusive program.",
        "reform_institutionalised": "{0}'s reforms took root: governance held at a new level.",
        "intervention": "{0} fought to defend {1}.",
        "abandonment": "{0} did not come to {1}'s defence.",
    }
    if kind == "exit":
        return f"Year {year}: " + _exit_sentence(a, d)
    if kind == "coercion":
        outcome = "resisted" if d.get("resisted") else "gave in"
        return f"Year {year}: {a[0]} pressed {a[1]} with a coercive demand; {a[1]} {outcome}."
    text = templates.get(kind, kind.replace("_", " ") + ": " + ", ".join(a) + ".")
    return f"Year {year}: " + text.format(*a, "", "")
