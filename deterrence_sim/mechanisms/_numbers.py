"""Scalar fast paths shared by the mechanism modules (plain floats in, plain floats out)."""

from __future__ import annotations

import math

import numpy as np

ArrayLike = float | np.ndarray


_SCALAR_TYPES = frozenset((float, int))


def _scalars(*xs: object) -> bool:
    # The model calls these functions on single numbers thousands of times a run; plain-float
    # arithmetic there is several times faster than a round trip through numpy. The loop, not
    # all(...) over a generator, because it is about twice as fast on a handful of arguments.
    for x in xs:  # noqa: SIM110
        if type(x) not in _SCALAR_TYPES:
            return False
    return True


def _expit(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _out(x: ArrayLike) -> ArrayLike:
    # Callers in the model work with plain floats (event payloads, comparisons); arrays are only
    # returned when an array came in.
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr
