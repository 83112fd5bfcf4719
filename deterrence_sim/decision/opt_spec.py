"""The optimisation spec: an experiment spec plus ``[optimize]`` and ``[[objectives]]``.

The experiment part (``[experiment]``, ``[[factors]]`` with their roles, ``[fixed]``, ``[output]``)
is validated by :func:`deterrence_sim.experiment.spec_from_dict`, so paths, values and ranges are
checked exactly as for a sweep. ``[design]`` is not used: the levers are searched and the
uncertainties are sampled by a Latin hypercube of ``optimize.samples`` futures. See
``docs/decision-support.md`` for the reference.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from ..errors import Problem, read_toml
from ..experiment.spec import ExperimentSpec, SpecError, spec_from_dict
from ..scenario.fields import Strict
from ..scenario.problems import pydantic_problems
from .robustness import STATISTICS

__all__ = ["Objective", "OptimizeSection", "OptimizeSpec", "load_optimize_spec"]


class _Strict(Strict, frozen=True):
    pass


class QuickSection(_Strict):
    """Sizes for ``--quick`` (a smoke test in CI)."""

    population: int = Field(8, ge=4, le=10_000)
    generations: int = Field(3, ge=1, le=10_000)
    samples: int = Field(6, ge=1, le=100_000)
    replications: int = Field(1, ge=1, le=10_000)
    stress_samples: int = Field(40, ge=0, le=1_000_000)


class OptimizeSection(_Strict):
    algorithm: Literal["nsga2", "nsga3"] = "nsga2"
    population: int = Field(24, ge=4, le=10_000, description="Candidates per generation.")
    generations: int = Field(12, ge=1, le=10_000)
    samples: int = Field(
        30, ge=1, le=100_000, description="Futures (uncertainty draws) each policy is run in."
    )
    seed: int | None = Field(None, ge=0, description="Search and sampling seed; default the root.")
    reference_point: list[float] | None = Field(
        None, description="Hypervolume reference, one value per objective in its own units."
    )
    choose: Literal["first", "compromise"] = Field(
        "first", description="Which Pareto policy the stress test runs."
    )
    stress_samples: int = Field(
        200, ge=0, le=1_000_000, description="Futures of the stress test of the chosen policy."
    )
    quick: QuickSection = Field(default_factory=QuickSection)


class Objective(_Strict):
    name: str
    metric: str
    statistic: Literal["mean", "percentile", "regret", "satisficing"] = "mean"
    direction: Literal["min", "max"] = "min"
    q: float = Field(90.0, gt=0, le=100, description="percentile and regret: which percentile.")
    threshold: float | None = Field(None, description="satisficing: the outcome to meet.")
    description: str = ""

    @property
    def label(self) -> str:
        stat = {
            "mean": "mean",
            "percentile": f"p{self.q:g}" if self.direction == "min" else f"p{100 - self.q:g}",
            "regret": f"p{self.q:g} regret",
            "satisficing": f"share {'<=' if self.direction == 'min' else '>='} {self.threshold:g}"
            if self.threshold is not None
            else "share",
        }[self.statistic]
        return f"{self.metric} ({stat})"


@dataclass(frozen=True)
class OptimizeSpec:
    """A validated optimisation spec."""

    experiment: ExperimentSpec
    optimize: OptimizeSection
    objectives: list[Objective]
    raw: dict[str, Any]
    quick: bool = False

    @property
    def name(self) -> str:
        return self.experiment.name

    @property
    def levers(self):
        return [f for f in self.experiment.factors if f.role == "lever"]

    @property
    def uncertainties(self):
        return [f for f in self.experiment.factors if f.role == "uncertainty"]

    @property
    def seed(self) -> int:
        s = self.optimize.seed
        return s if s is not None else self.experiment.experiment.seed

    def sizes(self) -> dict[str, int]:
        """population, generations, samples, replications and stress_samples in effect."""
        o = self.optimize
        if self.quick:
            return o.quick.model_dump()
        return {
            "population": o.population,
            "generations": o.generations,
            "samples": o.samples,
            "replications": self.experiment.experiment.replications,
            "stress_samples": o.stress_samples,
        }

    def sha256(self) -> str:
        """Identity of the search: the experiment's hash, the search settings, the objectives."""
        blob = json.dumps(
            {
                "experiment": self.experiment.sha256(),
                "roles": {f.name: f.role for f in self.experiment.factors},
                "optimize": self.optimize.model_dump(mode="json"),
                "objectives": [o.model_dump(mode="json") for o in self.objectives],
                "quick": self.quick,
            },
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def load_optimize_spec(path: str | Path, quick: bool = False) -> OptimizeSpec:
    """Read and validate an optimisation spec (TOML); SpecError lists every problem."""
    path = Path(path)
    data = read_toml(path, SpecError)
    return optimize_spec_from_dict(data, source=str(path), base_dir=path.parent, quick=quick)


def optimize_spec_from_dict(
    data: dict[str, Any], source: str = "<dict>", base_dir: str | Path = ".", quick: bool = False
) -> OptimizeSpec:
    """Validate an optimisation spec given as data; every problem is reported at once."""
    data = dict(data)
    problems: list[Problem] = []
    raw_opt = data.pop("optimize", {})
    raw_objs = data.pop("objectives", [])
    if "design" in data:
        problems.append(
            Problem(
                source,
                "design",
                data.pop("design"),
                "no [design] in an optimisation spec: "
                "levers are searched, uncertainties sampled ([optimize] samples)",
            )
        )
    opt = None
    try:
        opt = OptimizeSection.model_validate(raw_opt)
    except ValidationError as exc:
        problems += pydantic_problems(exc, raw_opt, source, OptimizeSection, prefix="optimize")
    objectives: list[Objective] = []
    if not isinstance(raw_objs, list) or not raw_objs:
        problems.append(Problem(source, "objectives", raw_objs, "one or more [[objectives]]"))
        raw_objs = []
    for i, raw in enumerate(raw_objs):
        label = f"objectives.{raw.get('name', i)}" if isinstance(raw, dict) else f"objectives[{i}]"
        try:
            objectives.append(Objective.model_validate(raw))
        except ValidationError as exc:
            problems += pydantic_problems(
                exc, raw if isinstance(raw, dict) else {}, source, Objective, prefix=label
            )
    # The experiment part, checked as a sweep would be (a one-point LHS stands in for the design).
    experiment = None
    try:
        experiment = spec_from_dict(
            {**data, "design": {"kind": "lhs", "n": 1}}, source=source, base_dir=base_dir
        )
    except SpecError as exc:
        problems += exc.problems
    if experiment is not None:
        problems += _role_problems(experiment, source)
        default_run = experiment.experiment.run_function == "deterrence_sim.run:run_model"
        problems += _objective_problems(objectives, opt, source, check_metrics=default_run)
    if problems:
        raise SpecError(problems)
    assert experiment is not None and opt is not None
    return OptimizeSpec(experiment, opt, objectives, raw={**data}, quick=quick)


def _role_problems(spec: ExperimentSpec, source: str) -> list[Problem]:
    if not any(f.role == "lever" for f in spec.factors):
        return [
            Problem(
                source,
                "factors",
                [f.name for f in spec.factors],
                'at least one factor with role = "lever" (a policy choice to search over)',
            )
        ]
    return []


def _objective_problems(
    objectives: list[Objective], opt: OptimizeSection | None, source: str, check_metrics: bool
) -> list[Problem]:
    from ..metrics import METRICS

    problems = []
    names = [o.name for o in objectives]
    if len(set(names)) != len(names):
        problems.append(Problem(source, "objectives", names, "distinct objective names"))
    for o in objectives:
        key = f"objectives.{o.name}"
        if check_metrics and o.metric not in METRICS:
            problems.append(
                Problem(source, f"{key}.metric", o.metric, "metric names: " + ", ".join(METRICS))
            )
        if o.statistic == "satisficing" and o.threshold is None:
            problems.append(
                Problem(
                    source,
                    f"{key}.threshold",
                    None,
                    "a number (satisficing counts the futures where the metric meets it)",
                )
            )
        if o.statistic not in STATISTICS:  # pragma: no cover - the Literal forbids it
            problems.append(Problem(source, f"{key}.statistic", o.statistic, str(STATISTICS)))
    if (
        opt is not None
        and opt.reference_point is not None
        and objectives
        and len(opt.reference_point) != len(objectives)
    ):
        problems.append(
            Problem(
                source,
                "optimize.reference_point",
                opt.reference_point,
                f"{len(objectives)} numbers, one per objective",
            )
        )
    if opt is not None and opt.algorithm == "nsga3" and len(objectives) < 2:
        problems.append(Problem(source, "optimize.algorithm", "nsga3", "nsga3 needs 2+ objectives"))
    return problems
