# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2 · A policy sweep: sunset × conditionality
#
# Does *when* a program ends matter more than *how conditional* its aid is? We run a small grid of
# sunset years × conditionality levels, several seeds per point, with the **experiment runner**, then
# load the results, plot means with 95% confidence intervals and query the Parquet files directly.
#
# *Default size: 4 × 3 points × 8 replications = 96 runs of 30 years; about 20 seconds on 2 cores.*

# %%
# %matplotlib inline
import json
import shutil
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from deterrence_sim import analysis
from deterrence_sim.experiment import load, load_timeseries, plan, run_experiment, spec_from_dict

# %% [markdown]
# ## The experiment spec
#
# An experiment is described by a spec: usually a TOML file (see `experiments/` and
# `docs/experiments.md`), here the same structure as a Python dict. Each **factor** is a dotted
# scenario path and its values; the **grid** design runs every combination; every design point
# uses the same replication seeds (common random numbers), so differences between points are paired.
# The base scenario is `classroom_cliff_exit`: one donor builds up a dependent partner with
# equipment-heavy aid facing a growing rival.

# %%
SUNSETS = ["open", 5, 10, 15]  # "open" = the program never ends
CONDITIONALITY = [0.0, 0.3, 0.6]  # share of aid conditional on reform benchmarks
REPLICATIONS = 8

spec = spec_from_dict(
    {
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
            {
                "name": "conditionality",
                "path": "donors.*.policy.conditionality",
                "values": CONDITIONALITY,
            },
        ],
        "fixed": {"donors.*.policy.enforcement": 0.8},
        "output": {
            "metrics": "all",
            "timeseries": True,
            "timeseries_columns": ["partner_capability", "dependency", "attacks", "aid"],
        },
    }
)
p = plan(spec)
print(f"{p.n_runs} runs")

# %% [markdown]
# ## Run it
#
# `run_experiment(spec, out_dir, workers=...)` runs the design in a pool of worker processes and
# writes a results folder. Keep `workers` at 1 or 2 on a laptop (the pool uses the *spawn* start
# method, so each worker starts a fresh Python; for 100 runs one worker is often as fast). Results go
# to a temporary folder here; pass a real path (e.g. `results/my_sweep`) to keep them. Re-running with
# `resume=True` continues an interrupted experiment.

# %%
OUT = Path(tempfile.mkdtemp(prefix="dsim-sweep-"))
summary = run_experiment(spec, OUT, workers=2, progress=False)
print(summary)
sorted(x.name for x in OUT.iterdir())

# %%
manifest = json.loads((OUT / "manifest.json").read_text())
{k: manifest[k] for k in ("name", "status", "counts", "root_seed", "replications", "years")}

# %% [markdown]
# ## Load the results
#
# `load(OUT)` gives one row per finished run: its design point, replication, seed, the factor values
# and every kept metric. A factor that mixes words and numbers (`"open"`, 5, 10) is stored as text,
# with a numeric twin column `sunset_num` (NaN for "open").

# %%
df = load(OUT)
print(df.shape)
df[
    [
        "run_id",
        "point",
        "replication",
        "seed",
        "sunset",
        "sunset_num",
        "conditionality",
        "attacks_per_year",
        "partner_capability_final",
        "post_exit_attack_share",
    ]
].head()

# %% [markdown]
# ## Means with 95% confidence intervals
#
# `analysis.ci_summary` gives the mean, standard deviation, count and Student-t 95% interval of each
# metric per group; `analysis.plot_lever` draws one metric against one lever with a CI band per level
# of another.

# %%
shown = ["partner_capability_final", "attacks_per_year", "dependency_mean", "donor_cost_total"]
table = analysis.ci_summary(df, ["sunset", "conditionality"], shown)
table[
    [
        "sunset",
        "conditionality",
        "runs",
        "partner_capability_final_mean",
        "partner_capability_final_lo",
        "partner_capability_final_hi",
    ]
].round(2)

# %%
fig, axes = plt.subplots(2, 2, figsize=(12, 8))
for ax, metric in zip(axes.flat, shown, strict=False):
    analysis.plot_lever(
        df,
        metric,
        x="sunset",
        hue="conditionality",
        x_levels=SUNSETS,
        hue_levels=CONDITIONALITY,
        ax=ax,
    )
