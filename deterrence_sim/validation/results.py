"""What a validation produces: one :class:`Check` per claim, gathered in a :class:`ValidationReport`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Check", "ValidationReport", "effect_check", "fmt", "fmt_ci"]

GROUPS = ("mechanism", "stylized fact", "base rate")


@dataclass(kw_only=True)
class Check:
    """One row of the report: a claim, its source, the pass rule, and what was measured."""

    id: str
    group: str  # one of GROUPS
    claim: str
    source: str
    expected: str  # the pass rule, fixed before the run
    measured: str
    passed: bool
    estimate: float = math.nan
    ci: tuple[float, float] | None = None
    seeds: int | None = None
    figure: str | None = None

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"check {self.id}: group {self.group!r} not one of {GROUPS}")
        self.passed = bool(self.passed)
        self.estimate = float(self.estimate)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "group": self.group,
            "claim": self.claim,
            "source": self.source,
            "expected": self.expected,
            "measured": self.measured,
            "passed": self.passed,
            "estimate": None if math.isnan(self.estimate) else self.estimate,
            "ci": list(self.ci) if self.ci else None,
            "seeds": self.seeds,
            "figure": self.figure,
        }


@dataclass
class ValidationReport:
    """Every check of one validation, the seeds per arm, the wall time and the figures to draw."""

    checks: list[Check]
    seeds: int
    seconds: float
    figures: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]


def fmt(x: float | None, nd: int = 3) -> str:
    """A number as the report prints it ('n/a' for NaN)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.{nd}f}"


def fmt_ci(m: float, ci: tuple[float, float] | None, n: int | None = None, nd: int = 3) -> str:
    """'estimate [lo, hi] (n=… seeds)'."""
    s = fmt(m, nd)
    if ci is not None and not any(math.isnan(c) for c in ci):
        s += f" [{fmt(ci[0], nd)}, {fmt(ci[1], nd)}]"
    if n is not None:
        s += f" (n={n} seeds)"
    return s


def effect_check(
    *,
    id: str,
    group: str,
    claim: str,
    source: str,
    expected: str,
    effect: tuple[float, tuple[float, float], int],
    passed: bool,
    measured: str | None = None,
    figure: str | None = None,
) -> Check:
    """A check whose estimate, interval and seed count are one effect ``(mean, (lo, hi), n)`` from
    :mod:`deterrence_sim.stats`; ``measured`` defaults to that effect as :func:`fmt_ci` prints it."""
    est, ci, n = effect
    return Check(
        id=id,
        group=group,
        claim=claim,
        source=source,
        expected=expected,
        measured=fmt_ci(est, ci, n) if measured is None else measured,
        passed=passed,
        estimate=est,
        ci=ci,
        seeds=n,
        figure=figure,
    )
