"""Analysis of experiment results: confidence intervals, lever plots, heatmaps, sensitivity indices.

Works on the tidy frame of :func:`deterrence_sim.experiment.load` (one row per run: factors and
metrics). Means across replications carry Student-t 95% confidence intervals (replications are
independent runs with different seeds; across design points they share seeds, so differences
between points are paired). Sobol indices (Saltelli 2002; Saltelli et al. 2010) and Morris
elementary effects (Morris 1991; Campolongo, Cariboni & Saltelli 2007) are computed by SALib
(Herman & Usher 2017) on the per-point mean over replications.

``write_report(DIR)`` writes ``DIR/report.md``, ``DIR/summary.csv`` and ``DIR/figures/*.png``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ci_summary",
    "factor_levels",
    "morris_indices",
    "paired_difference",
    "plot_heatmap",
    "plot_indices",
    "plot_lever",
    "plot_timeseries",
    "point_summary",
    "sobol_indices",
    "write_report",
]

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


def _label_axes(ax, xlabel: str, ylabel: str, title: str, legend: bool) -> None:
    """Labels, title, an optional legend and a light grid: the finish of every CI plot."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if legend:
        ax.legend(fontsize="small")
    ax.grid(alpha=0.3)


def _t_crit(n: np.ndarray, level: float) -> np.ndarray:
    from scipy import stats

    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(n > 1, stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)), np.nan)


def ci_summary(
    df: pd.DataFrame, by: list[str] | str, metrics: list[str], level: float = 0.95
) -> pd.DataFrame:
    """Mean, standard deviation, count and ``level`` CI of each metric per group of ``by``.

    Columns ``<metric>_mean``, ``_sd``, ``_n``, ``_lo``, ``_hi``. NaN values (a metric that does
    not apply to a run) are left out of that metric's count.
    """
    by = [by] if isinstance(by, str) else list(by)
    g = df.groupby(by, sort=False, dropna=False)
    out = g.size().rename("runs").to_frame()
    for m in metrics:
        mean = g[m].mean()
        sd = g[m].std(ddof=1)
        n = g[m].count()
        half = _t_crit(n.to_numpy(), level) * sd.to_numpy() / np.sqrt(np.maximum(n.to_numpy(), 1))
        out[f"{m}_mean"] = mean
        out[f"{m}_sd"] = sd
        out[f"{m}_n"] = n
        out[f"{m}_lo"] = mean - half
        out[f"{m}_hi"] = mean + half
    return out.reset_index()


def point_summary(
    df: pd.DataFrame, factors: list[str], metrics: list[str], level: float = 0.95
) -> pd.DataFrame:
    """:func:`ci_summary` per design point (one row per point, with its factor values)."""
    return ci_summary(df, ["point", *factors], metrics, level).sort_values("point")


def factor_levels(df: pd.DataFrame, factor: str, spec_levels: list[Any] | None = None) -> list:
    """The levels of a factor in a sensible order: the spec's order, else sorted."""
    present = list(pd.unique(df[factor]))
    if spec_levels:
        from .experiment.store import toml_text

        ordered = []
        for v in spec_levels:
            for p in present:
                if p == v or str(p) == toml_text(v):
                    ordered.append(p)
                    break
        rest = [p for p in present if p not in ordered]
        return ordered + rest
    try:
        return sorted(present)
    except TypeError:
        return present


def _is_numeric_levels(levels: list) -> bool:
    return all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
        for v in levels
    )


