"""The calibration from data to fitted parameters: panel → moments → design → emulator → fit →
check at the fitted values (fit and holdout samples) → bootstrap.

``run_calibration(quick=...)`` does it all and returns a :class:`Calibration`; the report module
writes it out. ``quick`` searches a box around the committed fitted values with fewer simulated
years (CI runs it, ~2 minutes on 2 cores); the full run searches the whole box.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.hazards import DESCRIPTIVE_BINS, hazard_table
from ..data.leeds import leeds_table
from ..data.panel import build_panel, load_panel_sources
from . import fit
from .dyads import five_year_attack_probability
from .simulate import simulate_hazards, simulate_many
from .strata import describe_mapping, strata_from_panel

__all__ = ["SETTINGS", "Calibration", "Settings", "run_calibration"]


@dataclass(frozen=True)
class Settings:
    """How much simulation each stage gets."""

    wave1: int  # design points of the first wave
    wave2: int  # design points of the local second wave
    seeds: int  # seeds per ratio point and design point
    years: int  # simulated years per run
    final_seeds: int  # seeds per ratio point at the fitted values
    bootstrap: int  # cluster-bootstrap replicates of the empirical moments
    screen: int  # Sobol points screened on the emulator
    local: bool  # wave 1 around the committed values (quick) or over the whole box (full)
    dyad_seeds: int  # seeds for the five-year attack probability of data-built dyads


SETTINGS = {
    "quick": Settings(
        wave1=16,
        wave2=8,
        seeds=10,
        years=10,
        final_seeds=80,
        bootstrap=100,
        screen=2048,
        local=True,
        dyad_seeds=100,
    ),
    "full": Settings(
        wave1=64,
        wave2=32,
        seeds=16,
        years=10,
        final_seeds=200,
        bootstrap=200,
        screen=8192,
        local=False,
        dyad_seeds=200,
    ),
}


@dataclass
class Calibration:
    """Everything the report needs."""

    mode: str
    fitted: dict[str, float]
    interval: dict[str, tuple[float, float]]  # bootstrap 2.5–97.5%
    curvature_se: dict[str, float]  # in the parameter's search scale (log for log parameters)
    table: pd.DataFrame  # calibration.csv rows
    descriptive: pd.DataFrame  # the six bins, both periods pooled
    leeds: pd.DataFrame
    leeds_by_period: pd.DataFrame
    panel_summary: dict[str, float]
    objective: dict[str, float]
    timings: dict[str, float]
    settings: Settings
    mapping: str
    design_points: int = 0
    dyads: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)


def committed_unit() -> np.ndarray:
    """The committed fitted values (the package defaults) as a point of the unit cube."""
    from ..scenario import World

    w = World()
    return np.array([np.clip(p.to_unit(getattr(w, p.name)), 0, 1) for p in fit.PARAMETERS])


def committed_world() -> dict[str, float]:
    """The committed fitted values (the package defaults) of the fitted parameters."""
    from ..scenario import World

    w = World()
    return {p.name: float(getattr(w, p.name)) for p in fit.PARAMETERS}


def _fit_distance(emp: pd.DataFrame, sim: pd.DataFrame) -> float:
    """Weighted distance over the fit-sample moments (the SMM objective, on simulator output)."""
    t = emp.merge(sim, on=["stratum", "sample", "outcome"])
    t = t[t["sample"] == "fit"]
    return float(((t["simulated"] - t["empirical"]) ** 2 * fit.moment_weights(t)).sum())


def _fmt_world(world: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3g}" for k, v in world.items())


def _bootstrap_moments(panel: pd.DataFrame, reps: int, seed: int) -> list[pd.DataFrame]:
    """Fit-sample hazard tables of ``reps`` cluster-bootstrap panels (rivalries resampled)."""
    rng = np.random.default_rng(seed)
    groups = dict(list(panel.groupby("rivalry")))
    keys = list(groups)
    out = []
    for _ in range(reps):
        pick = rng.integers(0, len(keys), len(keys))
        sample = pd.concat([groups[keys[i]] for i in pick], ignore_index=True)
        out.append(hazard_table(sample))
    return out


def _aligned(emp: pd.DataFrame, keys: list[tuple[str, str, str]]) -> pd.DataFrame:
    idx = pd.MultiIndex.from_tuples(keys, names=["stratum", "sample", "outcome"])
    return emp.set_index(["stratum", "sample", "outcome"]).reindex(idx).reset_index()


def run_calibration(
    data_dir: str | Path | None = None,
    quick: bool = False,
    workers: int = 1,
    progress: bool = False,
    seed: int = 2024,
    executor: str = "process",
    scheduler: str | None = None,
) -> Calibration:
    """Build the panel, fit the deterrence core to the fit sample, check fit and holdout.

    The simulations go to the runner's ``executor`` (``process`` or ``dask``; ``scheduler``: a
    running Dask cluster's address)."""
    on = {"workers": workers, "progress": progress, "executor": executor, "scheduler": scheduler}
    mode = "quick" if quick else "full"
    s = SETTINGS[mode]
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    panel = build_panel(load_panel_sources(data_dir))
    emp = hazard_table(panel)
    strata = strata_from_panel(panel)
    timings["panel"] = time.perf_counter() - t0

    # Wave 1: the whole box (full) or a box around the committed values (quick).
    t = time.perf_counter()
    centre = committed_unit() if s.local else None
    pts1 = fit.design(s.wave1, seed, centre=centre, half=0.15)
    sims1 = simulate_many(strata, [fit.to_world(u) for u in pts1], s.seeds, s.years, **on)
    keys = list(zip(sims1[0]["stratum"], sims1[0]["sample"], sims1[0]["outcome"], strict=True))
    e = _aligned(emp, keys)
    fit_cols = np.flatnonzero(e["sample"].to_numpy() == "fit")
    target = e["empirical"].to_numpy()[fit_cols]
    weights = fit.moment_weights(e.iloc[fit_cols])
    screen = fit.design(s.screen, seed + 1)
    if s.local:
        screen = fit.design(s.screen, seed + 1, centre=centre, half=0.15)
    emu = fit.fit_emulator(pts1, sims1, seed)
    u1, _ = fit.minimise(emu, fit_cols, target, weights, screen)
    timings["wave1"] = time.perf_counter() - t

    # Wave 2: a local design around the first minimum; the emulator refitted on both waves.
    t = time.perf_counter()
    pts2 = fit.design(s.wave2, seed + 2, centre=u1, half=0.1)
    sims2 = simulate_many(strata, [fit.to_world(u) for u in pts2], s.seeds, s.years, **on)
    points = np.vstack([pts1, pts2])
    emu = fit.fit_emulator(points, sims1 + sims2, seed)
    u_hat, j_hat = fit.minimise(emu, fit_cols, target, weights, screen)
    se_unit = fit.curvature_se(emu, fit_cols, target, weights, u_hat)
    timings["wave2"] = time.perf_counter() - t

    # Uncertainty: re-minimise on the emulator for cluster-bootstrap moments.
    t = time.perf_counter()
    boots = []
    # The screen for the replicates: the global one plus a dense cloud around the estimate.
    boot_screen = np.vstack([screen, fit.design(s.screen, seed + 4, centre=u_hat, half=0.15)])
    screen_pred = emu.predict(boot_screen)[:, fit_cols]
    for b in _bootstrap_moments(panel, s.bootstrap, seed + 3):
        eb = _aligned(b, keys).iloc[fit_cols]
        tb = eb["empirical"].fillna(0).to_numpy()
        wb = fit.moment_weights(eb.fillna({"events": 0, "dyad_years": 0}))
        vals = fit.objective(screen_pred, tb, wb)
        boots.append(boot_screen[int(np.argmin(vals))])
    boots_arr = np.array(boots)
    timings["bootstrap"] = time.perf_counter() - t

    # The simulator itself at the fitted values, with more seeds: the reported hazards.
    t = time.perf_counter()
    # The emulator's minimum is kept only if the simulator confirms that it fits the fit sample
    # better than the committed values (the package defaults); emulator error cannot then
    # replace a good fit by a worse one.
    fitted = fit.to_world(u_hat)
    final = simulate_hazards(strata, fitted, s.final_seeds, s.years)
    notes: list[str] = []
    committed = committed_world()
    distances = {"emulator minimum": _fit_distance(emp, final)}
    if any(not np.isclose(committed[k], v, rtol=1e-9) for k, v in fitted.items()):
        alt = simulate_hazards(strata, committed, s.final_seeds, s.years)
        distances["committed values"] = _fit_distance(emp, alt)
        if distances["committed values"] < distances["emulator minimum"]:
            notes.append(
                "The simulator fits the fit sample better at the committed values "
                f"({distances['committed values']:.1f}) than at the emulator's minimum "
                f"({distances['emulator minimum']:.1f}, {_fmt_world(fitted)}): the committed "
                "values are kept."
            )
            fitted, final, u_hat = committed, alt, committed_unit()
    timings["final"] = time.perf_counter() - t
    table = emp.merge(final, on=["stratum", "sample", "outcome"], how="left")
    table["emulated"] = [
        float(emu.predict(u_hat)[0, keys.index(k)])
        for k in zip(table["stratum"], table["sample"], table["outcome"], strict=True)
    ]
    table["in_ci"] = (table["simulated"] >= table["ci_low"]) & (
        table["simulated"] <= table["ci_high"]
    )
    table["in_band"] = (table["simulated"] >= 0.5 * table["ci_low"]) & (
        table["simulated"] <= 2 * table["ci_high"]
    )

    interval, se = {}, {}
    for i, p in enumerate(fit.PARAMETERS):
        lo, hi = np.quantile(boots_arr[:, i], [0.025, 0.975])
        interval[p.name] = (float(p.from_unit(lo)), float(p.from_unit(hi)))
        scale = (np.log(p.hi) - np.log(p.lo)) if p.log else (p.hi - p.lo)
        se[p.name] = float(se_unit[i] * scale)

    def weighted(sample: str) -> float:
        rows = table[(table["sample"] == sample)]
        w = fit.moment_weights(rows)
        return float(((rows["simulated"] - rows["empirical"]) ** 2 * w).sum())

    t = time.perf_counter()
    dyads = five_year_attack_probability(data_dir, fitted, seeds=s.dyad_seeds)
    timings["dyads"] = time.perf_counter() - t

    leeds_period = pd.concat(
        [
            leeds_table(panel[panel["year"] <= 1945], ("mid_init", "war_init")).assign(
                period="1816-1945"
            ),
            leeds_table(panel[panel["year"] >= 1946], ("mid_init", "war_init")).assign(
                period="1946-2010"
            ),
        ],
        ignore_index=True,
    )
    timings["total"] = time.perf_counter() - t0
    return Calibration(
        mode=mode,
        fitted=fitted,
        interval=interval,
        curvature_se=se,
        table=table,
        descriptive=hazard_table(
            panel, ("war", "force", "coercion"), DESCRIPTIVE_BINS, by_sample=False
        ),
        leeds=leeds_table(panel),
        leeds_by_period=leeds_period,
        panel_summary={
            "dyad_years": len(panel),
            "dyads": int(panel["dyad"].nunique()),
            "rivalries": int(panel["rivalry"].nunique()),
            "first_year": int(panel["year"].min()),
            "last_year": int(panel["year"].max()),
            "war_years": int(panel["war_init"].notna().sum()),
            "wars": int(panel["war_init"].sum()),
            "mids": int(panel["mid_init"].sum()),
            "force": int(panel["force_init"].sum()),
        },
        objective={
            "emulated_fit": j_hat,
            "fit": weighted("fit"),
            "holdout": weighted("holdout"),
            **{f"fit at the {k}": v for k, v in distances.items()},
        },
        timings=timings,
        settings=s,
        mapping=describe_mapping(),
        design_points=len(points),
        dyads=dyads,
        notes=notes,
    )
