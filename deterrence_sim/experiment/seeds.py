"""Replication seeds from one root: ``numpy.random.SeedSequence(root).spawn(replications)``.

Every design point uses the same seed for replication r (common random numbers: policy
comparisons are paired, so differences between points are not drowned by seed noise). Each run
records its provenance -- root entropy and spawn key -- from which :func:`seed_from_provenance`
rebuilds its integer seed alone, without spawning the others (L'Ecuyer et al. 2017 on parallel
streams; numpy's SeedSequence design).
"""

from __future__ import annotations

import numpy as np

__all__ = ["replication_seeds", "seed_from_provenance"]


def _to_int(ss: np.random.SeedSequence) -> int:
    # 63 bits: a non-negative Python int that fits int64 columns; collisions are negligible
    # (birthday bound ~ r^2 / 2^64 for r replications).
    return int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def replication_seeds(root: int, replications: int) -> list[tuple[int, tuple[int, ...]]]:
    """(integer seed for run_model, spawn key) for each replication 0..replications-1."""
    children = np.random.SeedSequence(root).spawn(replications)
    return [(_to_int(c), tuple(int(k) for k in c.spawn_key)) for c in children]


def seed_from_provenance(entropy: int, spawn_key: tuple[int, ...] | list[int]) -> int:
    """The integer seed of one run, rebuilt from the root entropy and its spawn key."""
    ss = np.random.SeedSequence(entropy=entropy, spawn_key=tuple(int(k) for k in spawn_key))
    return _to_int(ss)
