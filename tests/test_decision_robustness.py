"""Robustness metrics on small matrices whose answers can be worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from deterrence_sim.decision.robustness import WORST, display_value, robustness

# Two policies (rows) in four futures (columns).
V = np.array([[1.0, 2.0, 3.0, 10.0], [2.0, 2.0, 2.0, 2.0]])


def test_mean_and_percentile_lower_is_better():
    assert robustness(V, "mean").tolist() == [4.0, 2.0]
    p100 = robustness(V, "percentile", q=100)
    assert p100.tolist() == [10.0, 2.0]  # the worst future
    # Maximising: the score is the negated (100 - q)th percentile, i.e. the worst futures again.
    low = robustness(V, "percentile", direction="max", q=100)
    assert [display_value(s, "percentile", "max") for s in low] == [1.0, 2.0]


def test_regret_against_the_best_policy_in_each_future():
    # Best per future: 1, 2, 2, 2 -> regrets [0, 0, 1, 8] and [1, 0, 0, 0].
    assert robustness(V, "regret", q=100).tolist() == [8.0, 1.0]
    assert robustness(V, "regret", q=50).tolist() == pytest.approx([0.5, 0.0])
    # Against a wider set of policies than the rows scored.
    best = np.array([0.0, 0.0, 0.0, 0.0])
    assert robustness(V, "regret", q=100, best=best).tolist() == [10.0, 2.0]


def test_satisficing_share_and_nan():
    s = robustness(V, "satisficing", threshold=2.0)
    assert [display_value(x, "satisficing", "min") for x in s] == [0.5, 1.0]
    w = np.array([[np.nan, 1.0], [np.nan, np.nan]])
    out = robustness(w, "mean")
    assert out[0] == 1.0 and out[1] == WORST
    with pytest.raises(ValueError, match="threshold"):
        robustness(V, "satisficing")
