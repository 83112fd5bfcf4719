"""The dashboard's policy levers, declared as a table, and the link (URL query) that restores them.

Each lever is one :class:`LeverSpec` line in :data:`LEVERS`: its control (switch, slider or
list), range, the words shown beside its value, and a hint when it has no effect in the current
scenario. The page builds its controls from this table, the URL is read and written from it, and
a lever the scenario's donor policy does not have (a field added by a newer model) is simply not
shown. Adding a lever is one line here.

Levers apply to every donor at once (dotted overrides ``donors.*.policy.<lever>``). A lever left
at the scenario's own value (the first donor's setting) is not overridden, so a preset whose
donors differ keeps those differences until the user moves that lever.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, get_args
from urllib.parse import parse_qsl, urlencode

from ..scenario import MIX_PRESETS, Policy, Scenario
from ..vocab import BACKSLIDING_RESPONSES, COMMITMENTS, EXIT_RULES

__all__ = [
    "LEVERS",
    "MIX_AS_SCENARIO",
    "LeverSpec",
    "apply_levers",
    "available_levers",
    "lever_from_text",
    "lever_hints",
    "lever_overrides",
    "levers_from_query",
    "levers_from_scenario",
    "query_from_state",
    "state_from_query",
]

#: The largest seed a link may carry (numpy's generators take any whole number ≥ 0; this keeps
#: the number printable and the link short).
MAX_SEED = 2**63 - 1

#: Select value meaning "keep each donor's instrument mix from the scenario".
MIX_AS_SCENARIO = "as in scenario"

Levers = dict[str, Any]


def _pct(v: float) -> str:
    return f"{100 * float(v):.0f}%"


def _years(v: int) -> str:
    return f"{int(v)} year" + ("" if int(v) == 1 else "s")


@dataclass(frozen=True)
class LeverSpec:
    """One policy lever on the dashboard.

    ``kind``: ``switch`` (bool), ``int`` or ``float`` (slider), ``choice`` (list). ``text`` turns
    the value into words (with its unit); ``hint`` returns why the lever does nothing in this
    scenario with these levers, or None; ``applies`` says whether the scenario's policy has the
    lever at all (default: the policy has an attribute of that name).
    """

    name: str
    label: str
    kind: str
    text: Callable[[Any], str] = str
    lo: float = 0.0
    hi: float = 1.0
    step: float = 0.05
    choices: tuple[str, ...] = ()
    hint: Callable[[Levers, Scenario], str | None] | None = None
    #: Dotted path of the field inside a donor's policy (default: the lever's name).
    path: str = ""

    @property
    def field(self) -> str:
        return self.path or self.name

    def bounds(self, scenario: Scenario) -> tuple[float, float]:
        """The slider's range in this scenario (the sunset year runs to the world's horizon)."""
        if self.name == "sunset_year":
            return self.lo, float(scenario.world.years)
        return self.lo, self.hi


def _no_conditions(lv: Levers, sc: Scenario) -> str | None:
    if float(lv.get("conditionality", 0)) <= 0:
        return "No effect: no aid is conditional (conditionality is 0%)."
    return None


def _no_alliance(lv: Levers, sc: Scenario) -> str | None:
    members = {m for al in sc.alliances for m in getattr(al, "members", [])}
    if not any(d.name in members for d in sc.donors):
        return "No effect here: no donor belongs to an alliance to pool aid through."
    # Pooling acts through enforcement (a pooled donor enforces more): nothing to enforce, no effect.
    return _no_conditions(lv, sc)


def _open_ended(lv: Levers, sc: Scenario) -> str | None:
    if lv.get("open_ended"):
        return "No effect: the program is open-ended (no sunset)."
    if lv.get("exit_rule") == "conditions":
        return "No effect: a conditions-based exit ignores the sunset year."
    return None


def _no_commitment(lv: Levers, sc: Scenario) -> str | None:
    if lv.get("commitment") == "none":
        return "No effect on deterrence: the donor has made no security commitment."
    return None


def _not_rule(*rules: str) -> Callable[[Levers, Scenario], str | None]:
    def hint(lv: Levers, sc: Scenario) -> str | None:
        if lv.get("exit_rule") not in rules:
            return f"No effect: only used when the exit rule is {' or '.join(rules)}."
        return None

    return hint


def _no_surge(lv: Levers, sc: Scenario) -> str | None:
    if float(lv.get("surge_on_attack", 1.0)) <= 1.0:
        return "No effect: there is no surge (multiplier ×1)."
    return None


#: The levers, in the order shown. ``open_ended`` + ``sunset_year`` together set the policy's
#: ``sunset_year``; ``budget_scale`` scales each donor's budget; the rest map one-to-one.
LEVERS: tuple[LeverSpec, ...] = (
    LeverSpec("open_ended", "Open-ended program (no sunset)", "switch"),
    LeverSpec(
        "sunset_year", "Sunset (aid ends)", "int", lambda v: f"year {v}", 1, 40, 1, (), _open_ended
    ),
    LeverSpec(
        "taper_years",
        "Taper before the sunset",
        "int",
        lambda v: "cliff exit (0 years)" if int(v) == 0 else _years(v),
        0,
        20,
        1,
        (),
        _open_ended,
    ),
    LeverSpec("exit_rule", "Exit rule", "choice", str, choices=EXIT_RULES),
    LeverSpec(
        "milestone_self_sufficiency",
        "Milestone: self-sufficiency",
        "float",
        lambda v: f"{_pct(v)} of capability on its own upkeep",
        hint=_not_rule("conditions", "hybrid"),
        path="milestones.self_sufficiency",
    ),
    LeverSpec(
        "milestone_governance",
        "Milestone: governance",
        "float",
        lambda v: f"{float(v):.2f} (0–1)",
        hint=_not_rule("conditions", "hybrid"),
        path="milestones.governance",
    ),
    LeverSpec(
        "milestone_years",
        "Milestones held for",
        "int",
        _years,
        1,
        10,
        1,
        (),
        _not_rule("conditions", "hybrid"),
        "milestones.years",
    ),
    LeverSpec(
        "max_horizon", "Longest program", "int", _years, 1, 60, 1, (), _not_rule("conditions")
    ),
    LeverSpec(
        "max_extension",
        "Longest extension past the sunset",
        "int",
        _years,
        0,
        20,
        1,
        (),
        _not_rule("hybrid"),
    ),
    LeverSpec(
        "conditionality",
        "Conditionality",
        "float",
        lambda v: f"{_pct(v)} of aid tied to reform",
    ),
    LeverSpec(
        "enforcement",
        "Enforcement",
        "float",
        lambda v: f"{_pct(v)} chance a missed benchmark is punished",
        hint=_no_conditions,
    ),
    LeverSpec(
        "audit_intensity", "Audit intensity", "float", lambda v: f"{v:.2f} (0 none, 1 continuous)"
    ),
    LeverSpec("budget_scale", "Budget", "float", lambda v: f"×{v:g}", 0.0, 3.0, 0.25),
    LeverSpec(
        "instrument_mix",
        "Instrument mix",
        "choice",
        choices=(MIX_AS_SCENARIO, *MIX_PRESETS),
    ),
    LeverSpec(
        "commitment",
        "Commitment type",
        "choice",
        choices=COMMITMENTS,
    ),
    LeverSpec(
        "tripwire", "Tripwire (donor troops with the partner)", "switch", hint=_no_commitment
    ),
    LeverSpec(
        "channel",
        "Aid channel",
        "choice",
        choices=get_args(Policy.model_fields["channel"].annotation),
        hint=_no_alliance,
    ),
    LeverSpec(
        "surge_on_attack",
        "Aid surge after an attack",
        "float",
        lambda v: "none (×1)" if float(v) == 1 else f"×{float(v):g} aid",
        1.0,
        5.0,
        0.25,
    ),
    LeverSpec("surge_years", "Surge length", "int", _years, 0, 10, 1, (), _no_surge),
    LeverSpec(
        "backsliding_response",
        "Response to backsliding",
        "choice",
        choices=BACKSLIDING_RESPONSES,
    ),
)

#: Levers that are not a donor-policy field of the same name.
_DERIVED = {"open_ended", "budget_scale"}


def _by_name() -> dict[str, LeverSpec]:
    return {s.name: s for s in LEVERS}


def available_levers(scenario: Scenario) -> tuple[LeverSpec, ...]:
    """The levers this scenario's donor policy has (all of them for a current model)."""
    if not scenario.donors:
        return ()
    policy = scenario.donors[0].policy
    return tuple(s for s in LEVERS if s.name in _DERIVED or _has(policy, s.field))


