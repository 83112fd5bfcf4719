"""Errors the package raises for bad input.

Every user-facing error derives from :class:`DeterrenceSimError`; the CLI turns it into one clear
message and exit code 2, with no traceback.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class DeterrenceSimError(Exception):
    """Base class of errors caused by the user's input (files, keys, values, options)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file and dotted key), what value, and what is allowed."""

    source: str
    key: str
    value: Any
    allowed: str

    def __str__(self) -> str:
        value = "(missing)" if self.value is _MISSING else repr(self.value)
        key = self.key or "(top level)"
        return f"{one_line(self.source)}: {one_line(key)} = {value}: {self.allowed}"


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped, so that a file name or
    key typed by a user cannot split an error message over several lines."""
    return text if text.isprintable() else repr(text)[1:-1]


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


_MISSING = _Missing()
MISSING: Any = _MISSING


class ProblemsError(DeterrenceSimError, ValueError):
    """An input with one or more problems, all listed at once."""

    what = "input"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return f"invalid {self.what}: {self.problems[0]}"
        lines = [f"invalid {self.what} ({len(self.problems)} problems):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class ScenarioError(ProblemsError):
    """A scenario that cannot be loaded: unknown key, wrong type, value out of range, bad tie, …"""

    what = "scenario"


class UsageError(DeterrenceSimError):
    """A command-line or API call whose arguments are wrong (message says what is allowed)."""


def read_toml(path: str | Path, error: type[ProblemsError] = ProblemsError) -> dict[str, Any]:
    """A TOML file as a dict; a missing, unreadable or invalid file raises `error` naming it."""
    path = Path(path)
    try:
        if path.exists() and not path.is_file():  # a folder, /dev/zero, a pipe: never read it
            raise error([Problem(str(path), "", MISSING, "a TOML file (this is not a file)")])
        if path.exists() and path.stat().st_size > MAX_TOML_BYTES:
            allowed = f"a TOML file of at most {MAX_TOML_BYTES // 2**20} MB"
            raise error([Problem(str(path), "", MISSING, allowed)])
        # utf-8-sig: a byte-order mark (as some Windows editors write) is accepted and dropped.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error([Problem(str(path), "", MISSING, "file not found")]) from None
    except UnicodeDecodeError as exc:
        where = f"byte {exc.object[exc.start]:#04x} at offset {exc.start}"
        allowed = f"UTF-8 text ({where} is not UTF-8); save the file as UTF-8"
        raise error([Problem(str(path), "", MISSING, allowed)]) from None
    except OSError as exc:
        raise error(
            [Problem(str(path), "", MISSING, f"cannot read: {exc.strerror or exc}")]
        ) from None
    return parse_toml_text(text, str(path), error)


#: Scenario and spec files are a few kB; anything larger than this is not one.
MAX_TOML_BYTES = 16 * 2**20


def parse_toml_text(
    text: str, source: str, error: type[ProblemsError] = ProblemsError
) -> dict[str, Any]:
    """TOML text as a dict; invalid or absurdly nested TOML raises `error` naming `source`."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error([Problem(source, "", MISSING, f"invalid TOML: {exc}")]) from None
    except RecursionError:  # thousands of nested arrays or tables
        allowed = "TOML nested at most a few hundred levels deep (this file nests deeper)"
        raise error([Problem(source, "", MISSING, allowed)]) from None
