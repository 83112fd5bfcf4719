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
# # 1 · Quickstart: one run of the model
#
# This notebook runs one preset scenario, reads its metrics, plots its yearly series, reads its event
# log, changes one policy lever, and shows why one run is not enough.
#
# *Runs in about 10 seconds.* Everything here also works in a plain Python script.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

from deterrence_sim import DeterrenceModel, Scenario, run_model
from deterrence_sim.metrics import METRICS

pd.set_option("display.max_colwidth", 120)

# %% [markdown]
# ## Scenarios
#
# A **scenario** is a world: *donors* (states that give security assistance), *partners* (states that
# receive it) and *aggressors* (states or insurgencies that may attack a partner), the ties between
# them and each donor's **policy levers**. The package ships presets; your own scenarios are TOML
# files (`Scenario.load("my_world.toml")`).

# %%
pd.Series(Scenario.presets(), name="description").to_frame()

# %%
scenario = Scenario.preset("europe")
print(scenario.name, "-", scenario.world.years, "years")
print("donors:    ", [d.name for d in scenario.donors])
print("partners:  ", [p.name for p in scenario.partners])
print("aggressors:", [a.name for a in scenario.aggressors])
scenario.donors[0].policy

# %% [markdown]
# ## Run it
#
# `run_model(scenario, years=None, seed=0)` runs the whole horizon and returns a `RunResult` with
# `.metrics` (a dict), `.timeseries` (one row per year) and `.events` (the event log). The model is
# stochastic: the **seed** fixes the random draws, so the same scenario and seed give the same run.

# %%
result = run_model(scenario, seed=42)
metrics = pd.DataFrame(
    [(name, result.metrics.get(name), unit, text) for name, (unit, text) in METRICS.items()],
    columns=["metric", "value", "unit", "meaning"],
).set_index("metric")
metrics.head(12)

# %% [markdown]
# `NaN` means the metric does not apply to this run (for example, nothing can be "retained after exit"
# when the donor never exits).

# %%
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
for ax, (col, title) in zip(axes.flat, panels, strict=False):
    ax.plot(ts["year"], ts[col])
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
for ax in axes[-1]:
    ax.set_xlabel("year")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## The event log
#
# Every attack, war, intervention, aid decision and exit is an event with a plain-English sentence.

# %%
events = result.events
print(events["kind"].value_counts().to_string())
print()
for text in events["text"].head(12):
    print(text)

# %% [markdown]
# ## Change a policy lever
#
# `with_overrides` returns a **new** scenario with values set by dotted paths (`*` matches every
# donor). A bad key or value raises a `ScenarioError` that names the key and what is allowed. Here
# every donor ends its program at year 10 with no taper (a "cliff exit").

# %%
cliff = scenario.with_overrides(
    {"donors.*.policy.sunset_year": 10, "donors.*.policy.taper_years": 0}
)
cliff_result = run_model(cliff, seed=42)
shown = [
    "attacks_per_year",
    "partner_capability_final",
    "dependency_mean",
    "donor_cost_total",
    "post_exit_attack_share",
]
pd.DataFrame(
    {
        "as preset": [result.metrics[m] for m in shown],
        "cliff exit at year 10": [cliff_result.metrics[m] for m in shown],
    },
    index=shown,
)

# %%
try:
    scenario.with_overrides({"donors.*.policy.conditionality": 1.5})
except Exception as exc:  # ScenarioError
    print(type(exc).__name__, "->", exc)

# %% [markdown]
# ## One run is an anecdote
#
# Different seeds give different histories. To compare policies, run several seeds and compare means
# with confidence intervals (notebook 2 does this systematically with the experiment runner).
# Using the *same* seeds for both policies (common random numbers) makes the comparison sharper.

# %%
SEEDS = range(10)
rows = []
for seed in SEEDS:
    for label, scen in (("as preset", scenario), ("cliff exit", cliff)):
        m = run_model(scen, seed=seed).metrics
        rows.append(
            {
                "policy": label,
                "seed": seed,
                "attacks_per_year": m["attacks_per_year"],
                "partner_capability_final": m["partner_capability_final"],
            }
        )
runs = pd.DataFrame(rows)
summary = runs.groupby("policy")[["attacks_per_year", "partner_capability_final"]].agg(
    ["mean", "sem"]
)
summary

# %%
paired = runs.pivot(index="seed", columns="policy", values="partner_capability_final")
diff = paired["cliff exit"] - paired["as preset"]
half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / np.sqrt(len(diff))
print(
    f"cliff exit - as preset, final partner capability: {diff.mean():.2f} "
    f"(95% CI {diff.mean() - half:.2f} to {diff.mean() + half:.2f}) over {len(diff)} paired seeds"
)

# %% [markdown]
# ## Step by step
#
# `DeterrenceModel` is a Mesa model: call `.step()` to advance one year and look at the agents in
# between. This is what the dashboard does.

# %%
model = DeterrenceModel(scenario, seed=42)
for _ in range(5):
    model.step()
print("year", model.year)
pd.DataFrame(
    [
        {
            "partner": p.name,
            "capability": p.capability,
            "governance": p.governance,
            "dependency": p.dependency,
        }
        for p in model.partners
    ]
).round(3)

# %%
print(
    model.graph.number_of_nodes(),
    "states;",
    sorted({k for _, _, k in model.graph.edges(data="kind")}),
    "ties",
)
for event in model.event_log[-3:]:
    print(event.text)
model.release()  # lets the finished model be garbage-collected (Mesa keeps class-level references)

# %% [markdown]
# ## Scaling up and next steps
#
# - More seeds: raise `SEEDS` (each run of `europe` takes well under a second).
# - A longer horizon: `run_model(scenario, years=80, seed=0)`.
# - The same from the command line: `deterrence-sim run --scenario europe --seed 42 --set
#   'donors.*.policy.sunset_year=10' --out run-output` writes `metrics.json`, `timeseries.csv`,
#   `events.csv` and `run.png`.
# - Notebook 2 sweeps levers over many seeds in parallel; notebook 5 is a classroom lesson.
