"""The role of a spec factor: a *lever* (a policy choice) or an *uncertainty* (a trait of the
world nobody in the study controls), as the EMA Workbench separates them (Kwakkel 2017).

See ``docs/decision-support.md``.
"""

from __future__ import annotations

__all__ = ["ROLES", "default_role"]

ROLES = ("lever", "uncertainty")


def default_role(paths: list[str]) -> str:
    """``"lever"`` when every path is a donor's policy or an alliance's rule (choices the donors
    make), else ``"uncertainty"`` (partner, aggressor and world traits)."""
    chosen = [
        (p.startswith("donors.") and ".policy." in p) or p.startswith("alliances.") for p in paths
    ]
    return "lever" if paths and all(chosen) else "uncertainty"
