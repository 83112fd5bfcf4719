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
# # 6 · Where does the policy fail?
#
# A policy that looks good on average can still fail in some futures. This notebook takes one
# exit policy (a donor ends its aid to a dependent partner facing a state rival), runs it in a few
# hundred futures we cannot rule out (the partner's governance and absorptive capacity, the
# rival's arms growth and cost of war), and asks **in which futures the rival goes to war at all**
# in the 40 years — *scenario discovery* with PRIM and CART (Bryant & Lempert 2010). It ends with a
# small robust search over the exit levers.
#
# At the calibrated rates a war is rare, and whether one comes depends as much on the seed (the
# random draws, the same in every future) as on the future: a seed without a challenge has none
# in any future. So each future runs with several seeds, and a future counts as a failure when any
# of its seeds sees a war (one row per future: `per_point=True`).
#
# *Runs in about 30 seconds.* Needs the decision extra: `pip install 'deterrence-sim[decision]'`.
# See `docs/decision-support.md` for the methods.

# %%
# %matplotlib inline
import shutil
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

from deterrence_sim.decision.discover import discover
from deterrence_sim.decision.discover_report import (
    plot_box_limits,
    plot_pairs,
    plot_tradeoff,
)
from deterrence_sim.experiment import load, run_experiment

WORK = Path(tempfile.mkdtemp(prefix="dsim-discover-"))

# %% [markdown]
# ## One policy, many futures
#
# The policy is fixed (`[fixed]`): a sunset in year 12 with a 3-year taper and conditionality 0.2.
# The four uncertain traits are factors with `role = "uncertainty"` (the default for partner and
# aggressor paths), sampled by a Latin hypercube: 150 futures × 4 seeds = 600 runs of 40 years.

# %%
futures = {
    "experiment": {
        "name": "one_policy_many_futures",
        "scenario": "classroom_cliff_exit",
        "years": 40,
        "replications": 4,
        "seed": 6,
    },
    "design": {"kind": "lhs", "n": 150},
    "fixed": {
        "donors.*.policy.sunset_year": 12,
        "donors.*.policy.taper_years": 3,
        "donors.*.policy.conditionality": 0.2,
    },
    "factors": [
        {"name": "governance", "path": "partners.*.governance", "range": [0.2, 0.8]},
        {
            "name": "absorptive_capacity",
            "path": "partners.*.absorptive_capacity",
            "range": [0.3, 2.0],
        },
        {"name": "rival_growth", "path": "aggressors.*.growth", "range": [0.0, 0.1]},
        {"name": "war_cost", "path": "aggressors.*.war_cost", "range": [0.1, 0.8]},
    ],
    "output": {"metrics": ["wars", "coercions", "attacks_per_year", "donor_cost_total"]},
}
run_experiment(futures, WORK / "futures", progress=False)
runs = load(WORK / "futures")
war_in_future = runs.groupby("point")["wars"].max() > 0
print(f"{len(runs)} runs; a war in {(runs['wars'] > 0).mean():.0%} of them")
print(f"{len(war_in_future)} futures; a war in at least one seed in {war_in_future.mean():.0%}")
print(
    "challenges per run, by seed:",
    runs.groupby("replication")["coercions"].mean().round(2).tolist(),
)

# %% [markdown]
# ## PRIM: a box of futures where the policy fails
#
# PRIM peels thin slices off the factors' ranges, keeping the slice that raises the share of
# failures most, and records every box on the way: **coverage** (the share of all failures inside
# the box) falls as **density** (the share of the box that fails) rises. The box chosen by default
# is the most covering one with density ≥ 0.8 (or, if none is that dense, the best balance).

# %%
d = discover(WORK / "futures", "wars", above=0, role="uncertainty", per_point=True, resamples=3)
plot_tradeoff(d)
plt.show()
d.trajectory.tail()

# %%
print(f"box {d.chosen}: coverage {d.stats['coverage']:.2f}, density {d.stats['density']:.2f}")
d.limits[["factor", "lower", "upper", "min", "max", "qp_lower", "qp_upper"]]

# %% [markdown]
# The quasi-p-values (`qp_lower`, `qp_upper`) test each limit: a value above about 0.05 says the
# box would be about as dense without it. The bars show where the box sits in each factor's
# sampled range; the scatter shows the runs (failures in red) and the box.

# %%
plot_box_limits(d)
plt.show()
fig = plot_pairs(d)
plt.show()

# %% [markdown]
# ## Which factors matter, and what a tree says
#
# Extra-trees importances rank the factors before any box is drawn; CART's leaves are boxes too,
# often less dense or less covering than PRIM's but easy to read.

# %%
print(d.scores.round(3).to_string())
cart = discover(
    WORK / "futures", "wars", above=0, role="uncertainty", per_point=True, method="cart"
)
print(
    f"\nCART leaf {cart.chosen}: coverage {cart.stats['coverage']:.2f}, "
    f"density {cart.stats['density']:.2f}"
)
cart.limits[["factor", "lower", "upper"]]

# %% [markdown]
# ## Which exit holds up? A small robust search
#
# `optimize` searches the levers (here sunset and taper) with NSGA-II; each candidate runs in the
# same 5 futures with the same 4 seeds (common random numbers) and is scored by robustness metrics:
# the mean number of wars over the futures and seeds, and the mean donor cost. Every evaluation is
# stored as a sweep under `evaluations/`. With 20 runs per candidate the war risk moves in steps
# of 0.05: a toy, as said below.

# %%
from deterrence_sim.decision.opt_spec import optimize_spec_from_dict
from deterrence_sim.decision.optimize import optimize
from deterrence_sim.decision.optimize_report import plot_parallel

search = {
    "experiment": {**futures["experiment"], "name": "small_search"},
    "fixed": {"donors.*.policy.conditionality": 0.2},
    "factors": [
        {
            "name": "sunset",
            "path": "donors.*.policy.sunset_year",
            "range": [5, 25],
            "integer": True,
        },
        {"name": "taper", "path": "donors.*.policy.taper_years", "range": [0, 5], "integer": True},
        *futures["factors"],
    ],
    "optimize": {"population": 8, "generations": 3, "samples": 5, "stress_samples": 0},
    "objectives": [
        {"name": "war_risk", "metric": "wars", "statistic": "mean"},
        {"name": "donor_cost", "metric": "donor_cost_total"},
    ],
}
result = optimize(optimize_spec_from_dict(search), WORK / "search", progress=False)
fig = plot_parallel(result.pareto, ["sunset", "taper", "war_risk", "donor_cost"])
plt.show()
result.pareto.sort_values("war_risk")

# %% [markdown]
# ## Scaling up
#
# This is a toy: 150 futures, 5 futures × 4 seeds per candidate, 3 generations. The study
# `experiments/robust_exit.toml` searches sunset, taper, conditionality, exit rule and surge with
# 24 candidates × 12 generations in 30 futures × 3 seeds, stress-tests the best policy in 300
# fresh futures and runs PRIM on the futures where it still sees a war: `make -C experiments
# robust_exit` (about two minutes on 2 workers; add `WORKERS=8` on a bigger machine, or
# `--executor dask --scheduler ...` for a cluster). A killed search continues with `--resume`.

# %%
shutil.rmtree(WORK)  # skip this cell to keep the results folders
