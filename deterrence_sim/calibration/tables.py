"""The calibration's comparisons of model and data: auxiliary coefficients and hazards by stratum.

- :func:`coefficient_table` — the two stages' auxiliary logits on the data (cluster-robust 95%
  intervals) beside the same logits on dyad-years the model simulates at the fitted values, for
  each population (``prd``, ``rivals``) and sample (``fit`` 1816–1945, ``holdout`` 1946–2010);
- :func:`hazard_table` — yearly challenge, force and war hazards and the escalation share by
  capability-ratio bin × Leeds-style target pact, Wilson intervals on the data, the model's
  expected rate on the same dyad-years (no simulation noise: the mean of its probabilities).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import wilson_interval
from .dyadsim import COLUMNS, Draws, DyadYears, stage_probabilities
from .inference import CHALLENGE_TERMS, ESCALATION_TERMS, SimFrame, aux_statistics

__all__ = ["BINS", "coefficient_table", "complete", "hazard_table"]

#: Capability-ratio bins (challenger / target CINC), as in round one.
BINS = ((0.0, 0.67, "< 0.67"), (0.67, 1.5, "0.67-1.5"), (1.5, 3.0, "1.5-3"), (3.0, np.inf, ">= 3"))
#: Outcomes of calibration.csv: yearly hazards per dyad-year, and escalation per challenge.
OUTCOMES = ("challenge", "force", "war", "escalation")
NEEDED = (*COLUMNS, "t", "t2", "t3", "challenge", "force", "war", "dyad")


def complete(panel: pd.DataFrame, sample: str | None = None) -> pd.DataFrame:
    """Rows with every column the fits and the simulator read (and of one sample)."""
    rows = panel if sample is None else panel[panel["sample"] == sample]
    return rows.dropna(subset=list(NEEDED)).reset_index(drop=True)


def coefficient_table(
    panels: dict[str, pd.DataFrame], world, reps: int = 4, seed: int = 7
) -> pd.DataFrame:
    """``population, sample, outcome, term, data, data_ci_low, data_ci_high, simulated,
    data_se, events`` for both stages (``challenge``; ``escalation`` = war given a challenge)."""
    rows = []
    for population, panel in panels.items():
        for sample in ("fit", "holdout"):
            frame = complete(panel, sample)
            if frame["challenge"].sum() < 10:
                continue
            sim = SimFrame.make(frame, reps, seed).outcomes(world)
            for stage in ("challenge", "escalation"):
                data, cov, events = aux_statistics(frame, stage, cluster="dyad")
                simulated, _, sim_events = aux_statistics(sim, stage)
                se = np.sqrt(np.clip(np.diag(cov.to_numpy()), 0, None))
                terms = ("const", *(CHALLENGE_TERMS if stage == "challenge" else ESCALATION_TERMS))
                for i, term in enumerate(data.index):
                    rows.append(
                        {
                            "population": population,
                            "sample": sample,
                            "outcome": stage,
                            "term": term,
                            "data": data[term],
                            "data_ci_low": data[term] - 1.96 * se[i],
                            "data_ci_high": data[term] + 1.96 * se[i],
                            "simulated": simulated.get(term, np.nan),
                            "data_se": se[i],
                            "events": events,
                            "sim_events": sim_events / reps,
                            "matched": term in terms,
                        }
                    )
    out = pd.DataFrame(rows)
    out["inside_ci"] = (out["simulated"] >= out["data_ci_low"]) & (
        out["simulated"] <= out["data_ci_high"]
    )
    return out


def _bin_labels(log_ratio: pd.Series) -> pd.Series:
    ratio = np.exp(log_ratio.to_numpy())
    labels = np.empty(len(ratio), dtype=object)
    for lo, hi, label in BINS:
        labels[(ratio >= lo) & (ratio < hi)] = label
    return pd.Series(labels, index=log_ratio.index)


def _expected(frame: pd.DataFrame, world, seed: int) -> pd.DataFrame:
    dy = DyadYears.from_frame(frame)
    p = stage_probabilities(dy, world, Draws.make(len(frame), seed).will)
    challenge = p["challenge"]
    force = challenge * p["resist"]
    return pd.DataFrame({"challenge": challenge, "force": force, "war": force * p["escalation"]})


def hazard_table(panels: dict[str, pd.DataFrame], world, seed: int = 11) -> pd.DataFrame:
    """Empirical and expected simulated hazards by population, stratum, sample and outcome."""
    rows = []
    for population, panel in panels.items():
        frame = complete(panel)
        frame = frame.assign(bin=_bin_labels(frame["log_capability_ratio"]))
        expected = _expected(frame, world, seed)
        for key, idx in frame.groupby(["sample", "bin", "target_pact"]).groups.items():
            sample, label, pact = key
            part, model = frame.loc[idx], expected.loc[idx]
            stratum = f"ratio {label}, {'pact' if pact else 'no pact'}"
            for outcome in OUTCOMES:
                if outcome == "escalation":
                    n, events = int(part["challenge"].sum()), int(part["war"].sum())
                    simulated = model["war"].sum() / max(model["challenge"].sum(), 1e-12)
                else:
                    n, events = len(part), int(part[outcome].sum())
                    simulated = model[outcome].mean()
                if n == 0:
                    continue
                lo, hi = wilson_interval(events, n)
                rows.append(
                    {
                        "population": population,
                        "stratum": stratum,
                        "sample": sample,
                        "outcome": outcome,
                        "dyad_years": n,
                        "empirical": events / n,
                        "ci_low": lo,
                        "ci_high": hi,
                        "simulated": float(simulated),
                        "events": events,
                        "ratio_bin": label,
                        "target_pact": int(pact),
                    }
                )
    out = pd.DataFrame(rows)
    out["in_ci"] = (out["simulated"] >= out["ci_low"]) & (out["simulated"] <= out["ci_high"])
    out["in_band"] = (out["simulated"] >= 0.5 * out["ci_low"]) & (
        out["simulated"] <= 2 * out["ci_high"]
    )
    return out
