"""The page: controls beside the tabs (Simulation, Compare, help), keyboard shortcuts, the link,
and the error boundary that keeps tracebacks and server paths off the page."""

from __future__ import annotations

import logging

import solara
import solara.lab

from . import state
from .compare_view import CompareView
from .style import CSS, HELP_HTML
from .views import Controls, Keys, RunBar, SimulationView, static_html

__all__ = ["FAILURE_TEXT", "TABS", "Dashboard", "Page"]

log = logging.getLogger(__name__)

TABS = ("Simulation", "Compare", "What am I looking at?")


#: What the page says when something failed (the details go to the server's log, never here).
FAILURE_TEXT = (
    "Something went wrong and this view stopped. The details were written to the server's log. "
    "Press the button to start again with the same scenario, seed and levers."
)


@solara.component
def Page():
    """The dashboard page (``solara run`` looks for ``Page``), inside an error boundary.

    Any exception raised while drawing or handling a click below is caught here, logged on the
    server with its traceback, and replaced by :data:`FAILURE_TEXT` and a restart button.
    """
    solara.Title("deterrence-sim classroom dashboard")
    solara.Style(CSS)
    Guarded()


@solara.component
def Guarded():
    """The error boundary around :func:`Dashboard`."""
    exception, clear = solara.use_exception()
    solara.use_memo(lambda: _log(exception), [exception])
    if exception is None:
        Dashboard()
        return

    def restart() -> None:
        state.playing.value = False
        state.rebuild()
        clear()

    with solara.Div(classes=["dsim-root", "dsim-failure"]):
        solara.Error(FAILURE_TEXT)
        solara.Button("Start again", on_click=restart, color="primary", classes=["dsim-restart"])


def _log(exception: BaseException | None) -> None:
    if exception is not None:
        log.error("dashboard error caught by the page", exc_info=exception)


@solara.component
def Dashboard():
    """Controls beside the tabs; restores the view from the link once per session."""
    router = solara.use_router()

    def first_load():
        # The link: restore scenario, seed and levers from the URL once per session.
        if not state.url_loaded.value:
            problems = state.load_query(router.search)
            state.url_loaded.value = True
            if problems:
                state.notice.value = "Link: " + "; ".join(problems)
            state.rebuild()
            if router.set_path:
                router.push(f"{router.path or '/'}?{state.current_query()}")
        else:
            state.ensure_model()

    solara.use_effect(first_load, [])

    query = state.current_query()

    def write_link():
        # Keep the address bar equal to the view, so copying it shares this exact setting.
        if state.url_loaded.value and router.set_path and (router.search or "") != query:
            router.push(f"{router.path or '/'}?{query}")

    solara.use_effect(write_link, [query, state.url_loaded.value])
    solara.lab.use_task(state.play_loop, dependencies=[state.playing.value], prefer_threaded=True)

    classes = ["dsim-root"] + (["dsim-presenter"] if state.presenter.value else [])
    with solara.Div(classes=classes):
        Keys(event_key=state.on_key)
        with solara.Div(classes=["dsim-layout"]):
            with solara.Div(classes=["dsim-controls"]):
                Controls()
            with solara.Div(classes=["dsim-main"]):
                RunBar()
                # A plain tab bar that renders only the chosen view: nothing hidden is redrawn
                # while playing, and no tab transition can leave the old view on screen.
                solara.v.Tabs(
                    v_model=state.tab.value,
                    on_v_model=state.tab.set,
                    children=[solara.v.Tab(children=[name]) for name in TABS],
                    class_="dsim-tabs",
                )
                if state.tab.value == 0:
                    SimulationView()
                elif state.tab.value == 1:
                    CompareView()
                else:
                    static_html(HELP_HTML, "dsim-help")
