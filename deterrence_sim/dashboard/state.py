"""The dashboard's state and actions: one copy per browser session, read and changed by the views.

State lives in module-level ``solara.reactive`` variables: under the Solara server each browser
session (kernel) gets its own values; :func:`reset_state` restores the defaults (used by tests).
The actions (build, step, play, set a lever, read and write the link, compare) are plain functions
the components in :mod:`.views`, :mod:`.compare_view` and :mod:`.page` call; nothing here draws.
Imports run one way: state ← views ← page ← app.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import solara

from .. import DeterrenceModel, Scenario
from ..errors import DeterrenceSimError
from . import levers as lv
from .compare import COMPARISONS

__all__ = ["clear_results", "rebuild", "reset_state", "step_years", "toggle_play"]

#: Scenario shown first: a classroom preset when the package ships it.
PREFERRED_SCENARIO = "classroom_cliff_exit"

#: Play speeds offered (years per second; 0 = as fast as the machine draws).
SPEEDS: dict[str, float] = {
    "1 year/s": 1,
    "2 years/s": 2,
    "4 years/s": 4,
    "8 years/s": 8,
    "fastest": 0,
}
DEFAULT_SPEED = "2 years/s"

#: "Draw every N years" choices while playing (the model still steps every year).
DRAW_EVERY = (1, 2, 5, 10)

#: Default number of seeds for the many-seed comparison, and the range allowed.
DEFAULT_SEEDS = 50
MIN_SEEDS, MAX_SEEDS = 1, 2000

#: A comparison stops once no page of its session has been connected for this long (a tab that
#: closes without saying so; a page that closes properly closes the session at once).
DISCONNECT_GRACE_S = 30.0

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=32)
def _preset(name: str) -> Scenario:
    # Presets are read from TOML and validated; cache them (scenarios are never mutated here).
    return Scenario.preset(name)


def _preset_names() -> list[str]:
    return list(Scenario.presets())


def _default_scenario() -> str:
    names = _preset_names()
    return PREFERRED_SCENARIO if PREFERRED_SCENARIO in names else names[0]


# --- state (one copy per browser session) -----------------------------------------------------

scenario_name = solara.reactive(_default_scenario())
levers: solara.Reactive[dict] = solara.reactive(
    lv.levers_from_scenario(_preset(scenario_name.value))
)
seed = solara.reactive(0)
#: What is typed in the seed box, and why it is not used (empty when it is).
seed_text = solara.reactive("0")
seed_error = solara.reactive("")
#: The running model. It is mutated in place by ``step()``; ``version`` is bumped so views redraw.
model: solara.Reactive[Any] = solara.reactive(None)
#: The scenario (levers applied) the current model was built from.
active_scenario: solara.Reactive[Scenario | None] = solara.reactive(None)
version = solara.reactive(0)
#: The last ``version`` the simulation view has drawn (written by the view, read by Play only,
#: so writing it redraws nothing).
drawn = solara.reactive(0)
#: True once the model reached the horizon (set only when it changes, so the run bar does not
#: redraw every year).
at_end = solara.reactive(False)
playing = solara.reactive(False)
speed = solara.reactive(DEFAULT_SPEED)
draw_every = solara.reactive(1)
presenter = solara.reactive(False)
#: The view shown: 0 simulation, 1 compare, 2 help.
tab = solara.reactive(0)
#: A short note shown after something changed while playing (e.g. a lever restarted the run).
notice = solara.reactive("")
error = solara.reactive("")
url_loaded = solara.reactive(False)
comparison = solara.reactive(next(iter(COMPARISONS)))
#: (levers A, levers B, RunResult A, RunResult B) of the last one-seed comparison, or None.
compare_result: solara.Reactive[Any] = solara.reactive(None)
compare_error = solara.reactive("")
n_seeds = solara.reactive(DEFAULT_SEEDS)
#: The last many-seed comparison (compare.SeedComparison), or None; progress as (done, total).
seeds_result: solara.Reactive[Any] = solara.reactive(None)
seeds_progress = solara.reactive((0, 0))


def reset_state() -> None:
    """Restore every setting to its default and drop the model (tests; a fresh session)."""
    playing.value = False
    old = model.value
    scenario_name.value = _default_scenario()
    levers.value = lv.levers_from_scenario(_preset(scenario_name.value))
    seed.value = 0
    seed_text.value = "0"
    seed_error.value = ""
    speed.value = DEFAULT_SPEED
    draw_every.value = 1
    presenter.value = False
    tab.value = 0
    notice.value = ""
    error.value = ""
    url_loaded.value = False
    comparison.value = next(iter(COMPARISONS))
    compare_result.value = None
    compare_error.value = ""
    n_seeds.value = DEFAULT_SEEDS
    seeds_result.value = None
    seeds_progress.value = (0, 0)
    model.value = None
    active_scenario.value = None
    at_end.value = False
    if old is not None:
        old.release()


def base_scenario() -> Scenario:
    return _preset(scenario_name.value)


def current_scenario() -> Scenario:
    """The selected preset with the levers applied (ScenarioError if a lever value is invalid)."""
    return lv.apply_levers(base_scenario(), levers.value)


def horizon() -> int:
    return int(base_scenario().world.years)


#: Serialises stepping and rebuilding (the play loop steps from a worker thread).
_lock = threading.RLock()


def rebuild() -> None:
    """Build a fresh model (year 0) from the current scenario, levers and seed.

    Play keeps running: the loop steps whichever model is current, so moving a lever while
    playing restarts the run with the new setting and goes on playing (a notice says so).
    """
    with _lock:
        old = model.value
        try:
            scenario = current_scenario()
            new = DeterrenceModel(scenario, seed=int(seed.value))
        except DeterrenceSimError as exc:
            error.value = str(exc)
            scenario = new = None
            playing.value = False
        except Exception:  # the page shows a sentence, the log the traceback
            log.exception("building the model failed")
            error.value = "The model could not be built with these settings. " + _SEE_LOG
            scenario = new = None
            playing.value = False
        else:
            error.value = ""
        active_scenario.value = scenario
        model.value = new
        version.value += 1
        at_end.value = False
        if old is not None and old is not new:
            old.release()  # Mesa 3.3 keeps finished models alive otherwise
    if playing.value and new is not None:
        notice.value = "Restarted from year 0 with the new setting; still playing."


def ensure_model() -> None:
    if model.value is None and not error.value:
        rebuild()


_SEE_LOG = "The details are in the server's log; try other lever values, or Reset."


def step_years(n: int = 1, redraw: bool = True) -> bool:
    """Advance the model ``n`` years (not past the horizon); False when the horizon is reached
    or the model failed (then ``error`` says so in words, and the server's log has the details)."""
    with _lock:
        m = model.value
        if m is None:
            return False
        try:
            for _ in range(n):
                if m.year >= horizon():
                    break
                m.step()
        except Exception:  # the page shows a sentence, the log the traceback
            log.exception("the model failed in year %s", m.year + 1)
            error.value = f"The simulation failed in year {m.year + 1}. {_SEE_LOG}"
            playing.value = False
            version.value += 1
            at_end.value = True
            return False
        more = m.year < horizon()
    if redraw or not more:
        version.value += 1
    if at_end.value == more:
        at_end.value = not more
    return more


def toggle_play() -> None:
    m = model.value
    notice.value = ""
    if not playing.value and m is not None and m.year >= horizon():
        rebuild()  # pressing play at the end starts the run again
    playing.value = not playing.value


def play_loop() -> None:
    """Step while ``playing``: one year per 1/speed seconds, redrawing every ``draw_every`` years.

    Runs in a worker thread (Solara gives it the session's context). The model may be replaced
    while playing (a lever moved); the loop simply steps the new one.
    """
    while playing.value:
        started = time.perf_counter()
        m = model.value
        if m is None:
            playing.value = False
            break
        due = (m.year + 1) % max(1, int(draw_every.value)) == 0
        if not step_years(1, redraw=due):
            notice.value = ""
            playing.value = False
            break
        if due:
            _wait_until_drawn(version.value)
        rate = SPEEDS.get(speed.value, 0)
        wait = (1.0 / rate if rate else 0.0) - (time.perf_counter() - started)
        time.sleep(max(wait, 0.001))


def _wait_until_drawn(wanted: int, limit_s: float = 2.0) -> None:
    """Let the view draw a year before the next one is simulated, so that every drawn year is
    seen even at the fastest speed (otherwise the redraws pile up and are skipped)."""
    deadline = time.perf_counter() + limit_s
    while drawn.value < wanted and playing.value and time.perf_counter() < deadline:
        time.sleep(0.005)


def clear_results() -> None:
    """Drop the comparisons: they were made with other settings."""
    compare_result.value = None
    seeds_result.value = None


def set_scenario(name: str) -> None:
    scenario_name.value = name
    levers.value = lv.levers_from_scenario(_preset(name))
    clear_results()
    rebuild()


def set_lever(name: str, value: Any) -> None:
    if levers.value.get(name) == value:
        return
    levers.value = {**levers.value, name: value}
    clear_results()
    rebuild()


def reset_levers() -> None:
    levers.value = lv.levers_from_scenario(base_scenario())
    clear_results()
    rebuild()


def parse_seed(text: Any) -> tuple[int | None, str]:
    """(seed, "") for a whole number ≥ 0, else (None, the reason in words)."""
    raw = str(text if text is not None else "").strip()
    if raw == "":
        return None, "Type a seed: a whole number ≥ 0."
    try:
        value = int(raw)
    except ValueError:
        return None, f"“{raw}” is not a whole number ≥ 0."
    if value < 0:
        return None, f"{value} is negative; a seed is a whole number ≥ 0."
    return value, ""


def set_seed_text(text: Any) -> None:
    """The seed box: use a valid seed at once; otherwise keep the old seed and say why."""
    seed_text.value = str(text if text is not None else "")
    value, problem = parse_seed(text)
    if value is None:
        seed_error.value = f"{problem} Still using seed {seed.value}."
        return
    seed_error.value = ""
    if value != seed.value:
        seed.value = value
        clear_results()
        rebuild()


def set_seed(value: int) -> None:
    set_seed_text(str(value))


# --- the link ---------------------------------------------------------------------------------


def current_query() -> str:
    return lv.query_from_state(
        scenario_name.value, seed.value, levers.value, lv.levers_from_scenario(base_scenario())
    )


def load_query(search: str | None) -> list[str]:
    """Restore scenario, seed and levers from a URL query; returns what could not be used."""
    name, s, lev, problems = lv.state_from_query(
        search, Scenario.presets(), _preset, _default_scenario()
    )
    scenario_name.value = name
    seed.value = s
    seed_text.value = str(s)
    levers.value = lev
    return problems


def run_comparison() -> None:
    """Run the chosen comparison on the current seed: levers A vs B, full horizon."""
    from .. import run_model
    from .compare import compare_levers

    a, b = compare_levers(levers.value, comparison.value)
    try:
        res_a = run_model(lv.apply_levers(base_scenario(), a), seed=int(seed.value))
        res_b = run_model(lv.apply_levers(base_scenario(), b), seed=int(seed.value))
    except DeterrenceSimError as exc:
        compare_error.value = str(exc)
        compare_result.value = None
        return
    compare_error.value = ""
    compare_result.value = (a, b, res_a, res_b)


def seeds_problem(value: Any) -> str:
    """Why ``value`` cannot be the number of seeds to compare ("" when it can)."""
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):
        return f"Seeds: {value!r} is not a whole number from {MIN_SEEDS} to {MAX_SEEDS:,}."
    if not MIN_SEEDS <= n <= MAX_SEEDS:
        return f"Seeds: {n:,} is outside {MIN_SEEDS} to {MAX_SEEDS:,}."
    return ""


