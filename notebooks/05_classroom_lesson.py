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
# # 5 · Classroom lesson: how should security assistance end?
#
# **Level:** undergraduate international relations / security studies. **Time:** one 50–75 minute
# session. **Tool:** the deterrence-sim dashboard in *Compare* mode (one laptop per pair of students),
# or this notebook when no browser is available.
#
# ### Learning goals
#
# By the end students can
#
# 1. explain why a partner built up with donor-maintained equipment may be *more* exposed when aid
#    stops abruptly ("cliff exit") than when it is tapered;
# 2. explain why conditional aid changes behaviour only if the conditions are **enforced**;
# 3. tell an effect of a policy from the luck of one run, by comparing runs with the **same seed** and
#    then over many seeds.
#
# ### Plan
#
# | minutes | activity |
# | --- | --- |
# | 0–10 | Introduction: donors, partners, aggressors; what the map, the cards and the charts show (Help tab). |
# | 10–30 | Activity 1: cliff vs tapered exit (Compare mode). |
# | 30–45 | Activity 2: conditionality with and without enforcement. |
# | 45–60 | Debrief: one seed vs many seeds; what the model leaves out. |
#
# *This notebook runs in about 25 seconds.*

# %% [markdown]
# ## Setting up the dashboard
#
# On each machine (after `pip install deterrence-sim`):
#
# ```
# deterrence-sim dashboard            # serves http://127.0.0.1:8765/ ; add --open to open a browser
# deterrence-sim dashboard --port 9000 --host 0.0.0.0   # e.g. one server for a classroom network
# ```
#
# It works offline. In the dashboard: pick a scenario at the top of the sidebar, open the **Compare**
# tab, choose a comparison, press **Run comparison**. Both runs use the same scenario and the same
# seed (set in the sidebar), so any difference comes from the policy, not from luck.
#
# The cells below reproduce every comparison of the lesson with `run_model` and a fixed seed, so the
# teacher can prepare (or project) the results without a browser.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display
from scipy import stats

from deterrence_sim import Scenario, run_model
from deterrence_sim.dashboard import charts, data
from deterrence_sim.metrics import METRICS

SEED = 7  # the dashboard's seed box; the same seed for A and B


def compare(scenario_a, scenario_b, label_a, label_b, seed=SEED):
    """Run A and B with one seed; show the dashboard's table and charts (A blue, B orange)."""
    a, b = run_model(scenario_a, seed=seed), run_model(scenario_b, seed=seed)
    table = pd.DataFrame(data.compare_rows(a.metrics, b.metrics, METRICS)).set_index("metric")
    display(table.rename(columns={"A": f"A: {label_a}", "B": f"B: {label_b}"}))
    panels_b = {p.title: frame for p, frame in data.timeseries_panels(b.timeseries)}
    for panel, frame_a in data.timeseries_panels(a.timeseries):
        runs = [(f"A: {label_a}", frame_a), (f"B: {label_b}", panels_b.get(panel.title, frame_a))]
        marks = data.sunset_marks(a.scenario)  # the same Plotly charts as the dashboard's
        go.Figure(charts.panel_figure(panel, runs, marks, a.years)).show()
    return a, b


# %% [markdown]
# ## Activity 1: the cliff and the taper
#
# Two classroom presets describe the same partner: a state with weak governance, built up with aid,
# facing a rival that keeps arming.
#
# - `classroom_cliff_exit`: equipment-heavy aid, no conditions, ends **abruptly** in year 12;
# - `classroom_tapered_exit`: training-heavy aid, enforced conditionality, **tapered** over 5 years
#   before the same sunset.

# %%
for name in ("classroom_cliff_exit", "classroom_tapered_exit"):
    print(f"{name}: {Scenario.presets()[name]}")
cliff = Scenario.preset("classroom_cliff_exit")
tapered = Scenario.preset("classroom_tapered_exit")
pd.DataFrame(
    {
        name: s.donors[0].policy.model_dump(mode="json")
        for name, s in (("cliff", cliff), ("tapered", tapered))
    }
)

