"""Generate the tutorial notebooks (``python notebooks/_build.py``).

The notebooks are written from this script so that their text and code are reviewed as plain
Python, and they are committed without outputs. Edit the cells here, re-run the script, then
re-execute the notebooks (``python -m pytest tests/test_notebooks.py``) before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "pygments_lexer": "ipython3"},
}


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str):
    return new_code_cell(text.strip("\n"))


# --- 01 quickstart ---------------------------------------------------------------------------------

QUICKSTART = [
    md("""
# 1 · Quickstart: one run of the model

This notebook runs one preset scenario, reads its metrics, plots its yearly series, reads its event
log, changes one policy lever, and shows why one run is not enough.

*Runs in about 10 seconds.* Everything here also works in a plain Python script.
"""),
    code("""
%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

from deterrence_sim import DeterrenceModel, Scenario, run_model
from deterrence_sim.metrics import METRICS

pd.set_option("display.max_colwidth", 120)
"""),
    md("""
## Scenarios

A **scenario** is a world: *donors* (states that give security assistance), *partners* (states that
receive it) and *aggressors* (states or insurgencies that may attack a partner), the ties between
them and each donor's **policy levers**. The package ships presets; your own scenarios are TOML
files (`Scenario.load("my_world.toml")`).
"""),
    code("""
pd.Series(Scenario.presets(), name="description").to_frame()
"""),
    code("""
scenario = Scenario.preset("europe")
print(scenario.name, "-", scenario.world.years, "years")
print("donors:    ", [d.name for d in scenario.donors])
print("partners:  ", [p.name for p in scenario.partners])
print("aggressors:", [a.name for a in scenario.aggressors])
scenario.donors[0].policy
"""),
    md("""
## Run it

`run_model(scenario, years=None, seed=0)` runs the whole horizon and returns a `RunResult` with
`.metrics` (a dict), `.timeseries` (one row per year) and `.events` (the event log). The model is
stochastic: the **seed** fixes the random draws, so the same scenario and seed give the same run.
"""),
    code("""
result = run_model(scenario, seed=42)
metrics = pd.DataFrame(
    [(name, result.metrics.get(name), unit, text) for name, (unit, text) in METRICS.items()],
    columns=["metric", "value", "unit", "meaning"],
).set_index("metric")
metrics.head(12)
"""),
    md("""
`NaN` means the metric does not apply to this run (for example, nothing can be "retained after exit"
when the donor never exits).
"""),
    code("""
ts = result.timeseries
panels = [
    ("partner_capability", "Partner capability (points, mean)"),
    ("aggressor_capability", "Aggressor capability (points)"),
    ("governance", "Partner governance (0–1)"),
    ("dependency", "Dependency on donor upkeep (0–1)"),
    ("aid", "Aid delivered ($bn/yr)"),
    ("attacks", "Attacks per year"),
]
fig, axes = plt.subplots(3, 2, figsize=(10, 7), sharex=True)
for ax, (col, title) in zip(axes.flat, panels):
    ax.plot(ts["year"], ts[col])
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
for ax in axes[-1]:
    ax.set_xlabel("year")
fig.tight_layout()
plt.show()
"""),
    md("""
## The event log

Every attack, war, intervention, aid decision and exit is an event with a plain-English sentence.
"""),
    code("""
events = result.events
print(events["kind"].value_counts().to_string())
print()
for text in events["text"].head(12):
    print(text)
"""),
    md("""
## Change a policy lever

`with_overrides` returns a **new** scenario with values set by dotted paths (`*` matches every
donor). A bad key or value raises a `ScenarioError` that names the key and what is allowed. Here
every donor ends its program at year 10 with no taper (a "cliff exit").
"""),
    code("""
cliff = scenario.with_overrides(
    {"donors.*.policy.sunset_year": 10, "donors.*.policy.taper_years": 0}
)
cliff_result = run_model(cliff, seed=42)
shown = ["attacks_per_year", "partner_capability_final", "dependency_mean",
         "donor_cost_total", "post_exit_attack_share"]
pd.DataFrame(
    {"as preset": [result.metrics[m] for m in shown],
     "cliff exit at year 10": [cliff_result.metrics[m] for m in shown]},
    index=shown,
)
"""),
    code("""
try:
    scenario.with_overrides({"donors.*.policy.conditionality": 1.5})
except Exception as exc:  # ScenarioError
    print(type(exc).__name__, "->", exc)
"""),
    md("""
## One run is an anecdote

Different seeds give different histories. To compare policies, run several seeds and compare means
with confidence intervals (notebook 2 does this systematically with the experiment runner).
Using the *same* seeds for both policies (common random numbers) makes the comparison sharper.
"""),
    code("""
SEEDS = range(10)
rows = []
for seed in SEEDS:
    for label, scen in (("as preset", scenario), ("cliff exit", cliff)):
        m = run_model(scen, seed=seed).metrics
        rows.append({"policy": label, "seed": seed, "attacks_per_year": m["attacks_per_year"],
                     "partner_capability_final": m["partner_capability_final"]})
runs = pd.DataFrame(rows)
summary = runs.groupby("policy")[["attacks_per_year", "partner_capability_final"]].agg(["mean", "sem"])
summary
"""),
    code("""
