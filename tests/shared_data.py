"""Where the tests find the shared data files: ``$DETERRENCE_SIM_DATA``, else ``../shared/data``
beside the repository (never copied into it). Tests that need them are marked ``needs_data`` and
skip, saying why, when the files are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _data_dir() -> Path | None:
    env = os.environ.get("DETERRENCE_SIM_DATA")
    p = Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    return p.resolve() if p.is_dir() else None


DATA = _data_dir()
needs_data = pytest.mark.skipif(
    DATA is None,
    reason="shared data files not found (set DETERRENCE_SIM_DATA or put them in ../shared/data)",
)