def _has(obj: Any, path: str) -> bool:
    for part in path.split("."):
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _mix_name(shares: Mapping[str, float]) -> str:
    for name, preset in MIX_PRESETS.items():
        if all(math.isclose(shares.get(k, 0.0), v, abs_tol=1e-9) for k, v in preset.items()):
            return name
    return MIX_AS_SCENARIO


def levers_from_scenario(scenario: Scenario) -> Levers:
    """The lever positions that reproduce the scenario (its first donor's policy)."""
    out: Levers = {}
    if not scenario.donors:
        return out
    policy = scenario.donors[0].policy
    for spec in available_levers(scenario):
        if spec.name == "open_ended":
            out["open_ended"] = policy.sunset_year is None
        elif spec.name == "sunset_year":
            sunset = policy.sunset_year
            out["sunset_year"] = int(sunset) if sunset is not None else scenario.world.years // 2
        elif spec.name == "budget_scale":
            out["budget_scale"] = 1.0
        elif spec.name == "instrument_mix":
            mixes = {_mix_name(d.policy.instrument_mix.shares()) for d in scenario.donors}
            out["instrument_mix"] = mixes.pop() if len(mixes) == 1 else MIX_AS_SCENARIO
        else:
            out[spec.name] = _coerce(spec, _get(policy, spec.field))
    return out


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _coerce(spec: LeverSpec, value: Any) -> Any:
    """``value`` as the lever's type; ValueError when it is not one (``tripwire=maybe``)."""
    if spec.kind == "switch":
        if isinstance(value, str):
            word = value.strip().lower()
            if word not in _TRUE + _FALSE:
                raise ValueError(f"{value!r} is not on/off")
            return word in _TRUE
        return bool(value)
    if spec.kind in ("int", "float"):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{value!r} is not a finite number")
        if spec.kind == "int":
            if number != int(number):
                raise ValueError(f"{value!r} is not a whole number")
            return int(number)
        return round(number, 4)
    return str(value)


