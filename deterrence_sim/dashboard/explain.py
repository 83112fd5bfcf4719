""" "Why?" — the numbers behind an event, in plain words for students.

Each decision event (see :data:`deterrence_sim.events.EVENT_KINDS`) carries the numbers the agent
decided with; :func:`why` turns them into a sentence. Each kind's function (``why_<kind>``) is
named by its registry entry (``EventSpec.explainer``), which :data:`EXPLAINERS` reads; a kind
without one gets a generic fallback that lists its numbers, so a new kind of event shows its
numbers at once and gets its own wording with one function. Kinds are named here through
:class:`~deterrence_sim.events.EventKind`, so a kind that leaves the registry fails at import.

The functions read only the event (year, kind, actors, details) and the events before it (to say
how a belief changed since the aggressor's previous decision and whether a donor left in
between). Percentages are rounded to whole points, other numbers to two decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..events import EVENT_KINDS, KEY_KINDS, EventKind
from ..vocab import EXIT_REASON_MEANINGS

__all__ = ["EXIT_KINDS", "EXPLAINERS", "KEY_KINDS", "Ev", "as_events", "why"]

#: Kinds that end (or pause) aid: their year is "the exit" when a belief is compared across it.
EXIT_KINDS: tuple[str, ...] = tuple(k for k, s in EVENT_KINDS.items() if s.ends_aid)


#: Below this chance an attack that happened is called a long shot.
LONG_SHOT = 0.2


@dataclass(frozen=True)
class Ev:
    """An event as the explainers read it."""

    year: int
    kind: str
    actors: tuple[str, ...]
    details: Mapping[str, Any]
    text: str = ""


def as_events(events: Any) -> list[Ev]:
    """Event objects, dicts or an events DataFrame (``details`` as dict or JSON) → :class:`Ev`."""
    import json

    if events is None:
        return []
    if hasattr(events, "to_dict") and hasattr(events, "columns"):
        events = events.to_dict("records")
    out = []
    for e in events:
        get = e.get if isinstance(e, Mapping) else (lambda k, e=e: getattr(e, k, None))
        actors = get("actors") or ()
        if isinstance(actors, str):
            actors = tuple(a.strip() for a in actors.split(",") if a.strip())
        details = get("details") or {}
        if isinstance(details, str):
            try:
                details = json.loads(details)
            except ValueError:
                details = {}
        out.append(
            Ev(int(get("year")), str(get("kind") or ""), tuple(actors), details, get("text") or "")
        )
    return out


def pct(p: Any) -> str:
    """A probability as whole percentage points ('<1%' for a small non-zero chance)."""
    p = float(p)
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 < p < 1:
        return ">99%"
    return f"{100 * p:.0f}%"


def num(x: Any) -> str:
    """A number with two decimals (no exponent, no '-0.00')."""
    x = float(x)
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def _actor(e: Ev, i: int, default: str = "?") -> str:
    return e.actors[i] if len(e.actors) > i else default


def _previous_decision(e: Ev, history: Sequence[Ev]) -> Ev | None:
    """The same aggressor's latest earlier decision about the same partner that holds a belief."""
    for h in reversed(history):
        if (
            h.year < e.year
            and h.kind in (EventKind.ATTACK, EventKind.COERCION)
            and h.actors[:2] == e.actors[:2]
            and "q_hat" in h.details
        ):
            return h
    return None


def _exits_between(start: int, end: int, partner: str, history: Sequence[Ev]) -> list[Ev]:
    return [
        h
        for h in history
        if h.kind in EXIT_KINDS
        and start < h.year <= end
        and (len(h.actors) < 2 or h.actors[1] == partner)
    ]


def _donors_of(partner: str, history: Sequence[Ev]) -> list[str]:
    names = []
    for h in history:
        started = h.kind == EventKind.PROGRAM_START and len(h.actors) > 1 and h.actors[1] == partner
        if started and h.actors[0] not in names:
            names.append(h.actors[0])
    return names


