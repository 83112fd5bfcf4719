"""The calibration from data to a posterior: panels → the data's auxiliary logits → stage 1 and
stage 2 by Bayesian indirect inference (fit sample 1816–1945) → the era terms (1816–2010) → the
model's coefficients and hazards at the posterior median, fit and holdout, both populations.

``run_calibration(quick=...)`` does it all and returns a :class:`Calibration`; the report module
writes it out. The Markov chains of each stage run in parallel on the runner's executors (a
process pool, or Dask with ``executor="dask"``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import inference as inf
from .design import load_panels
from .tables import coefficient_table, complete, hazard_table

__all__ = ["SETTINGS", "Calibration", "Settings", "run_calibration"]


@dataclass(frozen=True)
class Settings:
    """How much simulation each stage gets."""

    reps: int  # simulated replicates of the fit sample per likelihood evaluation
    mode_evaluations: int  # Nelder–Mead evaluations for each stage's posterior mode
    iterations: int  # Metropolis iterations per chain
    chains: int  # chains per stage (run in parallel)
    draws: int  # posterior draws written to posterior.csv
    table_reps: int  # replicates behind the simulated coefficients of the report
    dyad_seeds: int  # seeds for the five-year war probability of data-built dyads


SETTINGS = {
    "quick": Settings(
        reps=1, mode_evaluations=120, iterations=300, chains=2, draws=200, table_reps=2,
        dyad_seeds=50,
    ),
    "full": Settings(
        reps=1, mode_evaluations=300, iterations=1500, chains=2, draws=400, table_reps=4,
        dyad_seeds=200,
    ),
}  # fmt: skip


@dataclass
class Calibration:
    """Everything the report needs."""

    mode: str
    fitted: dict[str, float]  # posterior medians (and the era terms), the new World defaults
    interval: dict[str, tuple[float, float]]  # posterior 2.5–97.5%
    posterior: pd.DataFrame  # draws, one column per parameter path
    stages: dict[str, inf.StageFit]
    coefficients: pd.DataFrame  # coefficients.csv
    table: pd.DataFrame  # calibration.csv
    panel_summary: dict[str, Any]
    timings: dict[str, float]
    settings: Settings
    dyads: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)


def run_chain(job: dict[str, Any]) -> np.ndarray:
    """One Metropolis chain of one stage (a worker's task: everything it needs is in ``job``)."""
    from ..scenario import World

    parameters = inf.STAGE1 if job["stage"] == "challenge" else inf.STAGE2
    world = World(**job["world"])
    sim = inf.SimFrame.make(job["frame"], job["reps"], job["seed"])
    logpost = inf.make_objective(
        job["stage"], parameters, world, sim, job["target"], job["precision"]
    )
    chain, acceptance = inf.adaptive_metropolis(
        logpost, job["start"], job["iterations"], job["chain_seed"], job["scale"]
    )
    return np.column_stack([chain, np.full(len(chain), acceptance)])


def fit_stage(stage, frame, world, s: Settings, seed: int, executor: dict) -> inf.StageFit:
    """The stage's mode (here), then ``s.chains`` chains from it on the executor."""
    from ..experiment.inmemory import map_runs

    parameters = inf.STAGE1 if stage == "challenge" else inf.STAGE2
    target, cov, _ = inf.aux_statistics(frame, stage, cluster="dyad")
    precision = np.linalg.pinv(cov.to_numpy() * (1 + 1 / s.reps))
    sim = inf.SimFrame.make(frame, s.reps, seed)
    logpost = inf.make_objective(stage, parameters, world, sim, target, precision)
    start = np.array([p.to_search(p.clamp(getattr(world, p.name))) for p in parameters])
    mode, _ = inf.find_mode(logpost, start, s.mode_evaluations)
    scale = np.array([p.proposal_scale for p in parameters])
    jobs = [
        {
            "stage": stage,
            "world": world.model_dump(),
            "frame": frame,
            "reps": s.reps,
            "seed": seed,  # common random numbers: every chain sees the same simulated data
            "chain_seed": seed + 100 * (i + 1),  # its own proposals
            "target": target,
            "precision": precision,
            "start": mode,
            "iterations": s.iterations,
            "scale": scale,
        }
        for i in range(s.chains)
    ]
    chains = map_runs(run_chain, jobs, min_jobs_for_pool=1, desc=stage, **executor)
    kept = np.vstack([c[len(c) // 3 :, :-1] for c in chains])
    acceptance = float(np.mean([c[0, -1] for c in chains]))
    draws = pd.DataFrame(
        {p.name: [p.from_search(v) for v in kept[:, i]] for i, p in enumerate(parameters)}
    )
    return inf.StageFit(
        stage=stage,
        parameters=parameters,
        draws=draws,
        mode={p.name: p.from_search(v) for p, v in zip(parameters, mode, strict=True)},
        data_stats=target,
        data_cov=cov,
        acceptance=acceptance,
        evaluations=s.mode_evaluations + s.chains * s.iterations,
    )


def fit_era(full: pd.DataFrame, world, seed: int) -> dict[str, float]:
    """The post-1945 log-odds of challenge and escalation: the values at which the model's
    auxiliary logits on 1816–2010 (with a post-1945 term) give the data's post-1945 coefficient.
    Both enter the model's logits additively, so two Newton steps on each suffice."""
    from ..data.auxiliary import fit_auxiliary

    out = {"era_weight": 0.0, "escalation_era_weight": 0.0}
    terms = {
        "era_weight": ("challenge", (*inf.CHALLENGE_TERMS, "post1945")),
        "escalation_era_weight": ("escalation", (*inf.ESCALATION_TERMS, "post1945")),
    }
    sim = inf.SimFrame.make(full, 1, seed)
    for name, (stage, t) in terms.items():
        target = fit_auxiliary(full, stage, terms=t).params["post1945"]
        for _ in range(2):
            w = inf.world_with(world, {**out})
            got = fit_auxiliary(sim.outcomes(w), stage, terms=t).params["post1945"]
            out[name] = float(np.clip(out[name] + target - got, -3, 3))
    return out


def posterior_draws(stages: dict[str, inf.StageFit], era: dict[str, float], n: int, seed: int):
    """``n`` joint draws: stage 1 and stage 2 draws paired at random (stage 2 is conditional on
    stage 1's median, so the pairing treats the stages as independent given the data), the era
    terms at their point values; columns named by path (``world.challenge_sharpness``)."""
    rng = np.random.default_rng(seed)
    parts = []
    for fit in stages.values():
        idx = rng.choice(len(fit.draws), size=n, replace=len(fit.draws) < n)
        parts.append(fit.draws.iloc[idx].reset_index(drop=True))
    out = pd.concat(parts, axis=1)
    for name, value in era.items():
        out[name] = value
    out.columns = [f"world.{c}" for c in out.columns]
    out.insert(0, "draw", np.arange(n))
    return out


def run_calibration(
    data_dir: str | Path | None = None,
    quick: bool = False,
    workers: int = 1,
    progress: bool = False,
    seed: int = 2024,
    executor: str = "process",
    scheduler: str | None = None,
) -> Calibration:
    """Build the panels, fit both stages on 1816–1945, the era on 1816–2010, check everything.

    The chains go to the runner's ``executor`` (``process`` or ``dask``; ``scheduler``: a running
    Dask cluster's address)."""
    from ..scenario import World

    mode = "quick" if quick else "full"
    s = SETTINGS[mode]
    ex = {"executor": executor, "workers": workers, "scheduler": scheduler, "progress": progress}
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    panels = load_panels(data_dir)
    fit_frame = complete(panels.prd, "fit")
    timings["panels"] = time.perf_counter() - t0

    stages: dict[str, inf.StageFit] = {}
    world = World()
    for stage, offset in (("challenge", 0), ("escalation", 1)):
        t = time.perf_counter()
        stages[stage] = fit_stage(stage, fit_frame, world, s, seed + offset, ex)
        world = inf.world_with(world, stages[stage].median())
        timings[stage] = time.perf_counter() - t

    t = time.perf_counter()
    era = fit_era(complete(panels.prd), world, seed + 2)
    timings["era"] = time.perf_counter() - t
    posterior = posterior_draws(stages, era, s.draws, seed + 5)
    # The defaults are the medians of the draws written out (what a posterior study samples).
    fitted = {c.removeprefix("world."): float(posterior[c].median()) for c in posterior.columns[1:]}
    check = check_at(fitted, panels, data_dir, s, seed)
    interval = {k: v for st in stages.values() for k, v in st.interval().items()}
    timings.update(check.pop("timings"))
    timings["total"] = time.perf_counter() - t0
    return Calibration(
        mode=mode,
        fitted=fitted,
        interval=interval,
        posterior=posterior,
        stages=stages,
        panel_summary=_summary(panels),
        timings=timings,
        settings=s,
        **check,
    )


def check_at(fitted: dict[str, float], panels, data_dir, s: Settings, seed: int) -> dict:
    """The model at the fitted values against the data: coefficients, hazards by stratum, the
    arms-race and insurgency moments, and the data-built dyads of 2016."""
    from ..scenario import World
    from .dyads import five_year_attack_probability

    world = World().model_copy(update=fitted)
    timings = {}
    t = time.perf_counter()
    frames = {"prd": panels.prd, "rivals": panels.rivals}
    coefficients = coefficient_table(frames, world, reps=s.table_reps, seed=seed + 3)
    table = hazard_table(frames, world, seed=seed + 4)
    timings["tables"] = time.perf_counter() - t
    t = time.perf_counter()
    table = pd.concat([table, capability_table(data_dir, s.dyad_seeds)], ignore_index=True)
    timings["capability"] = time.perf_counter() - t
    t = time.perf_counter()
    dyads = five_year_attack_probability(data_dir, fitted, seeds=s.dyad_seeds)
    timings["dyads"] = time.perf_counter() - t
    return {"coefficients": coefficients, "table": table, "dyads": dyads, "timings": timings}


def capability_table(data_dir, seeds: int) -> pd.DataFrame:
    """Arms-race and insurgency moments (issue #18), data against the model: the insurgencies of
    ``middle_east`` and ``africa`` over ``seeds`` 40-year runs, measured like the data; the arming
    moments the model's Richardson coefficients imply (relative to a system growing at
    ``world.gdp_growth``, as the data are relative to the system)."""
    from ..scenario import AggressorSpec, Scenario, World
    from .moments_capability import (
        calibration_rows,
        capability_moments,
        insurgency_paths,
        simulated_insurgency_moments,
    )

    moments = capability_moments(data_dir)
    paths = pd.concat(
        [insurgency_paths(Scenario.preset(n), range(seeds), 40) for n in ("middle_east", "africa")],
        ignore_index=True,
    )
    insurgency = simulated_insurgency_moments(paths)
    spec, w = AggressorSpec(name="A"), World()
    relative = spec.growth - w.gdp_growth - spec.fatigue
    arms = {
        "reaction_k": spec.reaction,
        "g_minus_a": relative,
        "steady_state_ratio": spec.reaction / -relative if relative < 0 else np.inf,
    }
    # The onset logit is the model's own functional form: its coefficients are the defaults.
    insurgency |= {
        "onset_logit_const": w.insurgency_onset_intercept,
        "onset_logit_polyarchy": w.insurgency_onset_governance,
        "onset_logit_polyarchy_sq": w.insurgency_onset_governance2,
    }
    simulated = {(m, smp): v for m, v in insurgency.items() for smp in ("fit", "holdout")}
    simulated |= {(m, "all"): v for m, v in arms.items()}
    rows = calibration_rows(moments, simulated)
    rows["population"] = np.where(rows["outcome"] == "arms_race", "rivals", "states")
    rows["in_band"] = (rows["simulated"] >= 0.5 * rows["ci_low"]) & (
        rows["simulated"] <= 2 * rows["ci_high"]
    )
    return rows


def _summary(panels) -> dict[str, Any]:
    out = {}
    for population in ("prd", "rivals"):
        p = getattr(panels, population)
        for sample in ("fit", "holdout"):
            c = complete(p, sample)
            out[f"{population}_{sample}"] = {
                "dyad_years": len(c),
                "dyads": int(c["dyad"].nunique()),
                "challenges": int(c["challenge"].sum()),
                "force": int(c["force"].sum()),
                "wars": int(c["war"].sum()),
                "years": f"{int(c['year'].min())}-{int(c['year'].max())}",
            }
    return out
