"""Run one model and keep what it produced: `run_model` and `RunResult`."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import UsageError
from .metrics import compute_metrics
from .model import DeterrenceModel
from .scenario import Scenario


@dataclass
class RunResult:
    """The outcome of one run: metrics, a yearly table and the event log."""

    scenario: Scenario
    seed: int
    years: int
    metrics: dict[str, float]
    timeseries: pd.DataFrame
    events: pd.DataFrame = field(repr=False)

    def save(self, out_dir: str | Path) -> dict[str, Path]:
        """Write metrics.json, timeseries.csv, events.csv and run.png into `out_dir`."""
        from .plots import plot_run

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {
            name: out / name for name in ("metrics.json", "timeseries.csv", "events.csv", "run.png")
        }
        payload = {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "years": self.years,
            "metrics": {k: (None if math.isnan(v) else v) for k, v in self.metrics.items()},
        }
        paths["metrics.json"].write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        self.timeseries.to_csv(paths["timeseries.csv"], index=False)
        events = self.events.copy()
        events["details"] = [json.dumps(d, sort_keys=True, default=str) for d in events["details"]]
        events.to_csv(paths["events.csv"], index=False)
        fig = plot_run(self)
        fig.savefig(paths["run.png"], dpi=110)
        import matplotlib.pyplot as plt

        plt.close(fig)
        return paths


def events_frame(model: DeterrenceModel | None) -> pd.DataFrame:
    """The model's event log as a table: year, kind, actors, details, text (empty for None)."""
    rows = [e.as_row() for e in model.event_log] if model is not None else []
    return pd.DataFrame(rows, columns=["year", "kind", "actors", "details", "text"])


def run_model(
    scenario: Scenario,
    years: int | None = None,
    seed: int = 0,
    keep_events: bool = True,
    on_year: Callable[[int], None] | None = None,
) -> RunResult:
    """Run `scenario` for `years` (default: the scenario's horizon) with `seed` and return the
    result; the finished model is released so that nothing of it outlives the call.

    ``keep_events=False`` leaves the events table empty, which sweeps use to save time; metrics and
    the yearly table are the same either way. ``on_year(year)`` is called after each simulated
    year (a progress bar on long runs)."""
    years = scenario.world.years if years is None else years
    if not isinstance(years, int) or isinstance(years, bool) or years < 1:
        raise UsageError(f"years must be a positive integer, got {years!r}")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise UsageError(f"seed must be a non-negative integer, got {seed!r}")
    model = DeterrenceModel(scenario, seed=seed)
    try:
        for year in range(years):
            model.step()
            if on_year is not None:
                on_year(year + 1)
        timeseries = model.timeseries()
        return RunResult(
            scenario=scenario,
            seed=seed,
            years=years,
            metrics=compute_metrics(model, timeseries),
            timeseries=timeseries,
            events=events_frame(model) if keep_events else events_frame(None),
        )
    finally:
        model.release()
