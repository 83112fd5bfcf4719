"""Layer 2 of the dashboard tests: the Solara page rendered in-process (no browser).

``solara.render`` builds the real widget tree; clicking a button, firing a slider's ``change``
event or setting a widget's ``v_model`` runs the same callbacks a browser would. The page is
wrapped in ``AppLayout`` as ``solara run`` does.
"""

from __future__ import annotations

import time

import ipyvuetify as v
import pytest

solara = pytest.importorskip("solara")

from deterrence_sim import Scenario  # noqa: E402
from deterrence_sim.dashboard import app  # noqa: E402


@pytest.fixture
def rc():
    app.reset_state()
    _, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)
    yield rc
    app.reset_state()
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


def chart_figures(rc) -> list[dict]:
    return [w.figure for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "figure")]


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
    model = app.model.value
    assert model is not None and model.year == 0
    before = [len(t["x"]) for t in chart_figures(rc)[1]["data"]]
    button(rc, "dsim-step").click()
    button(rc, "dsim-step10").click()
    assert app.model.value is model and model.year == 11
    after = [len(t["x"]) for t in chart_figures(rc)[1]["data"]]
    assert all(b + 11 == a for a, b in zip(after, before, strict=True))
    assert "Year 1: Rival attacked Partner" in log_html(rc)
    assert "Why?" in log_html(rc)
    year_text = rc.find(v.Html, class_="dsim-year").widget.children[0]
    assert year_text.startswith("Year 11 of")


def test_step_stops_at_the_horizon(rc):
    for _ in range(app.horizon() // 10 + 1):
        button(rc, "dsim-step10").click()
    assert app.model.value.year == app.horizon()
    assert button(rc, "dsim-step").disabled


def test_reset_starts_again_with_the_same_seed(rc):
    button(rc, "dsim-step10").click()
    first = app.model.value.timeseries()
    button(rc, "dsim-reset").click()
    assert app.model.value.year == 0
    button(rc, "dsim-step10").click()
    assert app.model.value.timeseries().equals(first)


def test_changing_a_lever_changes_the_next_run(rc):
    button(rc, "dsim-step10").click()
    baseline = app.model.value.timeseries()["aid"].sum()
    lever(rc, "budget_scale").v_model = 2.0  # dragging alone restarts nothing
    assert app.model.value.year == 10
    slide(rc, "budget_scale", 2.0)
    model = app.model.value
    assert model.year == 0, "releasing a lever restarts the run"
    base_budget = Scenario.preset(app.scenario_name.value).donors[0].budget
    assert app.active_scenario.value.donors[0].budget == pytest.approx(2 * base_budget)
    button(rc, "dsim-step10").click()
    assert model.timeseries()["aid"].sum() > baseline * 1.2
    slide(rc, "conditionality", 0.6)
    assert all(d.policy.conditionality == 0.6 for d in app.active_scenario.value.donors)
    lever(rc, "open_ended", v.Switch).v_model = True
    assert all(d.policy.sunset_year is None for d in app.active_scenario.value.donors)
    assert "taper_years=" not in app.current_query() and "open_ended=1" in app.current_query()


def test_changing_scenario_and_seed_and_a_bad_seed(rc):
    scenario = rc.find(v.Html, class_="dsim-scenario").find(v.Select).widget
    scenario.v_model = "europe"
    assert app.active_scenario.value.name == "europe"
    button(rc, "dsim-step10").click()
    seed0 = app.model.value.timeseries()
    box = rc.find(v.Html, class_="dsim-seed").find(v.TextField).widget
    box.v_model = "7"
    assert app.seed.value == 7 and app.model.value.year == 0
    button(rc, "dsim-step10").click()
    assert not app.model.value.timeseries().equals(seed0)
    for bad in ("abc", "1.5", "", "-3"):
        box.v_model = bad
        assert app.seed.value == 7, bad
        message = rc.find(v.Html, class_="dsim-seed-error").widget.children[0]
        assert "Still using seed 7" in message
    box.v_model = "3"
    assert app.seed.value == 3 and not rc.find(v.Html, class_="dsim-seed-error").widgets


def test_play_steps_until_paused_and_keeps_playing_when_a_lever_moves(rc):
    app.speed.value = "8 years/s"
    button(rc, "dsim-play").click()
    assert app.playing.value
    deadline = time.monotonic() + 20
    while app.model.value.year < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert app.model.value.year >= 3
    old = app.model.value
    slide(rc, "taper_years", 2)
    assert app.playing.value and app.model.value is not old
    assert "still playing" in app.notice.value
    deadline = time.monotonic() + 20
    while app.model.value.year < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert app.model.value.year >= 2  # the new run plays on
    app.on_key({"key": "space"})
    assert not app.playing.value
    time.sleep(0.3)  # let a step that was already under way finish
    year = app.model.value.year
    time.sleep(0.3)
    assert app.model.value.year == year
    app.on_key({"key": "right"})
    assert app.model.value.year == year + 1


def test_draw_every_n_years_redraws_less_often(rc):
    app.draw_every.value = 5
    version = app.version.value
    for _ in range(10):
        app.step_years(1, redraw=(app.model.value.year + 1) % 5 == 0)
    assert app.version.value - version == 2


def test_compare_across_seeds(rc):
    app.tab.value = 1
    app.n_seeds.value = 4
    assert app.seeds_result.value is None
    button(rc, "dsim-run-compare").click()
    deadline = time.monotonic() + 60
    while app.seeds_result.value is None and time.monotonic() < deadline:
        time.sleep(0.05)
    res = app.seeds_result.value
    assert res.seeds == (0, 1, 2, 3) and res.summaries
    lev_a, lev_b, res_a, res_b = app.compare_result.value
    assert lev_a["taper_years"] == 0 and lev_b["taper_years"] > 0
    assert res_a.seed == res_b.seed == app.seed.value
    slide(rc, "enforcement", 0.1)
    assert app.seeds_result.value is None and app.compare_result.value is None


def test_invalid_setting_shows_an_error_not_a_traceback(rc):
    app.set_lever("taper_years", 999)
    assert "taper_years" in app.error.value
    assert app.model.value is None
    app.reset_levers()
    assert app.error.value == "" and app.model.value is not None


def test_the_link_is_read_once_per_session():
    app.reset_state()
    problems = app.load_query("scenario=europe&seed=5&taper_years=6")
    app.rebuild()
    assert problems == [] and app.seed.value == 5 and app.levers.value["taper_years"] == 6
    assert app.active_scenario.value.donors[0].policy.taper_years == 6
    assert "taper_years=6" in app.current_query()
    app.reset_state()