paired = runs.pivot(index="seed", columns="policy", values="partner_capability_final")
diff = paired["cliff exit"] - paired["as preset"]
half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff))
print(f"cliff exit - as preset, final partner capability: {diff.mean():.2f} "
      f"(95% CI {diff.mean() - half:.2f} to {diff.mean() + half:.2f}) over {len(diff)} paired seeds")
"""),
    md("""
## Step by step

`DeterrenceModel` is a Mesa model: call `.step()` to advance one year and look at the agents in
between. This is what the dashboard does.
"""),
    code("""
model = DeterrenceModel(scenario, seed=42)
for _ in range(5):
    model.step()
print("year", model.year)
pd.DataFrame(
    [{"partner": p.name, "capability": p.capability, "governance": p.governance,
      "dependency": p.dependency} for p in model.partners]
).round(3)
"""),
    code("""
print(model.graph.number_of_nodes(), "states;",
      sorted({k for _, _, k in model.graph.edges(data="kind")}), "ties")
for event in model.event_log[-3:]:
    print(event.text)
model.release()  # lets the finished model be garbage-collected (Mesa keeps class-level references)
"""),
    md("""
## Scaling up and next steps

- More seeds: raise `SEEDS` (each run of `europe` takes well under a second).
- A longer horizon: `run_model(scenario, years=80, seed=0)`.
- The same from the command line: `deterrence-sim run --scenario europe --seed 42 --set
  'donors.*.policy.sunset_year=10' --out run-output` writes `metrics.json`, `timeseries.csv`,
  `events.csv` and `run.png`.
- Notebook 2 sweeps levers over many seeds in parallel; notebook 5 is a classroom lesson.
"""),
]


# --- 02 policy sweep -------------------------------------------------------------------------------

SWEEP = [
    md("""
# 2 · A policy sweep: sunset × conditionality

Does *when* a program ends matter more than *how conditional* its aid is? We run a small grid of
sunset years × conditionality levels, several seeds per point, with the **experiment runner**, then
load the results, plot means with 95% confidence intervals and query the Parquet files directly.

*Default size: 4 × 3 points × 8 replications = 96 runs of 30 years; about 20 seconds on 2 cores.*
"""),
    code("""
%matplotlib inline
import json
import shutil
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from deterrence_sim import analysis
from deterrence_sim.experiment import load, load_timeseries, plan, run_experiment, spec_from_dict
"""),
    md("""
## The experiment spec

An experiment is described by a spec: usually a TOML file (see `experiments/` and
`docs/experiments.md`), here the same structure as a Python dict. Each **factor** is a dotted
scenario path and its values; the **grid** design runs every combination; every design point
uses the same replication seeds (common random numbers), so differences between points are paired.
The base scenario is `classroom_cliff_exit`: one donor builds up a dependent partner with
equipment-heavy aid facing a growing rival.
"""),
    code("""
SUNSETS = ["open", 5, 10, 15]       # "open" = the program never ends
CONDITIONALITY = [0.0, 0.3, 0.6]    # share of aid conditional on reform benchmarks
REPLICATIONS = 8

spec = spec_from_dict({
    "experiment": {
        "name": "tutorial_sunset_x_conditionality",
        "scenario": "classroom_cliff_exit",
        "years": 30,
        "replications": REPLICATIONS,
        "seed": 2026,
    },
    "design": {"kind": "grid"},
    "factors": [
        {"name": "sunset", "path": "donors.*.policy.sunset_year", "values": SUNSETS},
        {"name": "conditionality", "path": "donors.*.policy.conditionality",
         "values": CONDITIONALITY},
    ],
    "fixed": {"donors.*.policy.enforcement": 0.8},
    "output": {
        "metrics": "all",
        "timeseries": True,
        "timeseries_columns": ["partner_capability", "dependency", "attacks", "aid"],
    },
})
p = plan(spec)
print(f"{p.n_runs} runs")
"""),
    md("""
## Run it

`run_experiment(spec, out_dir, workers=...)` runs the design in a pool of worker processes and
writes a results folder. Keep `workers` at 1 or 2 on a laptop (the pool uses the *spawn* start
method, so each worker starts a fresh Python; for 100 runs one worker is often as fast). Results go
to a temporary folder here; pass a real path (e.g. `results/my_sweep`) to keep them. Re-running with
`resume=True` continues an interrupted experiment.
"""),
    code("""
OUT = Path(tempfile.mkdtemp(prefix="dsim-sweep-"))
summary = run_experiment(spec, OUT, workers=2, progress=False)
print(summary)
sorted(x.name for x in OUT.iterdir())
"""),
    code("""
manifest = json.loads((OUT / "manifest.json").read_text())
{k: manifest[k] for k in ("name", "status", "counts", "root_seed", "replications", "years")}
"""),
    md("""
## Load the results

`load(OUT)` gives one row per finished run: its design point, replication, seed, the factor values
and every kept metric. A factor that mixes words and numbers (`"open"`, 5, 10) is stored as text,
with a numeric twin column `sunset_num` (NaN for "open").
"""),
    code("""
df = load(OUT)
print(df.shape)
df[["run_id", "point", "replication", "seed", "sunset", "sunset_num", "conditionality",
    "attacks_per_year", "partner_capability_final", "post_exit_attack_share"]].head()
"""),
    md("""
## Means with 95% confidence intervals

`analysis.ci_summary` gives the mean, standard deviation, count and Student-t 95% interval of each
metric per group; `analysis.plot_lever` draws one metric against one lever with a CI band per level
of another.
"""),
    code("""
