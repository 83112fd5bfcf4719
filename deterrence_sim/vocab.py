"""The model's word lists, declared once: commitments, exit rules, exit reasons, backsliding responses.

Each is one ``Literal`` type; the scenario schema uses it as a field type, and every other place that
needs the words (the dashboard's lever choices, the explainers, the data builder) reads them with
``typing.get_args``. ``Literal`` rather than ``StrEnum`` because the schema's values stay plain
strings, so scenario files, overrides and the model's comparisons (``policy.exit_rule == "hybrid"``)
are unchanged. Event kinds are the keys of the registry :data:`deterrence_sim.events.EVENT_KINDS`.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "BACKSLIDING_RESPONSES",
    "COMMITMENTS",
    "EXIT_REASONS",
    "EXIT_REASON_MEANINGS",
    "EXIT_RULES",
    "BackslidingResponse",
    "Commitment",
    "ExitReason",
    "ExitRule",
]

#: A donor's security commitment to a partner, weakest first (Leeds, Long & Mitchell 2000).
Commitment = Literal["none", "assurance", "bilateral_pact", "alliance"]

#: How a program ends: at its sunset year, once milestones are met, or the sunset extended while
#: milestones are unmet.
ExitRule = Literal["sunset", "conditions", "hybrid"]

#: Why a program ended (the ``reason`` of an ``exit`` event).
ExitReason = Literal["sunset", "milestones", "horizon", "will", "backsliding"]

#: What a donor does when its partner backslides.
BackslidingResponse = Literal["none", "suspend", "cut"]

COMMITMENTS: tuple[str, ...] = get_args(Commitment)
EXIT_RULES: tuple[str, ...] = get_args(ExitRule)
EXIT_REASONS: tuple[str, ...] = get_args(ExitReason)
BACKSLIDING_RESPONSES: tuple[str, ...] = get_args(BackslidingResponse)

#: Each exit reason in words, completing "the program ended: …" (event sentences and "Why?").
EXIT_REASON_MEANINGS: dict[str, str] = {
    "sunset": "it reached the end date fixed when it began (a sunset clause): aid stops "
    "whatever the situation",
    "milestones": "the partner met its milestones long enough (a conditions-based exit)",
    "horizon": "it reached the longest time allowed without the milestones being met",
    "will": "the donor's political will fell below its floor, so it left abruptly",
    "backsliding": "the partner backslid once too often and the program was cut",
}
