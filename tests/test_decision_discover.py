"""Scenario discovery on a sweep with a planted failure region, and the roles of factors.

The sweep's run function fails exactly when the partner's governance exceeds 0.6 and the rival's
growth rate exceeds 0.1 (``deterrence_sim.decision.testing.planted_failure``); PRIM and CART must find
that box from the stored results alone.
"""

from __future__ import annotations

import pytest

from deterrence_sim.cli import main
from deterrence_sim.decision.testing import GOVERNANCE_LIMIT, GROWTH_LIMIT
from deterrence_sim.experiment import spec_from_dict

pytest.importorskip("ema_workbench")

PLANTED = {
    "experiment": {
        "name": "planted",
        "scenario": "classroom_cliff_exit",
        "years": 1,
        "replications": 1,
        "seed": 3,
        "run_function": "deterrence_sim.decision.testing:planted_failure",
    },
    "design": {"kind": "lhs", "n": 500},
    "factors": [
        {"name": "governance", "path": "partners.*.governance", "range": [0.1, 0.9]},
        {"name": "absorptive", "path": "partners.*.absorptive_capacity", "range": [0.2, 2.0]},
        {"name": "growth", "path": "aggressors.*.growth", "range": [0.0, 0.17]},
        {"name": "war_cost", "path": "aggressors.*.war_cost", "range": [0.05, 1.0]},
        {"name": "conditionality", "path": "donors.*.policy.conditionality", "range": [0, 0.6]},
    ],
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    from deterrence_sim.experiment import run_experiment

    out = tmp_path_factory.mktemp("planted") / "sweep"
    run_experiment(PLANTED, out, progress=False)
    return out


def _lower(limits, name):
    row = limits.set_index("factor").loc[name]
    return float(row["lower"])


def test_roles_default_from_paths_and_recorded(planted):
    from deterrence_sim.decision.roles import factor_roles

    roles = factor_roles(planted)
    assert roles == {
        "governance": "uncertainty",
        "absorptive": "uncertainty",
        "growth": "uncertainty",
        "war_cost": "uncertainty",
        "conditionality": "lever",
    }


def test_role_is_validated_and_does_not_change_the_hash():
    spec = spec_from_dict(PLANTED)
    data = {**PLANTED, "factors": [dict(f) for f in PLANTED["factors"]]}
    data["factors"][0]["role"] = "lever"  # a partner trait declared a lever (e.g. a reform deal)
    relabelled = spec_from_dict(data)
    assert relabelled.factor("governance").role == "lever"
    assert relabelled.sha256() == spec.sha256()  # a label for analysis; runs are the same
    data["factors"][0]["role"] = "policy"
    with pytest.raises(Exception, match=r"factors\.governance\.role.*'lever' or 'uncertainty'"):
        spec_from_dict(data)


def test_prim_recovers_the_planted_box(planted):
    from deterrence_sim.decision.discover import discover

    d = discover(planted, "failure", above=0.5, resamples=2)
    assert set(d.limits["factor"]) == {"governance", "growth"}
    # The region's limits within 10% of the true thresholds.
    assert _lower(d.limits, "governance") == pytest.approx(GOVERNANCE_LIMIT, rel=0.10)
    assert _lower(d.limits, "growth") == pytest.approx(GROWTH_LIMIT, rel=0.10)
    s = d.stats
    assert s["coverage"] >= 0.8 and s["density"] >= 0.8
    # Both restrictions are significant (quasi-p-values of the lower limits).
    assert (d.limits["qp_lower"] < 0.05).all()
    assert {"reproduce_coverage", "reproduce_density"} <= set(d.limits.columns)
    # Feature scores rank the two planted factors first.
    assert set(d.scores.index[:2]) == {"governance", "growth"}
    # The trajectory goes from everything to the dense box.
    t = d.trajectory
    assert t["coverage"].iloc[0] == 1.0 and t["density"].iloc[0] < 0.3


def test_cart_recovers_the_planted_box(planted):
    from deterrence_sim.decision.discover import discover

    d = discover(planted, "failure", above=0.5, method="cart")
    assert set(d.limits["factor"]) == {"governance", "growth"}
    assert _lower(d.limits, "governance") == pytest.approx(GOVERNANCE_LIMIT, rel=0.10)
    assert _lower(d.limits, "growth") == pytest.approx(GROWTH_LIMIT, rel=0.10)
    assert d.stats["coverage"] >= 0.8 and d.stats["density"] >= 0.8


def test_discover_cli_writes_report_boxes_and_figures(planted, tmp_path, capsys):
    out = tmp_path / "disc"
    code = main(
        [
            "discover",
            str(planted),
            "--metric",
            "margin",
            "--above",
            "0",
            "--resamples",
            "2",
            "--roles",
            "uncertainty",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    text = (out / "discover.md").read_text()
    assert "margin > 0" in text and "coverage" in text
    assert {p.name for p in (out / "figures").iterdir()} >= {
        "tradeoff.png",
        "box_limits.png",
        "pairs.png",
        "feature_scores.png",
    }
    import pandas as pd

    boxes = pd.read_csv(out / "boxes.csv")
    assert set(boxes["factor"]) == {"governance", "growth"}
    assert "conditionality" not in pd.read_csv(out / "feature_scores.csv")["factor"].tolist()


def test_categorical_factors_bound_boxes(tmp_path):
    """A bundle factor (partner type) and a word among numbers (a sunset of "open") are
    categories: both methods keep only the failing partner type."""
    from deterrence_sim.decision.discover import discover
    from deterrence_sim.experiment import run_experiment

    spec = {
        "experiment": {**PLANTED["experiment"], "replications": 6},
        "factors": [
            {
                "name": "partner",
                "bundles": {
                    "weak": {"partners.*.governance": 0.3},
                    "strong": {"partners.*.governance": 0.8},
                },
            },
            {"name": "growth", "path": "aggressors.*.growth", "values": [0.02, 0.05, 0.15, 0.2]},
            {"name": "sunset", "path": "donors.*.policy.sunset_year", "values": ["open", 10]},
        ],
    }
    run_experiment(spec, tmp_path / "grid", progress=False)
    for method in ("prim", "cart"):
        d = discover(tmp_path / "grid", "failure", above=0.5, method=method, resamples=0)
        lim = d.limits.set_index("factor")
        assert lim.loc["partner", "categories"] == "strong", method
        assert 0.05 <= lim.loc["growth", "lower"] <= 0.15, method
        assert "sunset" not in lim.index, method
        assert d.stats["coverage"] == 1.0 and d.stats["density"] == 1.0, method


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--metric", "nope", "--above", "0"], "no metric 'nope'"),
        (["--metric", "failure", "--above", "5"], "nothing to discover"),
        (["--metric", "failure", "--above", "0", "--box", "999"], "--box 999"),
    ],
)
def test_discover_cli_bad_input(planted, tmp_path, capsys, args, message):
    code = main(["discover", str(planted), *args, "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
