"""The results folder of one experiment.

Layout (one folder per experiment)::

    manifest.json           spec, its SHA-256, root seed, design, versions, Python, platform,
                            git commit, executor, start/end times, counts
    spec.toml               the spec as given;  base_scenario.toml: the base scenario after [fixed]
    runs.parquet            one row per planned run: run_id, run_index, point, replication,
                            seed provenance, factor values (see below), unit coordinates
    status.jsonl            append-only: one line per finished run (ok/failed, error, duration)
    metrics/part-*.parquet  written by workers, one part per batch: run_id, status, error,
                            duration_s, part, then one column per kept metric
    timeseries/part-*.parquet  optional: run_id, year, series columns (same part names)

Each part is written to a hidden temporary name and then renamed (``os.replace``, atomic on POSIX),
so a part that exists is complete. The metrics part is the commit point of a batch: the time series
part of the same batch is written first, and only counted when its metrics part exists. Readers
deduplicate by run id (an ``ok`` row wins over a ``failed`` one; a later part over an earlier one),
so a batch re-run after a crash never doubles a run.

Factor values in ``runs.parquet``: a ``factors`` column holds the point as JSON (exact, any mix of
types). Each factor also gets its own column, typed when all its values share one type
(int64, float64, bool, or string); a factor that mixes numbers with words (e.g. a sunset of
``"open"`` or 5/10/15) is stored as a string column (``"open"``, ``"5"``, ``"10"``) plus a
``<name>_num`` float column (NaN where the value is not a number), so both grouping and numeric
plots work.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DeterrenceSimError, one_line

__all__ = [
    "StoreError",
    "completed_runs",
    "factor_columns",
    "load",
    "load_timeseries",
    "read_manifest",
    "read_status",
    "write_manifest",
    "write_part",
]

MANIFEST = "manifest.json"
RUNS = "runs.parquet"
STATUS = "status.jsonl"


def temp_name(path: Path) -> Path:
    """A hidden temporary sibling of ``path``, unique to this process and call (pid and a random
    suffix), so that no two writers ever share one."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary sibling, then rename over ``path`` (readers never see half a file).

    A write that fails (a full disk) removes its temporary file and leaves ``path`` as it was."""
    tmp = temp_name(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    write_atomic(
        Path(out_dir) / MANIFEST,
        json.dumps(manifest, indent=2, sort_keys=False, default=str).encode("utf-8"),
    )


class StoreError(DeterrenceSimError):
    """A results folder that is missing, not a folder, or damaged (says which file and why)."""


def read_manifest(out_dir: str | Path) -> dict[str, Any]:
    """The folder's manifest; a StoreError when the folder is not an experiment's or the
    manifest is unreadable."""
    out_dir = Path(out_dir)
    try:
        what = None if out_dir.is_dir() else "is a file" if out_dir.exists() else "does not exist"
    except OSError as exc:  # e.g. a name too long for the file system
        what = f"cannot be read ({exc.strerror or exc})"
    if what is not None:
        raise StoreError(f"{out_dir}: {what}; give an experiment folder (made by `sweep`)")
    path = out_dir / MANIFEST
    try:
        manifest = read_manifest_json(out_dir)
    except FileNotFoundError:
        raise StoreError(
            f"{out_dir}: not an experiment folder (no {MANIFEST}); run `deterrence-sim sweep` first"
        ) from None
    if not isinstance(manifest, dict) or "spec_sha256" not in manifest:
        raise StoreError(f"{path}: not a deterrence-sim manifest (no spec_sha256)")
    problem = manifest_problem(manifest)
    if problem:
        raise StoreError(
            f"{path}: damaged ({problem}); the manifest is written atomically, so this file was "
            "changed by something else: restore it, or run the spec into a new folder"
        )
    return manifest


def read_manifest_json(out_dir: str | Path) -> Any:
    """The parsed ``manifest.json`` of any folder this package writes (a sweep's or a search's);
    FileNotFoundError when there is none, a StoreError naming it when it is unreadable."""
    path = Path(out_dir) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(
            f"{path}: damaged or unreadable ({exc}); the manifest is written atomically, so this "
            "file was changed by something else: restore it, or run the spec into a new folder"
        ) from None


def manifest_problem(manifest: dict[str, Any]) -> str | None:
    """What is wrong with a manifest's shape (the keys readers rely on), or None."""
    spec, design = manifest.get("spec"), manifest.get("design")
    if not isinstance(spec, dict):
        return "no spec table"
    if not isinstance(spec.get("output"), dict) or not isinstance(spec.get("factors"), list):
        return "its spec has no output table or factors list"
    if not isinstance(design, dict) or not isinstance(design.get("factors"), list):
        return "no design.factors list"
    for key in ("runs", "years", "replications"):
        value = manifest.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return f"{key} = {value!r} is not a count"
    points = design.get("points")
    if not isinstance(points, int) or isinstance(points, bool) or points < 0:
        return f"design.points = {points!r} is not a count"
    named = {f.get("name") for f in spec["factors"] if isinstance(f, dict)}
    unknown = [f for f in design["factors"] if f not in named]
    if unknown:
        return f"design.factors names {unknown[0]!r}, which the spec's [[factors]] do not"
    return None


