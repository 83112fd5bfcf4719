"""Layer 2 of the dashboard tests: the Solara page rendered in-process (no browser).

``solara.render`` builds the real widget tree; clicking a button or setting a widget's ``v_model``
runs the same callbacks a browser would. The page is wrapped in ``AppLayout`` as ``solara run``
does, otherwise the sidebar (the controls) is not rendered.
"""

from __future__ import annotations

import time

import ipyvuetify as v
import ipywidgets
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


def images(rc) -> list[bytes]:
    return [w.value for w in rc.find(ipywidgets.Image).widgets]


def events(rc) -> list[str]:
    return [w.children[0] for w in rc.find(v.Html, class_="dsim-event").widgets]


def test_controls_are_present(rc):
    for cls in ("dsim-step", "dsim-step10", "dsim-play", "dsim-reset", "dsim-run-compare"):
        rc.find(v.Btn, class_=cls).assert_single()
    scenario = rc.find(v.Html, class_="dsim-scenario").find(v.Select).widget
    assert scenario.items == list(Scenario.presets())
    assert scenario.v_model == app.scenario_name.value
    for name in (
        "sunset_year",
        "taper_years",
        "conditionality",
        "enforcement",
        "audit_intensity",
        "budget_scale",
    ):
        lever(rc, name)
    for name in ("instrument_mix", "commitment", "channel"):
        assert lever(rc, name, v.Select).items
    lever(rc, "tripwire", v.Checkbox)
    lever(rc, "open_ended", v.Switch)
    rc.find(v.Html, class_="dsim-seed").find(v.TextField).assert_single()
    labels = [w.children[0] for w in rc.find(v.Html, class_="dsim-lever-label").widgets]
    # Every slider says what it is and in which unit.
    assert any(s.startswith("Sunset (aid ends): year") for s in labels)
    assert any("% of aid tied to reform" in s for s in labels)
    assert any("$bn/yr" in s for s in labels)
    assert len(images(rc)) == 2  # network map and time series


def test_step_advances_the_model_and_redraws(rc):
    model = app.model.value
    assert model is not None and model.year == 0
    before = images(rc)
    button(rc, "dsim-step").click()
    assert app.model.value is model and model.year == 1
    button(rc, "dsim-step10").click()
    assert model.year == 11
    after = images(rc)
    assert all(a != b for a, b in zip(before, after, strict=True))
    assert events(rc), "eleven years and not one event in the log"
    assert all(s.startswith("Year ") for s in events(rc))
    year_text = rc.find(v.Html, class_="dsim-year").widget.children[0]
    assert year_text.startswith("Year 11 of")


def test_step_stops_at_the_horizon(rc):
    horizon = app.horizon()
    for _ in range(horizon // 10 + 1):
        button(rc, "dsim-step10").click()
    assert app.model.value.year == horizon
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
    lever(rc, "budget_scale").v_model = 2.0
    model = app.model.value
    assert model.year == 0, "moving a lever restarts the run"
    base_budget = Scenario.preset(app.scenario_name.value).donors[0].budget
    assert app.active_scenario.value.donors[0].budget == pytest.approx(2 * base_budget)
    button(rc, "dsim-step10").click()
    assert model.timeseries()["aid"].sum() > baseline * 1.2

    lever(rc, "conditionality").v_model = 0.6
    assert all(d.policy.conditionality == 0.6 for d in app.active_scenario.value.donors)
    lever(rc, "open_ended", v.Switch).v_model = True
    assert all(d.policy.sunset_year is None for d in app.active_scenario.value.donors)
    assert lever(rc, "sunset_year").disabled


def test_changing_scenario_and_seed(rc):
    scenario = rc.find(v.Html, class_="dsim-scenario").find(v.Select).widget
    scenario.v_model = "europe"
    assert app.active_scenario.value.name == "europe"
    europe = Scenario.preset("europe")
    assert app.levers.value.taper_years == europe.donors[0].policy.taper_years
    button(rc, "dsim-step10").click()
    seed0 = app.model.value.timeseries()
    rc.find(v.Html, class_="dsim-seed").find(v.TextField).widget.v_model = "7"
    assert app.seed.value == 7 and app.model.value.year == 0
    button(rc, "dsim-step10").click()
    assert not app.model.value.timeseries().equals(seed0)


def test_play_steps_until_paused(rc):
    app.delay_ms.value = 50
    button(rc, "dsim-play").click()
    assert app.playing.value
    deadline = time.monotonic() + 20
    while app.model.value.year < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert app.model.value.year >= 3
    button(rc, "dsim-play").click()
    assert not app.playing.value
    time.sleep(0.2)  # let a step that was already under way finish
    year = app.model.value.year
    time.sleep(0.3)
    assert app.model.value.year == year


def test_compare_mode_runs_both_settings(rc):
    assert app.compare_result.value is None
    button(rc, "dsim-run-compare").click()
    lev_a, lev_b, res_a, res_b = app.compare_result.value
    assert lev_a.taper_years == 0 and lev_b.taper_years > 0  # cliff vs tapered exit
    assert res_a.seed == res_b.seed == app.seed.value
    assert res_a.scenario.name == res_b.scenario.name
    assert not res_a.timeseries["aid"].equals(res_b.timeseries["aid"])
    assert len(images(rc)) == 3  # + the overlaid time series
    tables = [
        w.unsafe_innerHTML
        for w in rc.find(solara.widgets.HTML).widgets
        if w.attributes.get("class") == "dsim-compare-table"
    ]
    assert len(tables) == 1 and "B − A" in tables[0] and "Wars" in tables[0]
    # A new setting invalidates the old comparison.
    lever(rc, "enforcement").v_model = 0.1
    assert app.compare_result.value is None


def test_invalid_setting_shows_an_error_not_a_traceback(rc):
    # Larger than the scenario allows: the page reports the problem and keeps running.
    app.set_lever("taper_years", 999)
    assert "taper_years" in app.error.value
    assert app.model.value is None
    app.reset_levers()
    assert app.error.value == "" and app.model.value is not None