def plot_lever(
    df: pd.DataFrame,
    metric: str,
    x: str,
    hue: str | None = None,
    level: float = 0.95,
    x_levels: list | None = None,
    hue_levels: list | None = None,
    ax=None,
):
    """Mean of ``metric`` against lever ``x`` with a CI band, one line per level of ``hue``.

    Other factors are averaged over (marginal means: each level pools its runs).
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    xs = factor_levels(df, x, x_levels)
    numeric = _is_numeric_levels(xs)
    pos = {v: (float(v) if numeric else i) for i, v in enumerate(xs)}
    groups = (
        [(None, df)]
        if hue is None
        else [(h, df[df[hue] == h]) for h in factor_levels(df, hue, hue_levels)]
    )
    for h, sub in groups:
        s = ci_summary(sub, x, [metric], level)
        s = s.set_index(x).reindex(xs).dropna(subset=[f"{metric}_mean"])
        px = [pos[v] for v in s.index]
        label = None if h is None else f"{hue} = {h}"
        line = ax.plot(px, s[f"{metric}_mean"], marker="o", label=label)[0]
        ax.fill_between(
            px, s[f"{metric}_lo"], s[f"{metric}_hi"], alpha=0.2, color=line.get_color(), lw=0
        )
    if not numeric:
        ax.set_xticks(range(len(xs)), [str(v) for v in xs])
    _label_axes(ax, x, metric, f"{metric} vs {x} (mean, {level:.0%} CI)", legend=hue is not None)
    return ax


def plot_heatmap(
    df: pd.DataFrame,
    metric: str,
    x: str,
    y: str,
    x_levels: list | None = None,
    y_levels: list | None = None,
    ax=None,
):
    """Mean of ``metric`` over two levers (other factors averaged over), values annotated."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    xs = factor_levels(df, x, x_levels)
    ys = factor_levels(df, y, y_levels)
    table = df.groupby([y, x], sort=False)[metric].mean().unstack(x)
    table = table.reindex(index=ys, columns=xs)
    im = ax.imshow(table.to_numpy(dtype=float), aspect="auto", origin="lower", cmap="viridis")
    ax.set_xticks(range(len(xs)), [str(v) for v in xs])
    ax.set_yticks(range(len(ys)), [str(v) for v in ys])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    vals = table.to_numpy(dtype=float)
    finite = vals[np.isfinite(vals)]
    mid = (finite.min() + finite.max()) / 2 if finite.size else 0
    for i in range(len(ys)):
        for j in range(len(xs)):
            v = vals[i, j]
            if np.isfinite(v):
                ax.text(
                    j,
                    i,
                    f"{v:.3g}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="black" if v > mid else "white",
                )
    ax.figure.colorbar(im, ax=ax, label=metric)
    ax.set_title(f"{metric}: mean over {y} × {x}")
    return ax


def _point_means(df: pd.DataFrame, metric: str, n_points: int) -> np.ndarray:
    y = df.groupby("point")[metric].mean().reindex(range(n_points))
    return y.to_numpy(dtype=float)


def _unit_matrix(out_dir: Path, factors: list[str]) -> np.ndarray:
    runs = pd.read_parquet(out_dir / "runs.parquet")
    pts = runs.drop_duplicates("point").sort_values("point")
    return pts[[f"u.{f}" for f in factors]].to_numpy(dtype=float)


def _sensitivity_inputs(out_dir: Path, metric: str, df: pd.DataFrame | None):
    """Manifest, factor names, per-point means of ``metric`` and the SALib problem (factors on
    their normalised range [0, 1]); ValueError when a design point has no value."""
    from .experiment.store import load, read_manifest

    man = read_manifest(out_dir)
    factors = man["design"]["factors"]
    df = load(out_dir) if df is None else df
    y = _point_means(df, metric, man["design"]["points"])
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{metric}: {int((~np.isfinite(y)).sum())} design points have no value")
    problem = {"num_vars": len(factors), "names": factors, "bounds": [[0.0, 1.0]] * len(factors)}
    return man, factors, y, problem


def sobol_indices(out_dir: str | Path, metric: str, df: pd.DataFrame | None = None) -> pd.DataFrame:
    """First-order and total Sobol indices (with 95% bootstrap half-widths) of ``metric``.

    Uses the per-point mean over replications. Raises ValueError when a point has no value.
    """
    from SALib.analyze import sobol

    out_dir = Path(out_dir)
    man, factors, y, problem = _sensitivity_inputs(out_dir, metric, df)
    design = man["spec"]["design"]
    res = sobol.analyze(
        problem,
        y,
        calc_second_order=bool(design.get("second_order")),
        seed=man["root_seed"],
    )
    return pd.DataFrame(
        {
            "factor": factors,
            "S1": res["S1"],
            "S1_conf": res["S1_conf"],
            "ST": res["ST"],
            "ST_conf": res["ST_conf"],
        }
    )


