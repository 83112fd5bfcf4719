"""``deterrence-sim report DIR``: ``report.md``, ``summary.csv`` and ``figures/*.png``.

:func:`write_report` reads the folder through the store's API, then writes one section per short
function: the header (with a warning when the sweep is incomplete), the summary table of the
design's kind, its figures, the paired effects of two-level factors, sensitivity indices and the
yearly series. Means carry a Student-t interval, except metrics that cannot leave a range (rates,
shares, counts), whose bootstrap interval stays inside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import UsageError
from ..escaping import md_cell, md_text, write_csv
from ..experiment import store
from ..markdown import md_table
from ..metrics import axis_label
from .plots import is_numeric_levels, plot_heatmap, plot_indices, plot_lever, plot_timeseries
from .sensitivity import morris_indices, sobol_indices
from .summaries import ci_summary, factor_levels, paired_difference, point_summary
from .uncertainties import uncertainty_section

__all__ = ["Completeness", "write_report"]

#: Metrics a report shows when the spec keeps them all and names none.
DEFAULT_REPORT_METRICS = (
    "attacks_per_year",
    "deterrence_failures",
    "partner_capability_final",
    "self_sufficiency",
    "post_exit_retention",
    "governance_10y_after_sunset",
    "donor_cost_total",
    "post_exit_attack_share",
)
#: Rows of the per-point table in report.md (summary.csv has them all).
MAX_ROWS = 200


@dataclass(frozen=True)
class Completeness:
    """How much of the planned design has a result: runs, and replications per design point."""

    done: int
    planned: int
    min_reps: int
    max_reps: int

    @classmethod
    def of(cls, df: pd.DataFrame, manifest: dict[str, Any]) -> Completeness:
        per_point = df.groupby("point").size().reindex(range(manifest["design"]["points"]))
        per_point = per_point.fillna(0).astype(int)
        return cls(len(df), int(manifest["runs"]), int(per_point.min()), int(per_point.max()))

    @property
    def complete(self) -> bool:
        return self.done == self.planned

    def __str__(self) -> str:
        text = f"{self.done} of {self.planned} runs"
        if self.min_reps != self.max_reps:
            text += (
                f", design unbalanced: replications per point range {self.min_reps}–{self.max_reps}"
            )
        return text


@dataclass
class _Report:
    """What every section reads: the folder, its manifest and results, and the choices made."""

    out_dir: Path
    manifest: dict[str, Any]
    df: pd.DataFrame
    metrics: list[str]
    level: float
    completeness: Completeness
    failed: int

    @property
    def spec(self) -> dict[str, Any]:
        return self.manifest["spec"]

    @property
    def factors(self) -> list[str]:
        return self.manifest["design"]["factors"]

    @property
    def kind(self) -> str:
        return self.manifest["design"]["kind"]

    def levels(self, factor: str | None) -> list | None:
        """The spec's order of a factor's levels (None for a range factor)."""
        for f in self.spec["factors"]:
            if f["name"] == factor:
                if f.get("bundles") is not None:
                    return list(f.get("values") or f["bundles"])
                return list(f["values"]) if f.get("values") is not None else None
        return None

    def note(self) -> list[str]:
        """The warning every table carries when the sweep is incomplete."""
        if self.completeness.complete:
            return []
        return [
            f"> **Incomplete sweep: {self.completeness}.** Means cover the runs that finished.",
            "",
        ]

    def save(self, fig, name: str) -> str:
        """Save a figure into ``figures/`` and close it; return its file name."""
        import matplotlib.pyplot as plt

        folder = self.out_dir / "figures"
        folder.mkdir(exist_ok=True)
        fig.tight_layout()
        fig.savefig(folder / name, dpi=110)
        plt.close(fig)
        return name


# --- formatting ------------------------------------------------------------------------------------


def _fmt(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.3g}"


def _ci(row: pd.Series, m: str) -> str:
    return f"{_fmt(row[f'{m}_mean'])} [{_fmt(row[f'{m}_lo'])}, {_fmt(row[f'{m}_hi'])}]"


def _figures(items: list[tuple[str, str]], title: str = "Figures") -> list[str]:
    """A figures heading with the images, or nothing when there are none."""
    if not items:
        return []
    lines = [f"## {title}", ""]
    for name, caption in items:
        lines += [f"![{caption}](figures/{name})", ""]
    return lines


def _session_seconds(s: dict[str, Any]) -> float:
    try:
        return (
            datetime.fromisoformat(s["finished"]) - datetime.fromisoformat(s["started"])
        ).total_seconds()
    except (KeyError, ValueError, TypeError):
        return 0.0


# --- reading ---------------------------------------------------------------------------------------


def _choose_metrics(
    spec: dict[str, Any], df: pd.DataFrame, chosen: list[str] | None, kept: list[str]
) -> list[str]:
    if chosen:
        unknown = [m for m in chosen if m not in kept]
        if unknown:
            raise UsageError(
                f"--metrics {' '.join(unknown)}: not a metric kept in this experiment; kept: "
                + (", ".join(kept) or "none")
            )
        return list(chosen)
    if spec.get("report", {}).get("metrics"):
        return [m for m in spec["report"]["metrics"] if m in df.columns]
    kept = spec["output"]["metrics"]
    if isinstance(kept, list):
        return [m for m in kept if m in df.columns][:8]
    return [m for m in DEFAULT_REPORT_METRICS if m in df.columns]


def _read(out_dir: Path, metrics: list[str] | None, level: float) -> _Report:
    manifest = store.read_manifest(out_dir)
    store.check_parts(out_dir)  # parts that disagree with the manifest: refuse, do not guess
    df = store.load(out_dir)
    if df.empty:
        raise UsageError(f"{out_dir}: no finished runs to report on")
    chosen = _choose_metrics(manifest["spec"], df, metrics, store.metric_columns(out_dir, df))
    status = store.completed_runs(out_dir)["status"]
    failed = int((status == "failed").sum())
    return _Report(out_dir, manifest, df, chosen, level, Completeness.of(df, manifest), failed)


# --- sections --------------------------------------------------------------------------------------


def _header(r: _Report) -> list[str]:
    man = r.manifest
    wall = sum(_session_seconds(s) for s in man.get("sessions", []))
    lines = [f"# {md_cell(man['name'])}", ""]
    if not r.completeness.complete:
        lines += [
            f"**Incomplete sweep: {r.completeness}.** Resume it with `deterrence-sim sweep SPEC "
            "--out DIR --resume` before drawing conclusions; `report --require-complete` refuses "
            "such a folder.",
            "",
        ]
    if man.get("description"):
        lines += [md_text(man["description"].strip()), ""]
    return [
        *lines,
        f"- design: **{r.kind}** over {', '.join(r.factors) or '(none)'}; "
        f"{man['design']['points']} points × {man['replications']} replications = "
        f"{man['runs']} runs of {man['years']} years",
        f"- runs: {r.completeness.done} of {man['runs']} with results, {r.failed} failed; "
        f"run time {wall:.0f} s",
        f"- root seed {man['root_seed']} (common random numbers: every point uses the same "
        "replication seeds); spec SHA-256 `" + man["spec_sha256"][:16] + "…`",
        f"- model {man['versions'].get('deterrence-sim', '?')}, Mesa "
        f"{man['versions'].get('mesa', '?')}, Python {man['python']}"
        + (f", git {man['git']['commit'][:10]}" if man.get("git") else ""),
        "",
        f"Means with {r.level:.0%} confidence intervals over replications: Student t, or for "
        "rates, shares and counts a percentile bootstrap that stays inside their range "
        "(`docs/metrics.md`). Full table: `summary.csv`.",
        "",
    ]


def _all_runs(r: _Report) -> list[str]:
    summ = ci_summary(r.df.assign(all_runs="all"), "all_runs", r.metrics, r.level, bounded=True)
    write_csv(summ.drop(columns="all_runs"), r.out_dir / "summary.csv", index=False)
    rows = [[m, _ci(summ.iloc[0], m)] for m in r.metrics]
    return ["## All runs", "", *r.note(), md_table(rows, ["metric", "mean [95% CI]"]), ""]


def _per_point(r: _Report) -> list[str]:
    summ = point_summary(r.df, r.factors, r.metrics, r.level, bounded=True)
    write_csv(summ, r.out_dir / "summary.csv", index=False)
    rows = [
        [str(row[f]) for f in r.factors] + [_ci(row, m) for m in r.metrics]
        for _, row in summ.head(MAX_ROWS).iterrows()
    ]
    lines = ["## Per design point", "", *r.note(), md_table(rows, [*r.factors, *r.metrics]), ""]
    if len(summ) > MAX_ROWS:
        lines += [f"(first {MAX_ROWS} of {len(summ)} points; all in summary.csv)", ""]
    return lines


def _default_x(df: pd.DataFrame, factors: list[str]) -> str:
    """The factor with the most levels (a numeric one if tied) is the natural x axis."""
    return max(factors, key=lambda f: (df[f].nunique(), is_numeric_levels(list(df[f].unique()))))


def _lever_figures(r: _Report) -> list[str]:
    import matplotlib.pyplot as plt

    rep = r.spec.get("report", {})
    x = rep.get("x") or _default_x(r.df, r.factors)
    hue = rep.get("hue") or next((f for f in r.factors if f != x), None)
    heat = rep.get("heatmap") or ([x, hue] if hue else None)
    items = []
    for m in r.metrics:
        fig, ax = plt.subplots(figsize=(6.5, 4.2))
        plot_lever(r.df, m, x, hue, r.level, r.levels(x), r.levels(hue), ax, bounded=True)
        by = f" by {hue}" if hue else ""
        items.append((r.save(fig, f"lever_{m}.png"), f"{axis_label(m)} vs {x}{by}"))
        if heat:
            fig, ax = plt.subplots(figsize=(6.5, 4.5))
            plot_heatmap(r.df, m, heat[0], heat[1], r.levels(heat[0]), r.levels(heat[1]), ax)
            caption = f"{axis_label(m)} over {heat[1]} × {heat[0]}"
            items.append((r.save(fig, f"heatmap_{m}.png"), caption))
    return _figures(items)


def _paired_effect(r: _Report, factor: str) -> list[str]:
    a, b = factor_levels(r.df, factor, r.levels(factor))
    pdiff = paired_difference(r.df, factor, a, b, r.metrics, r.level)
    rows = [
        [
            row["metric"],
            str(int(row["pairs"])),
            _fmt(row["mean_a"]),
            _fmt(row["mean_b"]),
            f"{_fmt(row['difference'])} [{_fmt(row['lo'])}, {_fmt(row['hi'])}]",
            "±" + _fmt((row["hi"] - row["lo"]) / 2),
            "±" + _fmt(row["unpaired_half_width"]),
        ]
        for _, row in pdiff.iterrows()
    ]
    header = ["metric", "pairs", str(a), str(b), "difference [95% CI]", "paired CI", "unpaired CI"]
    return [
        f"## Paired effect of {factor}: {a} → {b}",
        "",
        *r.note(),
        "Runs matched on every other factor and the replication seed.",
        "",
        md_table(rows, header),
        "",
    ]


def _paired_effects(r: _Report) -> list[str]:
    """Paired effects of every two-level factor (common random numbers make them sharp)."""
    lines: list[str] = []
    for f in r.factors:
        if r.df[f].nunique() == 2:
            lines += _paired_effect(r, f)
    return lines


def _scatter_figures(r: _Report) -> list[str]:
    import matplotlib.pyplot as plt

    summ = point_summary(r.df, r.factors, r.metrics, r.level, bounded=True)
    write_csv(summ, r.out_dir / "summary.csv", index=False)
    items = []
    n = len(r.factors)
    for m in r.metrics:
        fig, axes = plt.subplots(1, n, figsize=(3 * n, 3), squeeze=False, sharey=True)
        for ax, f in zip(axes[0], r.factors, strict=True):
            xs = summ[f].astype(str) if summ[f].dtype == object else summ[f]
            ax.scatter(xs, summ[f"{m}_mean"], s=8, alpha=0.6)
            ax.set_xlabel(f)
        axes[0][0].set_ylabel(axis_label(m))
        fig.suptitle(f"{axis_label(m)}: per-point means")
        items.append((r.save(fig, f"scatter_{m}.png"), f"{m} against each factor (LHS points)"))
    return [*r.note(), *_figures(items)]


def _indices(r: _Report, m: str) -> tuple[pd.DataFrame | None, list[str]]:
    import matplotlib.pyplot as plt

    sobol = r.kind == "sobol"
    try:
        idx = (sobol_indices if sobol else morris_indices)(r.out_dir, m, r.df)
    except ValueError as exc:
        return None, [f"- {m}: not computed ({exc})", ""]
    idx.insert(0, "metric", m)
    cols = (
        ["S1", "S1_conf", "ST", "ST_conf"] if sobol else ["mu_star", "mu_star_conf", "mu", "sigma"]
    )
    d = idx.sort_values(cols[2] if sobol else cols[0], ascending=False)
    rows = [[row["factor"], *[_fmt(row[c]) for c in cols]] for _, row in d.iterrows()]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(idx) + 1.6))
    plot_indices(idx, m, ax)
    name = r.save(fig, f"sensitivity_{m}.png")
    return idx, [
        f"### {m}",
        "",
        md_table(rows, ["factor", *cols]),
        "",
        f"![sensitivity of {m}](figures/{name})",
        "",
    ]


def _sensitivity(r: _Report) -> list[str]:
    summ = point_summary(r.df, r.factors, r.metrics, r.level, bounded=True)
    write_csv(summ, r.out_dir / "summary.csv", index=False)
    title = "Sobol S1/ST" if r.kind == "sobol" else "Morris μ*/σ"
    lines = [f"## Sensitivity ({title})", "", *r.note()]
    found = []
    for m in r.metrics:
        idx, section = _indices(r, m)
        lines += section
        if idx is not None:
            found.append(idx)
    if found:
        write_csv(pd.concat(found), r.out_dir / "indices.csv", index=False)
    return lines


def _series(r: _Report) -> list[str]:
    """Yearly series kept by the sweep, one figure per column (at most six)."""
    import matplotlib.pyplot as plt

    if not (r.spec["output"].get("timeseries") and r.kind in ("grid", "list")):
        return []
    ts = store.load_timeseries(r.out_dir)
    if ts.empty:
        return []
    by = r.spec.get("report", {}).get("x") or (r.factors[0] if r.factors else None)
    first = ts.columns.get_loc("year") + 1
    columns = [c for c in ts.columns[first:] if pd.api.types.is_numeric_dtype(ts[c])][:6]
    items = []
    for c in columns:
        fig, ax = plt.subplots(figsize=(6.5, 4))
        plot_timeseries(ts, c, by, r.levels(by), ax, bounded=True)
        caption = f"{axis_label(c, yearly=True)} by year" + (f" and {by}" if by else "")
        items.append((r.save(fig, f"series_{c}.png"), caption))
    return _figures(items, "Yearly series")


def _body(r: _Report) -> list[str]:
    """The sections of the design's kind."""
    if not r.factors:
        return _all_runs(r)
    if r.kind in ("grid", "list"):
        return _per_point(r) + _lever_figures(r) + _paired_effects(r)
    if r.kind == "lhs":
        return _scatter_figures(r)
    return _sensitivity(r)


def write_report(
    out_dir: str | Path,
    metrics: list[str] | None = None,
    level: float = 0.95,
    require_complete: bool = False,
) -> Path:
    """Write ``report.md``, ``summary.csv`` and PNG figures for an experiment folder.

    ``require_complete``: refuse (UsageError) a sweep with runs still missing, before writing.
    """
    import matplotlib

    matplotlib.use("Agg")
    r = _read(Path(out_dir), metrics, level)
    if require_complete and not r.completeness.complete:
        raise UsageError(
            f"{out_dir}: incomplete sweep ({r.completeness}); resume it with `sweep --resume`, "
            "or report without --require-complete"
        )
    lines = _header(r) + _body(r) + uncertainty_section(r.df, r.manifest, r.metrics) + _series(r)
    path = r.out_dir / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
