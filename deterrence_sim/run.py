"""Run one model and keep what it produced: `run_model` and `RunResult`."""

from __future__ import annotations

import json
import math
import operator
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .errors import UsageError
from .escaping import write_csv
from .events import Event
from .metrics import compute_metrics
from .model import DeterrenceModel
from .scenario import Scenario
from .scenario.world import MAX_YEARS
from .yeartable import timeseries_frame


@dataclass
class RunResult:
    """The outcome of one run: metrics, a yearly table and the event log.

    ``timeseries`` and ``events`` are DataFrames built when first read, from the run's plain
    columns and event records: a sweep that keeps only the metrics never pays for them (building
    the two tables cost about a tenth of a europe run)."""

    scenario: Scenario
    seed: int
    years: int
    metrics: dict[str, float]
    columns: dict[str, list[float]] = field(repr=False)
    event_log: list[Event] = field(default_factory=list, repr=False)

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        """The yearly table, one row per year from 0 (the initial state)."""
        return timeseries_frame(self.columns)

    @cached_property
    def events(self) -> pd.DataFrame:
        """The event log as a table: year, kind, actors, details, text (empty without events)."""
        return _events_table(self.event_log)

    def save(self, out_dir: str | Path) -> dict[str, Path]:
        """Write metrics.json, timeseries.csv, events.csv and run.png into `out_dir`.

        The files are written into a hidden temporary folder beside `out_dir` and moved in only
        when all four exist, so a failure (a full disk, a plot that cannot be drawn) never
        leaves half a run's output. Text cells of the CSV files are neutralised against
        spreadsheet formulas (:mod:`deterrence_sim.escaping`)."""
        out = Path(out_dir)
        out.parent.mkdir(parents=True, exist_ok=True)
        # A short hidden name (a long --out must not make the temporary one too long).
        tmp = out.with_name(f".{out.name[:64]}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        tmp.mkdir()
        try:
            self._write(tmp)
            _move_in(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return {name: out / name for name in RUN_FILES}

    def _write(self, folder: Path) -> None:
        from .plots import plot_run

        payload = {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "years": self.years,
            "metrics": {k: (None if math.isnan(v) else v) for k, v in self.metrics.items()},
        }
        text = json.dumps(payload, indent=2) + "\n"
        (folder / "metrics.json").write_text(text, encoding="utf-8")
        write_csv(self.timeseries, folder / "timeseries.csv", index=False)
        events = self.events.copy()
        events["details"] = [json.dumps(d, sort_keys=True, default=str) for d in events["details"]]
        write_csv(events, folder / "events.csv", index=False)
        fig = plot_run(self)
        try:
            fig.savefig(folder / "run.png", dpi=110)
        finally:
            import matplotlib.pyplot as plt

            plt.close(fig)


#: The files :meth:`RunResult.save` writes.
RUN_FILES = ("metrics.json", "timeseries.csv", "events.csv", "run.png")


def _move_in(tmp: Path, out: Path) -> None:
    """Move a finished output folder into place: a rename when ``out`` is new or empty, else
    one rename per file (an earlier run's files are replaced, other files kept)."""
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    if not out.exists():
        os.replace(tmp, out)
        return
    for name in RUN_FILES:
        os.replace(tmp / name, out / name)


def _events_table(events: list[Event]) -> pd.DataFrame:
    rows = [e.as_row() for e in events]
    return pd.DataFrame(rows, columns=["year", "kind", "actors", "details", "text"])


def events_frame(model: DeterrenceModel | None) -> pd.DataFrame:
    """The model's event log as a table: year, kind, actors, details, text (empty for None)."""
    return _events_table(model.event_log if model is not None else [])


def _whole(value: object, name: str, lo: int, hi: int | None) -> int:
    """An integer argument (numpy integers too, not bool) within [lo, hi] as a Python int."""
    try:
        if isinstance(value, bool):
            raise TypeError
        number = operator.index(value)  # int, numpy.int64, ...; not 3.0 or "3"
    except TypeError:
        number = None
    if number is None or number < lo or (hi is not None and number > hi):
        allowed = f"an integer from {lo} to {hi}" if hi is not None else f"an integer >= {lo}"
        raise UsageError(f"{name} must be {allowed}, got {value!r}")
    return int(number)


def _validated(scenario: Scenario) -> Scenario:
    """The scenario, validated again at the door.

    Scenarios are frozen, so a field cannot be set after validation; but a list inside one still
    can be edited in place (``scenario.ties.append(...)``) and ``model_construct`` skips
    validation altogether. Re-validating costs ~0.1 ms against ~15 ms for a run of a preset."""
    if not isinstance(scenario, Scenario):
        raise UsageError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    return Scenario.from_dict(
        scenario.model_dump(mode="python"), source=f"scenario {scenario.name!r}"
    )


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
    scenario = _validated(scenario)
    years = _whole(scenario.world.years if years is None else years, "years", 1, MAX_YEARS)
    seed = _whole(seed, "seed", 0, None)
    model = DeterrenceModel(scenario, seed=seed, keep_events=keep_events)
    try:
        for year in range(years):
            model.step()
            if on_year is not None:
                on_year(year + 1)
        columns = model.columns()
        return RunResult(
            scenario=scenario,
            seed=seed,
            years=years,
            metrics=compute_metrics(model, columns),
            columns=columns,
            event_log=model.event_log,
        )
    finally:
        model.release()
