"""The experiment spec: one TOML file describing a sweep, validated with every problem at once.

A spec names a base scenario, the factors (dotted scenario paths, or *bundles* of several paths
that move together), the design, the replications and root seed, and what to keep. See
``docs/experiments.md`` for the full reference. Validation follows the scenario's rules: every
problem is reported together, each naming the file, the key, the value and what is allowed; a factor
path that matches nothing in the base scenario is an error, and every factor level is applied to the
base scenario once so that an out-of-range value is caught before any run starts.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from ..errors import MISSING, Problem, ProblemsError, ScenarioError, read_toml
from ..scenario.fields import Strict
from ..scenario.problems import pydantic_problems
from ..scenario.world import MAX_YEARS
from . import spec_checks as checks
from .posterior import hash_part, posterior_problems
from .roles import default_role
from .run_function import run_function_problems

__all__ = ["DESIGN_KINDS", "ExperimentSpec", "Factor", "SpecError", "load_spec", "spec_from_dict"]

DESIGN_KINDS = ("grid", "list", "lhs", "sobol", "morris")

#: An experiment name is also a folder name (``results/<name>``): letters, digits, ``_ . -``,
#: starting with a letter or digit, so it can never climb out of ``results/`` or hide itself.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class SpecError(ProblemsError):
    """An experiment spec with one or more problems (file, key, value, what is allowed)."""

    what = "experiment spec"


class _Strict(Strict, frozen=True):
    """The package's strict base (unknown keys are errors), frozen: a spec does not change."""


Scalar = bool | int | float | str


class ExperimentSection(_Strict):
    name: str = Field(
        description="Name of the experiment (also the default results folder): letters, digits, "
        "_ . - (up to 100).",
    )
    description: str = ""
    scenario: str = Field(
        description="Base scenario: a preset name or a TOML path (relative to the spec)."
    )
    years: int | None = Field(
        None, ge=1, le=MAX_YEARS, description="Horizon; default the scenario's."
    )
    replications: int = Field(10, ge=1, le=100_000)
    seed: int = Field(0, ge=0, description="Root seed of numpy.random.SeedSequence.")
    run_function: str = Field(
        "deterrence_sim.run:run_model",
        description="module:function called as f(scenario, years=, seed=) -> RunResult.",
    )
    calibration: Literal["point", "posterior"] = Field(
        "point", description="posterior: each replication draws the calibrated parameters."
    )
    posterior: str | None = Field(None, description="Posterior CSV; default the shipped one.")

    @field_validator("name")
    @classmethod
    def _safe_name(cls, v: str) -> str:
        if not SAFE_NAME.match(v):
            raise ValueError(
                "letters, digits, '_', '.', '-' (up to 100), starting with a letter or digit "
                "(the name is also the results folder's)"
            )
        return v


class DesignSection(_Strict):
    kind: Literal["grid", "list", "lhs", "sobol", "morris"] = "grid"
    n: int | None = Field(
        None, ge=1, description="lhs: points; sobol: base N; morris: trajectories."
    )
    second_order: bool = Field(False, description="sobol: also second-order indices.")
    levels: int = Field(4, ge=2, le=100, description="morris: grid levels.")
    seed: int | None = Field(None, ge=0, description="Seed of the sampler; default the root seed.")
    points: list[dict[str, Scalar]] = Field(default_factory=list, description="list: the points.")


