"""Edge cases of :mod:`deterrence_sim.stats` shared by the t- and bootstrap intervals."""

import math

import pytest

from deterrence_sim.stats import bounded_mean_ci, mean_ci


@pytest.mark.parametrize("interval", [mean_ci, bounded_mean_ci])
def test_fewer_than_two_values_give_nan_bounds(interval):
    m, ci, n = interval([])
    assert math.isnan(m) and all(math.isnan(c) for c in ci) and n == 0
    m, ci, n = interval([0.4, math.nan])
    assert m == 0.4 and all(math.isnan(c) for c in ci) and n == 1


@pytest.mark.parametrize("interval", [mean_ci, bounded_mean_ci])
def test_interval_brackets_the_mean(interval):
    m, (lo, hi), n = interval([0.1, 0.5, 0.9, 0.3])
    assert n == 4 and m == pytest.approx(0.45)
    assert lo < m < hi
