"""Levers and uncertainties: the role of each factor of an experiment (see ``docs/decision-support.md``).

A *lever* is a choice the donors make (a policy); an *uncertainty* is a trait of the world nobody
in the study controls (Lempert, Popper & Bankes 2003; the EMA Workbench's levers and
uncertainties, Kwakkel 2017). The spec records each factor's role (``role = "lever" |
"uncertainty"``, default from its paths: :func:`deterrence_sim.experiment.roles.default_role`) and
the manifest of every results folder keeps it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..experiment.roles import default_role
from ..experiment.store import read_manifest

__all__ = ["factor_roles", "names_with_role"]


def _role(factor: dict[str, Any]) -> str:
    if factor.get("role"):
        return str(factor["role"])
    # A folder written before roles existed: derive the role as a new spec would.
    if factor.get("bundles"):
        paths = [p for b in factor["bundles"].values() for p in b]
    else:
        paths = [factor["path"]] if factor.get("path") else []
    return default_role(paths)


def factor_roles(out_dir: str | Path) -> dict[str, str]:
    """Factor name -> ``"lever"`` or ``"uncertainty"``, from a results folder's manifest."""
    spec = read_manifest(out_dir).get("spec", {})
    return {f["name"]: _role(f) for f in spec.get("factors", [])}


def names_with_role(roles: dict[str, str], role: str) -> list[str]:
    """The factor names of one role (``"all"`` for every factor), in spec order."""
    return [n for n, r in roles.items() if role in ("all", r)]
