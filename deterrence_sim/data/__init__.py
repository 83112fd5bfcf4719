"""Loaders for public datasets and scenarios built from them.

- :func:`load_nmc` — Correlates of War National Material Capabilities, abridged CSV (v5/v6).
- :func:`load_vdem` — V-Dem electoral democracy index (``year, COWcode, v2x_polyarchy``).
- :func:`load_atop_members` / :func:`load_atop_alliances` — ATOP v4/v5 member- and
  alliance-level CSVs.
- :func:`load_mid_dyads`, :func:`load_wars`, :func:`load_rivalries`, :func:`load_contiguity`,
  :func:`load_majors` — MID 5.0 directed dispute-years, COW inter-state wars, Thompson & Dreyer
  rivalries, COW contiguity and major powers (the conflict data of the calibration).
- :func:`build_panel` — the rival directed dyad-year panel; :func:`hazard_table` — yearly hazards
  of war and coercion by stratum with Wilson intervals (see ``docs/calibration.md``).
- :func:`scenario_from_data` — a :class:`~deterrence_sim.Scenario` for one year (see
  ``docs/data.md`` for the mapping from data to model parameters).

The data files themselves are not part of the package: users load their own copies.
Importing this package is cheap; pandas is imported when a loader is first used.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import DeterrenceSimError

__all__ = [
    "DataError",
    "DataFormatError",
    "build_panel",
    "default_data_dir",
    "hazard_table",
    "load_atop_alliances",
    "load_atop_members",
    "load_contiguity",
    "load_majors",
    "load_mid_dyads",
    "load_nmc",
    "load_rivalries",
    "load_vdem",
    "load_wars",
    "scenario_from_data",
]


class DataError(DeterrenceSimError):
    """A data file that cannot be used: missing, unreadable, or without the needed rows."""


class DataFormatError(DataError, ValueError):
    """A data file in the wrong format; names the file, the expected format and missing columns."""

    def __init__(self, path: str | Path, what: str, missing: list[str], hint: str = ""):
        self.path = str(path)
        self.what = what
        self.missing = list(missing)
        msg = f"{self.path}: not a {what} file: missing column(s) {', '.join(self.missing)}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


def default_data_dir() -> Path | None:
    """Where the shared data files live: ``$DETERRENCE_SIM_DATA``, else ``../shared/data``
    next to a source checkout; None when neither exists."""
    env = os.environ.get("DETERRENCE_SIM_DATA")
    if env:
        p = Path(env)
        return p if p.is_dir() else None
    # deterrence_sim/data/__init__.py -> repo root is parents[2]
    p = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()
    return p if p.is_dir() else None


def __getattr__(name: str) -> Any:
    # Lazy: the CLI imports this package to register `scenario from-data`; pandas loads on use.
    if name in ("load_nmc", "load_vdem", "load_atop_members", "load_atop_alliances"):
        from . import loaders

        return getattr(loaders, name)
    if name in ("load_mid_dyads", "load_wars", "load_rivalries", "load_contiguity", "load_majors"):
        from . import conflict

        return getattr(conflict, name)
    if name == "build_panel":
        from .panel import build_panel

        return build_panel
    if name == "hazard_table":
        from .hazards import hazard_table

        return hazard_table
    if name == "scenario_from_data":
        from .scenario_builder import scenario_from_data

        return scenario_from_data
    raise AttributeError(f"module 'deterrence_sim.data' has no attribute {name!r}")
