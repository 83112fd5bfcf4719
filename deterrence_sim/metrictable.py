"""The metric table of the documentation, generated from the registry in :mod:`.metrics`.

``python -m deterrence_sim.metrictable > docs/metrics.md``; ``tests/test_docs.py`` keeps it current.
"""

from __future__ import annotations

from .metrics import COLUMNS, RUN_METRICS, Column, Metric

__all__ = ["render_table"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("$", "\\$")


def render_table() -> str:
    """``docs/metrics.md``: the yearly columns and the run metrics, generated from the registry."""
    lines = [
        "# Metrics",
        "",
        "Generated from `deterrence_sim/metrics.py` by `python -m deterrence_sim.metrictable > "
        "docs/metrics.md`; a test keeps it current. Definitions: `docs/model.md` §8. A metric "
        "that does not apply to a run is NaN, never 0. Range: the interval the report's "
        "confidence intervals respect.",
        "",
        "## Yearly columns (`RunResult.timeseries`)",
        "",
        "| column | unit | label | meaning | range |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [_row(c) for c in COLUMNS]
    lines += [
        "",
        "## Run metrics (`RunResult.metrics`)",
        "",
        "| metric | unit | label | how it is computed | range |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [_row(x) for x in RUN_METRICS]
    return "\n".join(lines) + "\n"


def _row(x: Column | Metric) -> str:
    lo = "" if x.lower is None else f"{x.lower:g}"
    hi = "" if x.upper is None else f"{x.upper:g}"
    rng = f"[{lo or '−∞'}, {hi or '∞'}]" if (lo or hi) else ""
    return f"| `{x.name}` | {_cell(x.unit)} | {_cell(x.label)} | {_cell(x.meaning)} | {rng} |"


if __name__ == "__main__":
    print(render_table(), end="")
