"""The two-stage deterrence decisions of state aggressors (docs/model.md §7.3): per-dyad
challenges, the Fearon demand measured from the status quo, escalation, dispute memory, expected
help, beliefs after a sunset and the visible will of donors, and the crisis arithmetic."""

from __future__ import annotations

import math

import pytest

from deterrence_sim import mechanisms as m
from deterrence_sim.model import DeterrenceModel
from deterrence_sim.scenario import Scenario


def _world(n_partners: int = 1, world: dict | None = None, donors: int = 1, **tie) -> Scenario:
    partners = [f"P{i}" for i in range(n_partners)]
    data = {
        "name": "deterrence",
        "world": world or {},
        "donors": [
            {"name": f"D{j}", "capability": 50.0, "policy": {"commitment": "bilateral_pact"}}
            for j in range(donors)
        ],
        "partners": [{"name": p, "equipment": 5.0, "gdp": 50.0} for p in partners],
        "aggressors": [{"name": "A", "capability": 10.0}],
        "ties": [
            *(
                {"kind": "aid", "source": f"D{j}", "target": p}
                for p in partners
                for j in range(donors)
            ),
            *({"kind": "rivalry", "source": "A", "target": p, **tie} for p in partners),
        ],
    }
    return Scenario.from_dict(data)


def test_per_dyad_challenge_hazard_does_not_depend_on_the_number_of_targets():
    one = DeterrenceModel(_world(1), seed=0)
    four = DeterrenceModel(_world(4), seed=0)
    p1 = one.states[0].decide_challenge(one.states[0].dyads["P0"]).probability
    for name in ("P0", "P1", "P2", "P3"):
        p4 = four.states[0].decide_challenge(four.states[0].dyads[name]).probability
        assert p4 == pytest.approx(p1, rel=1e-12)
    one.release()
    four.release()


@pytest.mark.slow
def test_per_dyad_challenge_counts_match_over_many_seeds():
    # 400 seeds x 10 years: the per-dyad challenge rate facing four identical partners equals the
    # rate facing one, within 4 standard errors of the difference.
    tense = {"peace_years": 1, "recent_disputes": 2, "claim": True}
    rates = {}
    for n in (1, 4):
        total = 0
        for seed in range(400):
            model = DeterrenceModel(_world(n, **tense), seed=seed)
            for _ in range(10):
                model.step()
            total += model.counts["coercions"]
            model.release()
        rates[n] = total / (400 * 10 * n)
    se = math.sqrt(rates[1] / 4000 + rates[4] / 16000)
    assert abs(rates[4] - rates[1]) < 4 * se + 1e-9


def _force_challenge(model: DeterrenceModel):
    aggressor = model.states[0]
    dyad = next(iter(aggressor.dyads.values()))
    model.year = 1
    challenge = aggressor.decide_challenge(dyad)
    aggressor.challenge(dyad, challenge)
    return aggressor, dyad


def test_an_accepted_demand_concedes_gdp_measured_from_the_status_quo():
    # No private war cost (cbar = 0): the partner never resists, and the demand equals the war
    # share p > 0, which a concession measured against p (the old rule) would have made zero.
    model = DeterrenceModel(_world(1, world={"partner_resolve": 0.0}), seed=3)
    partner = model.partners[0]
    gdp = partner.gdp
    _force_challenge(model)
    event = [e for e in model.event_log if e.kind == "coercion"][-1]
    assert event.details["resisted"] is False
    share = model.world.coercion_concession * event.details["demand"]
    assert event.details["demand"] > 0
    assert partner.gdp_lost == pytest.approx(share * gdp)
    assert partner.gdp == pytest.approx(gdp * (1 - share))
    assert model.counts["concessions"] == 1
    model.release()


