"""Studies that carry the calibration's uncertainty: world parameters drawn from its posterior.

A spec with ``[experiment] calibration = "posterior"`` runs every replication in a world whose
calibrated parameters are one draw of the calibration's posterior (``posterior.csv``: one column per
scenario path, e.g. ``world.attack_sharpness``, one row per draw; an optional ``draw`` index column
and an optional ``weight`` column of importance weights, as ABC-SMC writes them). The draw is a
function of the replication's seed alone, so every design point of one replication runs in the same
world (common random numbers extend to the parameters: policy comparisons stay paired) and a
resumed or re-run sweep draws the same values. The drawn values are stored beside the metrics as
columns named by their paths (and the draw's row as ``posterior_draw``), and the analyses treat
them as uncertainties.

Robust optimisation (:mod:`deterrence_sim.decision.optimize`) draws per *future* instead (by the
future's seed): there each future is a world, and its draw reaches the sweeps as a bundle factor
named ``posterior_draw`` whose bundles are the drawn values (:func:`future_draws`,
:func:`draw_factor`).
"""

from __future__ import annotations

import functools
import hashlib
import math
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DeterrenceSimError, Problem, ScenarioError

__all__ = [
    "DRAW_COLUMN",
    "Posterior",
    "PosteriorError",
    "draw_factor",
    "draw_index",
    "drawn_columns",
    "future_draws",
    "load_posterior",
    "posterior_problems",
    "replication_draws",
]

#: The shipped posterior (package data, written by ``deterrence-sim calibrate``).
SHIPPED = Path(__file__).resolve().parent.parent / "calibration" / "posterior.csv"
#: Columns of posterior.csv that are not scenario paths.
INDEX_COLUMN, WEIGHT_COLUMN = "draw", "weight"
#: The column (and optimisation factor) holding the row of the posterior a run was drawn from.
DRAW_COLUMN = "posterior_draw"
#: File name of the posterior's copy in a results folder (provenance; ``rerun`` reads it).
FOLDER_COPY = "posterior.csv"
#: Spawn key of the draw's stream: crc32 as in :mod:`deterrence_sim.streams`, a name no model
#: stream uses, so the draw is independent of every number the run itself reads.
_STREAM = zlib.crc32(b"posterior")


class PosteriorError(DeterrenceSimError):
    """A posterior file that is missing or malformed (names the file and what is wrong)."""


@dataclass(frozen=True)
class Posterior:
    """The draws of a posterior: a table (one column per scenario path) and cumulative weights."""

    path: Path
    sha256: str
    table: pd.DataFrame
    cum_weights: np.ndarray | None  # normalised to end at 1; None for equal weights

    @property
    def paths(self) -> list[str]:
        return list(self.table.columns)

    def __len__(self) -> int:
        return len(self.table)

    def values(self, index: int) -> dict[str, float]:
        """The parameter values of draw ``index`` (scenario path -> value)."""
        return {p: float(v) for p, v in self.table.iloc[index].items()}


# --- loading --------------------------------------------------------------------------------------


def posterior_path(posterior: str | None, base_dir: str | Path = ".") -> Path:
    """The file a spec's ``experiment.posterior`` names (relative to the spec), or the shipped one."""
    if posterior is None:
        return SHIPPED
    path = Path(posterior)
    return path if path.is_absolute() else Path(base_dir) / path


def load_posterior(path: str | Path) -> Posterior:
    """Read and check a posterior CSV; a PosteriorError says what is wrong with it."""
    path = Path(path)
    if not path.is_file():
        if path == SHIPPED:
            raise PosteriorError(
                "no posterior shipped with this version of deterrence-sim; run `deterrence-sim "
                "calibrate` and give its posterior.csv as experiment.posterior = 'PATH'"
            )
        raise PosteriorError(f"{path}: posterior file not found")
    stat = path.stat()
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load(path: str, _mtime_ns: int, _size: int) -> Posterior:
    # Cached by modification time and size: the parent reads the file to validate, hash and draw.
    raw = Path(path).read_bytes()
    try:
        df = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError) as exc:  # pandas' parser and empty-data errors
        raise PosteriorError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    weights = _weights(df, path)
    table = df.drop(columns=[c for c in (INDEX_COLUMN, WEIGHT_COLUMN) if c in df.columns])
    _check_table(table, path)
    sha = hashlib.sha256(raw).hexdigest()
    return Posterior(Path(path), sha, table.astype(float).reset_index(drop=True), weights)