def _belief(e: Ev, history: Sequence[Ev]) -> str:
    """'it believed X would defend with probability 31%, down from 60% before the exit'.

    The comparison is with the aggressor's last decision before the most recent exit from this
    partner when there was one (the change a student looks for), else with its previous decision.
    """
    d = e.details
    partner = _actor(e, 1)
    donors = _donors_of(partner, history)
    who = donors[0] if len(donors) == 1 else "a donor"
    text = f"it believed {who} would defend {partner} with probability {pct(d['q_hat'])}"
    exits = _exits_between(-(10**9), e.year, partner, history)
    prev, when = None, ""
    if exits:
        cut = exits[-1].year
        earlier = [h for h in history if h.year < cut]
        prev = _previous_decision(Ev(cut, e.kind, e.actors, {}), earlier)
        when = f"before the exit in year {cut}"
    if prev is None:
        prev = _previous_decision(e, history)
        when = f"in year {prev.year}" if prev is not None else ""
    if prev is not None:
        before, now = float(prev.details["q_hat"]), float(d["q_hat"])
        if pct(now) != pct(before):
            text += f", {'down' if now < before else 'up'} from {pct(before)} {when}"
        elif not when.startswith("before"):
            text += f", as {when}"
    return text


def _odds(d: Mapping[str, Any]) -> str:
    if "p1" in d:
        return (
            f"chance of winning alone {pct(d['p0'])}, "
            f"against the partner with its donors {pct(d['p1'])}"
        )
    return f"chance of winning {pct(d['p0'])}"


def _gain(d: Mapping[str, Any]) -> str:
    eu, thr = float(d["eu"]), float(d["threshold"])
    rel = "above" if eu > thr else "below"
    return f"expected gain {num(eu)}, {rel} its threshold {num(thr)}"


def why_attack(e: Ev, history: Sequence[Ev]) -> str:
    d = e.details
    who = _actor(e, 0)
    if "probability" not in d:
        return _generic(e, history)
    if "escalation_probability" in d:
        # A state aggressor: a challenge that the partner resisted, escalated to war.
        head = (
            f"{who}'s chance of challenging this year: {pct(d['probability'])}; the partner "
            f"resisted its demand and the chance that it escalated to war was "
            f"{pct(d['escalation_probability'])}"
        )
        odds = float(d["probability"]) * float(d["escalation_probability"])
    else:
        head = f"{who}'s chance of attacking: {pct(d['probability'])}"
        odds = float(d["probability"])
    if odds < LONG_SHOT:
        head += " (a long shot that happened)"
    parts = []
    if d.get("rule") == "preventive":
        shift = d.get("power_shift")
        head += " — a window of danger: aid on its way would soon shift the balance"
        if shift is not None:
            head += f" (its chance of winning would fall by {pct(shift)})"
    if "q_hat" in d:
        parts.append(_belief(e, history))
    if "eu" in d and "threshold" in d:
        parts.append(_gain(d))
    if "p0" in d:
        parts.append(_odds(d))
    text = head + (" — " + "; ".join(parts) if parts else "") + "."
    if "win_probability" in d:
        text += f" In the fighting its chance of winning was {pct(d['win_probability'])}."
    return text


def why_coercion(e: Ev, history: Sequence[Ev]) -> str:
    d = e.details
    who, partner = _actor(e, 0), _actor(e, 1)
    text = f"{who} challenged {partner} (chance this year {pct(d.get('probability', 0))})"
    if "q_hat" in d:
        text += "; " + _belief(e, history)
    if "eu" in d and "threshold" in d:
        text += "; " + _gain(d)
    text += "."
    if "demand" in d and "war_share" in d:
        text += (
            f" It demanded {pct(d['demand'])} of the disputed stake, against the "
            f"{pct(d['war_share'])} it expected to win by war"
        )
        text += f"; {partner} {'resisted' if d.get('resisted') else 'gave in'}."
    return text


def why_intervention(e: Ev, history: Sequence[Ev]) -> str:
    d = e.details
    donor, partner = _actor(e, 0), _actor(e, 1)
    p = d.get("probability")
    chance = f" Its chance of honouring its commitment was {pct(p)}" if p is not None else ""
    verb = "fought to defend" if e.kind == EventKind.INTERVENTION else "stayed out of the war over"
    return (
        f"{donor} {verb} {partner}.{chance} (set by its commitment, a tripwire, its stake, "
        "interoperability, the cost of the fight and its political will)."
    )


def why_exit(e: Ev, history: Sequence[Ev]) -> str:
    d = dict(e.details)
    reason = str(d.pop("reason", ""))
    who = _actor(e, 0)
    where = f" in {_actor(e, 1)}" if len(e.actors) > 1 else ""
    text = f"{who}'s program{where} ended in year {d.pop('end_year', e.year)}"
    if reason in EXIT_REASON_MEANINGS:
        text += ": " + EXIT_REASON_MEANINGS[reason]
    elif reason:
        text += f" ({reason.replace('_', ' ')})"
    if d.get("extended"):
        text += f", after extending it by {_years(d.pop('extended'))} while milestones were unmet"
    if "will" in d:
        text += f" (will {num(d.pop('will'))})"
    if d.get("milestone_years"):
        text += f" ({_years(d.pop('milestone_years'))} in a row)"
    text += ". An aggressor now counts less on this donor's help."
    return text