shown = ["partner_capability_final", "attacks_per_year", "dependency_mean", "donor_cost_total"]
table = analysis.ci_summary(df, ["sunset", "conditionality"], shown)
table[["sunset", "conditionality", "runs",
       "partner_capability_final_mean", "partner_capability_final_lo",
       "partner_capability_final_hi"]].round(2)
"""),
    code("""
fig, axes = plt.subplots(2, 2, figsize=(12, 8))
for ax, metric in zip(axes.flat, shown):
    analysis.plot_lever(df, metric, x="sunset", hue="conditionality",
                        x_levels=SUNSETS, hue_levels=CONDITIONALITY, ax=ax)
fig.tight_layout()
plt.show()
"""),
    code("""
fig, ax = plt.subplots(figsize=(6, 4.5))
analysis.plot_heatmap(df, "attacks_per_year", x="sunset", y="conditionality",
                      x_levels=SUNSETS, y_levels=CONDITIONALITY, ax=ax)
plt.show()
"""),
    md("""
The intervals are over only 8 replications: wide intervals that overlap mean "not shown by this
experiment", not "no effect". Scale up (below) before drawing conclusions.

## Paired effects: common random numbers

Every design point ran with the same replication seeds, so the run of "sunset 10" with seed *k* and
the run of "open-ended" with seed *k* share their luck. `analysis.paired_difference` matches them
(on the replication and every other factor) and gives the mean paired difference with its 95% CI;
the last column is the half-width an unpaired comparison of the same runs would have (compare it
with (hi − lo) / 2).
"""),
    code("""
analysis.paired_difference(df, "sunset", "open", "10", shown).round(3)
"""),
    md("""

## What happens around the exit? The kept time series

`load_timeseries(OUT)` returns the kept yearly series of every run, with the factor values.
"""),
    code("""
ts = load_timeseries(OUT)
print(ts.shape, list(ts.columns[-5:]))
fig, axes = plt.subplots(1, 2, figsize=(13, 4))
analysis.plot_timeseries(ts, "partner_capability", by="sunset", by_levels=SUNSETS, ax=axes[0])
analysis.plot_timeseries(ts, "dependency", by="sunset", by_levels=SUNSETS, ax=axes[1])
fig.tight_layout()
plt.show()
"""),
    md("""
## Query the Parquet files directly

The results folder is plain Parquet, readable by pandas, pyarrow, DuckDB, R or Spark:

- `runs.parquet`: one row per *planned* run (run id, point, replication, seeds, factor values);
- `metrics/part-*.parquet`: one row per *finished* run (status, error, duration, metrics);
- `timeseries/part-*.parquet`: the kept yearly series.

pandas reads a folder of parts as one table and can push a filter down into the reader. (After a
crash and `resume`, a run can appear in two parts; `load()` removes such duplicates, so when
reading parts yourself drop duplicates by `run_id`, keeping the last.)
"""),
    code("""
runs = pd.read_parquet(OUT / "runs.parquet", columns=["run_id", "sunset", "conditionality"])
ok = pd.read_parquet(
    OUT / "metrics",
    columns=["run_id", "status", "duration_s", "attacks_per_year", "post_exit_attack_share"],
    filters=[("status", "==", "ok")],
).drop_duplicates("run_id", keep="last")
joined = runs.merge(ok, on="run_id")
print(len(joined), "ok runs; mean run time", round(joined["duration_s"].mean(), 3), "s")

# Which settings of a program that ends keep attacks after the exit lowest?
(joined.query("sunset != 'open'")
       .groupby(["sunset", "conditionality"])["post_exit_attack_share"]
       .agg(["mean", "count"])
       .sort_values("mean")
       .head(5))
"""),
    code("""
# The same kind of question in pyarrow (e.g. for result folders too big for memory).
import pyarrow.compute as pc
import pyarrow.dataset as ds

metrics = ds.dataset(OUT / "metrics", format="parquet")
t = metrics.to_table(columns=["run_id", "attacks_per_year"],
                     filter=pc.field("attacks_per_year") > 0.1)
print(t.num_rows, "of", metrics.count_rows(), "runs had more than one attack per ten years")
"""),
    md("""
## Scaling up