def lever_overrides(scenario: Scenario, levers: Levers) -> dict[str, Any]:
    """Dotted-path overrides that set ``levers`` on every donor (only levers that were moved)."""
    base = levers_from_scenario(scenario)
    out: dict[str, Any] = {}
    get = levers.get
    if get("open_ended", base.get("open_ended")) != base.get("open_ended") or (
        not get("open_ended", base.get("open_ended"))
        and get("sunset_year", base.get("sunset_year")) != base.get("sunset_year")
    ):
        out["donors.*.policy.sunset_year"] = (
            "open" if get("open_ended") else int(get("sunset_year", base.get("sunset_year")))
        )
    for name, value in levers.items():
        if name in _DERIVED or name == "sunset_year" or name not in base:
            continue
        if value == base[name] or (name == "instrument_mix" and value == MIX_AS_SCENARIO):
            continue
        out[f"donors.*.policy.{_by_name()[name].field}"] = value
    scale = float(get("budget_scale", 1.0))
    if not math.isclose(scale, 1.0):
        for donor in scenario.donors:
            out[f"donors.{donor.name}.budget"] = float(donor.budget) * scale
    return out


def apply_levers(scenario: Scenario, levers: Levers) -> Scenario:
    """A new scenario with ``levers`` applied (ScenarioError if a lever value is invalid)."""
    overrides = lever_overrides(scenario, levers)
    if not overrides or not scenario.donors:
        return scenario
    return scenario.with_overrides(overrides, source="dashboard levers")


