"""The experiment report: one section per function, incomplete sweeps marked (or refused), bounded
intervals for rates, axis labels with units, no empty headings (issue 12, report items)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from deterrence_sim.analysis import ci_summary, write_report
from deterrence_sim.cli import main
from deterrence_sim.errors import UsageError
from deterrence_sim.experiment import load, run_experiment, spec_from_dict


@pytest.fixture(scope="module")
def sweep(tmp_path_factory, toy_spec):
    out = tmp_path_factory.mktemp("report") / "toy"
    with ThreadPoolExecutor(max_workers=2) as pool:
        run_experiment(spec_from_dict(toy_spec()), out, executor=pool, batch_size=3, progress=False)
    return out


@pytest.fixture(scope="module")
def reported(sweep):
    """The sweep's report text, and every y-axis label its figures were given."""
    from unittest import mock

    import matplotlib.axes

    seen: list[str] = []
    original = matplotlib.axes.Axes.set_ylabel

    def spy(self, label, *args, **kwargs):
        seen.append(label)
        return original(self, label, *args, **kwargs)

    with mock.patch.object(matplotlib.axes.Axes, "set_ylabel", spy):
        text = write_report(sweep).read_text()
    return text, seen


@pytest.fixture(scope="module")
def unfinished(sweep, tmp_path_factory):
    """A copy of the sweep with one committed batch (3 runs of one point) removed."""
    import shutil

    out = tmp_path_factory.mktemp("unfinished") / "toy"
    shutil.copytree(sweep, out)
    first = sorted((out / "metrics").glob("part-*.parquet"))[0]
    first.unlink()
    (out / "report.md").unlink(missing_ok=True)
    return out


def test_complete_report_has_no_warning_and_no_empty_heading(reported):
    text, _ = reported
    assert "Incomplete" not in text
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## "):
            following = next((x for x in lines[i + 1 :] if x.strip()), "")
            assert not following.startswith("## "), f"empty section {line!r}"
    assert "## Figures" in text and "![" in text.split("## Figures")[1].split("## ")[0]


def test_unfinished_sweep_is_marked_in_header_and_every_table(unfinished):
    text = write_report(unfinished).read_text()
    header = text.split("## ")[0]
    assert (
        "Incomplete sweep: 21 of 24 runs, design unbalanced: replications per point range 3–6"
        in header
    )
    tables = [s for s in text.split("\n## ")[1:] if "| ---" in s or "|---" in s]
    assert tables and all("Incomplete sweep: 21 of 24 runs" in s for s in tables)


def test_require_complete_refuses_an_unfinished_sweep(unfinished, capsys):
    (unfinished / "report.md").unlink(missing_ok=True)
    with pytest.raises(UsageError, match="incomplete sweep"):
        write_report(unfinished, require_complete=True)
    assert not (unfinished / "report.md").exists()
    assert main(["report", str(unfinished), "--require-complete"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "21 of 24 runs" in err


def test_rates_get_intervals_inside_their_range():
    # Rare attacks: most runs see none, so a t-interval reaches below zero.
    rates = np.r_[np.zeros(18), [0.05, 0.1]]
    df = pd.DataFrame({"g": "a", "attacks_per_year": rates, "dependency_mean": rates * 9.5})
    t = ci_summary(df, "g", ["attacks_per_year"]).iloc[0]
    assert t["attacks_per_year_lo"] < 0  # what the report used to print
    b = ci_summary(df, "g", ["attacks_per_year", "dependency_mean"], bounded=True).iloc[0]
    assert 0 <= b["attacks_per_year_lo"] < b["attacks_per_year_mean"] < b["attacks_per_year_hi"]
    assert b["dependency_mean_hi"] <= 1.0


def test_report_intervals_respect_bounds(sweep, reported):
    summary = pd.read_csv(sweep / "summary.csv")
    assert (summary["attacks_per_year_lo"] >= 0).all()
    assert len(summary) == len(load(sweep).groupby("point"))


def test_axis_labels_come_from_the_registry(reported):
    _, seen = reported
    assert "Attacks per year (attacks/yr)" in seen
    assert "Partner capability now (points)" in seen
    assert "Partner capability (points)" in seen  # a yearly series
    assert not {"attacks_per_year", "partner_capability_final", "partner_capability"} & set(seen)
