"""The checks of an experiment spec that look across its parts: factor shapes, the design, the
report and output sections, and every factor value applied to the base scenario.

Each returns a list of :class:`~deterrence_sim.errors.Problem` (file, key, value, what is allowed);
:func:`deterrence_sim.experiment.spec.spec_from_dict` gathers them all before it raises.
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Any

from ..errors import MISSING, Problem, ScenarioError

if TYPE_CHECKING:
    from .spec import DesignSection, Factor, OutputSection, ReportSection

__all__ = [
    "RESERVED",
    "design_problems",
    "factor_shape_problems",
    "output_problems",
    "report_problems",
    "scenario_problems",
]

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


def factor_shape_problems(factors: list[Factor], source: str) -> list[Problem]:
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


def design_problems(design: DesignSection, factors: list[Factor], source: str) -> list[Problem]:
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


def report_problems(report: ReportSection, factors: list[Factor], source: str) -> list[Problem]:
    names = [f.name for f in factors]
    problems = []
    for key in ("x", "hue"):
        v = getattr(report, key)
        if v is not None and v not in names:
            problems.append(
                Problem(source, f"report.{key}", v, "a factor name: " + ", ".join(names))
            )
    if report.heatmap is not None:
        if report.heatmap[0] == report.heatmap[1]:
            problems.append(
                Problem(source, "report.heatmap", list(report.heatmap), "two different factors")
            )
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


def output_problems(output: OutputSection, source: str) -> list[Problem]:
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


def scenario_problems(
    base,
    fixed: dict[str, Any],
    factors: list[Factor],
    design: DesignSection | None,
    source: str,
    years: Any = None,
    allow_duplicate_points: bool = False,
) -> list[Problem]:
    """Paths that match nothing, values the scenario rejects, factors that set the horizon and
    design points that are equal once the scenario has coerced their values."""
    problems: list[Problem] = []
    if fixed:
        try:
            base = base.with_overrides(fixed, source="fixed")
        except ScenarioError as exc:
            return [Problem(source, f"fixed.{p.key}", p.value, p.allowed) for p in exc.problems]
        if years is not None and any(k == "world.years" for p in fixed for k, _ in _keys(base, p)):
            problems.append(
                Problem(source, "fixed.world.years", fixed.get("world.years"), _TWO_HORIZONS)
            )
    resolved: list[Factor] = []  # factors whose paths all exist
    coerced: dict[str, dict[str, str]] = {}  # factor -> value tag -> the values it sets
    for f in factors:
        if (f.path is None) == (f.bundles is None):  # reported by factor_shape_problems
            continue
        path_problems = _path_problems(base, f, source)
        problems += path_problems
        if path_problems:
            continue
        resolved.append(f)
        problems += _horizon_problems(base, f, source)
        coerced[f.name], value_problems = _apply_values(base, f, design, source)
        problems += value_problems
    problems += _overlap_problems(base, resolved, source)
    if not allow_duplicate_points:
        problems += _duplicate_problems(resolved, coerced, design, source)
    return problems


_TWO_HORIZONS = (
    "the horizon is experiment.years when given: set it in one place (a fixed or factor value "
    "of world.years would be silently overridden)"
)


def _keys(base, path: str) -> list[tuple[str, Any]]:
    try:
        return base.resolve(path)
    except ScenarioError:
        return []


def _path_problems(base, f: Factor, source: str) -> list[Problem]:
    problems = []
    where = f"factors.{f.name}.path" if f.bundles is None else f"factors.{f.name}.bundles"
    for path in f.paths():
        try:
            base.resolve(path)
        except ScenarioError as exc:
            problems += [Problem(source, where, path, p.allowed) for p in exc.problems]
    return problems


def _horizon_problems(base, f: Factor, source: str) -> list[Problem]:
    """A factor on ``world.years`` would vary nothing: every run lasts the experiment's years."""
    if any(k == "world.years" for p in f.paths() for k, _ in _keys(base, p)):
        allowed = (
            "not world.years: every run of an experiment lasts experiment.years (or the base "
            "scenario's), so this factor would change nothing; run one experiment per horizon"
        )
        return [Problem(source, f"factors.{f.name}", "world.years", allowed)]
    return []


