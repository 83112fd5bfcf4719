"""Random streams: one per source of randomness, keyed by stable names, indexed by year.

Every stochastic decision in the model (a donor's enforcement of one program, a partner's reform
choice, an aggressor's attack draw, a contest between two states…) reads its number from its own
stream, derived from the run's seed and the names of the decision and of the agents involved, at
the position of the current year. A draw that a decision does not use is simply not read, so a
lever that changes whether (or how often) one decision is taken never shifts the numbers any other
decision sees: common random numbers hold inside a run, not only between runs (Law, *Simulation
Modeling and Analysis*, 5th ed., ch. 11; L'Ecuyer, Simard, Chen & Kelton 2002, "An object-oriented
random-number package with many long streams and substreams", Operations Research 50(6)).

Streams come from ``numpy.random.SeedSequence(seed, spawn_key=keys)`` with keys from
``zlib.crc32`` of the names (never ``hash()``, which Python salts per process), so a run gives the
same numbers in any process, on any executor. Each stream is drawn in blocks of years when first
needed; the numbers at a year depend only on (seed, names, year).
"""

from __future__ import annotations

import zlib

import numpy as np

#: Years drawn per block; a stream grows by whole blocks when a run outlasts it.
BLOCK_YEARS = 64


def stream_key(names: tuple[str, ...]) -> tuple[int, ...]:
    """Stable integer spawn key of a stream's names (crc32 of each, UTF-8)."""
    return tuple(zlib.crc32(n.encode("utf-8")) for n in names)


class Streams:
    """The run's random streams: ``uniform(year, *names)`` and ``normal(year, *names)``.

    ``names`` are the mechanism then the agents it concerns, e.g. ``("enforcement", "USA",
    "EST")``; a decision taken several times a year passes an extra slot name.
    """

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._uniform: dict[tuple[str, ...], tuple[np.random.Generator, list[float]]] = {}
        self._normal: dict[tuple[str, ...], tuple[np.random.Generator, list[float]]] = {}

    def _generator(self, kind: str, names: tuple[str, ...]) -> np.random.Generator:
        seq = np.random.SeedSequence(self.seed, spawn_key=stream_key((kind, *names)))
        return np.random.Generator(np.random.PCG64(seq))

    def uniform(self, year: int, *names: str) -> float:
        """The stream's U(0, 1) number for `year` (years counted from 0)."""
        entry = self._uniform.get(names)
        if entry is None:
            entry = self._uniform[names] = (self._generator("uniform", names), [])
        gen, values = entry
        while year >= len(values):
            values.extend(gen.random(BLOCK_YEARS).tolist())
        return values[year]

    def normal(self, year: int, *names: str) -> float:
        """The stream's N(0, 1) number for `year`."""
        entry = self._normal.get(names)
        if entry is None:
            entry = self._normal[names] = (self._generator("normal", names), [])
        gen, values = entry
        while year >= len(values):
            values.extend(gen.standard_normal(BLOCK_YEARS).tolist())
        return values[year]
