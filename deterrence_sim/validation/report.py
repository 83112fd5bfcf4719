"""``validation.md`` (one table row per check), ``validation.json`` and the facts' figures."""

from __future__ import annotations

import json
from pathlib import Path

from .figures import figure_file, save_figure
from .results import Check, ValidationReport
from .suite import FACTS
from .worlds import DESCRIPTION

__all__ = ["REPORT_FILES", "SUNSET_STATEMENT", "write_report"]

SUNSET_STATEMENT = (
    "Predictions about sunset clauses (the timing of an exit, tapering, anticipation of a "
    "sunset) are hypotheses to explore, not validated findings: no quantitative study isolates "
    "the effect of sunset clauses in security assistance. The checks below validate the "
    "mechanisms an exit works through (dependency, readiness, deterrence), not the clauses."
)

HOW_TO_READ = (
    "How to read this report: `docs/validation.md`. Each stylized fact and base rate is a paired "
    "experiment: every arm runs the same seeds, the effect is the mean per-seed difference and the "
    "interval is a 95% t-interval over seeds (base rate B1: a bootstrap over seeds). The pass rule "
    "(*expected*) was fixed before the run."
)

#: What a report writes into its folder (an earlier report there may be replaced).
REPORT_FILES = ("validation.md", "validation.json", *(figure_file(name) for name in FACTS))

SECTIONS = (
    ("mechanism", "Mechanisms (analytic)"),
    ("stylized fact", "Stylized facts (docs/design.md §7)"),
    ("base rate", "Calibration base rates"),
)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _header(report: ValidationReport, quick: bool) -> list[str]:
    from .. import __version__

    n_pass = sum(c.passed for c in report.checks)
    verdict = (
        "."
        if report.passed
        else f"; {len(report.failed)} fail: {', '.join(c.id for c in report.failed)}."
    )
    return [
        "# deterrence-sim validation report",
        "",
        f"deterrence-sim {__version__}; {'quick' if quick else 'full'} run with {report.seeds} seeds "
        f"per arm; {report.seconds:.0f} s. **{n_pass} of {len(report.checks)} checks pass"
        f"{verdict}**",
        "",
        f"> {SUNSET_STATEMENT}",
        "",
        HOW_TO_READ,
        "",
    ]


def _row(c: Check) -> str:
    result = "pass" if c.passed else "**FAIL**"
    return (
        f"| {c.id} | {_cell(c.claim)} | {_cell(c.source)} | {_cell(c.expected)} | "
        f"{_cell(c.measured)} | {result} |"
    )


def _section(report: ValidationReport, group: str, title: str) -> list[str]:
    lines = [
        f"## {title}",
        "",
        "| id | claim | source | expected | measured (95% CI) | result |",
        "| --- | --- | --- | --- | --- | --- |",
        *(_row(c) for c in report.checks if c.group == group),
        "",
    ]
    if group == "stylized fact":
        lines += [f"![{n}]({figure_file(n)})" for n in FACTS if n in report.figures]
        lines.append("")
    return lines


def _json(report: ValidationReport) -> str:
    data = {
        "seeds": report.seeds,
        "seconds": report.seconds,
        "passed": report.passed,
        "checks": [c.as_dict() for c in report.checks],
    }
    return json.dumps(data, indent=2) + "\n"


def write_report(report: ValidationReport, out: str | Path, quick: bool = False) -> Path:
    """Write ``validation.md``, ``validation.json`` and one PNG per stylized fact into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, figure in report.figures.items():
        save_figure(figure, out / figure_file(name))
    lines = _header(report, quick)
    for group, title in SECTIONS:
        lines += _section(report, group, title)
    lines += ["## Experiment worlds", "", DESCRIPTION, ""]
    path = out / "validation.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    (out / "validation.json").write_text(_json(report), encoding="utf-8")
    return path