def lever_hints(levers: Levers, scenario: Scenario) -> dict[str, str]:
    """Lever name → why it has no effect in this scenario with these levers (only such levers)."""
    out = {}
    for spec in available_levers(scenario):
        if spec.hint is not None:
            text = spec.hint(levers, scenario)
            if text:
                out[spec.name] = text
    return out


# --- the link ---------------------------------------------------------------------------------


def query_from_state(scenario: str, seed: int, levers: Levers, base: Levers) -> str:
    """The URL query for a view: scenario, seed and every lever moved away from ``base``."""
    params: dict[str, Any] = {"scenario": scenario, "seed": int(seed)}
    for name, value in levers.items():
        if base.get(name) != value:
            params[name] = int(value) if isinstance(value, bool) else value
    return urlencode(params)


def _allowed(spec: LeverSpec, scenario: Scenario) -> str:
    """The values a lever takes, in words (for the notice about a bad link value)."""
    if spec.kind == "switch":
        return "0 or 1"
    if spec.kind == "choice":
        return ", ".join(spec.choices)
    lo, hi = spec.bounds(scenario)
    whole = "whole numbers " if spec.kind == "int" else ""
    return f"{whole}{lo:g} to {hi:g}"


def lever_from_text(spec: LeverSpec, raw: str, scenario: Scenario) -> tuple[Any, str]:
    """(value, "") for a link's text that is a valid position of ``spec`` in ``scenario``, else
    (None, the problem in words, naming the lever, the value and what is allowed)."""
    problem = f"ignored {spec.name}={raw[:40]!r} (allowed: {_allowed(spec, scenario)})"
    try:
        value = _coerce(spec, raw)
    except (ValueError, OverflowError):
        return None, problem
    if spec.kind == "choice" and value not in spec.choices:
        return None, problem
    if spec.kind in ("int", "float"):
        lo, hi = spec.bounds(scenario)
        if not lo <= value <= hi:
            return None, problem
    return value, ""


def levers_from_query(
    query: Mapping[str, str], base: Levers, scenario: Scenario
) -> tuple[Levers, list[str]]:
    """Levers from URL parameters on top of ``base``; a sentence per parameter that was ignored.

    Every value is checked against its lever's type, range (in ``scenario``) and choices; a bad
    one is ignored, and the rest of the link still applies.
    """
    specs = _by_name()
    out = dict(base)
    problems = []
    for name, raw in query.items():
        if name in ("scenario", "seed"):
            continue
        spec = specs.get(name)
        if spec is None or name not in base:
            problems.append(f"ignored {name[:40]!r} (not a lever here)")
            continue
        value, problem = lever_from_text(spec, raw, scenario)
        if problem:
            problems.append(problem)
        else:
            out[name] = value
    return out, problems


def state_from_query(
    search: str | None, presets: Mapping[str, Any], preset: Callable[[str], Scenario], default: str
) -> tuple[str, int, Levers, list[str]]:
    """(scenario name, seed, levers, problems) restored from a URL query string."""
    query = dict(parse_qsl(search or "", keep_blank_values=True))
    problems = []
    name = query.get("scenario", default)
    if name not in presets:
        problems.append(f"unknown scenario {name[:40]!r}")
        name = default
    seed = 0
    if "seed" in query:
        try:
            seed = int(query["seed"])
            if not 0 <= seed <= MAX_SEED:
                raise ValueError
        except ValueError:
            problems.append(f"seed {query['seed'][:40]!r} is not a whole number from 0 to 2**63−1")
            seed = 0
    scenario = preset(name)
    levers, bad = levers_from_query(query, levers_from_scenario(scenario), scenario)
    return name, seed, levers, problems + bad