def read_parquet(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A Parquet file of the store; a StoreError naming it when it is missing or damaged."""
    try:
        return pd.read_parquet(path, columns=columns)
    except FileNotFoundError:
        raise StoreError(
            f"{path}: missing; the folder is incomplete (made by an interrupted sweep?): "
            "resume it with `sweep SPEC --out FOLDER --resume`"
        ) from None
    except Exception as exc:  # pyarrow raises several types for a damaged file
        hint = (
            "delete this part and resume the sweep (`--resume`) to run its batch again"
            if path.parent.name in ("metrics", "timeseries")
            else "run the spec into a new folder"
        )
        raise StoreError(
            f"{path}: damaged ({type(exc).__name__}: {str(exc).splitlines()[0][:120]}); {hint}"
        ) from None


def part_token(first_index: int) -> str:
    """A part name that sorts by creation time and never collides between workers."""
    return f"{time.time_ns():020d}-{os.getpid()}-{first_index:08d}"


def write_part(out_dir: str | Path, kind: str, token: str, df: pd.DataFrame) -> Path:
    """Write one Parquet part atomically (temporary name, then rename)."""
    folder = Path(out_dir) / kind
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"part-{token}.parquet"
    tmp = folder / f".part-{token}.{secrets.token_hex(4)}.parquet.tmp"
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return final


def _parts(out_dir: str | Path, kind: str) -> list[Path]:
    folder = Path(out_dir) / kind
    if not folder.is_dir():
        return []
    return sorted(folder.glob("part-*.parquet"))


def _token(path: Path) -> str:
    return path.name[len("part-") : -len(".parquet")]


def clean_orphans(out_dir: str | Path) -> int:
    """Delete temporary files, time-series parts whose batch never committed and metrics parts
    whose batch lost its time-series part; return the count. A StoreError when a part holds runs
    of another experiment."""
    out_dir = Path(out_dir)
    removed = 0
    for kind in ("metrics", "timeseries"):
        folder = out_dir / kind
        if folder.is_dir():
            for tmp in folder.glob(".part-*.tmp"):
                tmp.unlink(missing_ok=True)
                removed += 1
    committed = {_token(p) for p in _parts(out_dir, "metrics")}
    for p in _parts(out_dir, "timeseries"):
        if _token(p) not in committed:
            p.unlink(missing_ok=True)
            removed += 1
    # The other way round: a batch whose time-series part went missing is run again.
    return removed + drop_torn_batches(out_dir)


def read_status(out_dir: str | Path) -> list[dict[str, Any]]:
    """The status log's records (a line torn by a crash is skipped)."""
    path = Path(out_dir) / STATUS
    if not path.exists():
        return []
    out = []
    # Bytes that are not UTF-8 (a damaged log) make their line unreadable JSON: skipped too.
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            line = raw.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                out.append(record)
    return out


def reconcile_status(out_dir: str | Path) -> int:
    """Append a status line for every committed run the log lacks; return how many.

    The parent writes a batch's lines when it collects the batch, so a batch committed by a worker
    just before Ctrl-C or a kill has results but no lines; its metrics part says what they were."""
    out_dir = Path(out_dir)
    logged = {
        (r["run_id"], r["status"])
        for r in read_status(out_dir)
        if isinstance(r.get("run_id"), str) and isinstance(r.get("status"), str)
    }
    committed = _dedupe(
        _read_metric_parts(out_dir, columns=["run_id", "status", "error", "duration_s"])
    )
    missing = [r for r in committed.itertuples(index=False) if (r.run_id, r.status) not in logged]
    if not missing:
        return 0
    now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    with open(out_dir / STATUS, "a", encoding="utf-8") as log:
        if log.tell() and not _ends_with_newline(out_dir / STATUS):
            log.write("\n")  # a line torn by a kill: end it so the next one stays whole
        for r in missing:
            error = None if pd.isna(r.error) else str(r.error)
            record = {
                "run_id": r.run_id,
                "status": r.status,
                "error": error,
                "duration_s": round(float(r.duration_s), 6),
                "time": now,
                "recovered": True,  # written from the committed part, not when the run ended
            }
            log.write(json.dumps(record) + "\n")
        log.flush()
        os.fsync(log.fileno())
    return len(missing)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def _read_metric_parts(out_dir: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    frames = []
    for p in _parts(out_dir, "metrics"):
        df = read_parquet(p, columns=columns)
        df["part"] = _token(p)
        frames.append(df)
    if not frames:
        cols = columns or ["run_id", "status", "error", "duration_s"]
        return pd.DataFrame({c: pd.Series(dtype=object) for c in [*cols, "part"]})
    return pd.concat(frames, ignore_index=True)


def _dedupe(df: pd.DataFrame) -> pd.DataFrame:
    """One row per run id: ``ok`` beats ``failed``, a later part beats an earlier one."""
    if df.empty:
        return df
    rank = (df["status"] == "ok").astype(int)
    df = df.assign(_rank=rank).sort_values(["run_id", "_rank", "part"], kind="stable")
    return df.drop_duplicates("run_id", keep="last").drop(columns="_rank")


def completed_runs(out_dir: str | Path) -> pd.DataFrame:
    """run_id, status and part of every committed run (deduplicated)."""
    return _dedupe(_read_metric_parts(out_dir, columns=["run_id", "status"]))


def factor_columns(points: list[dict[str, Any]], names: list[str]) -> dict[str, list[Any]]:
    """Typed per-factor columns for a list of points (see the module docstring)."""
    cols: dict[str, list[Any]] = {}
    for name in names:
        vals = [p[name] for p in points]
        kinds = {_kind(v) for v in vals}
        if kinds == {"int"}:
            cols[name] = [int(v) for v in vals]
        elif kinds <= {"int", "float"}:
            cols[name] = [float(v) for v in vals]
        elif kinds == {"bool"}:
            cols[name] = [bool(v) for v in vals]
        elif kinds == {"str"}:
            cols[name] = [str(v) for v in vals]
        else:
            cols[name] = [toml_text(v) for v in vals]
            if kinds & {"int", "float"} and f"{name}_num" not in names:
                cols[f"{name}_num"] = [
                    float(v) if _kind(v) in ("int", "float") else float("nan") for v in vals
                ]
    return cols


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "str"
    return "other"


def toml_text(v: Any) -> str:
    """A value as it would be written in TOML, without quotes for strings ("open", "5", "0.2", "true")."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return repr(v)
    return json.dumps(v, sort_keys=True)


def load(out_dir: str | Path, include_failed: bool = False) -> pd.DataFrame:
    """One tidy DataFrame: a row per finished run, its factors and its kept metrics.

    Columns: run_id, run_index, point, replication, seed, the factor columns, ``factors`` (JSON),
    then status, error, duration_s and one column per metric. Runs that failed are left out
    unless ``include_failed``; runs not yet run are never included.
    """
    out_dir = Path(out_dir)
    read_manifest(out_dir)  # a clear error when this is not an experiment folder
    runs = read_parquet(out_dir / RUNS)
    runs = runs.drop(columns=[c for c in runs.columns if c.startswith("u.")])
    metrics = _dedupe(_read_metric_parts(out_dir))
    if not include_failed and not metrics.empty:
        metrics = metrics[metrics["status"] == "ok"]
    metrics = metrics.drop(columns=["part"], errors="ignore")
    df = runs.merge(metrics, on="run_id", how="inner")
    return df.sort_values("run_index", kind="stable").reset_index(drop=True)


#: Columns of :func:`load` that come with every run but are not metrics.
NOT_METRICS = ("run_id", "status", "error", "duration_s", "part")


def metric_columns(out_dir: str | Path, df: pd.DataFrame) -> list[str]:
    """The metric columns of ``load(out_dir)``'s frame ``df`` (not the run table's factor and
    seed columns, not the status columns)."""
    import pyarrow.parquet as pq

    try:
        planned = set(pq.read_schema(Path(out_dir) / RUNS).names)
    except (OSError, ValueError) as exc:
        raise StoreError(f"{Path(out_dir) / RUNS}: missing or damaged ({exc})") from None
    return [c for c in df.columns if c not in planned and c not in NOT_METRICS]


def run_factors(out_dir: str | Path, run_id: str) -> dict[str, Any]:
    """The factor values of one planned run (as written in the spec), from ``runs.parquet``."""
    runs = read_parquet(Path(out_dir) / RUNS, columns=["run_id", "factors"])
    row = runs[runs["run_id"] == run_id]
    return json.loads(row.iloc[0]["factors"]) if not row.empty else {}


def load_timeseries(out_dir: str | Path) -> pd.DataFrame:
    """Kept yearly series of every ok run: run_id, point, replication, factors, year, series."""
    out_dir = Path(out_dir)
    chosen = _dedupe(_read_metric_parts(out_dir, columns=["run_id", "status"]))
    chosen = chosen[chosen["status"] == "ok"]
    keep = set(zip(chosen["run_id"], chosen["part"], strict=True))
    frames = []
    for p in _parts(out_dir, "timeseries"):
        tok = _token(p)
        df = read_parquet(p)
        mask = [(r, tok) in keep for r in df["run_id"]]
        frames.append(df[mask])
    if not frames:
        return pd.DataFrame()
    ts = pd.concat(frames, ignore_index=True)
    runs = read_parquet(out_dir / RUNS)
    runs = runs.drop(columns=[c for c in runs.columns if c.startswith("u.")])
    return runs.merge(ts, on="run_id", how="inner").sort_values(
        ["run_index", "year"], kind="stable", ignore_index=True
    )


def load_runs(out_dir: str | Path) -> pd.DataFrame:
    """The planned run table (every run, finished or not): ids, points, seeds, factors and the
    design's unit coordinates ``u.<factor>`` (Sobol/Morris/LHS)."""
    out_dir = Path(out_dir)
    read_manifest(out_dir)  # a clear error when this is not an experiment folder
    return pd.read_parquet(out_dir / RUNS)


# --- parts that disagree with the manifest --------------------------------------------------------


def _expects_timeseries(manifest: dict[str, Any]) -> bool:
    output = manifest.get("spec", {}).get("output", {})
    return isinstance(output, dict) and output.get("timeseries") is True


def part_problems(out_dir: str | Path) -> tuple[list[Path], list[str]]:
    """Parts that disagree with the manifest and run table: (metrics parts whose batch lost its
    time-series part, messages about parts holding runs the run table does not plan)."""
    out_dir = Path(out_dir)
    manifest = read_manifest(out_dir)
    planned = set(read_parquet(out_dir / RUNS, columns=["run_id"])["run_id"])
    series = {_token(p) for p in _parts(out_dir, "timeseries")}
    want_series = _expects_timeseries(manifest)
    torn: list[Path] = []
    foreign: list[str] = []
    for p in _parts(out_dir, "metrics"):
        df = read_parquet(p, columns=["run_id", "status"])
        alien = sorted(set(df["run_id"]) - planned)
        if alien:
            foreign.append(
                f"{p}: holds {len(alien)} run(s) this experiment does not plan (e.g. "
                f"{one_line(str(alien[0]))}); it comes from another experiment: remove it"
            )
        if want_series and (df["status"] == "ok").any() and _token(p) not in series:
            torn.append(p)
    return torn, foreign


def check_parts(out_dir: str | Path) -> None:
    """A StoreError when any part disagrees with the manifest (for readers such as ``report``)."""
    torn, foreign = part_problems(out_dir)
    if foreign:
        raise StoreError(foreign[0])
    if torn:
        raise StoreError(
            f"{torn[0]}: its batch's time-series part (timeseries/{torn[0].name}) is missing, "
            f"so {len(torn)} batch(es) are incomplete; resume the sweep (`sweep SPEC --out "
            f"{out_dir} --resume`) to run them again"
        )


def drop_torn_batches(out_dir: str | Path) -> int:
    """On resume: refuse parts from another experiment; un-commit (delete) the metrics part of
    every batch whose time-series part is missing, so that its runs are run again. Returns how
    many were dropped."""
    torn, foreign = part_problems(out_dir)
    if foreign:
        raise StoreError(foreign[0])
    for p in torn:
        p.unlink(missing_ok=True)
    return len(torn)


# --- provenance on resume -------------------------------------------------------------------------


def _model_version(manifest: dict[str, Any]) -> str | None:
    versions = manifest.get("versions")
    return versions.get("deterrence-sim") if isinstance(versions, dict) else None


def _commit(git: Any) -> str | None:
    return git.get("commit") if isinstance(git, dict) else None


def check_provenance(
    manifest: dict[str, Any],
    out_dir: str | Path,
    versions: dict[str, str],
    git: dict[str, Any] | None,
    allow_version_mix: bool = False,
) -> None:
    """On ``--resume``: a StoreError when the folder was made by another version of the model
    (package version or git commit) than the one running now, unless ``allow_version_mix``;
    then both are recorded in the manifest (``version_mix``), so a report can say so.

    Unknown on either side (no git checkout, an old manifest) is not a difference."""
    then_v, now_v = _model_version(manifest), versions.get("deterrence-sim")
    then_c, now_c = _commit(manifest.get("git")), _commit(git)
    diffs = []
    if then_v and now_v and then_v != now_v:
        diffs.append(f"deterrence-sim {then_v} there, {now_v} now")
    if then_c and now_c and then_c != now_c:
        diffs.append(f"git commit {then_c[:12]} there, {now_c[:12]} now")
    if not diffs:
        return
    if not allow_version_mix:
        raise StoreError(
            f"cannot resume {out_dir}: it was made by another version of the model "
            f"({'; '.join(diffs)}), so its runs and the new ones would not be comparable; run "
            "the spec into a new --out folder, or pass --allow-version-mix to mix them knowingly "
            "(both versions are then recorded in the manifest)"
        )
    manifest.setdefault("version_mix", []).append(
        {
            "versions": {"deterrence-sim": now_v},
            "git": git,
            "resumed": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        }
    )
