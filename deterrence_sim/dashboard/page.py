"""The page: controls beside the tabs (Simulation, Compare, help), keyboard shortcuts, the link."""

from __future__ import annotations

import solara
import solara.lab

from . import app
from .compare_view import CompareView
from .style import CSS, HELP_HTML
from .views import Controls, RunBar, SimulationView, _html, _Keys

__all__ = ["TABS", "Page"]

TABS = ("Simulation", "Compare", "What am I looking at?")


@solara.component
def Page():
    """The dashboard page (``solara run`` looks for ``Page``)."""
    solara.Title("deterrence-sim classroom dashboard")
    solara.Style(CSS)
    router = solara.use_router()

    def first_load():
        # The link: restore scenario, seed and levers from the URL once per session.
        if not app.url_loaded.value:
            problems = app.load_query(router.search)
            app.url_loaded.value = True
            if problems:
                app.notice.value = "Link: " + "; ".join(problems)
            app.rebuild()
            if router.set_path:
                router.push(f"{router.path or '/'}?{app.current_query()}")
        else:
            app.ensure_model()

    solara.use_effect(first_load, [])

    query = app.current_query()

    def write_link():
        # Keep the address bar equal to the view, so copying it shares this exact setting.
        if app.url_loaded.value and router.set_path and (router.search or "") != query:
            router.push(f"{router.path or '/'}?{query}")

    solara.use_effect(write_link, [query, app.url_loaded.value])
    solara.lab.use_task(app.play_loop, dependencies=[app.playing.value], prefer_threaded=True)

    classes = ["dsim-root"] + (["dsim-presenter"] if app.presenter.value else [])
    with solara.Div(classes=classes):
        _Keys(event_key=app.on_key)
        with solara.Div(classes=["dsim-layout"]):
            with solara.Div(classes=["dsim-controls"]):
                Controls()
            with solara.Div(classes=["dsim-main"]):
                RunBar()
                # A plain tab bar that renders only the chosen view: nothing hidden is redrawn
                # while playing, and no tab transition can leave the old view on screen.
                solara.v.Tabs(
                    v_model=app.tab.value,
                    on_v_model=app.tab.set,
                    children=[solara.v.Tab(children=[name]) for name in TABS],
                    class_="dsim-tabs",
                )
                if app.tab.value == 0:
                    SimulationView()
                elif app.tab.value == 1:
                    CompareView()
                else:
                    _html(HELP_HTML, "dsim-help")
