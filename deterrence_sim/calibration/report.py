"""Write a calibration out: ``calibration.csv``, ``fitted.toml``, figures and ``report.md``."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..escaping import write_csv
from . import fit
from .procedure import Calibration
from .strata import RATIO_POINTS

__all__ = ["CSV_COLUMNS", "write_outputs"]

#: Columns of calibration.csv (the first eight are the issue's contract).
CSV_COLUMNS = [
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
    "sim_dyad_years",
    "sim_events",
    "sim_ratio",
    "emulated",
    "in_ci",
    "in_band",
]
_ROUND = 6


def fitted_toml(cal: Calibration) -> str:
    """The fitted parameter set as TOML: ``[world]`` holds the values the package defaults must
    equal; ``[interval]`` the bootstrap 95% intervals."""
    lines = [
        f"# Written by `deterrence-sim calibrate` ({cal.mode} run): the deterrence core fitted to",
        "# Thompson & Dreyer rival dyad-years 1816-1945 (docs/calibration.md). The World defaults",
        "# of the package equal [world] (tests/test_calibration.py checks it).",
        "[world]",
    ]
    for p in fit.PARAMETERS:
        lines.append(f"{p.name} = {_sig(cal.fitted[p.name])}")
    lines.append("")
    lines.append("[interval]  # cluster-bootstrap 2.5% and 97.5% (rivalries resampled)")
    for p in fit.PARAMETERS:
        lo, hi = cal.interval[p.name]
        lines.append(f"{p.name} = [{_sig(lo)}, {_sig(hi)}]")
    return "\n".join(lines) + "\n"


def _sig(x: float, digits: int = 3) -> str:
    """Round to ``digits`` significant figures (the fit is not more precise than that)."""
    if x == 0 or not math.isfinite(x):
        return repr(float(x))
    return repr(float(f"{x:.{digits}g}"))


def rounded(cal: Calibration) -> dict[str, float]:
    """The fitted values as written to fitted.toml (3 significant figures)."""
    return {k: float(_sig(v)) for k, v in cal.fitted.items()}


def plot_hazards(table: pd.DataFrame, sample: str, path: Path) -> None:
    """Empirical hazards (points, Wilson 95% CI) and simulated ones (crosses) by stratum."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, outcome in zip(axes, ("war", "coercion"), strict=True):
        rows = table[(table["sample"] == sample) & (table["outcome"] == outcome)].reset_index()
        x = range(len(rows))
        err = [rows["empirical"] - rows["ci_low"], rows["ci_high"] - rows["empirical"]]
        ax.errorbar(
            x,
            100 * rows["empirical"],
            yerr=[100 * e for e in err],
            fmt="o",
            capsize=3,
            label="data (95% CI)",
        )
        ax.plot(x, 100 * rows["simulated"], "x", color="C3", markersize=9, mew=2, label="model")
        if outcome == "war":
            ax.fill_between(
                x,
                50 * rows["ci_low"],
                200 * rows["ci_high"],
                color="C0",
                alpha=0.08,
                step="mid",
                label="acceptance band",
            )
        ax.set_xticks(list(x))
        ax.set_xticklabels(
            [s.replace("ratio ", "").replace(", ", "\n") for s in rows["stratum"]], fontsize=8
        )
        ax.set_ylabel(f"{outcome} initiation, % of dyad-years")
        ax.set_title(f"{outcome}: {sample} sample")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8)
    fig.suptitle(
        "Rival dyad-years: challenger/target CINC ratio and target's third-party defence pact"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _pct(x: float, nd: int = 2) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.{nd}f}%"


