"""`deterrence-sim scenario from-data`: write a scenario TOML built from COW NMC, V-Dem and ATOP."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..output_paths import new_file

EXAMPLE = (
    "example: deterrence-sim scenario from-data --year 2016 --donors USA,UKG,FRN "
    "--partners EST,LAT,LIT,POL --aggressors RUS --nmc NMC-60-abridged.csv "
    "--vdem vdem-polyarchy.csv --atop atop-member-level.csv --out scenario.toml"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `scenario` command group with its `from-data` sub-command."""
    group = subparsers.add_parser(
        "scenario", help="build scenarios from data", description="Build scenarios from data."
    )
    sub = group.add_subparsers(dest="scenario_command", metavar="SUBCOMMAND")
    p = sub.add_parser(
        "from-data",
        help="write a scenario TOML from COW NMC, V-Dem and ATOP files for one year",
        description=(
            "Build a scenario for one year: capabilities from COW NMC (milex in $bn, or CINC), "
            "partner governance from V-Dem polyarchy, donor commitments from ATOP defence pacts "
            "in force that year. States are COW abbreviations. The mapping is in docs/data.md."
        ),
        epilog=EXAMPLE,
    )
    p.add_argument("--year", type=int, required=True, help="year of the data (NMC ends in 2016)")
    p.add_argument("--donors", required=True, help="comma-separated COW abbreviations")
    p.add_argument("--partners", required=True, help="comma-separated COW abbreviations")
    p.add_argument("--aggressors", default="", help="comma-separated COW abbreviations")
    p.add_argument("--nmc", required=True, type=Path, help="COW NMC abridged CSV (v5/v6)")
    p.add_argument("--vdem", type=Path, help="V-Dem CSV with year, COWcode, v2x_polyarchy")
    p.add_argument("--vdem-year", type=int, help="year of the polyarchy scores (default: --year)")
    p.add_argument("--atop", type=Path, help="ATOP member-level CSV")
    p.add_argument(
        "--capability",
        choices=("milex", "cinc"),
        default="milex",
        help="capability from military expenditure ($bn) or CINC x system milex ($bn)",
    )
    p.add_argument(
        "--history",
        type=Path,
        help="folder with the conflict data (GML and MID 5.0 disputes, COW contiguity, Thompson & "
        "Dreyer rivalries): each rivalry tie gets the dyad's dispute memory, contiguity and rivalry",
    )
    p.add_argument("--name", help="scenario name (default data-YEAR)")
    p.add_argument("--out", required=True, type=Path, help="TOML file to write")
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.set_defaults(func=_from_data)
    group.set_defaults(func=_group_help(group))


def _group_help(group: argparse.ArgumentParser):
    def handler(args: argparse.Namespace) -> int:
        group.print_help()
        return 2

    return handler


def _from_data(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from .scenario_builder import scenario_from_data

    if args.history is not None and not args.history.is_dir():
        raise UsageError(f"--history {args.history}: not a folder")
    out = new_file(args.out, "--out", force=args.force)
    scenario = scenario_from_data(
        args.year,
        args.donors,
        args.partners,
        args.aggressors,
        nmc=args.nmc,
        vdem=args.vdem,
        atop=args.atop,
        capability=args.capability,
        vdem_year=args.vdem_year,
        name=args.name,
        history=args.history,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    scenario.to_toml(out)
    print(scenario.description)
    print(f"wrote {out}")
    return 0
