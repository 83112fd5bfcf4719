"""The `deterrence-sim` command.

Each command group lives beside the code it drives and registers its own sub-commands through a
``register(subparsers)`` function; this module only assembles them and turns input errors into one
clear message with exit code 2 (no traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__
from .errors import DeterrenceSimError, ProblemsError, one_line

#: Modules that add sub-commands (each defines ``register(subparsers)``).
COMMAND_MODULES = (
    "deterrence_sim.commands",
    "deterrence_sim.experiment.cli",
    "deterrence_sim.validation",
    "deterrence_sim.data.cli",
    "deterrence_sim.dashboard.cli",
    "deterrence_sim.decision.cli",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own usage errors: exit 2 with a short message
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="deterrence-sim",
        description="Agent-based simulation of security assistance and deterrence.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except DeterrenceSimError as exc:
        # A list of problems is laid out over lines on purpose; any other message is one line,
        # whatever characters a file name it quotes contains.
        text = str(exc) if isinstance(exc, ProblemsError) else one_line(str(exc))
        print(f"error: {text}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # the disk or file system failed mid-work (inputs are checked first)
        where = f" ({exc.filename})" if exc.filename else ""
        print(one_line(f"error: {exc.strerror or exc}{where}"), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