- More replications: `REPLICATIONS = 40` (the flagship spec's value) narrows the intervals by about
  √5. More levels: add sunset years or conditionality values.
- The full study is a TOML file: `deterrence-sim sweep experiments/sunset_x_conditionality.toml
  --out results/sunset_x_conditionality --workers 2` (add `--dry-run` for a run count and time
  estimate), then `deterrence-sim report results/sunset_x_conditionality` writes `report.md` and
  figures.
- On many cores or a cluster: `run_experiment(spec, out, executor="dask", workers=8)` or
  `--executor dask --scheduler tcp://host:8786`. The results folder is the same.
"""),
    code("""
shutil.rmtree(OUT)  # skip this cell to keep the results folder
"""),
]


# --- 03 sensitivity --------------------------------------------------------------------------------

SENSITIVITY = [
    md("""
# 3 · Which policy levers matter? Morris screening, then Sobol indices

With five or more levers a full grid is too big. Global sensitivity analysis answers "which inputs
move this output, over their whole range?" in two steps:

1. **Morris screening** (Morris 1991; Campolongo et al. 2007): a cheap design of one-at-a-time
   trajectories. μ* (mean absolute elementary effect) ranks the levers; σ flags interactions or
   non-linearity.
2. **Sobol indices** (Saltelli 2002; Saltelli et al. 2010) on the levers that survive screening:
   S1 is the share of output variance due to a lever alone, ST the share including its interactions.

Both designs come from SALib (Herman & Usher 2017) through the experiment runner; indices are
computed on the mean over replications at each design point.

*Default size: Morris 10 trajectories × 6 points × 3 replications = 180 runs, then Sobol N = 32 on
three levers = 160 points × 2 replications = 320 runs; about 40 seconds on 2 cores.*
"""),
    code("""
%matplotlib inline
import shutil
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from deterrence_sim import analysis
from deterrence_sim.experiment import load, plan, run_experiment, spec_from_dict

WORK = Path(tempfile.mkdtemp(prefix="dsim-sensitivity-"))
"""),
    md("""
## The levers and their ranges

For a sensitivity design every factor is a **range**; the sampler draws points in the unit cube and
the runner maps them to values (`integer = true` rounds to whole years). The base scenario is
`classroom_cliff_exit` (one donor, one dependent partner, a growing rival).
"""),
    code("""
LEVERS = [
    {"name": "sunset_year", "path": "donors.*.policy.sunset_year", "range": [5, 25], "integer": True},
    {"name": "taper_years", "path": "donors.*.policy.taper_years", "range": [0, 8], "integer": True},
    {"name": "conditionality", "path": "donors.*.policy.conditionality", "range": [0.0, 0.6]},
    {"name": "enforcement", "path": "donors.*.policy.enforcement", "range": [0.0, 1.0]},
    {"name": "audit_intensity", "path": "donors.*.policy.audit_intensity", "range": [0.0, 1.0]},
]
METRICS = ["partner_capability_final", "attacks_per_year", "dependency_mean", "donor_cost_total"]


def make_spec(name, design, levers, replications):
    return spec_from_dict({
        "experiment": {"name": name, "scenario": "classroom_cliff_exit", "years": 30,
                       "replications": replications, "seed": 314},
        "design": design,
        "factors": levers,
        "output": {"metrics": METRICS},
    })
"""),
    md("""
## Step 1: Morris screening
"""),
    code("""
MORRIS_TRAJECTORIES = 10
morris_spec = make_spec("tutorial_morris", {"kind": "morris", "n": MORRIS_TRAJECTORIES, "levels": 4},
                        LEVERS, replications=3)
print(plan(morris_spec).n_runs, "runs")
MORRIS_OUT = WORK / "morris"
print(run_experiment(morris_spec, MORRIS_OUT, workers=2, progress=False))
"""),
    code("""
morris_df = load(MORRIS_OUT)
morris = {m: analysis.morris_indices(MORRIS_OUT, m, morris_df) for m in METRICS}
morris["partner_capability_final"].round(3)
"""),
    code("""
fig, axes = plt.subplots(2, 2, figsize=(13, 7))
for ax, m in zip(axes.flat, METRICS):
    analysis.plot_indices(morris[m], m, ax=ax)
fig.tight_layout()
plt.show()
"""),
    md("""
Effects are per unit of each lever's *normalised* range, so levers are comparable: an effect of 2
on `partner_capability_final` means moving the lever from its lowest to its highest value changes
final capability by about 2 points on average. A lever with μ* near zero for every metric can be
fixed in later experiments.

Screen: rank the levers by μ* relative to the largest μ* of each metric, and keep the three most
influential over all metrics.
"""),
    code("""
relative = pd.DataFrame(
    {m: (idx.set_index("factor")["mu_star"] / idx["mu_star"].max()) for m, idx in morris.items()}
)
relative["max"] = relative.max(axis=1)
relative = relative.sort_values("max", ascending=False)
KEEP = list(relative.index[:3])
print("kept for Sobol:", KEEP)
relative.round(2)
"""),
    md("""
## Step 2: Sobol indices of the kept levers

The other levers stay at the scenario's values. Saltelli's design needs N·(D + 2) points; N should
be a power of two.
"""),
    code("""
SOBOL_N = 32
kept_levers = [lever for lever in LEVERS if lever["name"] in KEEP]
sobol_spec = make_spec("tutorial_sobol", {"kind": "sobol", "n": SOBOL_N}, kept_levers,
                       replications=2)
print(plan(sobol_spec).n_runs, "runs")
SOBOL_OUT = WORK / "sobol"
print(run_experiment(sobol_spec, SOBOL_OUT, workers=2, progress=False))
"""),
    code("""
sobol_df = load(SOBOL_OUT)
sobol = {m: analysis.sobol_indices(SOBOL_OUT, m, sobol_df) for m in METRICS}
pd.concat({m: idx.set_index("factor") for m, idx in sobol.items()}).round(3)
"""),
    code("""
fig, axes = plt.subplots(2, 2, figsize=(13, 6))
for ax, m in zip(axes.flat, METRICS):
    analysis.plot_indices(sobol[m], m, ax=ax)
fig.tight_layout()
plt.show()
"""),
    md("""
## Reading the indices

- S1 ≈ ST: the lever acts alone (additively). ST clearly above S1: it matters through interactions
  with the other levers. The sum of the S1 below 1 is the share explained only by interactions and
  by replication noise.
- The error bars are 95% bootstrap intervals. With N = 32 and 2 replications they are wide, and
  indices can come out slightly negative: that is estimation noise around zero, not a negative
  share of variance.
- Indices describe *this* scenario over *these* ranges. A fragile partner or a different rival may
  rank the levers differently: repeat with another base scenario before generalising.

## Scaling up

- Morris: `MORRIS_TRAJECTORIES = 50` and more replications for stable rankings.
- Sobol: `SOBOL_N = 512` or more (runs grow as N·(D + 2) × replications), 5–10 replications, or all
  five levers, with second-order indices via `"second_order": True` in the design.
- Large designs belong in a TOML spec run with `deterrence-sim sweep SPEC --workers N` (or on a Dask
  cluster, `--executor dask`) and `deterrence-sim report OUT`, which writes the indices table and
  figures.
"""),
    code("""
shutil.rmtree(WORK)  # skip this cell to keep the results folders
"""),
]


# --- 04 scenario from data -------------------------------------------------------------------------

FROM_DATA = [
    md("""
# 4 · A scenario from data: the Baltic states in 2016

`deterrence_sim.data.scenario_from_data` builds a scenario for one year from three public datasets:

- **COW National Material Capabilities** (NMC v6, abridged): military spending → capabilities;
- **V-Dem** electoral democracy index (`v2x_polyarchy`) → partner governance;
- **ATOP** alliance members → donors' commitments and alliances in force that year.

The full mapping and its assumptions are in `docs/data.md`. Here: the US, the UK and France aid
Estonia, Latvia, Lithuania and Poland, facing Russia, with 2016 data.

*Runs in about 15 seconds.*

### The data files

The data files are **not** part of the package. Download them from their publishers (COW:
correlatesofwar.org; V-Dem: v-dem.net; ATOP: atopdata.org) and put them in one folder as

- `NMC-60-abridged.csv`
- `vdem-polyarchy.csv` (a V-Dem subset with `year, COWcode, v2x_polyarchy`)
- `atop-member-level.csv`

then point the environment variable `DETERRENCE_SIM_DATA` at that folder (before starting Jupyter),
or put the folder next to the repository as `../shared/data/`. **Without the files** this notebook
says so and falls back to the `europe` preset, whose numbers were derived from the same data, so
every later cell still runs.
"""),
    code("""
%matplotlib inline
import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from deterrence_sim import Scenario, run_model

FILES = {"nmc": "NMC-60-abridged.csv", "vdem": "vdem-polyarchy.csv", "atop": "atop-member-level.csv"}


def find_data_dir():
    \"\"\"$DETERRENCE_SIM_DATA if set, else ../shared/data next to the repository (or None).\"\"\"
    env = os.environ.get("DETERRENCE_SIM_DATA")
    candidates = [Path(env)] if env else [Path.cwd().parent.parent / "shared" / "data",
                                         Path.cwd().parent / "shared" / "data"]
    for folder in candidates:
        if all((folder / name).is_file() for name in FILES.values()):
            return folder.resolve()
    return None


DATA = find_data_dir()
if DATA is None:
    print("Data files not found (set DETERRENCE_SIM_DATA to the folder holding "
          + ", ".join(FILES.values()) + "). Falling back to the 'europe' preset.")
else:
    print("Using data in", DATA)
"""),
    md("""
## A look at the raw data

The loaders check the format (a wrong file raises an error naming the missing columns) and turn
missing-value codes into NaN. NMC `milex` is in thousands of current US dollars.
"""),
    code("""
DONORS, PARTNERS, AGGRESSORS, YEAR = ["USA", "UKG", "FRN"], ["EST", "LAT", "LIT", "POL"], ["RUS"], 2016

if DATA is not None:
    from deterrence_sim.data import load_nmc, load_vdem

    nmc = load_nmc(DATA / FILES["nmc"])
    vdem = load_vdem(DATA / FILES["vdem"])
    states = nmc[(nmc["year"] == YEAR) & nmc["stateabb"].isin(DONORS + PARTNERS + AGGRESSORS)]
    states = states.merge(vdem[vdem["year"] == YEAR][["COWcode", "v2x_polyarchy"]],
                          left_on="ccode", right_on="COWcode", how="left")
    view = states[["stateabb", "ccode", "milex", "cinc", "v2x_polyarchy"]].copy()
    view["milex $bn"] = view["milex"] / 1e6
    display(view.drop(columns="milex").set_index("stateabb").round(4))
else:
    print("(skipped: no data files)")
"""),
    md("""
## Build the scenario

The same as `deterrence-sim scenario from-data --year 2016 --donors USA,UKG,FRN --partners
EST,LAT,LIT,POL --aggressors RUS --nmc ... --vdem ... --atop ... --out baltic_2016.toml`.
"""),
    code("""
if DATA is not None:
    from deterrence_sim.data import scenario_from_data

    scenario = scenario_from_data(
        YEAR, DONORS, PARTNERS, AGGRESSORS,
        nmc=DATA / FILES["nmc"], vdem=DATA / FILES["vdem"], atop=DATA / FILES["atop"],
        name="baltic_2016",
    )
else:
    scenario = Scenario.preset("europe")
print(scenario.name)
print(scenario.description)
"""),
    code("""
pd.DataFrame(
    [{"state": s.name, "role": role,
      "capability or equipment": getattr(s, "capability", None) or getattr(s, "equipment", None),
      "governance": getattr(s, "governance", None),
      "commitment": s.policy.commitment if role == "donor" else None}
     for role, group in (("donor", scenario.donors), ("partner", scenario.partners),
                         ("aggressor", scenario.aggressors))
     for s in group]
).set_index("state")
"""),
    code("""
print("alliances:", [(a.name, list(a.members)) for a in scenario.alliances])
print(scenario.to_toml()[:800], "...")
"""),
    md("""
## Run it, and compare with the hand-made `europe` preset

A scenario from data is an ordinary scenario: run it, change its levers, or save it with
`scenario.to_toml("baltic_2016.toml")` and use it as the base of an experiment. Policy levers the
data do not cover (sunset, conditionality, mix …) keep the model's defaults. We compare means
over a few seeds.
"""),
    code("""
SEEDS = range(5)
europe = Scenario.preset("europe")
shown = ["attacks_per_year", "wars", "deterrence_failures", "partner_capability_final",
         "governance_final", "donor_cost_total"]
rows = []
for label, scen in ((scenario.name + " (from data)" if DATA is not None else "europe (fallback)",
                     scenario), ("europe preset", europe)):
    for seed in SEEDS:
        rows.append({"scenario": label, **{m: run_model(scen, seed=seed).metrics[m] for m in shown}})
pd.DataFrame(rows).groupby("scenario")[shown].mean().T.round(3)
"""),
    md("""
Differences between the two come from the mapping's assumptions (for example donor budgets of 0.5%
of military spending, and partner equipment equal to reported spending; see `docs/data.md`) and from
the preset's hand-set values. Neither is a forecast: both are starting points for asking how
outcomes change with the levers.
"""),
    code("""
