"""Random worlds of a given size, for scaling studies (``Scenario.synthetic``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import Problem, ScenarioError

__all__ = ["synthetic_data"]


def synthetic_data(n_donors: int, n_partners: int, n_aggressors: int, seed: int = 0) -> dict:
    """The plain dict of a random world; ties grow linearly with the number of states.

    Each partner is aided by one donor (a second with probability 0.3) and is the rival of one
    aggressor (a second with probability 0.2); about a tenth of aggressors are insurgencies.
    """
    if min(n_donors, n_partners) < 1 or n_aggressors < 0:
        raise ScenarioError(
            [
                Problem(
                    "synthetic",
                    "n_donors/n_partners/n_aggressors",
                    (n_donors, n_partners, n_aggressors),
                    "at least 1 donor and 1 partner, 0 or more aggressors",
                )
            ]
        )
    rng = np.random.default_rng(seed)
    donors = [
        {
            "name": f"D{i + 1}",
            "capability": float(rng.uniform(50, 200)),
            "budget": float(rng.uniform(0.5, 2.0)) * max(1.0, n_partners / n_donors),
            "industrial_capacity": float(rng.uniform(1, 3)) * max(1.0, n_partners / n_donors),
            "policy": {
                "sunset_year": int(rng.choice([10, 15, 20])),
                "taper_years": int(rng.integers(0, 4)),
            },
        }
        for i in range(n_donors)
    ]
    partners = [
        {
            "name": f"P{i + 1}",
            "equipment": float(rng.uniform(1, 10)),
            "governance": float(rng.uniform(0.1, 0.9)),
            "gdp": float(rng.uniform(10, 200)),
            "absorptive_capacity": float(rng.uniform(0.2, 1.5)),
            "alignment": float(rng.uniform(0.2, 0.9)),
        }
        for i in range(n_partners)
    ]
    ties: list[dict[str, Any]] = []
    for p in partners:
        chosen = {int(rng.integers(n_donors))}
        if n_donors > 1 and rng.random() < 0.3:
            chosen.add(int(rng.integers(n_donors)))
        for d in sorted(chosen):
            ties.append(
                {
                    "kind": "aid",
                    "source": donors[d]["name"],
                    "target": p["name"],
                    "stake": float(rng.uniform(0.2, 0.9)),
                }
            )
    aggressors = []
    for i in range(n_aggressors):
        if n_aggressors >= 5 and rng.random() < 0.1:
            host = partners[int(rng.integers(n_partners))]["name"]
            aggressors.append(
                {
                    "name": f"I{i + 1}",
                    "kind": "insurgency",
                    "host": host,
                    "capability": float(rng.uniform(0.5, 3)),
                    "growth": 0.0,
                }
            )
        else:
            aggressors.append({"name": f"A{i + 1}", "capability": float(rng.uniform(10, 40))})
    states = [a for a in aggressors if a.get("kind", "state") == "state"] if aggressors else []
    if states:
        for j, p in enumerate(partners):
            rivals = {j % len(states)}
            if len(states) > 1 and rng.random() < 0.2:
                rivals.add(int(rng.integers(len(states))))
            for r in sorted(rivals):
                ties.append(
                    {
                        "kind": "rivalry",
                        "source": states[r]["name"],
                        "target": p["name"],
                        "prize": float(rng.uniform(0.5, 1.5)),
                    }
                )
    return {
        "name": f"synthetic-{n_donors}-{n_partners}-{n_aggressors}-{seed}",
        "description": "Synthetic world for scaling studies.",
        "donors": donors,
        "partners": partners,
        "aggressors": aggressors,
        "ties": ties,
    }
