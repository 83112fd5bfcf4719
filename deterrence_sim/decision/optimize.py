"""Robust many-objective search over the levers (many-objective robust decision making).

Each candidate policy (a value for every lever) is run in the same ensemble of futures -- a Latin
hypercube of ``samples`` draws of the uncertainties, each run with the same ``replications``
seeds (common random numbers) -- and scored by the robustness metrics of its objectives
(:mod:`.robustness`). NSGA-II (Deb et al. 2002) or NSGA-III (Deb & Jain 2014), from pymoo
(Blank & Deb 2020), searches the levers on the unit cube; a unit coordinate maps to a lever value
as in the sampling designs (:func:`deterrence_sim.experiment.designs.from_unit`), so integer and
categorical levers work too (Kasprzyk et al. 2013; Lempert, Popper & Bankes 2003).

Every generation's new policies are run as one ordinary sweep (a ``list`` design of policy x
future points) into ``evaluations/gen-NNNN/`` through the sweep runner and its executors, so
every evaluation is stored with its seeds, and a killed search resumes: the search is replayed
from its seed, finished generations are read back from their folders (no run is repeated), and
the interrupted one is resumed like a sweep. The result is the same as without the kill.

Folder: ``manifest.json``, ``futures.csv`` (the ensemble), ``evaluations/gen-*/`` (sweeps),
``evaluations.csv`` (every policy and its scores), ``pareto.csv``, ``history.csv`` (hypervolume
by generation), ``optimize.md``, ``figures/``, and ``stress/`` (a sweep of the chosen policy over
``stress_samples`` fresh futures, for scenario discovery).
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..escaping import write_csv
from ..experiment import store
from ..experiment.designs import from_unit
from ..experiment.folder_lock import one_writer
from ..experiment.posterior import DRAW_COLUMN, future_draws, futures_sweep
from ..experiment.session import FolderKind, Session, check_folder, now
from .opt_spec import OptimizeSpec
from .robustness import WORST, display_value, robustness

__all__ = ["OptimizeResult", "optimize", "policy_key", "uncertainty_futures"]

MANIFEST = "manifest.json"


def policy_key(policy: dict[str, Any]) -> str:
    """A policy's identity (its lever values as canonical JSON)."""
    return json.dumps(policy, sort_keys=True)