result = run_model(scenario, seed=0)
ts = result.timeseries
fig, axes = plt.subplots(1, 3, figsize=(13, 3.5))
ts.plot(x="year", y=["partner_capability", "aggressor_capability"], ax=axes[0],
        title="capability (points)")
ts.plot(x="year", y=["governance", "dependency"], ax=axes[1], title="partners (0–1)")
ts.plot(x="year", y="aid", ax=axes[2], title="aid delivered ($bn/yr)", legend=False)
for ax in axes:
    ax.grid(alpha=0.3)
fig.tight_layout()
plt.show()
for text in result.events["text"].head(8):
    print(text)
"""),
    md("""
## Scaling up

- Other regions and years: change `DONORS`, `PARTNERS`, `AGGRESSORS` (COW abbreviations; a typo is
  an error listing close matches) and `YEAR` (NMC v6 ends in 2016; use `vdem_year=` for a
  different V-Dem year). Try the Indo-Pacific: donors `USA`, partners `JPN, ROK, PHI, TAW`,
  aggressor `CHN`.
- More seeds for the comparison: raise `SEEDS`. For a sweep, save the scenario with
  `scenario.to_toml("baltic_2016.toml")` and name that file as the `scenario` of an experiment spec
  (notebook 2).
- `capability="cinc"` uses the composite index instead of military spending.
"""),
]


# --- 05 classroom lesson ---------------------------------------------------------------------------

CLASSROOM = [
    md("""
