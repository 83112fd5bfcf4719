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

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .spec import ExperimentSpec, Factor

__all__ = ["Design", "build_design", "design_size", "salib_problem"]


@dataclass
class Design:
    """Design points (factor name -> value) and, for sampling designs, their unit coordinates."""

    kind: str
    factors: list[str]
    points: list[dict[str, Any]]
    unit: np.ndarray | None = None  # (n_points, n_factors), sampling designs only
    info: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.points)


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


def build_design(spec: ExperimentSpec) -> Design:
    """All design points of the spec, in a fixed order (the same on every call)."""
    d = spec.design
    names = [f.name for f in spec.factors]
    seed = d.seed if d.seed is not None else spec.experiment.seed
    if d.kind == "grid":
        levels = [f.levels() for f in spec.factors]
        points = [
            {n: _plain(v) for n, v in zip(names, combo, strict=True)}
            for combo in itertools.product(*levels)
        ]
        return Design("grid", names, points)
    if d.kind == "list":
        points = [{n: _plain(p[n]) for n in names} for p in d.points]
        return Design("list", names, points)
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
    points = [
        {f.name: from_unit(f, u) for f, u in zip(spec.factors, row, strict=True)} for row in unit
    ]
    return Design(d.kind, names, points, unit=np.asarray(unit, dtype=float), info=info)
