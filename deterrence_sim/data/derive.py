"""Capability and governance figures for the region presets, derived from the public data.

``python -m deterrence_sim.data.derive [--data DIR] [--nmc-year 2016] [--vdem-year 2019]`` prints,
per preset and state: COW abbreviation and code, role, military expenditure ($bn, COW NMC v6
``milex`` / 1e6, with the year it comes from), CINC, and V-Dem ``v2x_polyarchy``. These figures
are what the presets in ``deterrence_sim/scenarios/`` use (their comments name states, years and
sources). The data files are read from ``--data``, ``$DETERRENCE_SIM_DATA`` or ``../shared/data``.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import pandas as pd

from . import DataError, default_data_dir
from .loaders import load_nmc, load_vdem
from .scenario_builder import state_data

__all__ = ["PRESET_STATES", "derive_preset_numbers", "main"]

#: States of each region preset by role (COW abbreviations). Insurgencies have no COW entry.
PRESET_STATES: dict[str, dict[str, list[str]]] = {
    "europe": {
        "donor": ["USA", "UKG"],
        "partner": ["EST", "LAT", "LIT", "POL"],
        "aggressor": ["RUS"],
    },
    "indo_pacific": {
        "donor": ["USA"],
        "partner": ["JPN", "ROK", "TAW", "PHI"],
        "aggressor": ["CHN"],
    },
    "middle_east": {
        "donor": ["USA", "UKG", "FRN"],
        "partner": ["IRQ", "JOR", "LEB"],
        "aggressor": ["IRN"],
    },
    # Mali, Niger, Burkina Faso (COW: MLI 432, NIR 436, BFO 439); threats are insurgencies.
    "africa": {"donor": ["FRN", "USA"], "partner": ["MLI", "NIR", "BFO"], "aggressor": []},
}


def derive_preset_numbers(
    data_dir: str | Path | None = None, nmc_year: int = 2016, vdem_year: int = 2019
) -> pd.DataFrame:
    """One row per (preset, state): ``preset, role, state, ccode, milex_bn, milex_year, cinc,
    cinc_equivalent_bn, polyarchy, polyarchy_year``. milex in $bn (current USD)."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    if folder is None or not folder.is_dir():
        raise DataError(
            "data folder not found: pass --data DIR or set DETERRENCE_SIM_DATA "
            "(it must hold NMC-60-abridged.csv and vdem-polyarchy.csv)"
        )
    nmc = load_nmc(folder / "NMC-60-abridged.csv")
    vdem = load_vdem(folder / "vdem-polyarchy.csv")
    rows = []
    for preset, roles in PRESET_STATES.items():
        names = [s for role in roles.values() for s in role]
        figs = state_data(names, nmc_year, nmc, vdem, vdem_year=vdem_year)
        for role, states in roles.items():
            for s in states:
                f = figs[s]
                rows.append(
                    {
                        "preset": preset,
                        "role": role,
                        "state": s,
                        "ccode": f.ccode,
                        "milex_bn": f.milex_bn,
                        "milex_year": f.milex_year,
                        "cinc": f.cinc,
                        "cinc_equivalent_bn": f.cinc_equivalent_bn,
                        "polyarchy": f.polyarchy,
                        "polyarchy_year": f.polyarchy_year,
                    }
                )
    return pd.DataFrame(rows)


def _fmt(x: float, nd: int) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{nd}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deterrence_sim.data.derive", description=__doc__
    )
    parser.add_argument("--data", type=Path, help="folder with the data files")
    parser.add_argument("--nmc-year", type=int, default=2016)
    parser.add_argument("--vdem-year", type=int, default=2019)
    args = parser.parse_args(argv)
    try:
        df = derive_preset_numbers(args.data, args.nmc_year, args.vdem_year)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"# COW NMC v6 milex ($bn, current USD) and CINC for {args.nmc_year}; "
        f"V-Dem v2x_polyarchy for {args.vdem_year}"
    )
    for preset, part in df.groupby("preset", sort=False):
        print(f"\n[{preset}]")
        print(
            f"{'role':<10}{'state':<6}{'COW':>5}{'milex $bn':>11}{'(year)':>8}{'CINC':>10}{'polyarchy':>11}"
        )
        for r in part.itertuples():
            year = (
                ""
                if r.milex_year in (None, args.nmc_year) or pd.isna(r.milex_year)
                else f"({int(r.milex_year)})"
            )
            print(
                f"{r.role:<10}{r.state:<6}{r.ccode:>5}{_fmt(r.milex_bn, 3):>11}{year:>8}"
                f"{_fmt(r.cinc, 5):>10}{_fmt(r.polyarchy, 3):>11}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