# 5 · Classroom lesson: how should security assistance end?

**Level:** undergraduate international relations / security studies. **Time:** one 50–75 minute
session. **Tool:** the deterrence-sim dashboard in *Compare* mode (one laptop per pair of students),
or this notebook when no browser is available.

### Learning goals

By the end students can

1. explain why a partner built up with donor-maintained equipment may be *more* exposed when aid
   stops abruptly ("cliff exit") than when it is tapered;
2. explain why conditional aid changes behaviour only if the conditions are **enforced**;
3. tell an effect of a policy from the luck of one run, by comparing runs with the **same seed** and
   then over many seeds.

### Plan

| minutes | activity |
| --- | --- |
| 0–10 | Introduction: donors, partners, aggressors; what the map, the cards and the charts show (Help tab). |
| 10–30 | Activity 1: cliff vs tapered exit (Compare mode). |
| 30–45 | Activity 2: conditionality with and without enforcement. |
| 45–60 | Debrief: one seed vs many seeds; what the model leaves out. |

*This notebook runs in about 25 seconds.*
"""),
    md("""
## Setting up the dashboard

On each machine (after `pip install deterrence-sim`):

```
deterrence-sim dashboard            # serves http://127.0.0.1:8765/ ; add --open to open a browser
deterrence-sim dashboard --port 9000 --host 0.0.0.0   # e.g. one server for a classroom network
```

It works offline. In the dashboard: pick a scenario at the top of the sidebar, open the **Compare**
tab, choose a comparison, press **Run comparison**. Both runs use the same scenario and the same
seed (set in the sidebar), so any difference comes from the policy, not from luck.

The cells below reproduce every comparison of the lesson with `run_model` and a fixed seed, so the
teacher can prepare (or project) the results without a browser.
"""),
    code("""
%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from scipy import stats

from deterrence_sim import Scenario, run_model
from deterrence_sim.dashboard import data
from deterrence_sim.dashboard.plots import timeseries_figure
from deterrence_sim.metrics import METRICS

SEED = 7  # the dashboard's seed box; the same seed for A and B


