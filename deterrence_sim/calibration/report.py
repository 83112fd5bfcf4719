"""Write a calibration out: ``calibration.csv``, ``coefficients.csv``, ``posterior.csv``,
``fitted.toml``, two figures and ``report.md``."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..escaping import write_csv
from ..markdown import md_table
from .procedure import Calibration

__all__ = ["COEFFICIENT_COLUMNS", "CSV_COLUMNS", "OUTPUT_FILES", "fitted_toml", "write_outputs"]

#: Columns of calibration.csv (hazards by stratum; ``escalation`` counts challenges, not years).
CSV_COLUMNS = [
    "population",
    "stratum",
    "sample",
    "outcome",
    "dyad_years",
    "empirical",
    "ci_low",
    "ci_high",
    "simulated",
    "events",
    "ratio_bin",
    "target_pact",
    "in_ci",
    "in_band",
]
#: Columns of coefficients.csv (the issue's contract first).
COEFFICIENT_COLUMNS = [
    "population",
    "sample",
    "outcome",
    "term",
    "data",
    "data_ci_low",
    "data_ci_high",
    "simulated",
    "data_se",
    "events",
    "sim_events",
    "matched",
    "inside_ci",
]
OUTPUT_FILES = (
    "report.md",
    "calibration.csv",
    "coefficients.csv",
    "posterior.csv",
    "fitted.toml",
    "coefficients.png",
    "posterior.png",
)
_ROUND = 6
KEY_TERMS = ("log_capability_ratio", "target_pact", "contiguous")


def _sig(x: float, digits: int = 3) -> str:
    """Round to ``digits`` significant figures (the fit is not more precise than that)."""
    if x == 0 or not math.isfinite(x):
        return repr(float(x))
    return repr(float(f"{x:.{digits}g}"))


def rounded(cal: Calibration) -> dict[str, float]:
    """The fitted values as written to fitted.toml (3 significant figures)."""
    return {k: float(_sig(v)) for k, v in cal.fitted.items()}


def fitted_toml(cal: Calibration) -> str:
    """``[world]``: the posterior medians (and the era terms) the package defaults must equal;
    ``[interval]``: posterior 95% intervals."""
    lines = [
        f"# Written by `deterrence-sim calibrate` ({cal.mode} run): the two-stage deterrence core",
        "# fitted by Bayesian indirect inference to politically relevant directed dyad-years",
        "# 1816-1945, era terms on 1816-2010 (docs/calibration.md). The World defaults of the",
        "# package equal [world] (tests/test_calibration.py checks it).",
        "[world]",
    ]
    lines += [f"{k} = {_sig(v)}" for k, v in cal.fitted.items()]
    lines += ["", "[interval]  # posterior 2.5% and 97.5%"]
    lines += [f"{k} = [{_sig(lo)}, {_sig(hi)}]" for k, (lo, hi) in cal.interval.items()]
    return "\n".join(lines) + "\n"


def plot_coefficients(coefficients: pd.DataFrame, path: Path) -> None:
    """Data (95% CI) against model, key terms, both stages, PRD and rivals, fit and holdout."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = coefficients[coefficients["term"].isin(KEY_TERMS)].reset_index(drop=True)
    fig, axes = plt.subplots(1, 2, figsize=(12, 0.32 * len(rows) / 2 + 2), sharey=False)
    for ax, stage in zip(axes, ("challenge", "escalation"), strict=True):
        part = rows[rows["outcome"] == stage].reset_index(drop=True)
        y = range(len(part))
        ax.errorbar(
            part["data"],
            y,
            xerr=[part["data"] - part["data_ci_low"], part["data_ci_high"] - part["data"]],
            fmt="o",
            capsize=3,
            label="data (95% CI)",
        )
        ax.plot(part["simulated"], y, "x", color="C3", markersize=9, mew=2, label="model")
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_yticks(list(y))
        ax.set_yticklabels(
            [f"{r.population} {r.sample}: {r.term}" for r in part.itertuples()], fontsize=8
        )
        ax.set_xlabel("logit coefficient")
        ax.set_title(f"{stage}" + (" (war given a challenge)" if stage == "escalation" else ""))
        ax.legend(fontsize=8)
    fig.suptitle("Auxiliary logits: data against the model at the posterior median")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_posterior(posterior: pd.DataFrame, interval: dict, path: Path) -> None:
    """Marginal posterior of each calibrated parameter (histograms, 95% interval shaded)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(interval)
    cols = 4
    nrows = math.ceil(len(names) / cols)
    fig, axes = plt.subplots(nrows, cols, figsize=(12, 2.6 * nrows))
    for ax, name in zip(axes.flat, names, strict=False):
        values = posterior[f"world.{name}"]
        ax.hist(values, bins=30, color="C0", alpha=0.8)
        lo, hi = interval[name]
        ax.axvspan(lo, hi, color="C1", alpha=0.15)
        ax.axvline(values.median(), color="C3")
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(names) :]:
        ax.axis("off")
    fig.suptitle("Posterior draws (median in red, 95% interval shaded)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _posterior_md(cal: Calibration) -> list[str]:
    rows = []
    for fit in cal.stages.values():
        for p in fit.parameters:
            lo, hi = cal.interval[p.name]
            rows.append(
                [
                    fit.stage,
                    f"`{p.name}`",
                    _sig(cal.fitted[p.name]),
                    f"[{_sig(lo)}, {_sig(hi)}]",
                    f"[{_sig(p.lo)}, {_sig(p.hi)}]",
                    _sig(fit.mode[p.name]),
                ]
            )
    return [md_table(rows, ["stage", "parameter", "median", "95% interval", "prior box", "mode"])]


def _coefficients_md(c: pd.DataFrame) -> list[str]:
    rows = []
    for r in c[c["term"].isin((*KEY_TERMS, "const", "declining", "rivalry"))].itertuples():
        rows.append(
            [
                r.population,
                r.sample,
                r.outcome,
                r.term,
                f"{r.data:.3f}",
                f"[{r.data_ci_low:.3f}, {r.data_ci_high:.3f}]",
                f"{r.simulated:.3f}",
                "yes" if r.inside_ci else "no",
            ]
        )
    return [
        md_table(
            rows, ["population", "sample", "stage", "term", "data", "95% CI", "model", "inside"]
        )
    ]


def _hazards_md(t: pd.DataFrame) -> list[str]:
    g = t.groupby(["population", "sample", "outcome"])
    rows = [
        [p, s, o, f"{int(d['in_band'].sum())}/{len(d)}", f"{int(d['in_ci'].sum())}/{len(d)}"]
        for (p, s, o), d in g
    ]
    return [md_table(rows, ["population", "sample", "outcome", "strata in band", "inside 95% CI"])]


def _summary_md(cal: Calibration) -> list[str]:
    rows = [
        [
            str(x)
            for x in (
                k,
                v["years"],
                v["dyad_years"],
                v["dyads"],
                v["challenges"],
                v["force"],
                v["wars"],
            )
        ]
        for k, v in cal.panel_summary.items()
    ]
    return [
        md_table(rows, ["panel", "years", "dyad-years", "dyads", "challenges", "force", "wars"])
    ]


def report_md(cal: Calibration) -> str:
    """The report: what was fitted, how, what the data say and how the model compares."""
    dyads = cal.dyads
    dyad_rows = (
        [
            [
                f"{r.aggressor}→{r.partner}",
                f"{r.ratio:.1f}",
                f"{100 * r.probability:.1f}% [{100 * r.low:.1f}, {100 * r.high:.1f}]",
                f"{r.challenges:.2f}",
            ]
            for r in dyads.itertuples()
        ]
        if dyads is not None
        else []
    )
    lines = [
        f"# Calibration report ({cal.mode} run)",
        "",
        "The two-stage deterrence core (challenge: general deterrence; escalation of a resisted",
        "challenge to war: immediate deterrence) fitted by Bayesian indirect inference to",
        "politically relevant directed dyad-years 1816-1945 (Lemke & Reed 2001; GML MIDs;",
        "Leeds-style target pacts from ATOP), the era terms on 1816-2010, checked on 1946-2010",
        "and on Thompson & Dreyer rivals. Method and coding: docs/calibration.md and",
        "docs/deterrence-data.md.",
        "",
        "## Panels",
        "",
        *_summary_md(cal),
        "",
        "## Posterior (World defaults = medians)",
        "",
        *_posterior_md(cal),
        "",
        "Era terms (1816-2010, point values): "
        + ", ".join(
            f"`{k}` = {_sig(v)}"
            for k, v in cal.fitted.items()
            if k in ("era_weight", "escalation_era_weight")
        )
        + ".",
        "",
        "Acceptance of the chains: "
        + ", ".join(f"{k} {v.acceptance:.2f}" for k, v in cal.stages.items())
        + f"; {len(cal.posterior)} joint draws in posterior.csv.",
        "",
        "## Auxiliary coefficients: data and model",
        "",
        "![coefficients](coefficients.png)",
        "",
        *_coefficients_md(cal.coefficients),
        "",
        "## Hazards by capability ratio x target pact",
        "",
        "Band: simulated within [1/2 x CI low, 2 x CI high]. `force` is the data's use of force by",
        "the challenger against the model's resisted demands: not the same event (see",
        "docs/calibration.md), reported, not fitted.",
        "",
        *_hazards_md(cal.table),
        "",
        "## Data-built dyads of 2016 (no pact with the United States): five-year war probability",
        "",
        md_table(dyad_rows, ["dyad", "capability ratio", "P(war in 5 years)", "challenges/run"]),
        "",
        "## Posterior draws",
        "",
        "![posterior](posterior.png)",
        "",
        "## Run time",
        "",
        ", ".join(f"{k} {v:.0f} s" for k, v in cal.timings.items()) + ".",
        "",
    ]
    return "\n".join(lines)


def write_outputs(cal: Calibration, out: str | Path) -> dict[str, Path]:
    """Write every output file into ``out``; returns their paths by short name."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in OUTPUT_FILES}
    write_csv(cal.table[CSV_COLUMNS].round(_ROUND), paths["calibration.csv"], index=False)
    write_csv(
        cal.coefficients[COEFFICIENT_COLUMNS].round(_ROUND), paths["coefficients.csv"], index=False
    )
    write_csv(cal.posterior.round(_ROUND), paths["posterior.csv"], index=False)
    paths["fitted.toml"].write_text(fitted_toml(cal), encoding="utf-8")
    plot_coefficients(cal.coefficients, paths["coefficients.png"])
    plot_posterior(cal.posterior, cal.interval, paths["posterior.png"])
    paths["report.md"].write_text(report_md(cal), encoding="utf-8")
    return paths