def _years(n: Any) -> str:
    return f"{int(n)} year" + ("" if int(n) == 1 else "s")


def why_surge(e: Ev, history: Sequence[Ev]) -> str:
    d = e.details
    text = f"{_actor(e, 0)} raised its aid to {_actor(e, 1)} after the attack"
    if "multiplier" in d:
        text += f" (×{float(d['multiplier']):g}"
        if "extra" in d:
            text += f", ${num(d['extra'])}bn more this year"
        text += ")"
    if "headroom" in d:
        text += f"; it could still find ${num(d['headroom'])}bn"
    return text + "."


def why_suspension(e: Ev, history: Sequence[Ev]) -> str:
    d = e.details
    verb = "cut its program in" if d.get("response") == "cut" else "suspended aid to"
    text = f"{_actor(e, 0)} {verb} {_actor(e, 1)} for backsliding"
    parts = []
    if "governance_change" in d:
        parts.append(f"governance changed by {num(d['governance_change'])}")
    if float(d.get("leak_found", 0) or 0) > 0:
        parts.append(f"audits found {pct(d['leak_found'])} of aid diverted")
    if "strikes" in d:
        parts.append(f"strike {d['strikes']}")
    return text + (f" ({'; '.join(parts)})" if parts else "") + "."


def why_renegotiation(e: Ev, history: Sequence[Ev]) -> str:
    d = e.details
    text = f"{_actor(e, 0)} came back to {_actor(e, 1)} with a less intrusive program"
    if "conditionality" in d:
        text += f": {pct(d['conditionality'])} of aid conditional"
    if "audit_intensity" in d:
        text += f", audit intensity {num(d['audit_intensity'])}"
    if "years_since_rejection" in d:
        text += f", {_years(d['years_since_rejection'])} after the rejection"
    return text + "."


def why_rejected(e: Ev, history: Sequence[Ev]) -> str:
    d = e.details
    text = f"{_actor(e, 1)} turned down {_actor(e, 0)}'s program"
    if "intrusiveness" in d:
        text += f": its conditions were too intrusive ({num(d['intrusiveness'])}"
        if "tolerance" in d:
            text += f" against a tolerance of {num(d['tolerance'])}"
        text += ")"
    return text + "."


def why_tranche(e: Ev, history: Sequence[Ev]) -> str:
    d = e.details
    verb = "withheld" if e.kind == EventKind.TRANCHE_WITHHELD else "paid anyway"
    text = f"{_actor(e, 1)} missed a reform benchmark; {_actor(e, 0)} {verb} the conditional share"
    if "conditional_share" in d:
        text += f" ({pct(d['conditional_share'])} of its aid)"
    if "enforcement" in d:
        text += f"; the chance of enforcing was {pct(d['enforcement'])}"
    return text + "."


def _numbers(d: Mapping[str, Any]) -> str:
    parts = []
    for k, v in d.items():
        if isinstance(v, bool | str):
            parts.append(f"{k.replace('_', ' ')} {v}")
        elif isinstance(v, int | float):
            parts.append(f"{k.replace('_', ' ')} {num(v) if isinstance(v, float) else v}")
    return ", ".join(parts)


def _generic(e: Ev, history: Sequence[Ev]) -> str:
    """Any other kind: who, and the numbers it recorded."""
    rest = _numbers(e.details)
    who = " and ".join(e.actors) or "the model"
    return f"{e.kind.replace('_', ' ').capitalize()} ({who})" + (f": {rest}." if rest else ".")


#: One explainer per event kind, named in the registry (``EventSpec.explainer``); :func:`why`
#: falls back to listing the numbers.
EXPLAINERS: dict[str, Callable[[Ev, Sequence[Ev]], str]] = {
    kind: globals()[spec.explainer] for kind, spec in EVENT_KINDS.items() if spec.explainer
}


def why(event: Any, history: Sequence[Any] = ()) -> str:
    """The reasons for ``event`` in plain words; ``history``: the events logged before it."""
    (e,) = as_events([event]) if not isinstance(event, Ev) else (event,)
    hist = [h if isinstance(h, Ev) else as_events([h])[0] for h in history]
    try:
        return EXPLAINERS.get(e.kind, _generic)(e, hist)
    except (KeyError, TypeError, ValueError):
        return _generic(e, hist)
