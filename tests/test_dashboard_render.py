"""Layer 2 of the dashboard tests: the Solara page rendered in-process (no browser).

``solara.render`` builds the real widget tree; clicking a button, firing a slider's ``change``
event or setting a widget's ``v_model`` runs the same callbacks a browser would. The page is
wrapped in ``AppLayout`` as ``solara run`` does.
"""

from __future__ import annotations

import re
import threading
import time

import ipyvuetify as v
import pytest

solara = pytest.importorskip("solara")

from deterrence_sim import Scenario  # noqa: E402
from deterrence_sim.dashboard import app, page, state  # noqa: E402


@pytest.fixture
def rc():
    state.reset_state()
    _, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)
    yield rc
    state.reset_state()
    rc.close()


def button(rc, cls: str):
    return rc.find(v.Btn, class_=cls).widget


def lever(rc, name: str, widget=v.Slider):
    return rc.find(v.Html, class_=f"dsim-lever dsim-lever-{name}").find(widget).widget


def slide(rc, name: str, value) -> None:
    """Release a slider at ``value`` (the dashboard acts on ``change``, not while dragging)."""
    w = lever(rc, name)
    w.v_model = value
    w.fire_event("change", value)


def chart_widgets(rc) -> list:
    return [w for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "figure")]


def chart_figures(rc) -> list[dict]:
    return [w.figure for w in chart_widgets(rc)]


def points(chart) -> list[int]:
    """Points per trace as the browser holds them: the figure's, then the appended ones."""
    drawn = [len(t["x"]) for t in chart.figure["data"]]
    ext = chart.extend or {}
    if ext.get("token") == chart.token and chart.token:
        return [n + len(x) for n, x in zip(drawn, ext["x"], strict=True)]
    return drawn


def log_html(rc) -> str:
    box = rc.find(v.Html, class_="dsim-log-box").widget
    return box.children[0].unsafe_innerHTML


def test_controls_are_present_with_labels_and_hints(rc):
    for cls in ("dsim-step", "dsim-step10", "dsim-play", "dsim-reset"):
        rc.find(v.Btn, class_=cls).assert_single()
    scenario = rc.find(v.Html, class_="dsim-scenario").find(v.Select).widget
    assert scenario.items == list(Scenario.presets())
    for name in ("sunset_year", "taper_years", "conditionality", "enforcement", "budget_scale"):
        assert len(lever(rc, name).attributes["aria-label"]) > 5  # a spoken name
    for name in ("instrument_mix", "commitment", "channel"):
        assert lever(rc, name, v.Select).items
    hints = [w.children[0] for w in rc.find(v.Html, class_="dsim-hint").widgets]
    assert any("no aid is conditional" in h for h in hints)
    assert len(chart_figures(rc)) == 5  # network map and four time-series panels


def test_step_advances_the_model_and_redraws(rc):
    model = state.model.value
    assert model is not None and model.year == 0
    before = points(chart_widgets(rc)[1])
    button(rc, "dsim-step").click()
    after_one = chart_widgets(rc)[1]
    assert points(after_one) == [n + 1 for n in before]
    assert all(len(x) == 1 for x in after_one.extend["x"])  # only the new year is sent
    button(rc, "dsim-step10").click()
    assert state.model.value is model and model.year == 11
    after = points(chart_widgets(rc)[1])
    assert all(b + 11 == a for a, b in zip(after, before, strict=True))
    year_text = rc.find(v.Html, class_="dsim-year").widget.children[0]
    assert year_text.startswith("Year 11 of")
    # classroom_cliff_exit, seed 0: the calibrated rival has not challenged by year 11; the
    # program's cliff exit in year 12 is the first key event, with its "Why?".
    assert "Nothing has happened yet" in log_html(rc)
    button(rc, "dsim-step").click()
    assert "Year 12: Donor&#x27;s program in Partner ended" in log_html(rc)
    assert "Why?" in log_html(rc)