class Factor(_Strict):
    """One factor: a dotted path (or a bundle of paths), its values or range, and its role."""

    name: str
    role: Literal["lever", "uncertainty"] = Field(
        "lever", description="lever (a policy choice) or uncertainty; default from the paths."
    )
    path: str | None = None
    values: list[Scalar] | None = None
    range: tuple[float, float] | None = None
    steps: int | None = Field(None, ge=2, le=10_000)
    integer: bool = False
    bundles: dict[str, dict[str, Scalar | dict[str, float]]] | None = None
    description: str = ""

    @model_validator(mode="before")
    @classmethod
    def _fill_role(cls, data: Any) -> Any:
        # The default role is written into the spec, so the manifest records every factor's role.
        if isinstance(data, dict) and data.get("role") is None:
            bundles = data.get("bundles")
            if isinstance(bundles, dict):
                paths = [p for b in bundles.values() if isinstance(b, dict) for p in b]
            else:
                paths = [data["path"]] if isinstance(data.get("path"), str) else []
            data = {**data, "role": default_role(paths)}
        return data

    @property
    def is_bundle(self) -> bool:
        return self.bundles is not None

    @property
    def is_continuous(self) -> bool:
        """A numeric range (sampled continuously by lhs/sobol/morris)."""
        return self.range is not None

    def levels(self) -> list[Any]:
        """The discrete values of the factor (values, bundle names, or the range's grid)."""
        if self.bundles is not None:
            return list(self.values) if self.values else list(self.bundles)
        if self.values is not None:
            return list(self.values)
        if self.range is not None and self.steps:
            lo, hi = self.range
            vals = [lo + (hi - lo) * i / (self.steps - 1) for i in range(self.steps)]
            if self.integer:
                return [round(v) for v in vals]
            # Round away binary noise (0.6000000000000001) so values print as written.
            return [round(v, 12) for v in vals]
        return []

    def overrides(self, value: Any) -> dict[str, Any]:
        """The scenario overrides (dotted path -> value) one value of this factor stands for."""
        if self.bundles is not None:
            return dict(self.bundles[str(value)])
        assert self.path is not None
        return {self.path: value}

    def paths(self) -> list[str]:
        if self.bundles is not None:
            return sorted({p for b in self.bundles.values() for p in b})
        return [self.path] if self.path else []


class OutputSection(_Strict):
    metrics: list[str] | Literal["all"] = "all"
    timeseries: bool = False
    timeseries_every: int = Field(
        1, ge=1, le=1000, description="Keep every k-th year (and the last)."
    )
    timeseries_columns: list[str] | Literal["all"] = "all"
    batch_size: int | None = Field(
        None, ge=1, le=100_000, description="Runs per task; default auto."
    )


class ReportSection(_Strict):
    x: str | None = None
    hue: str | None = None
    heatmap: tuple[str, str] | None = None
    metrics: list[str] | None = None


