"""Layer 3 of the dashboard tests: the real server driven by a real headless Chromium.

The server is started the way a teacher starts it (``deterrence-sim dashboard --port <free port>``)
and must work offline (``solara-assets``). Playwright cannot download browsers here, so Debian's
``chromium`` is launched through ``executable_path``. One server and one page serve the whole
module (the tests run in order, each building on the page the previous one left); screenshots go
to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium on PATH: install Debian's `chromium` (Playwright cannot download "
        "browsers here) to run the browser tests",
    ),
]

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

#: Generous: the machine may be busy and every redraw renders two matplotlib figures.
TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url():
    """Start ``deterrence-sim dashboard`` on a free port; stop it after the module."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = (ARTIFACTS / "dashboard-server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "deterrence_sim.cli", "dashboard", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                log.flush()
                text = (ARTIFACTS / "dashboard-server.log").read_text()
                pytest.fail(f"dashboard server exited with {proc.returncode}:\n{text}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"dashboard server did not answer on {url} within 90 s")
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def dash(browser, dashboard_url):
    """One page on the dashboard, shared by the tests of this module (in order)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(dashboard_url)
    page.locator(".dsim-step").first.wait_for()
    page.errors = errors
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def year_is(page, year: int) -> None:
    expect(page.locator(".dsim-year")).to_have_text(re.compile(rf"^Year {year} of \d+$"))


def img_src(page, cls: str) -> str:
    img = page.locator(f".{cls} img").first
    expect(img).to_be_visible()
    return img.get_attribute("src") or ""


def lever_label(page, name: str) -> str:
    return page.locator(f".dsim-lever-{name} .dsim-lever-label").inner_text()


def test_page_renders_controls_and_views(dash):
    year_is(dash, 0)
    for cls in ("dsim-step", "dsim-step10", "dsim-play", "dsim-reset"):
        expect(dash.locator(f".{cls}")).to_be_visible()
    expect(dash.locator(".dsim-scenario")).to_contain_text("Scenario")
    expect(dash.locator(".dsim-seed input")).to_have_value("0")
    for name in ("sunset_year", "taper_years", "conditionality", "enforcement", "budget_scale"):
        expect(dash.locator(f".dsim-lever-{name} .v-slider")).to_be_visible()
    for name in ("instrument_mix", "commitment", "channel", "tripwire", "open_ended"):
        expect(dash.locator(f".dsim-lever-{name}")).to_be_visible()
    assert "$bn/yr" in lever_label(dash, "budget_scale")
    assert img_src(dash, "dsim-network") and img_src(dash, "dsim-timeseries")
    assert dash.locator(".dsim-card").count() >= 6
    expect(dash.locator(".dsim-events")).to_contain_text("Nothing has happened yet")
    for tab in ("Simulation", "Compare", "What am I looking at?"):
        expect(dash.get_by_role("tab", name=tab)).to_be_visible()
    shot(dash, "01-loaded")
    assert not dash.errors, dash.errors


def test_stepping_ten_years_updates_plots_and_event_log(dash):
    network, series = img_src(dash, "dsim-network"), img_src(dash, "dsim-timeseries")
    dash.locator(".dsim-step").click()
    year_is(dash, 1)
    dash.locator(".dsim-step10").click()
    year_is(dash, 11)
    expect(dash.locator(".dsim-event").first).to_be_visible()
    assert dash.locator(".dsim-event").first.inner_text().startswith("Year ")
    expect(dash.locator(".dsim-events")).not_to_contain_text("Nothing has happened yet")
    # Figures are replaced by new images once the step's redraw arrives.
    expect(dash.locator(".dsim-network img")).not_to_have_attribute("src", network)
    expect(dash.locator(".dsim-timeseries img")).not_to_have_attribute("src", series)
    shot(dash, "02-year-11")


def test_moving_a_slider_changes_the_lever_and_restarts(dash):
    before = lever_label(dash, "conditionality")
    slider = dash.locator(".dsim-lever-conditionality .v-slider")
    box = slider.bounding_box()
    assert box is not None
    slider.click(position={"x": box["width"] * 0.8, "y": box["height"] / 2})
    label = dash.locator(".dsim-lever-conditionality .dsim-lever-label")
    expect(label).not_to_have_text(before)
    assert re.search(r"(7\d|8\d)% of aid tied to reform", label.inner_text())
    year_is(dash, 0)  # a new lever setting restarts the run
    dash.locator(".dsim-step10").click()
    year_is(dash, 10)


def test_changing_the_scenario(dash):
    dash.locator(".dsim-scenario .v-select").click()
    dash.locator(".v-menu__content .v-list-item", has_text=re.compile(r"^europe$")).click()
    expect(dash.locator(".dsim-scenario")).to_contain_text("europe")
    expect(dash.get_by_text("europe, seed 0")).to_be_visible()
    year_is(dash, 0)
    expect(dash.locator(".dsim-events")).to_contain_text("Nothing has happened yet")
    dash.locator(".dsim-step10").click()
    year_is(dash, 10)
    shot(dash, "03-europe-year-10")


def test_play_and_pause(dash):
    dash.locator(".dsim-play").click()
    expect(dash.locator(".dsim-play")).to_contain_text("Pause")
    expect(dash.locator(".dsim-year")).not_to_have_text(re.compile(r"^Year 10 of"))
    dash.locator(".dsim-play").click()
    expect(dash.locator(".dsim-play")).to_contain_text("Play")
    expect(dash.locator(".dsim-step")).to_be_enabled()


def test_compare_mode(dash):
    dash.get_by_role("tab", name="Compare").click()
    expect(dash.get_by_text("Press “Run comparison”")).to_be_visible()
    dash.locator(".dsim-run-compare").click()
    result = dash.locator(".dsim-compare-result")
    expect(result.locator("img")).to_be_visible()
    expect(result).to_contain_text("B − A")
    expect(result.locator(".dsim-compare-side")).to_have_count(2)
    expect(result).to_contain_text("A: cliff exit")
    expect(result).to_contain_text("B: 5-year taper")
    shot(dash, "04-compare")


def test_help_panel(dash):
    dash.get_by_role("tab", name="What am I looking at?").click()
    expect(dash.locator(".dsim-help")).to_contain_text("network map")
    expect(dash.locator(".dsim-help")).to_contain_text("sunset")
    shot(dash, "05-help")
    assert not dash.errors, dash.errors