def test_step_stops_at_the_horizon(rc):
    for _ in range(state.horizon() // 10 + 1):
        button(rc, "dsim-step10").click()
    assert state.model.value.year == state.horizon()
    assert button(rc, "dsim-step").disabled


def test_reset_starts_again_with_the_same_seed(rc):
    button(rc, "dsim-step10").click()
    first = state.model.value.timeseries()
    button(rc, "dsim-reset").click()
    assert state.model.value.year == 0
    button(rc, "dsim-step10").click()
    assert state.model.value.timeseries().equals(first)


def test_changing_a_lever_changes_the_next_run(rc):
    button(rc, "dsim-step10").click()
    baseline = state.model.value.timeseries()["aid"].sum()
    lever(rc, "budget_scale").v_model = 2.0  # dragging alone restarts nothing
    assert state.model.value.year == 10
    slide(rc, "budget_scale", 2.0)
    model = state.model.value
    assert model.year == 0, "releasing a lever restarts the run"
    base_budget = Scenario.preset(state.scenario_name.value).donors[0].budget
    assert state.active_scenario.value.donors[0].budget == pytest.approx(2 * base_budget)
    button(rc, "dsim-step10").click()
    assert model.timeseries()["aid"].sum() > baseline * 1.2
    slide(rc, "conditionality", 0.6)
    assert all(d.policy.conditionality == 0.6 for d in state.active_scenario.value.donors)
    lever(rc, "open_ended", v.Switch).v_model = True
    assert all(d.policy.sunset_year is None for d in state.active_scenario.value.donors)
    assert "taper_years=" not in state.current_query() and "open_ended=1" in state.current_query()


def test_changing_scenario_and_seed_and_a_bad_seed(rc):
    scenario = rc.find(v.Html, class_="dsim-scenario").find(v.Select).widget
    scenario.v_model = "europe"
    assert state.active_scenario.value.name == "europe"
    button(rc, "dsim-step10").click()
    seed0 = state.model.value.timeseries()
    box = rc.find(v.Html, class_="dsim-seed").find(v.TextField).widget
    box.v_model = "7"
    assert state.seed.value == 7 and state.model.value.year == 0
    button(rc, "dsim-step10").click()
    assert not state.model.value.timeseries().equals(seed0)
    for bad in ("abc", "1.5", "", "-3"):
        box.v_model = bad
        assert state.seed.value == 7, bad
        message = rc.find(v.Html, class_="dsim-seed-error").widget.children[0]
        assert "Still using seed 7" in message
    box.v_model = "3"
    assert state.seed.value == 3 and not rc.find(v.Html, class_="dsim-seed-error").widgets


def test_play_steps_until_paused_and_keeps_playing_when_a_lever_moves(rc):
    state.speed.value = "8 years/s"
    button(rc, "dsim-play").click()
    assert state.playing.value
    deadline = time.monotonic() + 20
    while state.model.value.year < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert state.model.value.year >= 3
    old = state.model.value
    slide(rc, "taper_years", 2)
    assert state.playing.value and state.model.value is not old
    assert "still playing" in state.notice.value
    deadline = time.monotonic() + 20
    while state.model.value.year < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert state.model.value.year >= 2  # the new run plays on
    state.on_key({"key": "space"})
    assert not state.playing.value
    time.sleep(0.3)  # let a step that was already under way finish
    year = state.model.value.year
    time.sleep(0.3)
    assert state.model.value.year == year
    state.on_key({"key": "right"})
    assert state.model.value.year == year + 1


def test_draw_every_n_years_redraws_less_often(rc):
    state.draw_every.value = 5
    version = state.version.value
    for _ in range(10):
        state.step_years(1, redraw=(state.model.value.year + 1) % 5 == 0)
    assert state.version.value - version == 2


def test_compare_across_seeds(rc):
    state.tab.value = 1
    state.n_seeds.value = 4
    assert state.seeds_result.value is None
    button(rc, "dsim-run-compare").click()
    deadline = time.monotonic() + 60
    while state.seeds_result.value is None and time.monotonic() < deadline:
        time.sleep(0.05)
    res = state.seeds_result.value
    assert res.seeds == (0, 1, 2, 3) and res.summaries
    lev_a, lev_b, res_a, res_b = state.compare_result.value
    assert lev_a["taper_years"] == 0 and lev_b["taper_years"] > 0
    assert res_a.seed == res_b.seed == state.seed.value
    slide(rc, "enforcement", 0.1)
    assert state.seeds_result.value is None and state.compare_result.value is None


def test_invalid_setting_shows_an_error_not_a_traceback(rc):
    state.set_lever("taper_years", 999)
    assert "taper_years" in state.error.value
    assert state.model.value is None
    state.reset_levers()
    assert state.error.value == "" and state.model.value is not None


def test_the_link_is_read_once_per_session():
    state.reset_state()
    problems = state.load_query("scenario=europe&seed=5&taper_years=6")
    state.rebuild()
    assert problems == [] and state.seed.value == 5 and state.levers.value["taper_years"] == 6
    assert state.active_scenario.value.donors[0].policy.taper_years == 6
    assert "taper_years=6" in state.current_query()
    state.reset_state()


def test_a_bad_link_value_is_ignored_with_a_notice_and_the_rest_applies():
    state.reset_state()
    problems = state.load_query(
        "scenario=europe&seed=2&budget_scale=1e308&tripwire=maybe&taper_years=3"
    )
    state.rebuild()
    assert len(problems) == 2
    assert any("budget_scale" in p and "1e308" in p for p in problems)
    assert any("tripwire" in p and "maybe" in p for p in problems)
    assert state.levers.value["budget_scale"] == 1.0 and state.levers.value["taper_years"] == 3
    assert state.model.value is not None and not state.error.value
    assert state.step_years(10)  # "+10 years" after the link: no traceback, a model
    state.reset_state()


def test_the_link_notice_reaches_the_page():
    state.reset_state()
    router = solara.routing.Router  # noqa: F841 - the page reads the query through use_router
    state.url_loaded.value = False
    problems = state.load_query("taper_years=100000")
    state.url_loaded.value = True
    state.notice.value = "Link: " + "; ".join(problems)
    state.rebuild()
    _, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)
    notice = rc.find(v.Html, class_="dsim-notice").widget.children[0]
    assert "taper_years" in notice and "100000" in notice and "0 to 20" in notice
    assert state.model.value is not None
    rc.close()
    state.reset_state()


