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
    The steps draw from one generator in a fixed order (donors, partners, aid ties, aggressors,
    rivalries), so a seed always gives the same world.
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
    donors = _donors(rng, n_donors, n_partners)
    partners = _partners(rng, n_partners)
    ties = _aid_ties(rng, donors, partners)
    aggressors = _aggressors(rng, n_aggressors, partners)
    ties += _rivalries(rng, aggressors, partners)
    return {
        "name": f"synthetic-{n_donors}-{n_partners}-{n_aggressors}-{seed}",
        "description": "Synthetic world for scaling studies.",
        "donors": donors,
        "partners": partners,
        "aggressors": aggressors,
        "ties": ties,
    }


def _donors(rng: np.random.Generator, n_donors: int, n_partners: int) -> list[dict[str, Any]]:
    # Budgets and industry grow with the partners each donor serves.
    scale = max(1.0, n_partners / n_donors)
    return [
        {
            "name": f"D{i + 1}",
            "capability": float(rng.uniform(50, 200)),
            "budget": float(rng.uniform(0.5, 2.0)) * scale,
            "industrial_capacity": float(rng.uniform(1, 3)) * scale,
            "policy": {
                "sunset_year": int(rng.choice([10, 15, 20])),
                "taper_years": int(rng.integers(0, 4)),
            },
        }
        for i in range(n_donors)
    ]


def _partners(rng: np.random.Generator, n_partners: int) -> list[dict[str, Any]]:
    return [
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


def _aid_ties(
    rng: np.random.Generator, donors: list[dict[str, Any]], partners: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    ties: list[dict[str, Any]] = []
    for p in partners:
        chosen = {int(rng.integers(len(donors)))}
        if len(donors) > 1 and rng.random() < 0.3:
            chosen.add(int(rng.integers(len(donors))))
        for d in sorted(chosen):
            stake = float(rng.uniform(0.2, 0.9))
            ties.append(
                {"kind": "aid", "source": donors[d]["name"], "target": p["name"], "stake": stake}
            )
    return ties


def _aggressors(
    rng: np.random.Generator, n_aggressors: int, partners: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    aggressors: list[dict[str, Any]] = []
    for i in range(n_aggressors):
        if n_aggressors >= 5 and rng.random() < 0.1:
            host = partners[int(rng.integers(len(partners)))]["name"]
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
    return aggressors


def _rivalries(
    rng: np.random.Generator, aggressors: list[dict[str, Any]], partners: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    states = [a for a in aggressors if a.get("kind", "state") == "state"]
    ties: list[dict[str, Any]] = []
    for j, p in enumerate(partners):
        if not states:
            break
        rivals = {j % len(states)}
        if len(states) > 1 and rng.random() < 0.2:
            rivals.add(int(rng.integers(len(states))))
        for r in sorted(rivals):
            prize = float(rng.uniform(0.5, 1.5))
            ties.append(
                {
                    "kind": "rivalry",
                    "source": states[r]["name"],
                    "target": p["name"],
                    "prize": prize,
                }
            )
    return ties
