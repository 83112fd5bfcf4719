"""bench_model.py still runs and prints its first section, europe per agent-year against a trivial
Mesa agent step (issue #21): every figure is checked to be a number, never its value (wall-clock
numbers on a shared machine would make the test flaky)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_model_prints_the_ratio_to_a_trivial_mesa_step():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_model.py"), "--ratio-only",
         "--ratio-reps", "2"],
        capture_output=True, text=True, timeout=600, check=False, env=env,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    text = out.stdout
    for label, unit in (
        ("europe run (40 years)", "ms"),
        ("europe per agent-year", "us"),
        ("trivial Mesa per agent-step", "us"),
        ("ratio (goal <= 15x)", "x"),
    ):
        assert re.search(re.escape(label) + rf"\s+\d+\.\d+{unit}\s+\d+\.\d+{unit}", text), (
            label,
            text,
        )
