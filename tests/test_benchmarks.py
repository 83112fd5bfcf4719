"""The benchmarks still run (with tiny sizes): a benchmark that breaks silently measures nothing.

They print figures; these tests check that every figure is printed and is a number, never its value
(wall-clock numbers on a shared machine would make the tests flaky).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _run(script: str, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.mark.slow
def test_bench_sweep_prints_every_ratio():
    text = _run(
        "bench_sweep.py", "--replications", "1", "--years", "2", "--memory-sizes", "40", "80"
    )
    for name in (
        "ours 2 workers / 1 worker",
        "batch_run 2 / 1 processes",
        "ours / batch_run, 1 process",
        "ours / batch_run, 2 processes",
    ):
        assert re.search(re.escape(name) + r"\s+\d+\.\d\dx \[\d+\.\d\d, \d+\.\d\d\]", text), text
        cpu = re.escape(name + " (CPU)") + r"\s+\d+\.\d\dx \[\d+\.\d\d, \d+\.\d\d\]"
        assert re.search(cpu, text), text  # the CPU-time ratio beside the wall-clock one
    assert re.search(r"growth 40 -> 80 runs: ours \d+\.\d\dx .* batch_run \d+\.\d\dx", text), text