def compare(scenario_a, scenario_b, label_a, label_b, seed=SEED):
    \"\"\"Run A and B with one seed; show the dashboard's table and charts (A solid, B dashed).\"\"\"
    a, b = run_model(scenario_a, seed=seed), run_model(scenario_b, seed=seed)
    table = pd.DataFrame(data.compare_rows(a.metrics, b.metrics, METRICS)).set_index("metric")
    display(table.rename(columns={"A": f"A: {label_a}", "B": f"B: {label_b}"}))
    fig = timeseries_figure(
        [(f"A: {label_a}", data.timeseries_panels(a.timeseries)),
         (f"B: {label_b}", data.timeseries_panels(b.timeseries))],
        [data.sunset_marks(a.scenario), data.sunset_marks(b.scenario)],
        a.years,
    )
    display(fig)
    return a, b
"""),
    md("""
## Activity 1: the cliff and the taper

Two classroom presets describe the same partner: a state with weak governance, built up with aid,
facing a rival that keeps arming.

- `classroom_cliff_exit`: equipment-heavy aid, no conditions, ends **abruptly** in year 12;
- `classroom_tapered_exit`: training-heavy aid, enforced conditionality, **tapered** over 5 years
  before the same sunset.
"""),
    code("""
for name in ("classroom_cliff_exit", "classroom_tapered_exit"):
    print(f"{name}: {Scenario.presets()[name]}")
cliff = Scenario.preset("classroom_cliff_exit")
tapered = Scenario.preset("classroom_tapered_exit")
pd.DataFrame({name: s.donors[0].policy.model_dump(mode="json")
              for name, s in (("cliff", cliff), ("tapered", tapered))})
"""),
    md("""
**Step 1 (dashboard: scenario `classroom_cliff_exit`, press play).** Watch the years around year 12.

> **Q1.** What happens to the partner's *readiness* and *capability* in the years after aid stops?
> Why does equipment lose value without the donor's upkeep?
>
> **Q2.** Does the rival attack more after the exit? Find the first attack in or after year 12
> in the event log. What did the rival "see"?

**Step 2 (Compare: the two presets side by side).**
"""),
    code("""
cliff_run, tapered_run = compare(cliff, tapered, "cliff exit preset", "tapered exit preset")
"""),
    md("""
> **Q3.** Which program leaves the partner stronger 10 years after the exit? Which one cost the
> donor more?
>
> **Q4.** The two presets differ in *several* levers (taper, instrument mix, conditionality). Can
> you tell which one made the difference? Why not?

**Step 3 (Compare: "Cliff exit vs tapered exit").** The dashboard's comparison changes **only the
taper** (0 vs 5 years), on top of the scenario's other levers, so the effect of the taper alone is
isolated. Here on the cliff-exit scenario:
"""),
    code("""
COMPARISON = "Cliff exit vs tapered exit"
levers = data.levers_from_scenario(cliff)  # the sidebar's levers for this scenario
levers_a, levers_b = data.compare_levers(levers, COMPARISON)
print("A sets", data.lever_overrides(cliff, levers_a) or "nothing (as the scenario)")
print("B sets", data.lever_overrides(cliff, levers_b))
_ = compare(data.apply_levers(cliff, levers_a), data.apply_levers(cliff, levers_b),
            "cliff (taper 0)", "5-year taper")
"""),
    md("""
> **Q5.** Is the taper's effect on its own larger or smaller than the difference between the two
> presets? What else did the tapered preset change?

## Activity 2: conditionality with and without enforcement

Conditional aid is released only when the partner meets reform benchmarks (for example on
corruption in procurement). A donor that never withholds aid when benchmarks are missed is not
credible. The dashboard comparison "Conditionality: unenforced vs enforced" makes 40% of aid
conditional; A never punishes a missed benchmark, B usually does. We use the fragile-partner
preset, where governance is the binding problem.
"""),
    code("""
COMPARISON = "Conditionality: unenforced vs enforced"
fragile = Scenario.preset("classroom_fragile_partner")
print("classroom_fragile_partner:", Scenario.presets()["classroom_fragile_partner"])
levers_a, levers_b = data.compare_levers(data.levers_from_scenario(fragile), COMPARISON)
print("A sets", data.lever_overrides(fragile, levers_a))
print("B sets", data.lever_overrides(fragile, levers_b))
cond_a, cond_b = compare(data.apply_levers(fragile, levers_a), data.apply_levers(fragile, levers_b),
                         "40% conditional, never enforced", "40% conditional, enforced")
"""),
    md("""
The dashboard's cards leave out some measures that matter here; `compare_rows` takes any metrics.
"""),
    code("""
GOVERNANCE_METRICS = [
    ("governance_final", "Governance at the end"),
    ("leakage_share", "Share of aid diverted (leakage)"),
    ("reform_institutionalised", "Reform institutionalised"),
    ("donor_cost_total", "Donor cost"),
]
display(pd.DataFrame(data.compare_rows(cond_a.metrics, cond_b.metrics, METRICS,
                                       GOVERNANCE_METRICS)).set_index("metric"))
for label, run in (("A (unenforced)", cond_a), ("B (enforced)", cond_b)):
    withheld = run.events[run.events["kind"] == "tranche_withheld"]
    print(f"{label}: aid withheld in {len(withheld)} years; first:",
          withheld["text"].iloc[0] if len(withheld) else "never")
"""),
    md("""