class ExperimentSpec(_Strict):
    """A validated experiment spec (see docs/experiments.md)."""

    experiment: ExperimentSection
    design: DesignSection = Field(default_factory=DesignSection)
    factors: list[Factor] = Field(default_factory=list)
    fixed: dict[str, Any] = Field(default_factory=dict)
    output: OutputSection = Field(default_factory=OutputSection)
    report: ReportSection = Field(default_factory=ReportSection)
    # Where it came from (not part of the spec's identity).
    source: str = Field("<dict>", exclude=True)
    base_dir: str = Field(".", exclude=True)

    # --- derived ------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.experiment.name

    def factor(self, name: str) -> Factor:
        for f in self.factors:
            if f.name == name:
                return f
        raise KeyError(name)

    def base_scenario(self):
        """The base scenario with the spec's ``[fixed]`` overrides applied."""

        scen = _load_scenario(self.experiment.scenario, self.base_dir)
        if self.fixed:
            scen = scen.with_overrides(self.fixed, source=f"{self.source} [fixed]")
        return scen

    def years(self, scenario=None) -> int:
        if self.experiment.years is not None:
            return self.experiment.years
        scenario = scenario if scenario is not None else self.base_scenario()
        return int(scenario.world.years)

    def to_dict(self) -> dict[str, Any]:
        """The spec as plain data (every default filled in)."""
        return self.model_dump(mode="json")

    def sha256(self, scenario_dict: dict[str, Any] | None = None) -> str:
        """SHA-256 of the canonical JSON of the validated spec with its base scenario embedded.

        ``scenario_dict`` is the base scenario after ``[fixed]`` (loaded when not given).

        Comments and formatting in the file do not count, nor do settings that cannot change
        results (``[report]``, ``experiment.description``, ``output.batch_size``, a factor's
        ``role``); any other
        value does, including an edit to a scenario file the spec points to.
        """
        if scenario_dict is None:
            scenario_dict = self.base_scenario().to_dict()
        data = self.to_dict()
        data.pop("report", None)
        data["experiment"].pop("description", None)
        data["output"].pop("batch_size", None)
        for f in data["factors"]:  # a factor's role labels it for analysis; runs ignore it
            f.pop("role", None)
        drawn = hash_part(self, data["experiment"])  # the posterior file's content counts
        blob = json.dumps(
            {"spec": data, "scenario": scenario_dict, **drawn},
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# --- loading --------------------------------------------------------------------------------------


def load_spec(path: str | Path, allow_external_run_function: bool = False) -> ExperimentSpec:
    """Read and validate an experiment spec (TOML); SpecError lists every problem.

    ``allow_external_run_function``: accept a ``run_function`` outside ``deterrence_sim``
    (importing it runs its module's code: only for specs you trust)."""
    path = Path(path)
    data = read_toml(path, SpecError)
    return spec_from_dict(
        data,
        source=str(path),
        base_dir=str(path.parent),
        allow_external_run_function=allow_external_run_function,
    )


def spec_from_dict(
    data: dict[str, Any],
    source: str = "<dict>",
    base_dir: str | Path = ".",
    allow_external_run_function: bool = False,
    allow_duplicate_points: bool = False,
) -> ExperimentSpec:
    """Validate spec data (as read from TOML); SpecError lists every problem at once.

    Design points must be distinct after the scenario has coerced and rounded their values (two
    equal points would run with the same seeds and count twice), unless
    ``allow_duplicate_points`` (``optimize`` runs every policy in a sample of futures, where a
    repeated future is a weight, not a mistake)."""
    if not isinstance(data, dict):
        raise SpecError([Problem(source, "", type(data).__name__, "a table of spec sections")])
    problems = _unknown_sections(data, source)
    parts, section_problems = _sections(data, source)
    raw_factors = data.get("factors", [])
    factors, factor_problems = _factors(raw_factors, source)
    fixed, fixed_problems = _fixed(data.get("fixed", {}), source)
    problems += section_problems + factor_problems + fixed_problems
    all_factors_valid = isinstance(raw_factors, list) and len(factors) == len(raw_factors)
    problems += _cross_problems(parts, factors, all_factors_valid, source)
    raw_exp = data.get("experiment") if isinstance(data.get("experiment"), dict) else {}
    problems += _base_problems(
        raw_exp, fixed, factors, parts, base_dir, source, allow_duplicate_points
    )
    run_function = raw_exp.get("run_function")
    if isinstance(run_function, str):
        problems += run_function_problems(run_function, allow_external_run_function, source)
    if problems:
        raise SpecError(problems)
    return ExperimentSpec(
        **parts, factors=factors, fixed=fixed, source=source, base_dir=str(base_dir)
    )


_SECTIONS: dict[str, type[_Strict]] = {
    "experiment": ExperimentSection,
    "design": DesignSection,
    "output": OutputSection,
    "report": ReportSection,
}
_TOP = ["experiment", "design", "factors", "fixed", "output", "report"]


def _unknown_sections(data: dict[str, Any], source: str) -> list[Problem]:
    allowed = "unknown section; allowed: " + ", ".join(_TOP)
    return [Problem(source, key, data[key], allowed) for key in data if key not in _TOP]


def _sections(data: dict[str, Any], source: str) -> tuple[dict[str, Any], list[Problem]]:
    """Each section validated on its own, so that one bad section does not hide the problems of
    the others."""
    parts: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, model in _SECTIONS.items():
        raw = data.get(key, MISSING if key == "experiment" else {})
        if raw is MISSING:
            allowed = "a [experiment] table with name and scenario"
            problems.append(Problem(source, "experiment", MISSING, allowed))
        elif not isinstance(raw, dict):
            problems.append(Problem(source, key, raw, "a table"))
        else:
            try:
                parts[key] = model.model_validate(raw)
            except ValidationError as exc:
                problems += pydantic_problems(exc, raw, source, model, prefix=key)
    return parts, problems


def _factors(raw_factors: Any, source: str) -> tuple[list[Factor], list[Problem]]:
    """Each ``[[factors]]`` table validated on its own."""
    if not isinstance(raw_factors, list):
        return [], [Problem(source, "factors", raw_factors, "an array of tables [[factors]]")]
    factors: list[Factor] = []
    problems: list[Problem] = []
    for i, raw in enumerate(raw_factors):
        if not isinstance(raw, dict):
            problems.append(Problem(source, f"factors[{i}]", raw, "a table"))
            continue
        label = f"factors.{raw['name']}" if isinstance(raw.get("name"), str) else f"factors[{i}]"
        table = raw
        if isinstance(raw.get("bundles"), dict):
            # Bare dotted keys inside a bundle arrive as nested tables: flatten them back.
            bundles = {
                k: _flatten(v) if isinstance(v, dict) else v for k, v in raw["bundles"].items()
            }
            table = {**raw, "bundles": bundles}
        try:
            factors.append(Factor.model_validate(table))
        except ValidationError as exc:
            problems += pydantic_problems(exc, table, source, Factor, prefix=label)
    return factors, problems


def _fixed(fixed: Any, source: str) -> tuple[dict[str, Any], list[Problem]]:
    if not isinstance(fixed, dict):
        return {}, [Problem(source, "fixed", fixed, 'a table of "dotted.path" = value')]
    return _flatten(fixed), []


def _cross_problems(
    parts: dict[str, Any], factors: list[Factor], all_factors_valid: bool, source: str
) -> list[Problem]:
    """Checks across sections: factor shapes, the design, the report and output choices."""
    problems = checks.factor_shape_problems(factors, source)
    # Without every factor valid, "needs a factor" would only be an echo.
    if "design" in parts and all_factors_valid:
        problems += checks.design_problems(parts["design"], factors, source)
    if "report" in parts:
        problems += checks.report_problems(parts["report"], factors, source)
    if "output" in parts:
        problems += checks.output_problems(parts["output"], source)
    return problems


def _base_problems(
    raw_exp: dict[str, Any],
    fixed: dict[str, Any],
    factors: list[Factor],
    parts: dict[str, Any],
    base_dir: str | Path,
    source: str,
    allow_duplicate_points: bool,
) -> list[Problem]:
    """The factors and ``[fixed]`` applied to the base scenario (checked even when another part
    of ``[experiment]`` is wrong), and the posterior a study draws from."""
    scen_name = raw_exp.get("scenario")
    if not isinstance(scen_name, str):
        return []
    try:
        base = _load_scenario(scen_name, base_dir)
    except ScenarioError as exc:
        return [
            Problem(
                source,
                "experiment.scenario",
                scen_name,
                "a preset " + p.allowed if p.source == "presets" else str(p),
            )
            for p in exc.problems
        ]
    design = parts.get("design")
    problems = checks.scenario_problems(
        base, fixed, factors, design, source, raw_exp.get("years"), allow_duplicate_points
    )
    return problems + posterior_problems(
        parts.get("experiment"), base, fixed, factors, source, base_dir
    )


def _load_scenario(name_or_path: str, base_dir: str | Path):
    from ..scenario import Scenario

    candidate = Path(base_dir) / name_or_path
    if (name_or_path.endswith(".toml") or "/" in name_or_path) and candidate.exists():
        return Scenario.from_toml(candidate)
    return Scenario.load(name_or_path)


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` and ``{"a.b": 1}`` both become ``{"a.b": 1}`` (TOML splits bare dotted keys)."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        # instrument_mix may legitimately be a table of shares: keep it whole.
        if isinstance(v, dict) and not key.endswith("instrument_mix"):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out