def uncertainty_futures(spec: OptimizeSpec, n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` futures: a seeded Latin hypercube over the uncertainties (one empty future if none);
    with ``calibration = "posterior"`` each future also draws a posterior row by its seed."""
    unc = spec.uncertainties
    futures: list[dict[str, Any]] = [{}]
    if unc:
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(unc), seed=np.random.default_rng(seed)).random(n)
        futures = [{f.name: from_unit(f, u) for f, u in zip(unc, row, strict=True)} for row in unit]
    return future_draws(spec.experiment, futures, n, seed)


def decode(spec: OptimizeSpec, x: np.ndarray) -> list[dict[str, Any]]:
    """Lever values of each row of unit coordinates."""
    return [
        {f.name: from_unit(f, u) for f, u in zip(spec.levers, row, strict=True)}
        for row in np.atleast_2d(x)
    ]


# --- evaluating policies as sweeps ---------------------------------------------------------------


class Evaluator:
    """Runs new policies in every future (one sweep per generation) and remembers the results."""

    def __init__(self, spec: OptimizeSpec, out_dir: Path, executor, futures, sizes):
        self.spec = spec
        self.out_dir = out_dir
        self.executor = executor
        self.futures = futures
        self.sizes = sizes
        self.metrics = sorted({o.metric for o in spec.objectives})
        self.policies: list[dict[str, Any]] = []  # in order of first evaluation
        self.values: dict[str, np.ndarray] = {}  # key -> (metrics, futures)
        self.first_gen: dict[str, int] = {}
        self.run_options: dict[str, Any] = {}  # passed on to every generation's sweep

    def _spec_dict(self, policies: list[dict[str, Any]], gen: int) -> dict[str, Any]:
        e = self.spec.experiment
        exp = e.experiment.model_dump(mode="json")
        exp.update(name=f"{e.name}-gen{gen:04d}", replications=self.sizes["replications"])
        points = [{**p, **f} for p in policies for f in self.futures]
        factors = [f.model_dump(mode="json", exclude_none=True) for f in e.factors]
        rows = [f[DRAW_COLUMN] for f in self.futures if DRAW_COLUMN in f]
        exp, factors = futures_sweep(e, exp, factors, rows)
        return {
            "experiment": exp,
            "factors": factors,
            "design": {"kind": "list", "points": points},
            "fixed": dict(e.fixed),
            "output": {"metrics": self.metrics if self._model_metrics() else "all"},
        }

    def _model_metrics(self) -> bool:
        return self.spec.experiment.experiment.run_function == "deterrence_sim.run:run_model"

    def evaluate(self, policies: list[dict[str, Any]], gen: int) -> None:
        """Run the policies not seen before (as sweep ``evaluations/gen-<gen>``)."""
        from ..experiment.runner import run_experiment
        from ..experiment.spec import spec_from_dict

        new: list[dict[str, Any]] = []
        keys: set[str] = set()  # a set: a population of thousands stays linear, not quadratic
        for p in policies:
            k = policy_key(p)
            if k not in self.values and k not in keys:
                keys.add(k)
                new.append(p)
        if not new:
            return
        folder = self.out_dir / "evaluations" / f"gen-{gen:04d}"
        if folder.exists() and not (folder / store.MANIFEST).exists():
            shutil.rmtree(folder)  # killed before its manifest was written: nothing ran yet
        e = self.spec.experiment
        # A repeated future (categorical uncertainties) is a weight of the sample, not a mistake.
        sweep = spec_from_dict(
            self._spec_dict(new, gen),
            source=e.source,
            base_dir=e.base_dir,
            allow_duplicate_points=True,
        )
        from ..experiment.executors import executor_workers

        # A generation is small: a few large batches per worker keep the per-batch cost (a
        # Parquet part, a status record) low while still spreading the work.
        n_runs = len(new) * len(self.futures) * self.sizes["replications"]
        batch = max(1, math.ceil(n_runs / (4 * executor_workers(self.executor))))
        run_experiment(
            sweep,
            folder,
            executor=self.executor,
            resume=(folder / store.MANIFEST).exists(),
            progress=False,
            batch_size=batch,
            **self.run_options,
        )
        df = store.load(folder)
        n_f = len(self.futures)
        means = df.groupby("point")[self.metrics].mean()  # over replications
        grid = means.reindex(range(len(new) * n_f)).to_numpy(dtype=float)
        for i, p in enumerate(new):
            k = policy_key(p)
            self.values[k] = grid[i * n_f : (i + 1) * n_f].T  # (metrics, futures)
            self.policies.append(p)
            self.first_gen[k] = gen

    def matrix(self, policies: list[dict[str, Any]], metric: str) -> np.ndarray:
        j = self.metrics.index(metric)
        return np.array([self.values[policy_key(p)][j] for p in policies])

    def scores(self, policies: list[dict[str, Any]]) -> np.ndarray:
        """(policies, objectives), lower is better; regret against every policy evaluated so far."""
        out = np.empty((len(policies), len(self.spec.objectives)))
        for j, o in enumerate(self.spec.objectives):
            best = None
            if o.statistic == "regret":
                everyone = self.matrix(self.policies, o.metric)
                sign = 1.0 if o.direction == "min" else -1.0
                with np.errstate(all="ignore"):
                    best = sign * np.nanmin(sign * everyone, axis=0)
            out[:, j] = robustness(
                self.matrix(policies, o.metric), o.statistic, o.direction, o.q, o.threshold, best
            )
        return out


# --- the search ---------------------------------------------------------------------------------


@dataclass
class OptimizeResult:
    out_dir: Path
    evaluations: pd.DataFrame  # every policy: levers, objectives (own units), generation
    pareto: pd.DataFrame
    history: pd.DataFrame  # generation, evaluated, hypervolume
    chosen: dict[str, Any]
    stress_dir: Path | None
    wall_s: float


def _algorithm(spec: OptimizeSpec, pop: int):
    from pymoo.algorithms.moo.nsga2 import NSGA2

    if spec.optimize.algorithm == "nsga3":
        from pymoo.algorithms.moo.nsga3 import NSGA3
        from pymoo.util.ref_dirs import get_reference_directions

        k = len(spec.objectives)
        # Das-Dennis directions: the largest partition count giving at most `pop` directions.
        parts = 1
        while math.comb(parts + k, k - 1) <= pop:
            parts += 1
        dirs = get_reference_directions("das-dennis", k, n_partitions=parts)
        return NSGA3(ref_dirs=dirs, pop_size=pop, eliminate_duplicates=True)
    return NSGA2(pop_size=pop, eliminate_duplicates=True)


def _to_min(spec: OptimizeSpec, point: list[float]) -> np.ndarray:
    """A reference point in the objectives' own units -> the minimised scores' space."""
    out = []
    for o, v in zip(spec.objectives, point, strict=True):
        if o.statistic == "satisficing":
            out.append(1.0 - v)
        elif o.statistic in ("mean", "percentile") and o.direction == "max":
            out.append(-v)
        else:
            out.append(v)
    return np.array(out, dtype=float)


class _Hypervolume:
    """Hypervolume of the non-dominated scores (Zitzler & Thiele 1998), pymoo's HV indicator.

    With ``optimize.reference_point`` the volume is in the objectives' units against that point;
    without it, each objective is scaled so that the best score of generation 0 is 0 and its
    worst plus 10% of its range is 1, and the reference is (1, ..., 1).
    """

    def __init__(self, spec: OptimizeSpec, first: np.ndarray):
        from pymoo.indicators.hv import HV

        if spec.optimize.reference_point is not None:
            self.lo = np.zeros(first.shape[1])
            self.scale = np.ones(first.shape[1])
            ref = _to_min(spec, spec.optimize.reference_point)
        else:
            ok = np.where(first >= WORST, np.nan, first)
            lo, hi = np.nanmin(ok, axis=0), np.nanmax(ok, axis=0)
            span = np.where(hi > lo, hi - lo, np.maximum(np.abs(hi), 1.0))
            self.lo, self.scale = lo, (hi + 0.1 * span - lo)
            ref = np.ones(first.shape[1])
        self.normalised = spec.optimize.reference_point is None
        self._hv = HV(ref_point=ref)

    def __call__(self, scores: np.ndarray) -> float:
        f = (scores - self.lo) / self.scale
        return float(self._hv(f)) if len(f) else 0.0


def _nondominated(scores: np.ndarray) -> np.ndarray:
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    if len(scores) == 0:
        return np.array([], dtype=int)
    return np.sort(NonDominatedSorting().do(scores, only_non_dominated_front=True))


def _read_search_manifest(out_dir: Path) -> dict[str, Any]:
    manifest = store.read_manifest_json(out_dir)
    if not isinstance(manifest, dict) or "sha256" not in manifest:
        raise store.StoreError(f"{out_dir / MANIFEST}: not a search's manifest (no sha256)")
    return manifest


#: What a search folder holds (for the checks of :mod:`deterrence_sim.experiment.session`).
SEARCH_FOLDER = FolderKind(
    noun="search",
    job="search",
    sha_key="sha256",
    inputs="the spec (or --quick)",
    before_manifest=("spec.toml",),
    read=_read_search_manifest,
)


def _prepare(spec: OptimizeSpec, out_dir: Path, resume: bool, sizes) -> dict[str, Any]:
    """The folder's manifest: read back when resuming, else written into a new folder."""
    sha = spec.sha256()
    manifest = check_folder(SEARCH_FOLDER, out_dir, sha, resume)
    if manifest is not None:
        return manifest
    out_dir.mkdir(parents=True, exist_ok=True)
    src = Path(spec.experiment.source)
    if src.is_file():
        (out_dir / "spec.toml").write_bytes(src.read_bytes())
    manifest = {
        "name": spec.name,
        "kind": "optimize",
        "sha256": sha,
        "spec_source": spec.experiment.source,
        "quick": spec.quick,
        "sizes": sizes,
        "seed": spec.seed,
        "roles": {f.name: f.role for f in spec.experiment.factors},
        "objectives": [o.model_dump(mode="json") for o in spec.objectives],
        "optimize": spec.optimize.model_dump(mode="json"),
        "created": now(),
        "sessions": [],
        "status": "created",
    }
    store.write_manifest(out_dir, manifest)
    return manifest


def search_runs(spec: OptimizeSpec) -> int:
    """The most runs a search can make: every generation's population in every future and
    replication (NSGA-II/III make ``population`` new policies a generation), plus the stress
    test."""
    z = spec.sizes()
    per_policy = z["samples"] * z["replications"]
    return z["population"] * z["generations"] * per_policy + z["stress_samples"] * z["replications"]


def check_search_size(spec: OptimizeSpec, max_runs: int | None) -> int:
    """The search's run count; a UsageError, before any work, when it exceeds ``max_runs``
    (default: the sweep's limit, :func:`deterrence_sim.experiment.limits.default_max_runs`)."""
    from ..experiment.limits import default_max_runs

    limit = default_max_runs() if max_runs is None else max_runs
    if limit < 1:
        raise UsageError(f"--max-runs must be at least 1, got {limit}")
    runs = search_runs(spec)
    if runs <= limit:
        return runs
    z = spec.sizes()
    sizes = "[optimize.quick]" if spec.quick else "[optimize] sizes"
    raise UsageError(
        f"{spec.experiment.source}: the search may make {runs:,} runs (population "
        f"{z['population']:,} × {z['generations']:,} generations × {z['samples']:,} futures × "
        f"{z['replications']:,} replications, plus a stress test of {z['stress_samples']:,} "
        f"futures), more than --max-runs {limit:,}; shrink the {sizes}"
        + ("" if spec.quick else ", try --quick first")
        + f", or raise the limit deliberately with --max-runs {runs}"
    )


@one_writer  # one search per folder; its generations' sweeps each lock their own folder
def optimize(
    spec: OptimizeSpec,
    out_dir: str | Path,
    executor: str = "process",
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
    max_runs: int | None = None,
    allow_version_mix: bool = False,
) -> OptimizeResult:
    """Run (or resume) the robust search of ``spec`` into ``out_dir``; write its reports.

    ``max_runs`` bounds the whole search (checked before any work, see :func:`check_search_size`);
    ``allow_version_mix`` lets a resumed search continue generations run by another model
    version."""
    import time

    from ..experiment.executors import make_executor

    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    check_search_size(spec, max_runs)
    sizes = spec.sizes()
    manifest = _prepare(spec, out_dir, resume, sizes)
    session, tally = Session(out_dir, resume), _SearchTally()
    with contextlib.ExitStack() as stack:
        stack.push(session.close)  # last out: records how the search ended, whatever ended it
        futures = uncertainty_futures(spec, sizes["samples"], spec.seed)
        write_csv(pd.DataFrame(futures).rename_axis("future"), out_dir / "futures.csv")
        with make_executor(executor, workers=workers, scheduler=scheduler) as (pool, info):
            session.open(manifest, tally.settle, executor=info)
            ev = Evaluator(spec, out_dir, pool, futures, sizes)
            ev.run_options = {"max_runs": max_runs, "allow_version_mix": allow_version_mix}
            history, hv = _search(spec, ev, tally, progress)
        result = _finish(spec, out_dir, manifest, ev, history, hv, executor, workers, scheduler, t0)
        tally.done = True
    return result


@dataclass
class _SearchTally:
    """What one call of :func:`optimize` did, for its entry in the manifest's sessions."""

    generations: int = 0  # generations gone through (a resumed search replays the finished ones)
    evaluated: int = 0  # policies evaluated so far
    done: bool = False  # the reports are written

    def settle(self, session: Session) -> bool:
        session.record.update(generations=self.generations, evaluated=self.evaluated)
        return self.done


def _search(
    spec: OptimizeSpec, ev: Evaluator, tally: _SearchTally, progress: bool
) -> tuple[list[dict[str, Any]], _Hypervolume]:
    """The generations of NSGA-II/III: ask, evaluate as a sweep, tell; the history by
    generation and the hypervolume measure (set from generation 0)."""
    from pymoo.core.evaluator import Evaluator as PymooEvaluator
    from pymoo.core.problem import Problem
    from pymoo.problems.static import StaticProblem

    sizes = ev.sizes
    problem = Problem(n_var=len(spec.levers), n_obj=len(spec.objectives), xl=0.0, xu=1.0)
    algorithm = _algorithm(spec, sizes["population"])
    algorithm.setup(problem, termination=("n_gen", sizes["generations"]), seed=spec.seed)
    history: list[dict[str, Any]] = []
    bar = _bar(sizes["generations"], progress)
    hv = None
    try:
        while algorithm.has_next():
            pop = algorithm.ask()
            policies = decode(spec, pop.get("X"))
            ev.evaluate(policies, len(history))
            PymooEvaluator().eval(StaticProblem(problem, F=ev.scores(policies)), pop)
            algorithm.tell(infills=pop)
            everyone = ev.scores(ev.policies)
            if hv is None:
                hv = _Hypervolume(spec, everyone)
            front = everyone[_nondominated(everyone)]
            history.append(
                {
                    "generation": len(history),
                    "evaluated": len(ev.policies),
                    "runs": len(ev.policies) * len(ev.futures) * sizes["replications"],
                    "pareto_size": len(front),
                    "hypervolume": hv(front),
                }
            )
            tally.generations, tally.evaluated = len(history), len(ev.policies)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(hv=f"{history[-1]['hypervolume']:.4f}")
    finally:
        if bar is not None:
            bar.close()
    assert hv is not None  # pymoo runs at least one generation
    return history, hv


def _bar(total: int, progress: bool):
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="gen", dynamic_ncols=True, file=sys.stderr)


def _table(spec: OptimizeSpec, ev: Evaluator) -> pd.DataFrame:
    """Every evaluated policy: levers, objective values in their own sense, generation, Pareto."""
    scores = ev.scores(ev.policies)
    rows = []
    for p, s in zip(ev.policies, scores, strict=True):
        row = {**p, "generation": ev.first_gen[policy_key(p)]}
        for o, v in zip(spec.objectives, s, strict=True):
            row[o.name] = display_value(float(v), o.statistic, o.direction)
        rows.append(row)
    df = pd.DataFrame(rows)
    df["pareto"] = False
    df.loc[_nondominated(scores), "pareto"] = True
    df.attrs["scores"] = scores
    return df


def choose_policy(spec: OptimizeSpec, table: pd.DataFrame) -> int:
    """Row of the Pareto policy to stress-test: ``first`` -- best on the first objective (ties:
    the next objectives); ``compromise`` -- nearest to the ideal point, objectives scaled to
    [0, 1] over the Pareto set."""
    scores = table.attrs["scores"]
    idx = np.flatnonzero(table["pareto"].to_numpy())
    s = scores[idx]
    if spec.optimize.choose == "first":
        order = np.lexsort(tuple(s[:, j] for j in reversed(range(s.shape[1]))))
        return int(idx[order[0]])
    lo, hi = s.min(axis=0), s.max(axis=0)
    scaled = (s - lo) / np.where(hi > lo, hi - lo, 1.0)
    return int(idx[np.argmin(np.sqrt((scaled**2).sum(axis=1)))])


def _finish(spec, out_dir, manifest, ev, history, hv, executor, workers, scheduler, t0):
    import time

    from .optimize_report import write_optimize_report

    table = _table(spec, ev)
    write_csv(table, out_dir / "evaluations.csv", index=False)
    pareto = table[table["pareto"]].drop(columns="pareto")
    write_csv(pareto, out_dir / "pareto.csv", index=False)
    hist = pd.DataFrame(history)
    write_csv(hist, out_dir / "history.csv", index=False)
    row = choose_policy(spec, table)
    chosen = {f.name: table.loc[row, f.name] for f in spec.levers}
    chosen = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in chosen.items()}
    stress_dir = None
    if spec.sizes()["stress_samples"] > 0 and (
        spec.uncertainties or spec.experiment.experiment.calibration == "posterior"
    ):
        stress_dir = stress_test(
            spec, chosen, out_dir / "stress", executor, workers, scheduler, **ev.run_options
        )
    wall = time.perf_counter() - t0
    manifest.update(  # written with the status when the session closes
        evaluated=len(ev.policies),
        chosen=chosen,
        hypervolume=float(hist["hypervolume"].iloc[-1]),
        hypervolume_normalised=bool(hv.normalised),
    )
    write_optimize_report(spec, out_dir, table, hist, chosen, stress_dir, hv.normalised)
    return OptimizeResult(out_dir, table, pareto, hist, chosen, stress_dir, wall)


def stress_test(
    spec: OptimizeSpec,
    policy: dict[str, Any],
    out: Path,
    executor: str = "process",
    workers: int = 1,
    scheduler: str | None = None,
    **run_options: Any,
) -> Path:
    """Run one policy over ``stress_samples`` fresh futures (an LHS sweep; seed + 1) into ``out``;
    ``run_options`` (``max_runs``, ``allow_version_mix``) go to the sweep runner."""
    from ..experiment.runner import run_experiment
    from ..experiment.spec import spec_from_dict

    e = spec.experiment
    sizes = spec.sizes()
    fixed = dict(e.fixed)
    for f in spec.levers:
        fixed.update(f.overrides(policy[f.name]))
    exp = e.experiment.model_dump(mode="json")
    exp.update(name=f"{e.name}-stress", replications=sizes["replications"])
    exp["description"] = "The chosen policy " + ", ".join(f"{k} = {v}" for k, v in policy.items())
    factors = [f.model_dump(mode="json", exclude_none=True) for f in spec.uncertainties]
    draws = future_draws(e, [{}], sizes["stress_samples"], spec.seed + 1)
    exp, factors = futures_sweep(e, exp, factors, [f[DRAW_COLUMN] for f in draws if f])
    data = {
        "experiment": exp,
        "design": {"kind": "lhs", "n": sizes["stress_samples"], "seed": spec.seed + 1},
        "factors": factors,
        "fixed": fixed,
        "output": e.output.model_dump(mode="json", exclude_none=True),
    }
    sweep = spec_from_dict(data, source=e.source, base_dir=e.base_dir)
    if out.exists() and not (out / store.MANIFEST).exists():
        shutil.rmtree(out)
    run_experiment(
        sweep,
        out,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        resume=(out / store.MANIFEST).exists(),
        progress=False,
        **run_options,
    )
    return out