def _check_table(table: pd.DataFrame, path: str) -> None:
    if table.empty or not len(table.columns):
        raise PosteriorError(
            f"{path}: a posterior needs at least one draw and one parameter column "
            "(columns named by scenario paths, e.g. world.attack_sharpness)"
        )
    for col in table.columns:
        values = pd.to_numeric(table[col], errors="coerce")
        if not np.isfinite(values.to_numpy(dtype=float)).all():
            raise PosteriorError(f"{path}: column {col!r} must hold finite numbers in every row")


def _weights(df: pd.DataFrame, path: str) -> np.ndarray | None:
    if WEIGHT_COLUMN not in df.columns:
        return None
    w = pd.to_numeric(df[WEIGHT_COLUMN], errors="coerce").to_numpy(dtype=float)
    if not (np.isfinite(w).all() and (w >= 0).all() and w.sum() > 0):
        raise PosteriorError(
            f"{path}: column 'weight' must hold finite non-negative numbers, not all zero"
        )
    cum = np.cumsum(w)
    return cum / cum[-1]


def spec_posterior(spec) -> Posterior | None:
    """The posterior an ExperimentSpec draws from, or None with ``calibration = "point"``."""
    exp = spec.experiment
    if exp.calibration != "posterior":
        return None
    return load_posterior(posterior_path(exp.posterior, spec.base_dir))


# --- drawing --------------------------------------------------------------------------------------


def draw_index(seed: int, posterior: Posterior) -> int:
    """The row of ``posterior`` a run with this replication seed draws (weighted if weights).

    ``SeedSequence(seed, spawn_key=(crc32("posterior"),))``: a function of the seed alone, so all
    design points of a replication (which share the seed) get the same row."""
    ss = np.random.SeedSequence(int(seed), spawn_key=(_STREAM,))
    u = float(np.random.default_rng(ss).random())
    n = len(posterior)
    if posterior.cum_weights is None:
        return min(int(u * n), n - 1)
    return min(int(np.searchsorted(posterior.cum_weights, u, side="right")), n - 1)


def replication_draws(spec, seeds: list[int]) -> list[dict[str, Any]]:
    """Per replication seed, what its runs carry: ``{"posterior_draw": row, "drawn": {path:
    value}}`` (empty dicts with ``calibration = "point"``)."""
    post = spec_posterior(spec)
    if post is None:
        return [{} for _ in seeds]
    return [_run_fields(post, draw_index(s, post)) for s in seeds]


def _run_fields(post: Posterior, index: int) -> dict[str, Any]:
    return {DRAW_COLUMN: index, "drawn": post.values(index)}


def run_overrides(run: dict[str, Any]) -> dict[str, Any]:
    """A planned run's scenario overrides: its design point's, then its posterior draw's."""
    return {**run["overrides"], **run.get("drawn", {})}


def drawn_record(run: dict[str, Any]) -> dict[str, Any]:
    """The columns a run's draw adds to its metrics row (nothing without a draw)."""
    if DRAW_COLUMN not in run:
        return {}
    return {DRAW_COLUMN: int(run[DRAW_COLUMN]), **run["drawn"]}


# --- provenance -----------------------------------------------------------------------------------


def hash_part(spec, experiment: dict[str, Any]) -> dict[str, Any]:
    """What the posterior adds to a spec's identity: the file's SHA-256 (its content, not its
    name). Removes the two settings from ``experiment`` (a spec's dump), so a point-calibrated
    spec hashes as it did before they existed."""
    calibration = experiment.pop("calibration", "point")
    experiment.pop("posterior", None)
    if calibration != "posterior":
        return {}
    return {"posterior_sha256": spec_posterior(spec).sha256}