> **Q6.** Compare governance and leakage (the share of aid diverted) in A and B. Why does the same
> 40% conditionality do little without enforcement?
>
> **Q7.** Enforcement means *withholding* aid. What does that cost the partner's capability in the
> short run? Would you accept that cost? Who decides?
>
> **Q8.** Try the same comparison on `classroom_aligned_partner`. Does enforcement matter as much
> for a partner that is already well governed? Why?

## Debrief: one seed is one possible history

Everything above used one seed. Re-run the comparisons with seeds 1, 2, 3 in the dashboard: do the
answers change? The cells below repeat both comparisons over 20 seeds, pairing A and B on each seed
(the same seed gives both the same "luck"), and report the mean difference with a 95% confidence
interval and the number of seeds in which B came out higher.
"""),
    code("""
N_SEEDS = 20


def over_seeds(base, comparison, metrics, n_seeds=N_SEEDS):
    \"\"\"Paired differences B − A of a dashboard comparison over seeds 0..n_seeds-1.\"\"\"
    levers_a, levers_b = data.compare_levers(data.levers_from_scenario(base), comparison)
    scen_a, scen_b = data.apply_levers(base, levers_a), data.apply_levers(base, levers_b)
    a = pd.DataFrame([run_model(scen_a, seed=s).metrics for s in range(n_seeds)])[metrics]
    b = pd.DataFrame([run_model(scen_b, seed=s).metrics for s in range(n_seeds)])[metrics]
    d = b - a
    half = stats.t.ppf(0.975, n_seeds - 1) * d.std(ddof=1) / np.sqrt(n_seeds)
    table = pd.DataFrame({"mean A": a.mean(), "mean B": b.mean(), "B − A": d.mean(),
                          "95% CI low": d.mean() - half, "95% CI high": d.mean() + half,
                          "seeds with B > A": (d > 0).sum()})
    return table, d


taper_table, taper_diffs = over_seeds(
    cliff, "Cliff exit vs tapered exit",
    ["post_exit_retention", "partner_capability_final", "attacks_per_year", "donor_cost_total"])
taper_table.round(3)
"""),
    code("""
diffs = taper_diffs["post_exit_retention"].to_numpy()
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(range(N_SEEDS), diffs, color=np.where(diffs > 0, "#2e7d32", "#c62828"))
ax.axhline(diffs.mean(), color="black", ls="--", lw=1, label="mean")
ax.set_xlabel("seed")
ax.set_ylabel("B − A")
ax.set_title("Capability kept after exit: 5-year taper minus cliff exit, per seed")
ax.legend()
plt.show()
"""),
    code("""
enforce_table, _ = over_seeds(
    fragile, "Conditionality: unenforced vs enforced",
    ["governance_final", "leakage_share", "partner_capability_final", "donor_cost_total"])
enforce_table.round(3)
"""),
    md("""
> **Q9.** Which differences are larger than the luck of the draw (an interval that excludes zero)?
> Would one classroom run have convinced you? What would you tell a minister who saw only one run?
>
> **Q10.** The taper may keep a larger *share* of the capability built while delivering less aid in
> total. Which measure should a donor care about: capability kept, capability at the end, or cost?
> Who would answer differently?
>
> **Q11.** What does the model leave out that a real exit decision would weigh (domestic politics in
> the donor, the partner's own choices, other donors stepping in, …)? How might each change the
> answer?

### Notes for the teacher

- The model is a teaching and research tool, not a forecast: its mechanisms (equipment upkeep and
  dependency, governance-gated absorption, deterrence as the rival's expected-value calculation) are
  simplified, and the classroom presets are stylised worlds in round numbers, not real countries.
- What to look for in Q1–Q2: in the cliff-exit run the partner's readiness and effective capability
  drop in the exit year, because upkeep the donor paid for stops at once; the rival reacts to the
  balance it observes, so the years right after an exit are a window of risk. A taper gives the partner's
  own budget time to take over the upkeep.
- Q6–Q8: unenforced conditions are cheap talk; enforcement withholds aid, which saves the donor
  money and reduces diversion but also slows the build-up. How much governance improves depends on
  the partner: the paired table shows whether the change is distinguishable from noise. Let
  students find out rather than expecting a large effect.
- **Scaling up:** raise `N_SEEDS` (each run takes a fraction of a second) or use the experiment
  runner (notebook 2) for a full sweep over taper years and sunset years. Other comparisons in the
  dashboard: open-ended vs sunset, equipment- vs training-heavy, assurance vs alliance with a
  tripwire, half vs double budget.
"""),
]


NOTEBOOKS = {
    "01_quickstart.ipynb": QUICKSTART,
    "02_policy_sweep.ipynb": SWEEP,
    "03_sensitivity.ipynb": SENSITIVITY,
    "04_scenario_from_data.ipynb": FROM_DATA,
    "05_classroom_lesson.ipynb": CLASSROOM,
}


def build(names: list[str] | None = None, out_dir: Path = HERE) -> list[Path]:
    """Write the notebooks (all, or those named) without outputs into ``out_dir``; return paths."""
    written = []
    for name, cells in NOTEBOOKS.items():
        if names and name not in names:
            continue
        nb = new_notebook(cells=cells, metadata=METADATA)
        nbformat.validate(nb)
        path = Path(out_dir) / name
        # Stable cell ids keep diffs readable when the generator runs again.
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"c{i:02d}"
        nbformat.write(nb, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build(sys.argv[1:] or None):
        print("wrote", p)
