"""Analysis of experiment results: confidence intervals, lever plots, heatmaps, sensitivity indices,
and the report of an experiment folder.

- :mod:`.summaries`: means with confidence intervals per group or design point, paired differences
  (common random numbers), factor levels; every interval from :mod:`deterrence_sim.stats`.
- :mod:`.plots`: a metric against a lever with CI bands, heatmaps, yearly series, index charts;
  axes labelled from the metric registry (:mod:`deterrence_sim.metrics`).
- :mod:`.sensitivity`: Sobol indices and Morris elementary effects (SALib; Herman & Usher 2017).
- :mod:`.report`: ``write_report(DIR)`` writes ``DIR/report.md``, ``DIR/summary.csv`` and
  ``DIR/figures/*.png``, reading the folder only through :mod:`deterrence_sim.experiment.store`.
"""

from __future__ import annotations

from .plots import plot_heatmap, plot_indices, plot_lever, plot_timeseries
from .report import write_report
from .sensitivity import morris_indices, sobol_indices
from .summaries import ci_summary, factor_levels, paired_difference, point_summary

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