# %% [markdown]
# **Step 1 (dashboard: scenario `classroom_cliff_exit`, press play).** Watch the years around year 12.
#
# > **Q1.** What happens to the partner's *readiness* and *capability* in the years after aid stops?
# > Why does equipment lose value without the donor's upkeep?
# >
# > **Q2.** Does the rival attack more after the exit? Find the first attack in or after year 12
# > in the event log. What did the rival "see"?
#
# **Step 2 (Compare: the two presets side by side).**

# %%
cliff_run, tapered_run = compare(cliff, tapered, "cliff exit preset", "tapered exit preset")

# %% [markdown]
# > **Q3.** Which program leaves the partner stronger 10 years after the exit? Which one cost the
# > donor more?
# >
# > **Q4.** The two presets differ in *several* levers (taper, instrument mix, conditionality). Can
# > you tell which one made the difference? Why not?
#
# **Step 3 (Compare: "Cliff exit vs tapered exit").** The dashboard's comparison changes **only the
# taper** (0 vs 5 years), on top of the scenario's other levers, so the effect of the taper alone is
# isolated. Here on the cliff-exit scenario:

# %%
COMPARISON = "Cliff exit vs tapered exit"
levers = data.levers_from_scenario(cliff)  # the sidebar's levers for this scenario
levers_a, levers_b = data.compare_levers(levers, COMPARISON)
print("A sets", data.lever_overrides(cliff, levers_a) or "nothing (as the scenario)")
print("B sets", data.lever_overrides(cliff, levers_b))
_ = compare(
    data.apply_levers(cliff, levers_a),
    data.apply_levers(cliff, levers_b),
    "cliff (taper 0)",
    "5-year taper",
)

# %% [markdown]
# > **Q5.** Is the taper's effect on its own larger or smaller than the difference between the two
# > presets? What else did the tapered preset change?
#
# ## Activity 2: conditionality with and without enforcement
#
# Conditional aid is released only when the partner meets reform benchmarks (for example on
# corruption in procurement). A donor that never withholds aid when benchmarks are missed is not
# credible. The dashboard comparison "Conditionality: unenforced vs enforced" makes 40% of aid
# conditional; A never punishes a missed benchmark, B usually does. We use the fragile-partner
# preset, where governance is the binding problem.

# %%
COMPARISON = "Conditionality: unenforced vs enforced"
fragile = Scenario.preset("classroom_fragile_partner")
print("classroom_fragile_partner:", Scenario.presets()["classroom_fragile_partner"])
levers_a, levers_b = data.compare_levers(data.levers_from_scenario(fragile), COMPARISON)
print("A sets", data.lever_overrides(fragile, levers_a))
print("B sets", data.lever_overrides(fragile, levers_b))
cond_a, cond_b = compare(
    data.apply_levers(fragile, levers_a),
    data.apply_levers(fragile, levers_b),
    "40% conditional, never enforced",
    "40% conditional, enforced",
)

# %% [markdown]
# The dashboard's cards leave out some measures that matter here; `compare_rows` takes any metrics.

# %%
GOVERNANCE_METRICS = [
    ("governance_final", "Governance at the end"),
    ("leakage_share", "Share of aid diverted (leakage)"),
    ("reform_institutionalised", "Reform institutionalised"),
    ("donor_cost_total", "Donor cost"),
]
display(
    pd.DataFrame(
        data.compare_rows(cond_a.metrics, cond_b.metrics, METRICS, GOVERNANCE_METRICS)
    ).set_index("metric")
)
for label, run in (("A (unenforced)", cond_a), ("B (enforced)", cond_b)):
    withheld = run.events[run.events["kind"] == "tranche_withheld"]
    print(
        f"{label}: aid withheld in {len(withheld)} years; first:",
        withheld["text"].iloc[0] if len(withheld) else "never",
    )

# %% [markdown]
# > **Q6.** Compare governance and leakage (the share of aid diverted) in A and B. Why does the same
# > 40% conditionality do little without enforcement?
# >
# > **Q7.** Enforcement means *withholding* aid. What does that cost the partner's capability in the
# > short run? Would you accept that cost? Who decides?
# >
# > **Q8.** Try the same comparison on `classroom_aligned_partner`. Does enforcement matter as much
# > for a partner that is already well governed? Why?
#
# ## Debrief: one seed is one possible history
#
# Everything above used one seed. Re-run the comparisons with seeds 1, 2, 3 in the dashboard: do the
# answers change? The cells below repeat both comparisons over 20 seeds, pairing A and B on each seed
# (the same seed gives both the same "luck"), and report the mean difference with a 95% confidence
# interval and the number of seeds in which B came out higher.

