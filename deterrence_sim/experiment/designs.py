"""Designs: the list of design points (factor name -> value) a spec stands for.

``grid`` is the full factorial of every factor's levels (first factor varies slowest); ``list``
takes the points written in the spec; ``lhs`` draws a seeded Latin hypercube (scipy.stats.qmc,
McKay, Beckman & Conover 1979); ``sobol`` and ``morris`` use SALib's samplers (Saltelli 2002 /
Campolongo et al. 2007; Herman & Usher 2017), seeded.

Sampling designs work on the unit hypercube and map each coordinate ``u`` in [0, 1] to a value:
a continuous range ``[lo, hi]`` to ``lo + u (hi - lo)``; an integer range to
``floor(lo + u (hi - lo + 1))`` (every integer equally likely); a factor with discrete values or
bundles (k levels) to level ``floor(u k)``. The unit coordinates are kept (``u.<factor>`` columns)
because the Sobol and Morris analyses need the sample exactly as drawn.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

from .spec import ExperimentSpec, Factor

__all__ = [
    "Design",
    "LazySequence",
    "build_design",
    "design_size",
    "point_overrides",
    "salib_problem",
]


class LazySequence(Sequence):
    """``n`` items made on demand by ``make(i)``: a design of millions of points is held as its
    compact recipe (factor levels, or the unit sample), not as millions of dicts."""

    def __init__(self, n: int, make: Callable[[int], Any]):
        self._n = n
        self._make = make

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._make(j) for j in range(*i.indices(self._n))]
        j = i + self._n if i < 0 else i
        if not 0 <= j < self._n:
            raise IndexError(f"index {i} out of range for {self._n} items")
        return self._make(j)

    def __iter__(self) -> Iterator[Any]:
        return (self._make(j) for j in range(self._n))


@dataclass
class Design:
    """Design points (factor name -> value) and, for sampling designs, their unit coordinates.

    ``points`` is a sequence made on demand (:class:`LazySequence`) for grid and sampling designs:
    planning memory does not grow with the number of points beyond the unit sample (8 bytes per
    factor and point)."""

    kind: str
    factors: list[str]
    points: Sequence[dict[str, Any]]
    unit: np.ndarray | None = None  # (n_points, n_factors), sampling designs only
    info: dict[str, Any] = field(default_factory=dict)
    #: Every value each factor can take (for typing the run table's columns before it is written).
    levels: dict[str, list[Any]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.points)

    def probe_points(self) -> list[dict[str, Any]]:
        """A few points that together hold every possible value of every factor (for a range
        sampled continuously, its two ends): the run table types its columns from them, so that
        each chunk of a table written in pieces gets the same column types."""
        k = max((len(v) for v in self.levels.values()), default=0)
        return [{n: vals[j % len(vals)] for n, vals in self.levels.items()} for j in range(k)]


def salib_problem(spec: ExperimentSpec) -> dict[str, Any]:
    """The SALib problem: every factor on [0, 1] (mapped to its values by :func:`from_unit`)."""
    names = [f.name for f in spec.factors]
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def from_unit(f: Factor, u: float) -> Any:
    """The value of factor ``f`` at unit coordinate ``u`` (see the module docstring)."""
    u = min(max(float(u), 0.0), 1.0)
    if f.range is not None:
        lo, hi = f.range
        if f.integer:
            lo_i, hi_i = math.ceil(lo), math.floor(hi)
            return int(min(hi_i, math.floor(lo_i + u * (hi_i - lo_i + 1))))
        return float(lo + u * (hi - lo))
    levels = f.levels()
    return _plain(levels[min(math.floor(u * len(levels)), len(levels) - 1)])


def _plain(v: Any) -> Any:
    """numpy scalars -> Python scalars (they go to JSON, TOML and pydantic)."""
    if isinstance(v, np.generic):
        return v.item()
    return v


def design_size(spec: ExperimentSpec) -> int:
    """Number of design points without building them (grid: product of levels; Sobol:
    N(D+2), or N(2D+2) with second order; Morris: N(D+1))."""
    d = spec.design
    D = len(spec.factors)
    if d.kind == "grid":
        return math.prod(len(f.levels()) for f in spec.factors)
    if d.kind == "list":
        return len(d.points)
    if d.kind == "lhs":
        return int(d.n)
    if d.kind == "sobol":
        return int(d.n) * (2 * D + 2 if d.second_order else D + 2)
    if d.kind == "morris":
        return int(d.n) * (D + 1)
    raise ValueError(d.kind)


def point_overrides(spec: ExperimentSpec, point: dict[str, Any]) -> dict[str, Any]:
    """The scenario overrides (dotted path -> value) of one design point."""
    out: dict[str, Any] = {}
    for f in spec.factors:
        out.update(f.overrides(point[f.name]))
    return out


def _grid_point(names: list[str], levels: list[list[Any]]) -> Callable[[int], dict[str, Any]]:
    """Point ``i`` of the full factorial, first factor varying slowest (``itertools.product``
    order), decoded from ``i`` in mixed radix."""
    sizes = [len(v) for v in levels]

    def point(i: int) -> dict[str, Any]:
        values = []
        for size in reversed(sizes):
            i, j = divmod(i, size)
            values.append(j)
        return {n: lv[j] for n, lv, j in zip(names, levels, reversed(values), strict=True)}

    return point


def _value_levels(f: Factor, sampled: bool) -> list[Any]:
    """Every value ``f`` can take in a design (a sampled continuous range: its two ends)."""
    if sampled and f.range is not None:
        return [from_unit(f, 0.0), from_unit(f, 1.0)]
    return [_plain(v) for v in f.levels()]


def build_design(spec: ExperimentSpec) -> Design:
    """All design points of the spec, in a fixed order (the same on every call), made on demand."""
    d = spec.design
    names = [f.name for f in spec.factors]
    seed = d.seed if d.seed is not None else spec.experiment.seed
    if d.kind == "grid":
        levels = [[_plain(v) for v in f.levels()] for f in spec.factors]
        n = math.prod(len(v) for v in levels)
        points = LazySequence(n, _grid_point(names, levels))
        return Design("grid", names, points, levels=dict(zip(names, levels, strict=True)))
    if d.kind == "list":
        points = [{n: _plain(p[n]) for n in names} for p in d.points]
        listed = {n: [p[n] for p in points] for n in names}
        return Design("list", names, points, levels=listed)
    if d.kind == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng(seed)).random(d.n)
        info: dict[str, Any] = {"sampler": "scipy.stats.qmc.LatinHypercube", "seed": seed}
    elif d.kind == "sobol":
        from SALib.sample import sobol

        unit = sobol.sample(salib_problem(spec), d.n, calc_second_order=d.second_order, seed=seed)
        info = {
            "sampler": "SALib.sample.sobol",
            "seed": seed,
            "N": d.n,
            "second_order": d.second_order,
        }
    elif d.kind == "morris":
        from SALib.sample import morris

        unit = morris.sample(salib_problem(spec), d.n, num_levels=d.levels, seed=seed)
        info = {"sampler": "SALib.sample.morris", "seed": seed, "N": d.n, "levels": d.levels}
    else:  # pragma: no cover - the spec's Literal forbids it
        raise ValueError(d.kind)
    unit = np.asarray(unit, dtype=float)
    factors = list(spec.factors)

    def point(i: int) -> dict[str, Any]:
        return {f.name: from_unit(f, u) for f, u in zip(factors, unit[i], strict=True)}

    levels = {f.name: _value_levels(f, sampled=True) for f in factors}
    return Design(
        d.kind, names, LazySequence(len(unit), point), unit=unit, info=info, levels=levels
    )
