"""Planning a sweep: design points x replication seeds, made on demand, and the run table.

Nothing here grows with the number of runs: design points are made from their recipe when asked
for (:class:`~.designs.LazySequence`), the replication seeds are one int64 array (8 bytes per
replication), and the run table is written to Parquet in chunks of :data:`RUN_TABLE_CHUNK` rows.
A sweep of two million runs plans in the same memory as one of twenty thousand.

Run ``i`` is point ``i // R``, replication ``i % R`` (R replications; point-major: all the
replications of point 0 first). Its id is ``p{point:06d}-r{replication:04d}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import store
from .designs import Design, LazySequence, build_design, point_overrides
from .seeds import seed_from_provenance
from .spec import ExperimentSpec, load_spec, spec_from_dict

__all__ = ["RUN_TABLE_CHUNK", "Plan", "as_spec", "plan", "run_index"]

#: Rows of the run table built and written at a time. It bounds planning memory: a chunk takes
#: ~1.3 KB a row while it is built and written (Python objects, then Arrow and Parquet buffers);
#: measured peak of a 20,000-run sweep's planning: +2.5 MB over a 2,000-run one at 2,000 rows,
#: +34 MB at 20,000. Smaller row groups cost ~30 % more disk (~33 bytes a run).
RUN_TABLE_CHUNK = 2_000

_RUN_ID = re.compile(r"^p(\d+)-r(\d+)$")


@dataclass
class Plan:
    """Everything planned for a spec: the design, the replication seeds, the run ids."""

    spec: ExperimentSpec
    base: Any  # Scenario after [fixed]
    years: int
    sha256: str
    design: Design
    seeds: np.ndarray  # int64, one per replication (common to every point)

    @property
    def n_runs(self) -> int:
        return len(self.design) * len(self.seeds)

    @property
    def point_overrides(self) -> Sequence[dict[str, Any]]:
        """The scenario overrides of each design point (made on demand)."""
        points, spec = self.design.points, self.spec
        return LazySequence(len(points), lambda i: point_overrides(spec, points[i]))

    def run_id(self, point: int, rep: int) -> str:
        return f"p{point:06d}-r{rep:04d}"

    def iter_runs(self) -> Iterator[tuple[int, int, int]]:
        """(run_index, point, replication), point-major (all replications of point 0 first)."""
        r = len(self.seeds)
        for i in range(self.n_runs):
            yield i, i // r, i % r

    def runs_table(self, start: int = 0, stop: int | None = None) -> pd.DataFrame:
        """The run table's rows ``start:stop`` (default: every run; see :mod:`.store`)."""
        stop = self.n_runs if stop is None else min(stop, self.n_runs)
        r = len(self.seeds)
        idx = np.arange(start, stop, dtype=np.int64)
        point, rep = idx // r, idx % r
        first = int(point[0]) if len(idx) else 0
        local = point - first  # index into this chunk's points
        points = list(self.design.points[first : int(point[-1]) + 1]) if len(idx) else []
        table: dict[str, Any] = {
            "run_id": (_formatted(point, "p{:06d}-r") + _formatted(rep, "{:04d}")).tolist(),
            "run_index": idx,
            "point": point,
            "replication": rep,
            "seed": self.seeds[rep],
            "seed_entropy": [str(self.spec.experiment.seed)] * len(idx),
            "seed_spawn_key": _formatted(rep, "[{}]").tolist(),
        }
        # Typed as if every value of every factor were in this chunk, so chunks agree.
        probe = self.design.probe_points()
        point_cols = store.factor_columns(probe + points, self.design.factors)
        for col, vals in point_cols.items():
            table[col] = np.asarray(vals[len(probe) :], dtype=object)[local].tolist()
        texts = np.asarray([json.dumps(pt, sort_keys=False) for pt in points], dtype=object)
        table["factors"] = texts[local].tolist()
        if self.design.unit is not None:
            for j, name in enumerate(self.design.factors):
                table[f"u.{name}"] = self.design.unit[point, j]
        return pd.DataFrame(table)

    def write_runs_table(self, path: Path) -> None:
        """Write the run table to ``path`` (Parquet), :data:`RUN_TABLE_CHUNK` rows at a time."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        try:
            for start in range(0, max(self.n_runs, 1), RUN_TABLE_CHUNK):
                chunk = self.runs_table(start, start + RUN_TABLE_CHUNK)
                table = pa.Table.from_pandas(chunk, preserve_index=False)
                if writer is None:  # the first chunk's types (every chunk is typed alike)
                    writer = pq.ParquetWriter(path, table.schema)
                writer.write_table(table.cast(writer.schema))
        finally:
            if writer is not None:
                writer.close()


def _formatted(values: np.ndarray, fmt: str) -> np.ndarray:
    """``fmt.format(v)`` for each integer of ``values`` (an object array), formatting each value
    of their range once: the run ids of a chunk share a few points and replications."""
    if not len(values):
        return np.empty(0, dtype=object)
    lo = int(values.min())
    table = np.empty(int(values.max()) - lo + 1, dtype=object)
    table[:] = [fmt.format(v) for v in range(lo, int(values.max()) + 1)]
    return table[values - lo]


def replication_seed_array(root: int, replications: int) -> np.ndarray:
    """The replication seeds of :func:`.seeds.replication_seeds` as one int64 array: child ``r``
    of ``SeedSequence(root)`` has spawn key ``(r,)``."""
    return np.fromiter(
        (seed_from_provenance(root, (r,)) for r in range(replications)),
        dtype=np.int64,
        count=replications,
    )


def as_spec(
    spec: ExperimentSpec | str | Path | dict, allow_external_run_function: bool = False
) -> ExperimentSpec:
    """A spec object from a spec, a TOML path or a dict (checked)."""
    if isinstance(spec, ExperimentSpec):
        return spec
    if isinstance(spec, dict):
        return spec_from_dict(spec, allow_external_run_function=allow_external_run_function)
    return load_spec(spec, allow_external_run_function=allow_external_run_function)


def plan(spec: ExperimentSpec | str | Path | dict) -> Plan:
    """Design points, replication seeds and run ids for a spec (nothing is run)."""
    spec = as_spec(spec)
    base = spec.base_scenario()
    return Plan(
        spec=spec,
        base=base,
        years=spec.years(base),
        sha256=spec.sha256(base.to_dict()),
        design=build_design(spec),
        seeds=replication_seed_array(spec.experiment.seed, spec.experiment.replications),
    )


def run_index(run_ids: pd.Series, replications: int) -> np.ndarray:
    """Run indices (point x replications + replication) of run ids; -1 for an id not of this form."""
    if run_ids.empty:
        return np.zeros(0, dtype=np.int64)
    parts = run_ids.astype(str).str.extract(_RUN_ID.pattern)
    ok = parts.notna().all(axis=1).to_numpy()
    out = np.full(len(run_ids), -1, dtype=np.int64)
    pts = parts.loc[ok, 0].astype(np.int64).to_numpy()
    reps = parts.loc[ok, 1].astype(np.int64).to_numpy()
    out[ok] = np.where(reps < replications, pts * replications + reps, -1)
    return out