fig.tight_layout()
plt.show()

# %%
fig, ax = plt.subplots(figsize=(6, 4.5))
analysis.plot_heatmap(
    df,
    "attacks_per_year",
    x="sunset",
    y="conditionality",
    x_levels=SUNSETS,
    y_levels=CONDITIONALITY,
    ax=ax,
)
plt.show()

# %% [markdown]
# The intervals are over only 8 replications: wide intervals that overlap mean "not shown by this
# experiment", not "no effect". Scale up (below) before drawing conclusions.
#
# ## Paired effects: common random numbers
#
# Every design point ran with the same replication seeds, so the run of "sunset 10" with seed *k* and
# the run of "open-ended" with seed *k* share their luck. `analysis.paired_difference` matches them
# (on the replication and every other factor) and gives the mean paired difference with its 95% CI;
# the last column is the half-width an unpaired comparison of the same runs would have (compare it
# with (hi − lo) / 2).

# %%
analysis.paired_difference(df, "sunset", "open", "10", shown).round(3)

# %% [markdown]
# ## What happens around the exit? The kept time series
#
# `load_timeseries(OUT)` returns the kept yearly series of every run, with the factor values.

# %%
ts = load_timeseries(OUT)
print(ts.shape, list(ts.columns[-5:]))
fig, axes = plt.subplots(1, 2, figsize=(13, 4))
analysis.plot_timeseries(ts, "partner_capability", by="sunset", by_levels=SUNSETS, ax=axes[0])
analysis.plot_timeseries(ts, "dependency", by="sunset", by_levels=SUNSETS, ax=axes[1])
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Query the Parquet files directly
#
# The results folder is plain Parquet, readable by pandas, pyarrow, DuckDB, R or Spark:
#
# - `runs.parquet`: one row per *planned* run (run id, point, replication, seeds, factor values);
# - `metrics/part-*.parquet`: one row per *finished* run (status, error, duration, metrics);
# - `timeseries/part-*.parquet`: the kept yearly series.
#
# pandas reads a folder of parts as one table and can push a filter down into the reader. (After a
# crash and `resume`, a run can appear in two parts; `load()` removes such duplicates, so when
# reading parts yourself drop duplicates by `run_id`, keeping the last.)

# %%
runs = pd.read_parquet(OUT / "runs.parquet", columns=["run_id", "sunset", "conditionality"])
ok = pd.read_parquet(
    OUT / "metrics",
    columns=["run_id", "status", "duration_s", "attacks_per_year", "post_exit_attack_share"],
    filters=[("status", "==", "ok")],
).drop_duplicates("run_id", keep="last")
joined = runs.merge(ok, on="run_id")
print(len(joined), "ok runs; mean run time", round(joined["duration_s"].mean(), 3), "s")

# Which settings of a program that ends keep attacks after the exit lowest?
(
    joined.query("sunset != 'open'")
    .groupby(["sunset", "conditionality"])["post_exit_attack_share"]
    .agg(["mean", "count"])
    .sort_values("mean")
    .head(5)
)

# %%
# The same kind of question in pyarrow (e.g. for result folders too big for memory).
import pyarrow.compute as pc
import pyarrow.dataset as ds

metrics = ds.dataset(OUT / "metrics", format="parquet")
t = metrics.to_table(
    columns=["run_id", "attacks_per_year"], filter=pc.field("attacks_per_year") > 0.1
)
print(t.num_rows, "of", metrics.count_rows(), "runs had more than one attack per ten years")

# %% [markdown]
# ## Scaling up
#
# - More replications: `REPLICATIONS = 40` (the flagship spec's value) narrows the intervals by about
#   √5. More levels: add sunset years or conditionality values.
# - The full study is a TOML file: `deterrence-sim sweep experiments/sunset_x_conditionality.toml
#   --out results/sunset_x_conditionality --workers 2` (add `--dry-run` for a run count and time
#   estimate), then `deterrence-sim report results/sunset_x_conditionality` writes `report.md` and
#   figures.
# - On many cores or a cluster: `run_experiment(spec, out, executor="dask", workers=8)` or
#   `--executor dask --scheduler tcp://host:8786`. The results folder is the same.

# %%
shutil.rmtree(OUT)  # skip this cell to keep the results folder
