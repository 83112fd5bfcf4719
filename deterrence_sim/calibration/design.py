"""The calibration's dyad-year panels as the simulator reads them (docs/calibration.md).

The politically relevant panel (``prd``, Lemke & Reed 2001) and the rival panel (``rivals``) of
:mod:`deterrence_sim.data.prd`, with what the model needs besides: the capability of the target's
allies whose promise applies against this challenger, relative to the target (``ally_ratio``:
their summed CINC over the target's), and the claim (a territorial MID in the dyad in the previous
ten years, ``terr_mid10``: the data set has no claims data). Samples: ``fit`` 1816–1945,
``holdout`` 1946–2010.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Panels", "add_model_columns", "load_panels", "sample_of"]

FIT_LAST_YEAR = 1945


def sample_of(year: pd.Series) -> pd.Series:
    """``fit`` (1816–1945) or ``holdout`` (1946–2010) for each year."""
    return pd.Series(np.where(year <= FIT_LAST_YEAR, "fit", "holdout"), index=year.index)


def add_model_columns(panel: pd.DataFrame, sources) -> pd.DataFrame:
    """The panel with ``ally_ratio``, ``claim`` and ``sample``."""
    from ..data.pacts import target_allies

    allies = target_allies(panel, sources.atop)
    cinc = sources.nmc[["ccode", "year", "cinc"]].rename(columns={"ccode": "ally"})
    allies = allies.merge(cinc, on=["ally", "year"], how="left")
    help_cinc = allies.groupby(["ccode1", "ccode2", "year"], as_index=False)["cinc"].sum()
    out = panel.merge(
        help_cinc.rename(columns={"cinc": "ally_cinc"}),
        on=["ccode1", "ccode2", "year"],
        how="left",
    )
    out["ally_cinc"] = out["ally_cinc"].fillna(0.0)
    out["ally_ratio"] = np.where(out["cinc2"] > 0, out["ally_cinc"] / out["cinc2"], 0.0)
    out["claim"] = out["terr_mid10"].astype(float)
    out["sample"] = sample_of(out["year"])
    return out


@dataclass(frozen=True)
class Panels:
    """Both populations, with the model's columns, rows complete in what the fits use."""

    prd: pd.DataFrame
    rivals: pd.DataFrame


def load_panels(data_dir=None) -> Panels:
    """Build both panels from the shared data files (a few seconds)."""
    from ..data.prd import build_dyad_panel, load_prd_sources

    sources = load_prd_sources(data_dir)
    frames = {}
    for population in ("prd", "rivals"):
        panel = build_dyad_panel(population, sources)
        frames[population] = add_model_columns(panel, sources)
    return Panels(**frames)
