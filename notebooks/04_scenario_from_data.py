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
# # 4 · A scenario from data: the Baltic states in 2016
#
# `deterrence_sim.data.scenario_from_data` builds a scenario for one year from three public datasets:
#
# - **COW National Material Capabilities** (NMC v6, abridged): military spending → capabilities;
# - **V-Dem** electoral democracy index (`v2x_polyarchy`) → partner governance;
# - **ATOP** alliance members → donors' commitments and alliances in force that year.
#
# The full mapping and its assumptions are in `docs/data.md`. Here: the US, the UK and France aid
# Estonia, Latvia, Lithuania and Poland, facing Russia, with 2016 data.
#
# *Runs in about 15 seconds.*
#
# ### The data files
#
# The data files are **not** part of the package. Download them from their publishers (COW:
# correlatesofwar.org; V-Dem: v-dem.net; ATOP: atopdata.org) and put them in one folder as
#
# - `NMC-60-abridged.csv`
# - `vdem-polyarchy.csv` (a V-Dem subset with `year, COWcode, v2x_polyarchy`)
# - `atop-member-level.csv`
#
# then point the environment variable `DETERRENCE_SIM_DATA` at that folder (before starting Jupyter),
# or put the folder next to the repository as `../shared/data/`. **Without the files** this notebook
# says so and falls back to the `europe` preset, whose numbers were derived from the same data, so
# every later cell still runs.

# %%
# %matplotlib inline
import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from deterrence_sim import Scenario, run_model

FILES = {
    "nmc": "NMC-60-abridged.csv",
    "vdem": "vdem-polyarchy.csv",
    "atop": "atop-member-level.csv",
}


def find_data_dir():
    """$DETERRENCE_SIM_DATA if set, else ../shared/data next to the repository (or None)."""
    env = os.environ.get("DETERRENCE_SIM_DATA")
    candidates = (
        [Path(env)]
        if env
        else [Path.cwd().parent.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    )
    for folder in candidates:
        if all((folder / name).is_file() for name in FILES.values()):
            return folder.resolve()
    return None


DATA = find_data_dir()
if DATA is None:
    print(
        "Data files not found (set DETERRENCE_SIM_DATA to the folder holding "
        + ", ".join(FILES.values())
        + "). Falling back to the 'europe' preset."
    )
else:
    print("Using data in", DATA)

# %% [markdown]
# ## A look at the raw data
#
# The loaders check the format (a wrong file raises an error naming the missing columns) and turn
# missing-value codes into NaN. NMC `milex` is in thousands of current US dollars.

# %%
DONORS, PARTNERS, AGGRESSORS, YEAR = (
    ["USA", "UKG", "FRN"],
    ["EST", "LAT", "LIT", "POL"],
    ["RUS"],
    2016,
)

if DATA is not None:
    from deterrence_sim.data import load_nmc, load_vdem

    nmc = load_nmc(DATA / FILES["nmc"])
    vdem = load_vdem(DATA / FILES["vdem"])
    states = nmc[(nmc["year"] == YEAR) & nmc["stateabb"].isin(DONORS + PARTNERS + AGGRESSORS)]
    states = states.merge(
        vdem[vdem["year"] == YEAR][["COWcode", "v2x_polyarchy"]],
        left_on="ccode",
        right_on="COWcode",
        how="left",
    )
    view = states[["stateabb", "ccode", "milex", "cinc", "v2x_polyarchy"]].copy()
    view["milex $bn"] = view["milex"] / 1e6
    display(view.drop(columns="milex").set_index("stateabb").round(4))
else:
    print("(skipped: no data files)")

# %% [markdown]
# ## Build the scenario
#
# The same as `deterrence-sim scenario from-data --year 2016 --donors USA,UKG,FRN --partners
# EST,LAT,LIT,POL --aggressors RUS --nmc ... --vdem ... --atop ... --out baltic_2016.toml`.

# %%
if DATA is not None:
    from deterrence_sim.data import scenario_from_data

    scenario = scenario_from_data(
        YEAR,
        DONORS,
        PARTNERS,
        AGGRESSORS,
        nmc=DATA / FILES["nmc"],
        vdem=DATA / FILES["vdem"],
        atop=DATA / FILES["atop"],
        name="baltic_2016",
    )
else:
    scenario = Scenario.preset("europe")
print(scenario.name)
print(scenario.description)

# %%
pd.DataFrame(
    [
        {
            "state": s.name,
            "role": role,
            "capability or equipment": getattr(s, "capability", None)
            or getattr(s, "equipment", None),
            "governance": getattr(s, "governance", None),
            "commitment": s.policy.commitment if role == "donor" else None,
        }
        for role, group in (
            ("donor", scenario.donors),
            ("partner", scenario.partners),
            ("aggressor", scenario.aggressors),
        )
        for s in group
    ]
).set_index("state")

# %%
print("alliances:", [(a.name, list(a.members)) for a in scenario.alliances])
print(scenario.to_toml()[:800], "...")

# %% [markdown]
# ## Run it, and compare with the hand-made `europe` preset
#
# A scenario from data is an ordinary scenario: run it, change its levers, or save it with
# `scenario.to_toml("baltic_2016.toml")` and use it as the base of an experiment. Policy levers the
# data do not cover (sunset, conditionality, mix …) keep the model's defaults. We compare means
# over a few seeds.

# %%
SEEDS = range(5)
europe = Scenario.preset("europe")
shown = [
    "attacks_per_year",
    "wars",
    "deterrence_failures",
    "partner_capability_final",
    "governance_final",
    "donor_cost_total",
]
rows = []
for label, scen in (
    (scenario.name + " (from data)" if DATA is not None else "europe (fallback)", scenario),
    ("europe preset", europe),
):
    for seed in SEEDS:
        rows.append(
            {"scenario": label, **{m: run_model(scen, seed=seed).metrics[m] for m in shown}}
        )
pd.DataFrame(rows).groupby("scenario")[shown].mean().T.round(3)

# %% [markdown]
# Differences between the two come from the mapping's assumptions (for example donor budgets of 0.5%
# of military spending, and partner equipment equal to reported spending; see `docs/data.md`) and from
# the preset's hand-set values. Neither is a forecast: both are starting points for asking how
# outcomes change with the levers.

# %%
result = run_model(scenario, seed=0)
ts = result.timeseries
fig, axes = plt.subplots(1, 3, figsize=(13, 3.5))
ts.plot(
    x="year",
    y=["partner_capability", "aggressor_capability"],
    ax=axes[0],
    title="capability (points)",
)
ts.plot(x="year", y=["governance", "dependency"], ax=axes[1], title="partners (0–1)")
ts.plot(x="year", y="aid", ax=axes[2], title="aid delivered ($bn/yr)", legend=False)
for ax in axes:
    ax.grid(alpha=0.3)
fig.tight_layout()
plt.show()
for text in result.events["text"].head(8):
    print(text)

# %% [markdown]
# ## Scaling up
#
# - Other regions and years: change `DONORS`, `PARTNERS`, `AGGRESSORS` (COW abbreviations; a typo is
#   an error listing close matches) and `YEAR` (NMC v6 ends in 2016; use `vdem_year=` for a
#   different V-Dem year). Try the Indo-Pacific: donors `USA`, partners `JPN, ROK, PHI, TAW`,
#   aggressor `CHN`.
# - More seeds for the comparison: raise `SEEDS`. For a sweep, save the scenario with
#   `scenario.to_toml("baltic_2016.toml")` and name that file as the `scenario` of an experiment spec
#   (notebook 2).
# - `capability="cinc"` uses the composite index instead of military spending.