def test_a_challenge_resets_the_dispute_memory():
    model = DeterrenceModel(_world(1, peace_years=20), seed=0)
    aggressor, dyad = _force_challenge(model)
    assert dyad.peace_years(1) == 0
    assert dyad.recent_disputes(2) == 1
    # The memory raises next year's challenge hazard: recent disputes and no peace years.
    model.year = 2
    before = DeterrenceModel(_world(1, peace_years=20), seed=0)
    before.year = 2
    fresh = before.states[0].decide_challenge(before.states[0].dyads["P0"]).probability
    assert aggressor.decide_challenge(dyad).probability > fresh
    model.release()
    before.release()


def test_tense_dyads_challenge_more_than_quiet_ones():
    quiet = DeterrenceModel(_world(1, peace_years=50, contiguous=False, rival=False), seed=0)
    tense = DeterrenceModel(
        _world(1, peace_years=1, recent_disputes=3, claim=True, contiguous=True), seed=0
    )
    pq = quiet.states[0].decide_challenge(quiet.states[0].dyads["P0"]).probability
    pt = tense.states[0].decide_challenge(tense.states[0].dyads["P0"]).probability
    assert pt > 3 * pq
    quiet.release()
    tense.release()


def test_expected_help_with_two_donors_weighs_each_by_its_own_belief():
    model = DeterrenceModel(_world(1, donors=2), seed=0)
    aggressor, partner = model.states[0], model.partners[0]
    q, force = aggressor.expected_help(partner)
    qs = [aggressor.belief(c) for c in partner.commitments()]
    forces = [c.projected_force() for c in partner.commitments()]
    assert q == pytest.approx(1 - (1 - qs[0]) * (1 - qs[1]))
    assert force == pytest.approx(sum(a * b for a, b in zip(qs, forces, strict=True)) / q)
    assert force < sum(forces)
    model.release()


def test_alliance_commitments_are_discounted_after_the_program_ends():
    data = _world(1, world={"belief_will_noise": 0.0}).to_dict()
    data["donors"][0]["policy"].update(commitment="alliance", sunset_year=5)
    data["alliances"] = [{"name": "T", "members": ["D0"]}]
    model = DeterrenceModel(Scenario.from_dict(data), seed=0)
    aggressor, prog = model.states[0], model.programs[0]
    prog.end_year = 5
    model.year = 4
    before = aggressor.belief(prog)
    model.year = 6
    after = aggressor.belief(prog)
    assert after == pytest.approx(before * model.world.belief_post_sunset_alliance)
    model.release()


def test_aggressors_see_a_donors_falling_will():
    model = DeterrenceModel(_world(1, world={"belief_will_noise": 0.0}), seed=0)
    aggressor, prog = model.states[0], model.programs[0]
    full = aggressor.belief(prog)
    prog.donor.will = 0.4
    assert aggressor.belief(prog) == pytest.approx(full * 0.4 / model.world.belief_will_reference)
    model.release()


def test_the_partners_war_losses_use_the_aggressors_capability_after_its_own():
    own, partner = m.attrition(10.0, 10.0, 0.2)
    assert own == pytest.approx(0.1)
    assert partner == pytest.approx(0.2 * 9.0 / 20.0)
    assert m.attrition(0.0, 0.0, 0.2) == (0.0, 0.0)


def test_scenario_from_data_fills_the_dyad_memory():
    from shared_data import DATA

    if not (DATA / "gml-mid-dirdisps.csv").exists():
        pytest.skip("shared conflict data not found")
    from deterrence_sim.data.scenario_builder import scenario_from_data

    sc = scenario_from_data(
        2016, "USA", "UKR", "RUS", nmc=DATA / "NMC-60-abridged.csv", history=DATA
    )
    tie = next(t for t in sc.ties if t.kind == "rivalry")
    # Russia and Ukraine disputed in 2014 (MID 5.0): the memory is recent, and they border.
    assert tie.contiguous and tie.peace_years <= 3 and tie.recent_disputes >= 1
    quiet = scenario_from_data(2016, "USA", "UKR", "RUS", nmc=DATA / "NMC-60-abridged.csv")
    assert next(t for t in quiet.ties if t.kind == "rivalry").peace_years == 30