def record(spec, out_dir: Path) -> dict[str, Any] | None:
    """Copy the posterior into a results folder; the manifest's entry (None for point)."""
    post = spec_posterior(spec)
    if post is None:
        return None
    shutil.copyfile(post.path, Path(out_dir) / FOLDER_COPY)
    return {
        "calibration": "posterior",
        "source": str(post.path),
        "sha256": post.sha256,
        "draws": len(post),
        "weighted": post.cum_weights is not None,
        "parameters": post.paths,
        "draw": "row = SeedSequence(replication seed, spawn_key=(crc32('posterior'),)) -> "
        "U(0,1) -> row (by cumulative weight when weighted); the same row at every design point",
    }


def folder_draw(out_dir: Path, manifest: dict[str, Any], seed: int) -> dict[str, float]:
    """The drawn values of a run of a results folder (from its copy of the posterior)."""
    if not manifest.get("posterior"):
        return {}
    post = load_posterior(Path(out_dir) / FOLDER_COPY)
    if post.sha256 != manifest["posterior"]["sha256"]:
        raise PosteriorError(
            f"{Path(out_dir) / FOLDER_COPY}: changed since the sweep ran (SHA-256 differs from "
            "the manifest's)"
        )
    return post.values(draw_index(seed, post))


# --- validation (called by spec_from_dict) ---------------------------------------------------------


def posterior_problems(exp, base, fixed, factors, source: str, base_dir) -> list[Problem]:
    """Problems of a spec's posterior: the file, its columns (existing scenario paths, values the
    schema accepts) and factors or ``[fixed]`` keys that set a parameter the posterior draws."""
    if exp is None:
        return []
    if exp.calibration != "posterior":
        if exp.posterior is not None:
            return [
                Problem(
                    source,
                    "experiment.posterior",
                    exp.posterior,
                    'read only with calibration = "posterior"; set it, or drop posterior',
                )
            ]
        return []
    key = "experiment.posterior" if exp.posterior is not None else "experiment.calibration"
    try:
        post = load_posterior(posterior_path(exp.posterior, base_dir))
    except PosteriorError as exc:
        return [Problem(source, key, exp.posterior or exp.calibration, str(exc))]
    problems = _column_problems(post, base, source, key)
    if problems:
        return problems
    return _value_problems(post, base, fixed, source, key) + _clash_problems(
        post, base, fixed, factors, source
    )


def _column_problems(post: Posterior, base, source: str, key: str) -> list[Problem]:
    problems = []
    for col in post.paths:
        try:
            base.resolve(col)
        except ScenarioError as exc:
            problems += [
                Problem(
                    source,
                    key,
                    col,
                    f"a column of {post.path} naming a scenario path: " + p.allowed,
                )
                for p in exc.problems
            ]
    return problems


def _value_problems(post: Posterior, base, fixed, source: str, key: str) -> list[Problem]:
    """Every column's lowest and highest draw applied to the base scenario (the schema's ranges)."""
    try:
        base = base.with_overrides(fixed, source="fixed") if fixed else base
    except ScenarioError:  # reported by the spec's own checks
        return []
    problems: list[Problem] = []
    for end in ("min", "max"):
        values = {p: float(getattr(post.table[p], end)()) for p in post.paths}
        try:
            base.with_overrides(values, source=str(post.path))
        except ScenarioError as exc:
            problems += [
                Problem(source, key, p.value, f"{post.path}: {p.key}: {p.allowed}")
                for p in exc.problems
            ]
    return problems


def _clash_problems(post: Posterior, base, fixed, factors, source: str) -> list[Problem]:
    """A factor or a [fixed] key setting a drawn parameter: the study would fight itself."""

    def nested(a: str, b: str) -> bool:
        return a == b or a.startswith(b + ".") or b.startswith(a + ".")

    drawn = [(k, p) for p in post.paths for k, _ in base.resolve(p)]
    problems = []
    setters = [(f"factors.{f.name}", f.paths()) for f in factors]
    setters += [(f"fixed.{path}", [path]) for path in fixed]
    for where, paths in setters:
        for path in paths:
            try:
                keys = [k for k, _ in base.resolve(path)]
            except ScenarioError:  # reported by the spec's own checks
                continue
            hit = next(((k, p) for k in keys for k2, p in drawn if nested(k, k2)), None)
            if hit is not None:
                problems.append(
                    Problem(
                        source,
                        where,
                        path,
                        f"sets {hit[0]}, which the posterior ({post.path}) draws as {hit[1]}: "
                        'vary it here with calibration = "point", or drop it here',
                    )
                )
                break
    problems += [
        Problem(source, f"factors.{f.name}.name", f.name, f"{DRAW_COLUMN!r} names the drawn row")
        for f in factors
        if f.name == DRAW_COLUMN
    ]
    return problems


