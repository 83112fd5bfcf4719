"""Which run function a spec may name: ``experiment.run_function`` is imported and called by every
worker, and importing a module runs its code, so a spec someone else wrote could run anything.
Functions inside ``deterrence_sim`` are allowed (and checked to exist before anything runs);
others only when the user says so (``--allow-external-run-function``).
"""

from __future__ import annotations

import importlib
import re

from ..errors import Problem

__all__ = ["TRUSTED_PACKAGE", "run_function_problems"]

#: Run functions a spec may name without ``allow_external``.
TRUSTED_PACKAGE = "deterrence_sim"

_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def run_function_problems(run_function: str, allow_external: bool, source: str) -> list[Problem]:
    """``module:function``, inside ``deterrence_sim`` unless ``allow_external`` (and then not
    imported here: the spec's author vouches for it); ours must exist."""
    key = "experiment.run_function"
    module, sep, name = run_function.partition(":")
    if not (sep and _DOTTED.match(module) and _NAME.match(name)):
        return [Problem(source, key, run_function, "'package.module:function'")]
    trusted = module == TRUSTED_PACKAGE or module.startswith(TRUSTED_PACKAGE + ".")
    if not trusted:
        if allow_external:
            return []
        return [
            Problem(
                source,
                key,
                run_function,
                f"a function inside {TRUSTED_PACKAGE} (importing another module runs its code); "
                "if you trust this spec, pass --allow-external-run-function",
            )
        ]
    try:
        found = callable(getattr(importlib.import_module(module), name, None))
    except ImportError:
        found = False
    return [] if found else [Problem(source, key, run_function, "an existing function")]