def morris_indices(
    out_dir: str | Path, metric: str, df: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Morris mu* (with 95% CI half-width), mu and sigma of ``metric`` per factor.

    Elementary effects are per unit of the factor's normalised range [0, 1], so factors are
    comparable.
    """
    from SALib.analyze import morris

    out_dir = Path(out_dir)
    man, factors, y, problem = _sensitivity_inputs(out_dir, metric, df)
    x = _unit_matrix(out_dir, factors)
    res = morris.analyze(
        problem, x, y, num_levels=man["spec"]["design"]["levels"], seed=man["root_seed"]
    )
    return pd.DataFrame(
        {
            "factor": factors,
            "mu_star": res["mu_star"],
            "mu_star_conf": res["mu_star_conf"],
            "mu": res["mu"],
            "sigma": res["sigma"],
        }
    )


def plot_indices(indices: pd.DataFrame, metric: str = "", ax=None):
    """Bar chart of Sobol S1/ST with confidence bars, or a Morris tornado of mu* (and sigma)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.35 * len(indices) + 1.5))
    if "ST" in indices:
        d = indices.sort_values("ST")
        yy = np.arange(len(d))
        ax.barh(yy - 0.2, d["ST"], 0.4, xerr=d["ST_conf"], label="total (ST)", capsize=2)
        ax.barh(yy + 0.2, d["S1"], 0.4, xerr=d["S1_conf"], label="first order (S1)", capsize=2)
        ax.set_xlabel("Sobol index")
    else:
        d = indices.sort_values("mu_star")
        yy = np.arange(len(d))
        ax.barh(yy - 0.2, d["mu_star"], 0.4, xerr=d["mu_star_conf"], label="μ*", capsize=2)
        ax.barh(yy + 0.2, d["sigma"], 0.4, label="σ", alpha=0.6)
        ax.set_xlabel("elementary effect (per unit of normalised range)")
    ax.set_yticks(yy, d["factor"])
    ax.axvline(0, color="black", lw=0.5)
    ax.legend(fontsize="small", loc="lower right")
    ax.set_title(f"Sensitivity of {metric}" if metric else "Sensitivity")
    ax.grid(alpha=0.3, axis="x")
    return ax


def paired_difference(
    df: pd.DataFrame, factor: str, a: Any, b: Any, metrics: list[str], level: float = 0.95
) -> pd.DataFrame:
    """Effect of switching ``factor`` from ``a`` to ``b``, paired by seed (common random numbers).

    Runs are matched on every other factor and the replication (so on the seed); per metric the
    mean paired difference ``b - a`` with its ``level`` CI, and for comparison the CI half-width
    an unpaired comparison of the same runs would have. Pairs where either value is NaN are left
    out.
    """
    others = [c for c in _factor_names(df) if c != factor and c in df.columns]
    key = [*others, "replication"]
    left = df[df[factor] == a].set_index(key)
    right = df[df[factor] == b].set_index(key)
    rows = []
    for m in metrics:
        joined = (
            left[[m]]
            .rename(columns={m: f"{m}_a"})
            .join(right[[m]].rename(columns={m: f"{m}_b"}), how="inner")
            .dropna()
        )
        d = joined[f"{m}_b"] - joined[f"{m}_a"]
        n = len(d)
        t = float(_t_crit(np.array([n]), level)[0]) if n > 1 else math.nan
        half = t * d.std(ddof=1) / math.sqrt(n) if n > 1 else math.nan
        va, vb = joined[f"{m}_a"].var(ddof=1), joined[f"{m}_b"].var(ddof=1)
        unpaired = t * math.sqrt((va + vb) / n) if n > 1 else math.nan
        rows.append(
            {
                "metric": m,
                "pairs": n,
                "mean_a": joined[f"{m}_a"].mean(),
                "mean_b": joined[f"{m}_b"].mean(),
                "difference": d.mean(),
                "lo": d.mean() - half,
                "hi": d.mean() + half,
                "unpaired_half_width": unpaired,
            }
        )
    return pd.DataFrame(rows)


