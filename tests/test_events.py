"""The event registry: every kind the model logs is declared once, with its meaning and details."""

from __future__ import annotations

import re

import pytest

from deterrence_sim import Scenario, run_model
from deterrence_sim.events import EVENT_KINDS, KEY_KINDS, Event, EventKind, describe
from deterrence_sim.vocab import EXIT_REASON_MEANINGS, EXIT_REASONS

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def logged() -> dict[str, list[Event]]:
    """Every event of every preset on seeds 0–2, by kind (the lead's new kinds land here too)."""
    out: dict[str, list[Event]] = {}
    for name in Scenario.presets():
        for seed in SEEDS:
            for row in run_model(Scenario.preset(name), seed=seed).events.itertuples():
                actors = tuple(a for a in row.actors.split(",") if a)
                out.setdefault(row.kind, []).append(Event(row.year, row.kind, actors, row.details))
    return out


def test_every_logged_kind_is_registered_with_a_meaning(logged):
    assert logged, "the presets logged no events"
    unknown = sorted(set(logged) - set(EVENT_KINDS))
    assert not unknown, f"add these kinds to deterrence_sim/events.py _SPECS: {unknown}"
    for kind in logged:
        assert EVENT_KINDS[kind].meaning.strip(), kind


def test_logged_details_and_actors_are_the_declared_ones(logged):
    for kind, events in logged.items():
        spec = EVENT_KINDS[kind]
        keys = {k for e in events for k in e.details}
        assert keys <= set(spec.details), f"{kind}: undeclared details {keys - set(spec.details)}"
        counts = {len(e.actors) for e in events}
        assert max(counts) <= len(spec.actors), f"{kind}: {counts} actors, {spec.actors} declared"


def test_exit_reasons_logged_are_the_vocabulary(logged):
    reasons = {e.details["reason"] for e in logged.get("exit", [])}
    assert reasons <= set(EXIT_REASONS)
    assert set(EXIT_REASON_MEANINGS) == set(EXIT_REASONS)


def test_every_spec_is_complete_and_its_sentence_names_the_actors():
    for kind, spec in EVENT_KINDS.items():
        assert spec.name == kind and re.fullmatch(r"[a-z_]+", kind)
        assert spec.meaning.endswith(".") and spec.actors
        actors = tuple(f"X{i}" for i in range(len(spec.actors)))
        text = describe(3, kind, actors, {"reason": "sunset"})
        assert text.startswith("Year 3: ") and "X0" in text and "{" not in text, kind
    assert set(KEY_KINDS) <= set(EVENT_KINDS)


def test_the_enum_is_the_registry():
    assert [k.value for k in EventKind] == list(EVENT_KINDS)
    assert EventKind.ATTACK == "attack"


def test_dead_kinds_are_gone():
    assert not {"sunset", "early_exit"} & set(EVENT_KINDS)
