"""Synthetic dyad-years with the panel's columns, for the calibration's tests (no data needed)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def synthetic_panel(n: int, seed: int, clusters: int = 800) -> pd.DataFrame:
    """``n`` dyad-years: covariates drawn independently, peace-years cubic, ``clusters`` dyads."""
    rng = np.random.default_rng(seed)
    peace = rng.integers(0, 80, n).astype(float)
    return pd.DataFrame(
        {
            "log_capability_ratio": rng.normal(0, 1.5, n),
            "ally_ratio": rng.exponential(2.0, n),
            "target_pact": (rng.random(n) < 0.3).astype(float),
            "contiguous": (rng.random(n) < 0.4).astype(float),
            "rivalry": (rng.random(n) < 0.1).astype(float),
            "peace_years": peace,
            "t": peace / 10,
            "t2": (peace / 10) ** 2,
            "t3": (peace / 10) ** 3,
            "recent_disputes": rng.integers(0, 3, n).astype(float),
            "claim": (rng.random(n) < 0.05).astype(float),
            "post1945": np.zeros(n),
            "declining": (rng.random(n) < 0.1).astype(float),
            "dyad": rng.integers(0, clusters, n),
        }
    )
