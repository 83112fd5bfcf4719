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
import math
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from ..errors import MISSING, Problem, ProblemsError, ScenarioError, read_toml
from ..scenario.fields import Strict
from ..scenario.problems import pydantic_problems
from .posterior import hash_part, posterior_problems
from .roles import default_role
from .run_function import run_function_problems

__all__ = ["DESIGN_KINDS", "ExperimentSpec", "Factor", "SpecError", "load_spec", "spec_from_dict"]

DESIGN_KINDS = ("grid", "list", "lhs", "sobol", "morris")

#: Column names the store uses itself; factors may not take them.
RESERVED = {
    "run_id",
    "run_index",
    "point",
    "replication",
    "seed",
    "seed_entropy",
    "seed_spawn_key",
    "status",
    "error",
    "duration_s",
    "factors",
    "year",
    "part",
}

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Longest horizon of one run, in years (a spec's ``years`` and ``deterrence-sim run --years``).
MAX_YEARS = 1000

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
) -> ExperimentSpec:
    """Validate spec data (as read from TOML); SpecError lists every problem at once."""
    problems: list[Problem] = []
    data = dict(data)
    allowed_top = ["experiment", "design", "factors", "fixed", "output", "report"]
    for key in data:
        if key not in allowed_top:
            problems.append(
                Problem(
                    source, key, data[key], "unknown section; allowed: " + ", ".join(allowed_top)
                )
            )
    parts: dict[str, Any] = {}
    # Validate each section (and each factor) on its own, so that one bad section does not hide
    # the problems of the others.
    sections = {
        "experiment": ExperimentSection,
        "design": DesignSection,
        "output": OutputSection,
        "report": ReportSection,
    }
    for key, model in sections.items():
        raw = data.get(key, MISSING if key == "experiment" else {})
        if raw is MISSING:
            problems.append(
                Problem(
                    source, "experiment", MISSING, "a [experiment] table with name and scenario"
                )
            )
            continue
        if not isinstance(raw, dict):
            problems.append(Problem(source, key, raw, "a table"))
            continue
        try:
            parts[key] = model.model_validate(raw)
        except ValidationError as exc:
            problems += pydantic_problems(exc, raw, source, model, prefix=key)
    raw_factors = data.get("factors", [])
    factors: list[Factor] = []
    if not isinstance(raw_factors, list):
        problems.append(Problem(source, "factors", raw_factors, "an array of tables [[factors]]"))
        raw_factors = []
    for i, raw in enumerate(raw_factors):
        label = f"factors[{i}]"
        if isinstance(raw, dict) and isinstance(raw.get("name"), str):
            label = f"factors.{raw['name']}"
        if not isinstance(raw, dict):
            problems.append(Problem(source, label, raw, "a table"))
            continue
        table = raw
        if isinstance(raw.get("bundles"), dict):
            # Bare dotted keys inside a bundle arrive as nested tables: flatten them back.
            table = {
                **raw,
                "bundles": {
                    k: _flatten(v) if isinstance(v, dict) else v for k, v in raw["bundles"].items()
                },
            }
        try:
            factors.append(Factor.model_validate(table))
        except ValidationError as exc:
            problems += pydantic_problems(exc, table, source, Factor, prefix=label)
    fixed = data.get("fixed", {})
    if not isinstance(fixed, dict):
        problems.append(Problem(source, "fixed", fixed, 'a table of "dotted.path" = value'))
        fixed = {}
    fixed = _flatten(fixed)

    problems += _factor_shape_problems(factors, source)
    design = parts.get("design")
    output = parts.get("output")
    report = parts.get("report")
    # Without every factor valid, "needs a factor" would only be an echo.
    if design is not None and len(factors) == len(raw_factors):
        problems += _design_problems(design, factors, source)
    if report is not None:
        problems += _report_problems(report, factors, source)
    if output is not None:
        problems += _output_problems(output, source)

    exp = parts.get("experiment")
    # Check the factors against the scenario even when another part of [experiment] is wrong.
    raw_exp = data.get("experiment")
    scen_name = raw_exp.get("scenario") if isinstance(raw_exp, dict) else None
    if isinstance(scen_name, str):
        try:
            base = _load_scenario(scen_name, base_dir)
        except ScenarioError as exc:
            problems += [
                Problem(
                    source,
                    "experiment.scenario",
                    scen_name,
                    "a preset " + p.allowed if p.source == "presets" else str(p),
                )
                for p in exc.problems
            ]
        else:
            problems += _scenario_problems(base, fixed, factors, design, source)
            problems += posterior_problems(exp, base, fixed, factors, source, base_dir)

    run_function = raw_exp.get("run_function") if isinstance(raw_exp, dict) else None
    if isinstance(run_function, str):
        problems += run_function_problems(run_function, allow_external_run_function, source)
    if problems:
        raise SpecError(problems)
    return ExperimentSpec(
        experiment=exp,
        design=design,
        factors=factors,
        fixed=fixed,
        output=output,
        report=report,
        source=source,
        base_dir=str(base_dir),
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


def _factor_shape_problems(factors: list[Factor], source: str) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for f in factors:
        key = f"factors.{f.name}"
        if not _NAME.match(f.name) or f.name in RESERVED:
            problems.append(
                Problem(
                    source,
                    f"{key}.name",
                    f.name,
                    "an identifier (letters, digits, _), not one of: "
                    + ", ".join(sorted(RESERVED)),
                )
            )
        if f.name in seen:
            problems.append(Problem(source, f"{key}.name", f.name, "factor names must be unique"))
        seen.add(f.name)
        kinds = [k for k in ("path", "bundles") if getattr(f, k) is not None]
        if len(kinds) != 1:
            problems.append(
                Problem(
                    source,
                    key,
                    {k: getattr(f, k) for k in ("path", "bundles") if getattr(f, k) is not None}
                    or MISSING,
                    "exactly one of path (a dotted scenario path) or bundles (named sets of overrides)",
                )
            )
            continue
        if f.bundles is not None:
            if not f.bundles:
                problems.append(Problem(source, f"{key}.bundles", {}, "at least one bundle"))
            if f.range is not None:
                problems.append(
                    Problem(source, f"{key}.range", f.range, "a bundle factor takes no range")
                )
            if f.values is not None:
                bad = [v for v in f.values if str(v) not in f.bundles]
                if bad:
                    problems.append(
                        Problem(
                            source,
                            f"{key}.values",
                            bad,
                            "names of bundles: " + ", ".join(f.bundles),
                        )
                    )
            continue
        has_values, has_range = f.values is not None, f.range is not None
        if has_values == has_range:
            problems.append(
                Problem(
                    source,
                    key,
                    {"values": f.values, "range": f.range} if has_values else MISSING,
                    "exactly one of values = [...] or range = [low, high]",
                )
            )
        if has_values and not f.values:
            problems.append(Problem(source, f"{key}.values", [], "at least one value"))
        if has_values and f.values and len({json.dumps(v) for v in f.values}) != len(f.values):
            problems.append(Problem(source, f"{key}.values", f.values, "distinct values"))
        if has_range:
            lo, hi = f.range
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                problems.append(
                    Problem(source, f"{key}.range", list(f.range), "[low, high] with low < high")
                )
        if f.steps is not None and not has_range:
            problems.append(Problem(source, f"{key}.steps", f.steps, "only with range"))
    return problems


def _design_problems(design: DesignSection, factors: list[Factor], source: str) -> list[Problem]:
    problems = []
    names = [f.name for f in factors]
    kind = design.kind
    if kind != "list" and not factors:
        problems.append(
            Problem(source, "factors", MISSING, f"a {kind} design needs at least one [[factors]]")
        )
    if kind == "grid":
        for f in factors:
            if f.range is not None and f.steps is None:
                problems.append(
                    Problem(
                        source,
                        f"factors.{f.name}.steps",
                        MISSING,
                        "a grid needs discrete levels: give steps (>= 2) with range, or values",
                    )
                )
    if kind in ("lhs", "sobol", "morris") and design.n is None:
        problems.append(
            Problem(
                source,
                "design.n",
                MISSING,
                {
                    "lhs": "number of points (integer >= 1)",
                    "sobol": "base sample size N, a power of 2 (runs N*(D+2), or N*(2D+2) with second_order)",
                    "morris": "number of trajectories (integer >= 2)",
                }[kind],
            )
        )
    if kind == "sobol" and design.n is not None and design.n & (design.n - 1):
        problems.append(
            Problem(
                source,
                "design.n",
                design.n,
                "a power of 2 (Sobol' sequences are balanced only then)",
            )
        )
    if kind == "sobol" and len(factors) < 2 and factors:
        problems.append(
            Problem(source, "factors", names, "a Sobol design needs at least 2 factors")
        )
    if kind == "morris" and design.n is not None and design.n < 2:
        problems.append(Problem(source, "design.n", design.n, "at least 2 trajectories"))
    if kind == "list":
        if not design.points:
            problems.append(
                Problem(source, "design.points", MISSING, "a list design needs [[design.points]]")
            )
        for i, point in enumerate(design.points):
            unknown = [k for k in point if k not in names]
            missing = [n for n in names if n not in point]
            if unknown:
                problems.append(
                    Problem(
                        source,
                        f"design.points[{i}]",
                        unknown,
                        "factor names declared in [[factors]]: " + (", ".join(names) or "none"),
                    )
                )
            if missing:
                problems.append(
                    Problem(
                        source, f"design.points[{i}]", MISSING, "a value for: " + ", ".join(missing)
                    )
                )
    elif design.points:
        problems.append(Problem(source, "design.points", design.points, "only for kind = 'list'"))
    return problems


def _report_problems(report: ReportSection, factors: list[Factor], source: str) -> list[Problem]:
    names = [f.name for f in factors]
    problems = []
    for key in ("x", "hue"):
        v = getattr(report, key)
        if v is not None and v not in names:
            problems.append(
                Problem(source, f"report.{key}", v, "a factor name: " + ", ".join(names))
            )
    if report.heatmap is not None:
        for v in report.heatmap:
            if v not in names:
                problems.append(
                    Problem(source, "report.heatmap", v, "factor names: " + ", ".join(names))
                )
    return problems


def _known_metrics() -> list[str] | None:
    try:
        from ..metrics import METRICS
    except ImportError:  # the model's metric table not built yet: cannot check names
        return None
    return list(METRICS)


def _output_problems(output: OutputSection, source: str) -> list[Problem]:
    problems = []
    known = _known_metrics()
    if known is not None and isinstance(output.metrics, list):
        for m in output.metrics:
            if m not in known:
                problems.append(
                    Problem(source, "output.metrics", m, "metric names: " + ", ".join(known))
                )
    return problems


def _overlap_problems(base, factors: list[Factor], source: str) -> list[Problem]:
    """Two factors that set the same parameter (after expanding wildcards, or one a table the
    other sets a key of): the factor applied last would silently undo the other."""

    def nested(a: str, b: str) -> bool:
        return a == b or a.startswith(b + ".") or b.startswith(a + ".")

    keys = {f.name: [(k, p) for p in f.paths() for k, _ in base.resolve(p)] for f in factors}
    problems = []
    for i, f in enumerate(factors):
        earlier = [(k, g.name) for g in factors[:i] for k, _ in keys[g.name]]
        clash = next(
            ((k, p, g) for k, p in keys[f.name] for k2, g in earlier if nested(k, k2)), None
        )
        if clash is not None:
            key, path, other = clash
            problems.append(
                Problem(
                    source,
                    f"factors.{f.name}",
                    path,
                    f"sets {key}, which factor '{other}' sets too; vary a parameter in one "
                    "factor only",
                )
            )
    return problems


def _scenario_problems(base, fixed, factors, design, source) -> list[Problem]:
    """Paths that match nothing and values the scenario rejects, each as a Problem."""
    problems: list[Problem] = []
    if fixed:
        try:
            base = base.with_overrides(fixed, source="fixed")
        except ScenarioError as exc:
            problems += [
                Problem(source, f"fixed.{p.key}", p.value, p.allowed) for p in exc.problems
            ]
            return problems
    resolved: list[Factor] = []  # factors whose paths all exist
    for f in factors:
        key = f"factors.{f.name}"
        if (f.path is None) == (f.bundles is None):  # reported by _factor_shape_problems
            continue
        bad_path = False
        for path in f.paths():
            try:
                base.resolve(path)
            except ScenarioError as exc:
                bad_path = True
                where = f"{key}.path" if f.bundles is None else f"{key}.bundles"
                problems += [Problem(source, where, path, p.allowed) for p in exc.problems]
        if bad_path:
            continue
        resolved.append(f)
        values: list[Any] = []
        if f.bundles is not None:
            values = list(f.bundles)
        elif f.values is not None:
            values = list(f.values)
        elif f.range is not None:
            lo, hi = f.range
            values = [round(lo), round(hi)] if f.integer else [lo, hi]
        if design is not None and design.kind == "list":
            values += [p[f.name] for p in design.points if f.name in p]
        checked: set[str] = set()
        for v in values:
            tag = json.dumps(v)
            if tag in checked:
                continue
            checked.add(tag)
            try:
                base.with_overrides(f.overrides(v), source=key)
            except KeyError:
                problems.append(
                    Problem(source, key, v, "names of bundles: " + ", ".join(f.bundles or {}))
                )
            except ScenarioError as exc:
                for p in exc.problems:
                    problems.append(Problem(source, key, v, f"{p.key}: {p.allowed}"))
    return problems + _overlap_problems(base, resolved, source)
