"""The report's "Uncertainties" part: what nobody in the study controls, and how it moved outcomes.

Two kinds of uncertainty reach a sweep: factors with role ``uncertainty`` (traits of the world the
spec varies, :mod:`deterrence_sim.experiment.roles`) and, in a study with ``calibration =
"posterior"``, the calibrated parameters each replication draws from the calibration's posterior
(:mod:`deterrence_sim.experiment.posterior`). For each, the part gives its range over the runs and
the Spearman rank correlation of each reported metric with it over the runs (a monotone
association, no model assumed; with a posterior it says which parameter's uncertainty the results
are most sensitive to).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..experiment.posterior import drawn_columns
from ..experiment.roles import default_role
from ..markdown import md_table

__all__ = ["uncertainties", "uncertainty_section"]


def _role(factor: dict[str, Any]) -> str:
    if factor.get("role"):
        return str(factor["role"])
    if factor.get("bundles"):  # a folder written before roles existed
        return default_role([p for b in factor["bundles"].values() for p in b])
    return default_role([factor["path"]] if factor.get("path") else [])


def uncertainties(df: pd.DataFrame, manifest: dict[str, Any]) -> tuple[pd.DataFrame, list[tuple]]:
    """(frame with every uncertainty as a column, [(column, kind)]): the spec's uncertainty
    factors (kind ``factor``), then the posterior's drawn parameters (kind ``posterior``)."""
    df, drawn = drawn_columns(df, manifest)
    factors = [
        f["name"]
        for f in manifest.get("spec", {}).get("factors", [])
        if _role(f) == "uncertainty" and f["name"] in df.columns and f["name"] not in drawn
    ]
    # With the drawn values expanded, the row index of the posterior says nothing more.
    factors = [f for f in factors if not (drawn and f == "posterior_draw")]
    return df, [(f, "factor") for f in factors] + [(p, "posterior") for p in drawn]


def _fmt(v: float) -> str:
    return "–" if pd.isna(v) else f"{v:.3g}"


def _range(col: pd.Series) -> str:
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return f"{_fmt(col.min())} – {_fmt(col.max())} (median {_fmt(col.median())})"
    levels = sorted(map(str, col.dropna().unique()))
    return ", ".join(levels[:8]) + (f", … ({len(levels)} levels)" if len(levels) > 8 else "")


def _rho(col: pd.Series, metric: pd.Series) -> float:
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        return float("nan")
    if col.nunique() < 2 or metric.nunique() < 2:
        return float("nan")
    return float(col.astype(float).corr(metric.astype(float), method="spearman"))


def uncertainty_section(
    df: pd.DataFrame, manifest: dict[str, Any], metrics: list[str]
) -> list[str]:
    """Markdown lines of the "Uncertainties" part (nothing when the study has none)."""
    df, items = uncertainties(df, manifest)
    if not items:
        return []
    rows = [
        [name, kind, str(df[name].nunique()), _range(df[name])]
        + [_fmt(_rho(df[name], df[m])) for m in metrics]
        for name, kind in items
    ]
    header = ["uncertainty", "from", "distinct values", "range over the runs"]
    lines = ["## Uncertainties", ""]
    post = manifest.get("posterior")
    if post:
        lines += [
            f"Each replication drew its calibrated parameters from the posterior "
            f"(`{post['source']}`, {post['draws']} draws, SHA-256 `{post['sha256'][:16]}…`); "
            "all design points of a replication share its draw, so paired effects compare "
            "policies in the same world.",
            "",
        ]
    lines += [
        "Spearman rank correlation of each metric with each uncertainty over the runs "
        "(– where it is constant or not numeric).",
        "",
        md_table(rows, [*header, *[f"ρ {m}" for m in metrics]]),
        "",
    ]
    return lines