# %%
N_SEEDS = 20


def over_seeds(base, comparison, metrics, n_seeds=N_SEEDS):
    """Paired differences B − A of a dashboard comparison over seeds 0..n_seeds-1."""
    levers_a, levers_b = data.compare_levers(data.levers_from_scenario(base), comparison)
    scen_a, scen_b = data.apply_levers(base, levers_a), data.apply_levers(base, levers_b)
    a = pd.DataFrame([run_model(scen_a, seed=s).metrics for s in range(n_seeds)])[metrics]
    b = pd.DataFrame([run_model(scen_b, seed=s).metrics for s in range(n_seeds)])[metrics]
    d = b - a
    half = stats.t.ppf(0.975, n_seeds - 1) * d.std(ddof=1) / np.sqrt(n_seeds)
    table = pd.DataFrame(
        {
            "mean A": a.mean(),
            "mean B": b.mean(),
            "B − A": d.mean(),
            "95% CI low": d.mean() - half,
            "95% CI high": d.mean() + half,
            "seeds with B > A": (d > 0).sum(),
        }
    )
    return table, d


taper_table, taper_diffs = over_seeds(
    cliff,
    "Cliff exit vs tapered exit",
    ["post_exit_retention", "partner_capability_final", "attacks_per_year", "donor_cost_total"],
)
taper_table.round(3)

# %%
diffs = taper_diffs["post_exit_retention"].to_numpy()
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(range(N_SEEDS), diffs, color=np.where(diffs > 0, "#2e7d32", "#c62828"))
ax.axhline(diffs.mean(), color="black", ls="--", lw=1, label="mean")
ax.set_xlabel("seed")
ax.set_ylabel("B − A")
ax.set_title("Capability kept after exit: 5-year taper minus cliff exit, per seed")
ax.legend()
plt.show()

# %%
enforce_table, _ = over_seeds(
    fragile,
    "Conditionality: unenforced vs enforced",
    ["governance_final", "leakage_share", "partner_capability_final", "donor_cost_total"],
)
enforce_table.round(3)

# %% [markdown]
# > **Q9.** Which differences are larger than the luck of the draw (an interval that excludes zero)?
# > Would one classroom run have convinced you? What would you tell a minister who saw only one run?
# >
# > **Q10.** The taper may keep a larger *share* of the capability built while delivering less aid in
# > total. Which measure should a donor care about: capability kept, capability at the end, or cost?
# > Who would answer differently?
# >
# > **Q11.** What does the model leave out that a real exit decision would weigh (domestic politics in
# > the donor, the partner's own choices, other donors stepping in, …)? How might each change the
# > answer?
#
# ### Notes for the teacher
#
# - The model is a teaching and research tool, not a forecast: its mechanisms (equipment upkeep and
#   dependency, governance-gated absorption, deterrence as the rival's expected-value calculation) are
#   simplified, and the classroom presets are stylised worlds in round numbers, not real countries.
# - What to look for in Q1–Q2: in the cliff-exit run the partner's readiness and effective capability
#   drop in the exit year, because upkeep the donor paid for stops at once; the rival reacts to the
#   balance it observes, so the years right after an exit are a window of risk. A taper gives the partner's
#   own budget time to take over the upkeep.
# - Q6–Q8: unenforced conditions are cheap talk; enforcement withholds aid, which saves the donor
#   money and reduces diversion but also slows the build-up. How much governance improves depends on
#   the partner: the paired table shows whether the change is distinguishable from noise. Let
#   students find out rather than expecting a large effect.
# - **Scaling up:** raise `N_SEEDS` (each run takes a fraction of a second) or use the experiment
#   runner (notebook 2) for a full sweep over taper years and sunset years. Other comparisons in the
#   dashboard: open-ended vs sunset, equipment- vs training-heavy, assurance vs alliance with a
#   tripwire, half vs double budget.
