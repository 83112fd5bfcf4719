"""The event-kind table of the documentation, generated from the registry in :mod:`.events`.

``python -m deterrence_sim.eventtable > docs/events.md``; ``tests/test_docs.py`` keeps it current.
"""

from __future__ import annotations

from .events import EVENT_KINDS, EventSpec
from .vocab import EXIT_REASON_MEANINGS

__all__ = ["render_table"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("$", "\\$")


def render_table() -> str:
    """``docs/events.md``: every event kind the model records, generated from the registry."""
    lines = [
        "# Events",
        "",
        "Generated from `deterrence_sim/events.py` by `python -m deterrence_sim.eventtable > "
        "docs/events.md`; a test keeps it current. Every run's event log (`RunResult.events`, "
        "`events.csv`) has one row per event: year, kind, actors, details (the numbers behind "
        'the decision) and a sentence. A *key* event gets a "Why?" on the dashboard and shows '
        "under its default log filter; *map* says what the event does to the donor → partner "
        "aid tie on the dashboard's network map.",
        "",
        '| kind | meaning | actors | details | key | "Why?" explainer | map |',
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [_row(s) for s in EVENT_KINDS.values()]
    lines += [
        "",
        "## Exit reasons (the `reason` of an `exit` event)",
        "",
        "| reason | the program ended because |",
        "| --- | --- |",
    ]
    lines += [f"| `{r}` | {_cell(text)} |" for r, text in EXIT_REASON_MEANINGS.items()]
    return "\n".join(lines) + "\n"


def _row(s: EventSpec) -> str:
    details = ", ".join(f"`{d}`" for d in s.details)
    explainer = f"`explain.{s.explainer}`" if s.explainer else "lists its numbers"
    mapped = s.tie or ("red tie in its year" if s.highlight else "")
    return (
        f"| `{s.name}` | {_cell(s.meaning)} | {_cell(', '.join(s.actors))} | {details} | "
        f"{'yes' if s.key else ''} | {explainer} | {mapped} |"
    )


if __name__ == "__main__":
    print(render_table(), end="")