def _table_md(table: pd.DataFrame, sample: str) -> list[str]:
    out = [
        "| stratum | outcome | dyad-years | events | data | 95% CI | model | in CI | in band |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in table[table["sample"] == sample].itertuples():
        out.append(
            f"| {r.stratum} | {r.outcome} | {r.dyad_years} | {r.events} | {_pct(r.empirical)} | "
            f"[{_pct(r.ci_low)}, {_pct(r.ci_high)}] | {_pct(r.simulated)} | "
            f"{'yes' if r.in_ci else 'no'} | {'yes' if r.in_band else 'no'} |"
        )
    return out


def _leeds_md(df: pd.DataFrame, terms: tuple[str, ...], by_period: bool = False) -> list[str]:
    head = (
        "| period | outcome | term | odds ratio | 95% CI | p | n | events |"
        if by_period
        else "| outcome | term | odds ratio | 95% CI | p | n | events |"
    )
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in df[df["term"].isin(terms)].itertuples():
        cells = [
            r.outcome,
            r.term,
            f"{r.odds_ratio:.2f}",
            f"[{r.or_low:.2f}, {r.or_high:.2f}]",
            f"{r.p:.3f}",
            str(r.n),
            str(r.events),
        ]
        if by_period:
            cells.insert(0, r.period)
        out.append("| " + " | ".join(cells) + " |")
    return out


def report_md(cal: Calibration) -> str:
    ps = cal.panel_summary
    t = cal.table
    war = t[t["outcome"] == "war"]
    lines = [
        f"# Calibration of the deterrence core ({cal.mode} run)",
        "",
        "Generated by `deterrence-sim calibrate`; the method and its limits are in `docs/calibration.md`.",
        "",
        "## Panel",
        "",
        f"{ps['dyad_years']:,} directed dyad-years of Thompson & Dreyer strategic rivals, "
        f"{ps['first_year']}–{ps['last_year']} ({ps['dyads']} directed dyads, {ps['rivalries']} rivalries); "
        f"{ps['mids']} MID initiations ({ps['force']} with use of force); {ps['wars']} war initiations "
        f"in the {ps['war_years']:,} dyad-years up to 2007 (the COW war list ends there).",
        "",
        "Hazards by the issue's capability bins, both periods pooled (war: years to 2007):",
        "",
        "| stratum | dyad-years | war / yr | use of force / yr | any MID / yr |",
        "|---|---|---|---|---|",
    ]
    d = cal.descriptive.pivot_table(
        index="stratum", columns="outcome", values="empirical", sort=False
    )
    n = cal.descriptive[cal.descriptive["outcome"] == "coercion"].set_index("stratum")["dyad_years"]
    for stratum in d.index:
        lines.append(
            f"| {stratum} | {n[stratum]} | {_pct(d.loc[stratum, 'war'])} | "
            f"{_pct(d.loc[stratum, 'force'])} | {_pct(d.loc[stratum, 'coercion'])} |"
        )
    lines += [
        "",
        "## Do a target's alliances deter? (Leeds 2003 on rivals)",
        "",
        "Logit of initiation on the target's third-party defence pact (and one with a major power), the "
        "challenger's own pacts, log CINC ratio, contiguity, major-power status and a peace-years cubic; "
        "standard errors clustered by directed dyad.",
        "",
        *_leeds_md(
            cal.leeds,
            ("target_pact", "target_pact_major", "challenger_pact", "log_cinc_ratio", "contiguous"),
        ),
        "",
        "By period:",
        "",
        *_leeds_md(cal.leeds_by_period, ("target_pact", "target_pact_major"), by_period=True),
        "",
        "## Fitted parameters",
        "",
        f"Simulated method of moments on the {int((t['sample'] == 'fit').sum())} fit-sample moments "
        f"(1816–1945) through a Gaussian-process emulator of {cal.design_points} design points "
        f"({cal.settings.seeds} seeds × {len(RATIO_POINTS)} ratio points × "
        f"{cal.settings.years} years per stratum and point); reported hazards are the simulator's own "
        f"at the fitted values ({cal.settings.final_seeds} seeds per ratio point).",
        "",
        "| parameter | fitted | bootstrap 95% interval | curvature s.e. (search scale) | role |",
        "|---|---|---|---|---|",
    ]
    for p in fit.PARAMETERS:
        lo, hi = cal.interval[p.name]
        scale = "log" if p.log else "linear"
        lines.append(
            f"| `{p.name}` | {_sig(cal.fitted[p.name])} | [{_sig(lo)}, {_sig(hi)}] | "
            f"{cal.curvature_se[p.name]:.2g} ({scale}) | {p.why} |"
        )
    for note in cal.notes:
        lines += ["", note]
    lines += [
        "",
        f"Weighted distance: fit {cal.objective['fit']:.1f} on {int((t['sample'] == 'fit').sum())} moments, "
        f"holdout {cal.objective['holdout']:.1f} on {int((t['sample'] == 'holdout').sum())}.",
        "",
        "## Fit sample (1816–1945)",
        "",
        *_table_md(t, "fit"),
        "",
        "![fit](hazards_fit.png)",
        "",
        "## Holdout sample (1946–2010)",
        "",
        *_table_md(t, "holdout"),
        "",
        "![holdout](hazards_holdout.png)",
        "",
        "## Acceptance",
        "",
    ]
    for sample in ("fit", "holdout"):
        rows = war[(war["sample"] == sample) & (war["dyad_years"] >= 100)]
        ok = int(rows["in_band"].sum())
        lines.append(
            f"- {sample}: simulated war hazard within [½ × CI low, 2 × CI high] in {ok} of "
            f"{len(rows)} strata with ≥ 100 dyad-years; inside the 95% CI in {int(rows['in_ci'].sum())}."
        )
    if cal.dyads is not None:
        lines += [
            "",
            "## Data-built partners without a pact facing a stronger rival (2016)",
            "",
            "Probability of at least one war within five years (`scenario from-data`, donor USA, "
            "no defence pact; Wilson 95%), with the pre-calibration coefficients and the fitted ones:",
            "",
            "| aggressor → partner | capability ratio | before | after | preventive share of wars after |",
            "|---|---|---|---|---|",
        ]
        for r in cal.dyads.itertuples():
            lines.append(
                f"| {r.aggressor} → {r.partner} | {r.ratio:.1f} | {r.before:.2f} "
                f"[{r.before_low:.2f}, {r.before_high:.2f}] | {r.after:.2f} "
                f"[{r.after_low:.2f}, {r.after_high:.2f}] | "
                + ("–" if math.isnan(r.after_preventive) else f"{r.after_preventive:.0%}")
                + " |"
            )
        lines += [
            "",
            "The preventive-war rule (Powell 2006) fires when a visible aid pipeline would shift "
            "the balance; `scenario from-data` gives the donor a budget of 0.5% of its milex, "
            "which for a small partner is a program several times its own military. That rule "
            "and aid are not calibrated here.",
        ]
    lines += [
        "",
        "## Mapping",
        "",
        cal.mapping,
        "",
        "## Run time",
        "",
        ", ".join(f"{k} {v:.0f} s" for k, v in cal.timings.items()) + ".",
        "",
    ]
    return "\n".join(lines)


def write_outputs(cal: Calibration, out: str | Path) -> dict[str, Path]:
    """Write calibration.csv, fitted.toml, hazards_fit.png, hazards_holdout.png and report.md."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "csv": out / "calibration.csv",
        "fitted": out / "fitted.toml",
        "fit_png": out / "hazards_fit.png",
        "holdout_png": out / "hazards_holdout.png",
        "report": out / "report.md",
    }
    write_csv(cal.table[CSV_COLUMNS].round(_ROUND), paths["csv"], index=False)
    paths["fitted"].write_text(fitted_toml(cal), encoding="utf-8")
    plot_hazards(cal.table, "fit", paths["fit_png"])
    plot_hazards(cal.table, "holdout", paths["holdout_png"])
    paths["report"].write_text(report_md(cal), encoding="utf-8")
    return paths
