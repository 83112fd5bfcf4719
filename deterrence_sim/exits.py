"""Exits as records: each program's exit (donor, partner, year, reason) kept when it happens, and
the partner-level history the post-exit metrics read (docs/metrics.md, "Exits").

The post-exit metrics are computed per exited program from its own partner's history and then
averaged over the programs that exited (sums for counts), so one donor leaving while another stays
is an exit of that donor's programs, not an invisible event inside a total aid flow that never
reaches zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["ExitRecord", "PartnerHistory", "per_exit_mean"]


@dataclass(frozen=True)
class ExitRecord:
    """One program's exit: the first year without its aid, and why (sunset, milestones, horizon,
    will, backsliding)."""

    donor: str
    partner: str
    year: int
    reason: str


class PartnerHistory:
    """Per partner and year (0 = the initial state): capability, governance, attacks on it."""

    def __init__(self) -> None:
        self.capability: dict[str, list[float]] = {}
        self.governance: dict[str, list[float]] = {}
        self.attacks: dict[str, list[int]] = {}

    def record(self, name: str, capability: float, governance: float, attacks: int) -> None:
        self.capability.setdefault(name, []).append(capability)
        self.governance.setdefault(name, []).append(governance)
        self.attacks.setdefault(name, []).append(attacks)

    def at(self, series: dict[str, list], name: str, year: int) -> float:
        values = series.get(name, [])
        return float(values[year]) if 0 <= year < len(values) else math.nan

    def last_year(self, name: str) -> int:
        return len(self.capability.get(name, [])) - 1

    def attacks_between(self, name: str, first: int, last: int) -> float:
        """Attacks on the partner in years first..last (inclusive, clipped to years 1..T)."""
        values = self.attacks.get(name, [])
        return float(sum(values[max(first, 1) : last + 1]))


def per_exit_mean(values: list[float]) -> float:
    """Mean over exits with a defined value; NaN when none is defined."""
    kept = [v for v in values if not math.isnan(v)]
    return math.fsum(kept) / len(kept) if kept else math.nan
