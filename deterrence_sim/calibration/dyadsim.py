"""The model's two-stage decision, simulated on dyad-years built from data (indirect inference).

Each row of a dyad-year panel becomes the state a ``StateAggressor`` would see facing one target:
capabilities in the data's ratio (the target at 1), the target's allies whose promise applies
against this challenger (Leeds-style pacts) as the donors committed to it, contiguity (a distant
challenger brings ``distant_projection`` of its capability), the dyad's dispute memory, a
territorial-dispute proxy for the claim, the era, and the declining side's window (the five-year
shift in the ratio) for Powell's preventive motive. The probabilities are the same functions of
:mod:`deterrence_sim.mechanisms` the agent calls (``StateAggressor.decide_challenge``,
``escalation_probability``, ``challenge``); a test holds the agent and this module equal on the
same dyad. Covariates are taken from the data year by year (the dispute memory is the observed
one), so the simulated dyad-years have the panel's design: the auxiliary logits fitted to them
are comparable with the same logits fitted to the data (Smith 1993; Gouriéroux, Monfort &
Renault 1993).

What a panel row gives and what the model's defaults supply (stated in docs/calibration.md):
``log_capability_ratio`` (CINC), ``ally_ratio`` (allies' CINC / target's), ``target_pact``,
``contiguous``, ``rivalry`` (Thompson & Dreyer), ``peace_years``, ``recent_disputes``, ``claim``, ``post1945``, ``declining``; the
prize (1), the challenger's war cost and threshold (``AggressorSpec`` defaults), the ally's
projectable share and the target's interoperability (``DonorSpec``/``PartnerSpec`` defaults), the
belief in a pact (``belief_prior_pact`` at the reference reputation, times the ally's visible
will at its default) come from the schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from .. import mechanisms as m

__all__ = ["COLUMNS", "Draws", "DyadYears", "simulate", "stage_probabilities"]

#: Panel columns the simulator reads.
COLUMNS = (
    "log_capability_ratio",
    "ally_ratio",
    "target_pact",
    "contiguous",
    "rivalry",
    "peace_years",
    "recent_disputes",
    "claim",
    "post1945",
    "declining",
)


@dataclass(frozen=True)
class DyadYears:
    """The covariates of a set of dyad-years as float arrays (see :data:`COLUMNS`)."""

    log_ratio: np.ndarray
    ally_ratio: np.ndarray
    pact: np.ndarray
    contiguous: np.ndarray
    rival: np.ndarray
    peace_years: np.ndarray
    recent: np.ndarray
    claim: np.ndarray
    post1945: np.ndarray
    declining: np.ndarray

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> DyadYears:
        a = {c: df[c].to_numpy(dtype=float) for c in COLUMNS}
        return cls(
            a["log_capability_ratio"],
            np.where(a["target_pact"] > 0, a["ally_ratio"], 0.0),
            a["target_pact"],
            a["contiguous"],
            a["rivalry"],
            a["peace_years"],
            np.minimum(a["recent_disputes"], 5.0),
            a["claim"],
            a["post1945"],
            a["declining"],
        )

    def __len__(self) -> int:
        return len(self.log_ratio)


@dataclass(frozen=True)
class Draws:
    """Common random numbers: one uniform per dyad-year and decision, and the will noise."""

    challenge: np.ndarray
    resolve: np.ndarray
    escalation: np.ndarray
    will: np.ndarray

    @classmethod
    def make(cls, n: int, seed: int) -> Draws:
        rng = np.random.default_rng(seed)
        return cls(rng.random(n), rng.random(n), rng.random(n), rng.standard_normal(n))


@cache
def _defaults():
    """The schema's default aggressor, donor and partner (built once: the likelihood calls the
    simulator hundreds of times)."""
    from ..scenario import AggressorSpec, DonorSpec, PartnerSpec

    aggressor = AggressorSpec(name="A")
    donor = DonorSpec(name="D")
    partner = PartnerSpec(name="P")
    return aggressor, donor, partner


def expected_utility(dy: DyadYears, world, will_noise: np.ndarray) -> dict[str, np.ndarray]:
    """EU of war for each dyad-year, the agent's ``assess`` in arrays (target capability 1)."""
    aggressor, donor, partner = _defaults()
    k = world.csf_decisiveness
    own = np.exp(dy.log_ratio) * np.where(dy.contiguous > 0, 1.0, world.distant_projection)
    floor = world.interop_force_floor
    help_force = (
        dy.ally_ratio * donor.projectable_share * (floor + (1 - floor) * partner.interoperability)
    )
    reputation = donor.reputation_honoured / (donor.reputation_honoured + donor.reputation_failed)
    seen = np.clip(donor.will + world.belief_will_noise * will_noise, 0.0, 1.0)
    will = np.clip(seen / world.belief_will_reference, 0.0, 1.0)
    q = world.belief_prior_pact * reputation / world.belief_reputation_reference * will
    q_hat = np.where(dy.pact > 0, np.clip(q, 0.0, world.belief_max), 0.0)
    p0 = m.csf(own, np.ones_like(own), k)
    p1 = m.csf(own, 1.0 + help_force, k)
    eu = m.expected_attack_utility(
        q_hat, p0, p1, 1.0, aggressor.war_cost, world.intervention_escalation
    )
    return {"eu": np.asarray(eu), "p0": p0, "p1": p1, "q_hat": q_hat}


def stage_probabilities(dy: DyadYears, world, will_noise: np.ndarray) -> dict[str, np.ndarray]:
    """P(challenge), P(resist | challenge) and P(war | resisted) for each dyad-year."""
    v = expected_utility(dy, world, will_noise)
    aggressor = _defaults()[0]
    memory = m.dispute_memory(
        peace_years=dy.peace_years,
        recent_disputes=dy.recent,
        claim=dy.claim,
        contiguous=dy.contiguous,
        rival=dy.rival,
        post1945=dy.post1945,
        **world.memory_weights(),
    )
    challenge = m.choice_hazard(
        v["eu"],
        world.challenge_base_rate,
        world.challenge_sharpness,
        aggressor.threshold,
        memory,
    )
    share = v["q_hat"] * v["p1"] + (1 - v["q_hat"]) * v["p0"]
    resist = m.resistance_probability(share, world.partner_resolve, aggressor.war_cost)
    escalation = m.choice_hazard(
        v["eu"],
        world.escalation_base_rate,
        world.escalation_sharpness,
        aggressor.threshold,
        world.escalation_era_weight * dy.post1945 + world.preventive_weight * dy.declining,
    )
    return {
        "challenge": np.asarray(challenge),
        "resist": np.broadcast_to(np.asarray(resist, dtype=float), (len(dy),)),
        "escalation": np.asarray(escalation),
        "eu": v["eu"],
    }


def simulate(dy: DyadYears, world, draws: Draws) -> pd.DataFrame:
    """Simulated outcomes of each dyad-year: ``challenge`` (a MID), ``force`` (a resisted
    challenge: a militarized standoff) and ``war`` (a resisted challenge escalated), 0/1."""
    p = stage_probabilities(dy, world, draws.will)
    challenge = draws.challenge < p["challenge"]
    resisted = challenge & (draws.resolve < p["resist"])
    war = resisted & (draws.escalation < p["escalation"])
    return pd.DataFrame(
        {
            "challenge": challenge.astype(float),
            "force": resisted.astype(float),
            "war": war.astype(float),
        }
    )