def session_watch() -> Callable[[], bool]:
    """A check that turns true once this browser session has ended: its kernel closed (the tab
    closed, or the server culled it), or none of its pages connected for
    :data:`DISCONNECT_GRACE_S` seconds. Outside a Solara server it never turns true."""
    try:
        from solara.server import kernel_context
    except ImportError:  # pragma: no cover - solara is a dashboard dependency
        return lambda: False
    if not kernel_context.has_current_context():
        return lambda: False
    context = kernel_context.get_current_context()
    since: list[float] = []

    def ended() -> bool:
        if context.closed_event.is_set():
            return True
        if kernel_context.PageStatus.CONNECTED in context.page_status.values():
            since.clear()
            return False
        if not since:
            since.append(time.monotonic())
        return time.monotonic() - since[0] > DISCONNECT_GRACE_S

    return ended


def run_seed_comparison(cancelled: Callable[[], bool] | None = None) -> None:
    """A vs B over ``n_seeds`` seeds (0 … n−1), paired by seed; the one-seed detail too.

    Stops between seeds once ``cancelled()`` (default: :func:`session_watch`) turns true, so a
    closed tab does not keep a core busy.
    """
    from ..metrics import METRICS
    from .compare import compare_levers, compare_seeds
    from .data import metric_unit

    problem = seeds_problem(n_seeds.value)
    if problem:
        compare_error.value = problem
        return
    a, b = compare_levers(levers.value, comparison.value)
    chosen = COMPARISONS[comparison.value]
    n = int(n_seeds.value)
    seeds_progress.value = (0, n)
    seeds_result.value = None
    try:
        result = compare_seeds(
            base_scenario(),
            a,
            b,
            range(n),
            {k: metric_unit(METRICS, k) for k in METRICS},
            (chosen.label_a, chosen.label_b),
            progress=lambda done, total: seeds_progress.set((done, total)),
            cancelled=cancelled or session_watch(),
        )
    except DeterrenceSimError as exc:
        compare_error.value = str(exc)
        return
    except Exception:  # the page shows a sentence, the log the traceback
        log.exception("the comparison failed")
        compare_error.value = "The comparison failed. " + _SEE_LOG
        return
    if result is None:
        log.info("comparison cancelled after %s of %s seeds", *seeds_progress.value)
        return
    compare_error.value = ""
    run_comparison()  # the one-seed detail first, so the result appears complete
    seeds_result.value = result


def on_key(data: dict) -> None:
    """Keyboard shortcuts: Space plays or pauses, → steps one year."""
    key = (data or {}).get("key")
    if key == "space" and model.value is not None:
        toggle_play()
    elif key == "right" and not playing.value:
        step_years(1)