def _factor_names(df: pd.DataFrame) -> list[str]:
    """Factor columns of a loaded frame (from its ``factors`` JSON column)."""
    import json

    if "factors" not in df.columns or df.empty:
        return []
    return list(json.loads(df["factors"].iloc[0]))


def plot_timeseries(
    ts: pd.DataFrame, column: str, by: str | None = None, by_levels: list | None = None, ax=None
):
    """Mean yearly ``column`` across runs, one line per level of ``by`` (95% CI band)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4))
    groups = (
        [(None, ts)]
        if by is None
        else [(lv, ts[ts[by] == lv]) for lv in factor_levels(ts, by, by_levels)]
    )
    for lv, sub in groups:
        s = ci_summary(sub, "year", [column]).sort_values("year")
        line = ax.plot(s["year"], s[f"{column}_mean"], label=None if lv is None else f"{by} = {lv}")
        ax.fill_between(
            s["year"],
            s[f"{column}_lo"],
            s[f"{column}_hi"],
            alpha=0.2,
            color=line[0].get_color(),
            lw=0,
        )
    _label_axes(ax, "year", column, f"{column} by year (mean, 95% CI)", legend=by is not None)
    return ax


# --- report ---------------------------------------------------------------------------------------


def _fmt(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.3g}"


def _md_table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _report_metrics(spec: dict[str, Any], df: pd.DataFrame, chosen: list[str] | None) -> list[str]:
    if chosen:
        return [m for m in chosen if m in df.columns]
    if spec.get("report", {}).get("metrics"):
        return [m for m in spec["report"]["metrics"] if m in df.columns]
    kept = spec["output"]["metrics"]
    if isinstance(kept, list):
        return [m for m in kept if m in df.columns][:8]
    return [m for m in DEFAULT_REPORT_METRICS if m in df.columns]


def write_report(
    out_dir: str | Path, metrics: list[str] | None = None, level: float = 0.95
) -> Path:
    """Write ``report.md``, ``summary.csv`` and PNG figures for an experiment folder."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .errors import UsageError
    from .experiment.store import load, read_manifest

    out_dir = Path(out_dir)
    man = read_manifest(out_dir)
    spec = man["spec"]
    df = load(out_dir)
    if df.empty:
        raise UsageError(f"{out_dir}: no finished runs to report on")
    fig_dir = out_dir / "figures"
    fig_dir.mkdir(exist_ok=True)
    factors = man["design"]["factors"]
    spec_levels = {f["name"]: _levels_of(f) for f in spec["factors"]}
    chosen = _report_metrics(spec, df, metrics)
    unknown = [m for m in (metrics or []) if m not in df.columns]
    if unknown:
        raise UsageError(f"--metrics {' '.join(unknown)}: not kept in this experiment")
    kind = man["design"]["kind"]
    counts = man.get("counts", {})
    lines = [f"# {man['name']}", ""]
    if man.get("description"):
        lines += [man["description"].strip(), ""]
    wall = sum(_session_seconds(s) for s in man.get("sessions", []))
    lines += [
        f"- design: **{kind}** over {', '.join(factors) or '(none)'}; "
        f"{man['design']['points']} points × {man['replications']} replications = "
        f"{man['runs']} runs of {man['years']} years",
        f"- runs: {counts.get('ok', '?')} ok, {counts.get('failed', '?')} failed, "
        f"{counts.get('missing', '?')} missing; run time {wall:.0f} s",
        f"- root seed {man['root_seed']} (common random numbers: every point uses the same "
        "replication seeds); spec SHA-256 `" + man["spec_sha256"][:16] + "…`",
        f"- model {man['versions'].get('deterrence-sim', '?')}, Mesa "
        f"{man['versions'].get('mesa', '?')}, Python {man['python']}"
        + (f", git {man['git']['commit'][:10]}" if man.get("git") else ""),
        "",
        f"Means with {level:.0%} confidence intervals (Student t over replications). "
        "Full table: `summary.csv`.",
        "",
    ]
    figures: list[tuple[str, str]] = []

    if not factors:
        summ = ci_summary(df.assign(all_runs="all"), "all_runs", chosen, level)
        summ.drop(columns="all_runs").to_csv(out_dir / "summary.csv", index=False)
        rows = [
            [
                m,
                f"{_fmt(summ[f'{m}_mean'].iloc[0])} [{_fmt(summ[f'{m}_lo'].iloc[0])}, "
                f"{_fmt(summ[f'{m}_hi'].iloc[0])}]",
            ]
            for m in chosen
        ]
        lines += ["## All runs", "", _md_table(rows, ["metric", "mean [95% CI]"]), ""]
    elif kind in ("grid", "list"):
        summ = point_summary(df, factors, chosen, level)
        summ.to_csv(out_dir / "summary.csv", index=False)
        rows = []
        for _, r in summ.head(200).iterrows():
            rows.append(
                [str(r[f]) for f in factors]
                + [
                    f"{_fmt(r[f'{m}_mean'])} [{_fmt(r[f'{m}_lo'])}, {_fmt(r[f'{m}_hi'])}]"
                    for m in chosen
                ]
            )
        lines += ["## Per design point", "", _md_table(rows, [*factors, *chosen]), ""]
        if len(summ) > 200:
            lines += [f"(first 200 of {len(summ)} points; all in summary.csv)", ""]
        rep = spec.get("report", {})
        x = rep.get("x") or _default_x(df, factors)
        hue = rep.get("hue") or next((f for f in factors if f != x), None)
        heat = rep.get("heatmap") or ([x, hue] if hue else None)
        lines += ["## Figures", ""]
        for m in chosen:
            fig, ax = plt.subplots(figsize=(6.5, 4.2))
            plot_lever(
                df, m, x, hue, level, spec_levels.get(x), spec_levels.get(hue) if hue else None, ax
            )
            name = f"lever_{m}.png"
            fig.tight_layout()
            fig.savefig(fig_dir / name, dpi=110)
            plt.close(fig)
            figures.append((name, f"{m} vs {x}" + (f" by {hue}" if hue else "")))
            if heat:
                fig, ax = plt.subplots(figsize=(6.5, 4.5))
                plot_heatmap(
                    df, m, heat[0], heat[1], spec_levels.get(heat[0]), spec_levels.get(heat[1]), ax
                )
                name = f"heatmap_{m}.png"
                fig.tight_layout()
                fig.savefig(fig_dir / name, dpi=110)
                plt.close(fig)
                figures.append((name, f"{m} over {heat[1]} × {heat[0]}"))
        # Paired effects of every two-level factor (common random numbers make them sharp).
        two_level = [f for f in factors if df[f].nunique() == 2]
        for f in two_level:
            a, b = factor_levels(df, f, spec_levels.get(f))
            pdiff = paired_difference(df, f, a, b, chosen, level)
            rows = [
                [
                    r["metric"],
                    str(int(r["pairs"])),
                    _fmt(r["mean_a"]),
                    _fmt(r["mean_b"]),
                    f"{_fmt(r['difference'])} [{_fmt(r['lo'])}, {_fmt(r['hi'])}]",
                    "±" + _fmt((r["hi"] - r["lo"]) / 2),
                    "±" + _fmt(r["unpaired_half_width"]),
                ]
                for _, r in pdiff.iterrows()
            ]
            lines += [
                f"## Paired effect of {f}: {a} → {b}",
                "",
                "Runs matched on every other factor and the replication seed.",
                "",
                _md_table(
                    rows,
                    [
                        "metric",
                        "pairs",
                        str(a),
                        str(b),
                        "difference [95% CI]",
                        "paired CI",
                        "unpaired CI",
                    ],
                ),
                "",
            ]
    elif kind == "lhs":
        summ = point_summary(df, factors, chosen, level)
        summ.to_csv(out_dir / "summary.csv", index=False)
        lines += ["## Figures", ""]
        for m in chosen:
            fig, axes = plt.subplots(
                1, len(factors), figsize=(3 * len(factors), 3), squeeze=False, sharey=True
            )
            for ax, f in zip(axes[0], factors, strict=True):
                ax.scatter(
                    summ[f].astype(str) if summ[f].dtype == object else summ[f],
                    summ[f"{m}_mean"],
                    s=8,
                    alpha=0.6,
                )
                ax.set_xlabel(f)
            axes[0][0].set_ylabel(m)
            fig.suptitle(f"{m}: per-point means")
            fig.tight_layout()
            name = f"scatter_{m}.png"
            fig.savefig(fig_dir / name, dpi=110)
            plt.close(fig)
            figures.append((name, f"{m} against each factor (LHS points)"))
    else:  # sobol / morris
        summ = point_summary(df, factors, chosen, level)
        summ.to_csv(out_dir / "summary.csv", index=False)
        lines += [f"## Sensitivity ({'Sobol S1/ST' if kind == 'sobol' else 'Morris μ*/σ'})", ""]
        all_idx = []
        for m in chosen:
            try:
                idx = (sobol_indices if kind == "sobol" else morris_indices)(out_dir, m, df)
            except ValueError as exc:
                lines += [f"- {m}: not computed ({exc})", ""]
                continue
            idx.insert(0, "metric", m)
            all_idx.append(idx)
            cols = (
                ["S1", "S1_conf", "ST", "ST_conf"]
                if kind == "sobol"
                else ["mu_star", "mu_star_conf", "mu", "sigma"]
            )
            key = "ST" if kind == "sobol" else "mu_star"
            d = idx.sort_values(key, ascending=False)
            rows = [[r["factor"], *[_fmt(r[c]) for c in cols]] for _, r in d.iterrows()]
            lines += [f"### {m}", "", _md_table(rows, ["factor", *cols]), ""]
            fig, ax = plt.subplots(figsize=(7, 0.35 * len(idx) + 1.6))
            plot_indices(idx, m, ax)
            fig.tight_layout()
            name = f"sensitivity_{m}.png"
            fig.savefig(fig_dir / name, dpi=110)
            plt.close(fig)
            figures.append((name, f"sensitivity of {m}"))
        if all_idx:
            pd.concat(all_idx).to_csv(out_dir / "indices.csv", index=False)
    if spec["output"].get("timeseries") and kind in ("grid", "list"):
        from .experiment.store import load_timeseries

        ts = load_timeseries(out_dir)
        if not ts.empty:
            by = spec.get("report", {}).get("x") or (factors[0] if factors else None)
            series = [
                c
                for c in ts.columns
                if c not in ts.columns[: ts.columns.get_loc("year") + 1]
                and pd.api.types.is_numeric_dtype(ts[c])
            ][:6]
            for c in series:
                fig, ax = plt.subplots(figsize=(6.5, 4))
                plot_timeseries(ts, c, by, spec_levels.get(by) if by else None, ax)
                fig.tight_layout()
                name = f"series_{c}.png"
                fig.savefig(fig_dir / name, dpi=110)
                plt.close(fig)
                figures.append((name, f"{c} by year" + (f" and {by}" if by else "")))
    for name, caption in figures:
        lines += [f"![{caption}](figures/{name})", ""]
    path = out_dir / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _levels_of(f: dict[str, Any]) -> list | None:
    if f.get("bundles") is not None:
        return list(f.get("values") or f["bundles"])
    if f.get("values") is not None:
        return list(f["values"])
    return None


def _default_x(df: pd.DataFrame, factors: list[str]) -> str:
    """The factor with the most levels (a numeric one if tied) is the natural x axis."""
    best = max(factors, key=lambda f: (df[f].nunique(), _is_numeric_levels(list(df[f].unique()))))
    return best


def _session_seconds(s: dict[str, Any]) -> float:
    from datetime import datetime

    try:
        return (
            datetime.fromisoformat(s["finished"]) - datetime.fromisoformat(s["started"])
        ).total_seconds()
    except (KeyError, ValueError, TypeError):
        return 0.0
