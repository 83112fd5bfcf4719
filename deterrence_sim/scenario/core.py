"""The ``Scenario`` model: one world with its states, ties, alliances and policies.

The class holds the schema and thin entry points; the work is done by small modules beside it:
``io`` (files and presets), ``problems`` (error translation), ``overrides`` (dotted paths) and
``synthetic`` (random worlds). A scenario built from COW, V-Dem and ATOP data comes from
:func:`deterrence_sim.data.scenario_from_data` (the schema does not import the data loaders).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from ..errors import Problem, ScenarioError, read_toml
from . import io
from . import overrides as _overrides
from .entities import AggressorSpec, Alliance, DonorSpec, PartnerSpec, Tie
from .fields import ScenarioBase
from .problems import pydantic_problems, reference_problems
from .synthetic import synthetic_data
from .world import World

__all__ = ["Scenario"]


class Scenario(ScenarioBase):
    """One world: settings, states, ties, alliances and policies (see docs/model.md)."""

    name: str = "scenario"
    description: str = ""
    world: World = Field(default_factory=World)
    donors: list[DonorSpec] = Field(default_factory=list)
    partners: list[PartnerSpec] = Field(default_factory=list)
    aggressors: list[AggressorSpec] = Field(default_factory=list)
    ties: list[Tie] = Field(default_factory=list)
    alliances: list[Alliance] = Field(default_factory=list)

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>") -> Scenario:
        """Validate a plain dict (as read from TOML); raise ScenarioError listing every problem."""
        if not isinstance(data, Mapping):
            allowed = "a table of scenario keys (name, world, donors, partners, ...)"
            raise ScenarioError([Problem(source, "", type(data).__name__, allowed)])
        problems: list[Problem] = []
        scenario = None
        try:
            scenario = cls.model_validate(dict(data))
        except ValidationError as exc:
            problems += pydantic_problems(exc, data, source, cls)
        problems += reference_problems(data, source)
        if problems:
            raise ScenarioError(problems)
        assert scenario is not None
        return scenario

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Load a scenario file; missing file and invalid TOML are ScenarioErrors naming the file."""
        return cls.from_dict(read_toml(path, ScenarioError), source=str(path))

    @classmethod
    def from_toml_string(cls, text: str, source: str = "<string>") -> Scenario:
        """A scenario from TOML text; `source` names it in error messages."""
        return cls.from_dict(io.parse_toml(text, source), source=source)

    @classmethod
    def presets(cls) -> dict[str, str]:
        """Preset names shipped with the package, each with its one-line description."""
        return io.presets()

    @classmethod
    def preset(cls, name: str) -> Scenario:
        """A preset by name (see :meth:`presets`)."""
        return cls.from_toml_string(io.preset_text(name), source=f"preset '{name}'")

    @classmethod
    def load(cls, name_or_path: str | Path) -> Scenario:
        """A preset name, or the path of a TOML file."""
        if io.is_path(name_or_path):
            return cls.from_toml(str(name_or_path))
        return cls.preset(str(name_or_path))

    @classmethod
    def synthetic(
        cls, n_donors: int, n_partners: int, n_aggressors: int, seed: int = 0
    ) -> Scenario:
        """A random world of the given size, for scaling studies (see :mod:`.synthetic`)."""
        data = synthetic_data(n_donors, n_partners, n_aggressors, seed)
        return cls.from_dict(data, source="synthetic")

    # --- serialisation ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A complete plain dict (every default filled in); None values are left out (TOML has no null)."""
        return _overrides.drop_none(self.model_dump(mode="python"))

    def to_toml(self, path: str | Path | None = None) -> str:
        """The scenario as TOML text; also written to `path` when given."""
        return io.write_toml(self.to_dict(), path)

    # --- overrides ----------------------------------------------------------------------------

    def resolve(self, path: str) -> list[tuple[str, Any]]:
        """The (concrete dotted key, value) pairs a dotted path with wildcards matches.

        Segments name a field, an item of a list of named tables by its name (or index), or a
        wildcard (``*``, or a glob like ``P*``). A path that matches nothing is a ScenarioError.
        """
        return _overrides.resolve(self, path)

    def with_overrides(self, overrides: Mapping[str, Any], source: str = "overrides") -> Scenario:
        """A new scenario with values set by dotted paths (wildcards allowed), validated again.

        ``{"donors.*.policy.sunset_year": 10, "partners.EST.governance": 0.3}``. Every problem (an
        unknown key, a bad value) is reported at once, naming the key and what is allowed.
        """
        return _overrides.with_overrides(self, overrides, source)

    # --- convenience --------------------------------------------------------------------------

    def state_names(self) -> dict[str, str]:
        """Every state's name mapped to its role ('donor', 'partner', 'aggressor')."""
        out = {d.name: "donor" for d in self.donors}
        out.update({p.name: "partner" for p in self.partners})
        out.update({a.name: "aggressor" for a in self.aggressors})
        return out
