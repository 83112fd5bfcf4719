"""Behaviour unchanged: every preset's metrics for seeds 0–4 equal the recorded reference.

A refactoring must pass this as it is. A change meant to alter the model rewrites the reference
(``python tests/golden_metrics.py``) in the same commit, and the commit says why.
"""

from __future__ import annotations

import json

import pytest
from golden_metrics import GOLDEN, current


@pytest.fixture(scope="module")
def now() -> dict:
    return current()


def test_every_preset_and_seed_matches_the_reference(now):
    reference = json.loads(GOLDEN.read_text())
    assert sorted(now) == sorted(reference)
    for preset, seeds in reference.items():
        for seed, metrics in seeds.items():
            got = now[preset][seed]
            assert sorted(got) == sorted(metrics), (preset, seed)
            for name, value in metrics.items():
                if value is None:
                    assert got[name] is None, (preset, seed, name)
                else:
                    assert got[name] == pytest.approx(value, rel=1e-9, abs=1e-12), (
                        preset,
                        seed,
                        name,
                    )