# --- analysis --------------------------------------------------------------------------------------


def drawn_columns(df: pd.DataFrame, manifest: dict[str, Any]) -> tuple[pd.DataFrame, list[str]]:
    """The posterior parameters a folder's runs carry, as columns named by their paths.

    A posterior sweep stores them (see the manifest's ``posterior``); an optimisation's sweep
    carries a ``posterior_draw`` bundle factor, whose bundles are expanded into the same columns.
    Returns the frame (with the columns) and their names; both unchanged when there are none."""
    entry = manifest.get("posterior") or {}
    names = [p for p in entry.get("parameters", []) if p in df.columns]
    if names:
        return df, names
    factor = next(
        (
            f
            for f in manifest.get("spec", {}).get("factors", [])
            if f.get("name") == DRAW_COLUMN and f.get("bundles")
        ),
        None,
    )
    if factor is None or DRAW_COLUMN not in df.columns:
        return df, []
    bundles = factor["bundles"]
    names = list(dict.fromkeys(p for b in bundles.values() for p in b))
    rows = [bundles.get(str(d), {}) for d in df[DRAW_COLUMN]]
    extra = {p: [float(r.get(p, math.nan)) for r in rows] for p in names}
    return df.assign(**extra), names


# --- robust optimisation: one draw per future -----------------------------------------------------


def future_seed(seed: int, future: int) -> int:
    """The seed of future ``future`` of an optimisation with root ``seed``."""
    from .seeds import seed_from_provenance

    return seed_from_provenance(seed, (future,))


def future_draws(spec, futures: list[dict[str, Any]], n: int, seed: int) -> list[dict[str, Any]]:
    """With ``calibration = "posterior"``: ``n`` futures, each with the row drawn by its seed under
    ``posterior_draw`` (a future without uncertainties is its draw alone); else ``futures``."""
    post = spec_posterior(spec)
    if post is None:
        return futures
    if futures == [{}]:
        futures = [{} for _ in range(n)]
    return [
        {**f, DRAW_COLUMN: draw_index(future_seed(seed, i), post)} for i, f in enumerate(futures)
    ]


def draw_factor(spec, rows: list[int]) -> dict[str, Any] | None:
    """The ``posterior_draw`` factor of an optimisation's sweeps (role uncertainty): its values are
    ``rows`` (repeats kept, so a sampling design over them keeps the posterior's weights), one
    bundle of drawn values per distinct row; None with ``calibration = "point"``."""
    post = spec_posterior(spec)
    if post is None:
        return None
    return {
        "name": DRAW_COLUMN,
        "role": "uncertainty",
        "values": list(rows),
        # Bundle names are strings; the values stay numbers, so the column is numeric.
        "bundles": {str(r): post.values(r) for r in sorted(set(rows))},
        "description": f"row of the posterior {post.path} (SHA-256 {post.sha256[:12]}…)",
    }


def futures_sweep(
    spec, experiment: dict[str, Any], factors: list[dict[str, Any]], rows: list[int]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``[experiment]`` table and factors of a sweep over futures that carry posterior rows:
    the draws become the ``posterior_draw`` factor and the sweep itself draws nothing
    (``calibration = "point"``). Unchanged with ``calibration = "point"``."""
    factor = draw_factor(spec, rows)
    if factor is None:
        return experiment, factors
    exp = {k: v for k, v in experiment.items() if k != "posterior"}
    return {**exp, "calibration": "point"}, [*factors, factor]