def _factor_values(f: Factor, design: DesignSection | None) -> list[Any]:
    if f.bundles is not None:
        values = list(f.bundles)
    elif f.values is not None:
        values = list(f.values)
    elif f.range is not None:
        lo, hi = f.range
        values = [round(lo), round(hi)] if f.integer else [lo, hi]
    else:
        values = []
    if design is not None and design.kind == "list":
        values += [p[f.name] for p in design.points if f.name in p]
    return values


def _apply_values(
    base, f: Factor, design: DesignSection | None, source: str
) -> tuple[dict[str, str], list[Problem]]:
    """Apply each distinct value of ``f`` to the base scenario once: the problems, and for each
    value (by its JSON) what the scenario holds at the factor's paths after coercion."""
    key = f"factors.{f.name}"
    problems: list[Problem] = []
    coerced: dict[str, str] = {}
    for v in _factor_values(f, design):
        tag = json.dumps(v)
        if tag in coerced:
            continue
        coerced[tag] = tag
        try:
            scen = base.with_overrides(f.overrides(v), source=key)
        except KeyError:
            allowed = "names of bundles: " + ", ".join(f.bundles or {})
            problems.append(Problem(source, key, v, allowed))
            continue
        except ScenarioError as exc:
            problems += [Problem(source, key, v, f"{p.key}: {p.allowed}") for p in exc.problems]
            continue
        held = [scen.resolve(p) for p in f.paths()]
        coerced[tag] = json.dumps(held, sort_keys=True, default=str)
    return coerced, problems


def _duplicate_problems(
    factors: list[Factor],
    coerced: dict[str, dict[str, str]],
    design: DesignSection | None,
    source: str,
) -> list[Problem]:
    """Levels of a factor, or points of a list design, that set the same scenario: they would
    run with the same seeds and count as independent evidence twice."""
    problems = []
    for f in factors:
        if f.range is not None and f.steps is not None:
            levels = f.levels()
            if len(set(levels)) < len(levels):
                allowed = (
                    f"distinct levels: range {list(f.range)} in {f.steps} steps"
                    + (" rounded to integers" if f.integer else "")
                    + f" repeats levels ({', '.join(map(str, levels[:8]))}"
                    + (", …" if len(levels) > 8 else "")
                    + f"); use at most {len(set(levels))} steps"
                )
                problems.append(Problem(source, f"factors.{f.name}.steps", f.steps, allowed))
        elif f.values is not None or f.bundles is not None:
            problems += _same_levels(f, coerced.get(f.name, {}), source)
    if design is not None and design.kind == "list":
        problems += _same_points(factors, coerced, design, source)
    return problems


def _same_levels(f: Factor, coerced: dict[str, str], source: str) -> list[Problem]:
    values = list(f.values) if f.values is not None else list(f.bundles or {})
    seen: dict[str, Any] = {}
    for v in values:
        held = coerced.get(json.dumps(v))
        if held is None:
            continue
        if held in seen:
            allowed = (
                f"distinct values: {seen[held]!r} and {v!r} set the same scenario value once "
                "coerced to the parameter's type"
            )
            return [
                Problem(
                    source, f"factors.{f.name}.values", f.values or list(f.bundles or {}), allowed
                )
            ]
        seen[held] = v
    return []


def _same_points(
    factors: list[Factor], coerced: dict[str, dict[str, str]], design: DesignSection, source: str
) -> list[Problem]:
    names = [f.name for f in factors]
    seen: dict[tuple, int] = {}
    for i, point in enumerate(design.points):
        if any(n not in point for n in names):
            continue  # reported by design_problems
        key = tuple(
            coerced.get(n, {}).get(json.dumps(point[n]), json.dumps(point[n])) for n in names
        )
        if key in seen:
            allowed = (
                f"distinct points: the same as design.points[{seen[key]}] once coerced to the "
                "parameters' types; list each point once (replications repeat it)"
            )
            return [Problem(source, f"design.points[{i}]", point, allowed)]
        seen[key] = i
    return []