def test_a_failing_model_step_shows_a_sentence_and_logs_the_traceback(rc, monkeypatch, caplog):
    def broken():
        raise OverflowError("intermediate overflow in /srv/secret/path.py")

    monkeypatch.setattr(state.model.value, "step", broken)
    button(rc, "dsim-step10").click()
    shown = " ".join(str(w.children) for w in rc.find(v.Html).widgets)
    assert "The simulation failed in year 1" in state.error.value
    assert "/srv/secret" not in shown and "Traceback" not in shown
    assert "/srv/secret" in caplog.text  # the details are in the server's log
    assert not state.playing.value


def test_an_unexpected_error_is_caught_by_the_page_boundary(rc, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("boom in /srv/secret/views.py")

    monkeypatch.setattr(state, "step_years", broken)
    button(rc, "dsim-step").click()
    texts = " ".join(str(w.children) for w in rc.find(v.Html).widgets)
    assert "/srv/secret" not in texts and "Traceback" not in texts
    assert rc.find(v.Alert).widgets and page.FAILURE_TEXT in str(rc.find(v.Alert).widget.children)
    assert "/srv/secret" in caplog.text
    monkeypatch.undo()
    button(rc, "dsim-restart").click()
    assert rc.find(v.Btn, class_="dsim-step").widgets  # the dashboard is back


@pytest.mark.parametrize("n", [0, -5, 2001, 1_000_000])
def test_compare_refuses_a_number_of_seeds_outside_the_range(rc, n):
    state.tab.value = 1
    state.n_seeds.value = n
    assert button(rc, "dsim-run-compare").disabled
    error = rc.find(v.Html, class_="dsim-nseeds-error").widget.children[0]
    assert f"{n:,}" in error and "1 to 2,000" in error
    state.run_seed_comparison()  # called anyway (e.g. from a script): refused before any run
    assert state.seeds_progress.value == (0, 0) and "2,000" in state.compare_error.value


def test_compare_stops_between_seeds_once_the_session_ended():
    state.reset_state()
    state.n_seeds.value = 2000
    checks = []

    def ended() -> bool:
        checks.append(1)
        return len(checks) > 3  # the tab closes while seed 3 runs

    state.run_seed_comparison(cancelled=ended)
    assert state.seeds_progress.value == (3, 2000) and state.seeds_result.value is None
    state.reset_state()


def test_session_watch_ends_with_the_kernel_or_a_long_disconnect(monkeypatch):
    from solara.server import kernel_context

    class Context:
        def __init__(self):
            self.closed_event = threading.Event()
            self.page_status = {"p": kernel_context.PageStatus.CONNECTED}

    ctx = Context()
    monkeypatch.setattr(kernel_context, "has_current_context", lambda: True)
    monkeypatch.setattr(kernel_context, "get_current_context", lambda: ctx)
    monkeypatch.setattr(state, "DISCONNECT_GRACE_S", 0.05)
    ended = state.session_watch()
    assert not ended()
    ctx.page_status["p"] = kernel_context.PageStatus.DISCONNECTED
    assert not ended()  # a reconnect gets its grace
    time.sleep(0.1)
    assert ended()
    ctx.page_status["p"] = kernel_context.PageStatus.CONNECTED
    assert not ended()
    ctx.closed_event.set()  # the page closed: the kernel closes at once
    assert ended()


def test_the_log_shows_only_registered_kinds(rc):
    from deterrence_sim.events import EVENT_KINDS

    state.scenario_name.value = "europe"
    state.set_scenario("europe")
    state.step_years(40)
    html = state.model.value and log_html(rc)
    kinds = set(re.findall(r"data-kind='([a-z_]+)'", html))
    assert kinds and kinds <= set(EVENT_KINDS)


def test_an_error_while_drawing_is_caught_by_the_page_boundary(rc, monkeypatch, caplog):
    from deterrence_sim.dashboard import data

    def broken(*args, **kwargs):
        raise ValueError("drawing failed in /srv/secret/data.py")

    monkeypatch.setattr(data, "metric_cards", broken)
    button(rc, "dsim-step").click()
    texts = " ".join(str(w.children) for w in rc.find(v.Html).widgets)
    assert "/srv/secret" not in texts
    assert page.FAILURE_TEXT in str(rc.find(v.Alert).widget.children)
    assert "/srv/secret" in caplog.text
