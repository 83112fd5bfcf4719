"""The scenario: a typed, validated description of one world and each donor's policy.

A scenario holds world settings (mechanism coefficients), donors with their policy levers,
partners, aggressors (states or insurgencies), ties (aid, rivalry) and alliances. It is loaded from
TOML (a preset shipped with the package or a user's file), changed by dotted-path overrides, and
written back to TOML. Every problem in an input is reported at once, naming the file, the dotted
key, the bad value and what is allowed (:class:`~deterrence_sim.errors.ScenarioError`).

Each field carries its unit, valid range and source; ``docs/parameters.md`` is generated from them
(``python -m deterrence_sim.paramtable``).

Modules: ``fields`` (the strict base and ``param()``), ``world`` with ``partner_phases`` and
``conflict_phases`` (the coefficients by phase), ``policy`` (the levers), ``entities`` (donors,
partners, aggressors, ties, alliances), ``core`` (``Scenario``), ``io`` (presets and TOML),
``overrides`` (dotted paths), ``problems`` (error messages), ``synthetic`` (random worlds).

A scenario from COW NMC, V-Dem and ATOP data for one year is built by
:func:`deterrence_sim.data.scenario_from_data`; this package never imports ``deterrence_sim.data``.
"""

from .core import Scenario
from .entities import AggressorSpec, Alliance, DonorSpec, PartnerSpec, Tie
from .fields import Strict, field_bounds, iter_fields, param
from .policy import COMMITMENTS, INSTRUMENTS, MIX_PRESETS, InstrumentMix, Policy
from .world import World

__all__ = [
    "COMMITMENTS",
    "INSTRUMENTS",
    "MIX_PRESETS",
    "AggressorSpec",
    "Alliance",
    "DonorSpec",
    "InstrumentMix",
    "PartnerSpec",
    "Policy",
    "Scenario",
    "Strict",
    "Tie",
    "World",
    "field_bounds",
    "iter_fields",
    "param",
]
