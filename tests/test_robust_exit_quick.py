"""`optimize experiments/robust_exit.toml --quick` finds a real front, not one saturated policy."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from deterrence_sim.cli import main

ROBUST_EXIT = Path(__file__).resolve().parents[1] / "experiments" / "robust_exit.toml"


@pytest.mark.slow
def test_quick_robust_exit_has_a_front_of_several_policies(tmp_path):
    out = tmp_path / "q"
    assert main(["optimize", str(ROBUST_EXIT), "--quick", "--out", str(out), "--no-progress"]) == 0
    front = pd.read_csv(out / "pareto.csv")
    assert len(front) >= 3, front
    # The objectives are not saturated: the war risk is not the same everywhere.
    evaluations = pd.read_csv(out / "evaluations.csv")
    assert evaluations["war_risk"].dropna().nunique() >= 2, evaluations
