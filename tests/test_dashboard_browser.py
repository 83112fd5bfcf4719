"""Layer 3 of the dashboard tests: the real server driven by a real headless Chromium.

The server is started the way a teacher starts it (``deterrence-sim dashboard --port <free port>``)
and must work offline (``solara-assets``; plotly.js is served by the dashboard itself).
Playwright cannot download browsers here, so Debian's ``chromium`` is launched through
``executable_path``. One server serves the module; the tests run in order on one page where they
build on each other. Screenshots go to ``test-artifacts/``; with ``DSIM_DOCS_SCREENSHOTS=1`` the
views are also saved to ``docs/img/`` for docs/dashboard.md.
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

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"
DOCS_IMG = ROOT / "docs" / "img"
DOCS_SHOTS = os.environ.get("DSIM_DOCS_SCREENSHOTS") == "1"

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

#: Generous: the machine may be busy.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)


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
    log_path = ARTIFACTS / "dashboard-server.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "deterrence_sim.cli", "dashboard", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail(
                    f"dashboard server exited with {proc.returncode}:\n{log_path.read_text()}"
                )
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
    # Nothing alarming on the console: no samesite-cookie essay, no traceback.
    text = log_path.read_text()
    assert "samesite" not in text.lower(), text
    assert "Traceback" not in text, text


def _open(browser, url: str, width: int = 1440, height: int = 1000):
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(url)
    page.locator(".dsim-step").first.wait_for()
    charts_drawn(page)
    return context, page


@pytest.fixture(scope="module")
def dash(browser, dashboard_url):
    """One page on the dashboard, shared by the tests of this module (in order)."""
    context, page = _open(browser, dashboard_url + "?scenario=classroom_cliff_exit&seed=0")
    yield page
    context.close()


def charts_drawn(page, at_least: int = 5) -> None:
    """Wait until plotly.js has drawn the charts (an SVG per chart)."""
    page.wait_for_function(
        f"document.querySelectorAll('.dsim-chart .main-svg').length >= {at_least}"
    )


def shot(page, name: str, docs: str | None = None) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if docs and DOCS_SHOTS:
        page.evaluate("document.querySelector('.dsim-layout').scrollIntoView()")
        page.wait_for_timeout(300)
        page.screenshot(path=str(DOCS_IMG / docs), full_page=False)


def year_is(page, year: int) -> None:
    expect(page.locator(".dsim-year")).to_have_text(re.compile(rf"^Year {year} of \d+$"))


def lever_label(page, name: str) -> str:
    return page.locator(f".dsim-lever-{name} .dsim-lever-label").inner_text()


def test_page_renders_controls_charts_and_labels(dash):
    year_is(dash, 0)
    for cls in ("dsim-step", "dsim-step10", "dsim-play", "dsim-reset"):
        expect(dash.locator(f".{cls}")).to_be_visible()
    expect(dash.locator(".dsim-seed input")).to_have_value("0")
    # Every slider has a spoken name (it was aria-label="") and every chart a description.
    sliders = dash.locator("[role=slider]")
    assert sliders.count() >= 5
    for i in range(sliders.count()):
        assert (sliders.nth(i).get_attribute("aria-label") or "").strip(), i
    charts = dash.locator(".dsim-chart-box")
    assert charts.count() >= 5
    for i in range(charts.count()):
        assert len(charts.nth(i).get_attribute("aria-label") or "") > 20
    # Hints on levers that do nothing here (the cliff-exit partner gets no conditional aid).
    expect(dash.locator(".dsim-lever-enforcement .dsim-hint")).to_contain_text("No effect")
    # No "Made with Solara" badge over the content.
    assert (
        dash.get_by_text("Made with").count() == 0 or not dash.get_by_text("Made with").is_visible()
    )
    shot(dash, "01-loaded")
    assert not dash.errors, dash.errors


def test_keyboard_steps_and_why_explains_the_attack_after_the_exit(dash):
    # classroom_cliff_exit, seed 0 (the two-stage core at its calibrated defaults): aid ends in
    # year 12 (cliff exit); in year 28 the rival challenges, the partner resists and it escalates.
    dash.locator(".dsim-step10").click()
    year_is(dash, 10)
    dash.locator(".dsim-step10").click()
    year_is(dash, 20)
    dash.locator("body").click(position={"x": 5, "y": 700})  # focus the page, not a control
    for year in range(21, 29):
        dash.keyboard.press("ArrowRight")
        year_is(dash, year)
    attack = dash.locator(".dsim-event[data-kind=attack]", has_text="Year 28:")
    expect(attack).to_have_count(1)
    attack.locator("summary").click()
    why = attack.locator(".dsim-why p")
    expect(why).to_be_visible()
    text = why.inner_text()
    assert "chance of challenging this year: 4%" in text, text
    assert "escalated to war was 91%" in text and "long shot" in text, text
    assert "probability 30%" in text, text
    assert "expected gain 0.48" in text and "threshold 0.30" in text, text
    # The map after the exit: the aid tie has ended and the donor says so.
    expect(dash.locator(".dsim-network .legend")).to_contain_text("aid ended")
    expect(dash.locator(".dsim-network")).to_contain_text("aid ended")
    attack.locator("summary").scroll_into_view_if_needed()
    shot(dash, "02-why", "dashboard-why.png")


def test_space_plays_and_pauses(dash):
    dash.locator("body").click(position={"x": 5, "y": 700})
    dash.keyboard.press(" ")
    expect(dash.locator(".dsim-play")).to_contain_text("Pause")
    expect(dash.locator(".dsim-year")).not_to_have_text(re.compile(r"^Year 29 of"))
    dash.keyboard.press(" ")
    expect(dash.locator(".dsim-play")).to_contain_text("Play")


def test_download_equals_the_cli_run(dash, tmp_path):
    for _ in range(5):
        before = dash.locator(".dsim-year").inner_text()
        if before.startswith("Year 40 "):
            break
        dash.locator(".dsim-step10").click()
        expect(dash.locator(".dsim-year")).not_to_have_text(before)
    year_is(dash, 40)
    out = tmp_path / "cli"
    subprocess.run(
        [sys.executable, "-m", "deterrence_sim.cli", "run", "--scenario", "classroom_cliff_exit",
         "--seed", "0", "--out", str(out)],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    for cls, name in (("timeseries", "timeseries.csv"), ("events", "events.csv")):
        with dash.expect_download() as info:
            dash.locator(f".dsim-download-{cls} .v-btn").click()
        got = Path(info.value.path()).read_text()
        want = (out / name).read_text()
        assert got.splitlines() == want.splitlines(), name
    shot(dash, "03-year-40", "dashboard.png")


def test_link_restores_scenario_seed_and_levers_after_reload(dash):
    seed = dash.locator(".dsim-seed input")
    seed.fill("abc")
    expect(dash.locator(".dsim-seed-error")).to_contain_text("not a whole number")
    expect(dash.locator(".dsim-seed-error")).to_contain_text("Still using seed 0")
    seed.fill("7")
    expect(dash.locator(".dsim-seed-error")).to_have_count(0)
    slider = dash.locator(".dsim-lever-taper_years .v-slider")
    box = slider.bounding_box()
    slider.click(position={"x": box["width"] * 0.25, "y": box["height"] / 2})
    expect(dash.locator(".dsim-lever-taper_years .dsim-lever-label")).not_to_contain_text("cliff")
    taper = lever_label(dash, "taper_years")
    dash.wait_for_function(
        "location.search.includes('taper_years=') && location.search.includes('seed=7')"
    )
    url = dash.url
    assert "scenario=classroom_cliff_exit" in url
    dash.reload()
    dash.locator(".dsim-step").first.wait_for()
    expect(dash.locator(".dsim-seed input")).to_have_value("7")
    expect(dash.locator(".dsim-lever-taper_years .dsim-lever-label")).to_have_text(taper)
    expect(dash.locator(".dsim-scenario")).to_contain_text("classroom_cliff_exit")
    assert dash.url == url


def test_compare_across_seeds_shows_intervals(dash):
    dash.get_by_role("tab", name="Compare").click()
    dash.locator(".dsim-nseeds input").fill("12")
    dash.locator(".dsim-run-compare").click()
    result = dash.locator(".dsim-compare-result")
    expect(result.locator(".dsim-seed-table")).to_be_visible(timeout=60_000)
    table = result.locator(".dsim-seed-table").inner_text()
    assert "12 seeds" in result.inner_text()
    assert re.search(r"\[[^\]]+ to [^\]]+\]", table), table  # "mean [low to high]"
    assert "B − A (paired)" in table
    # Interval charts (error bars) and the distribution of the difference.
    expect(result.locator(".dsim-interval .errorbar").first).to_be_attached()
    expect(result.locator(".dsim-difference .main-svg").first).to_be_visible()
    expect(result.locator(".dsim-compare-table")).to_contain_text("B − A")
    assert "+0 pts" not in result.inner_text() and "e-0" not in result.inner_text()
    shot(dash, "04-compare", "dashboard-compare.png")
    assert not dash.errors, dash.errors


def test_help_tab(dash):
    dash.get_by_role("tab", name="What am I looking at?").click()
    expect(dash.locator(".dsim-help")).to_contain_text("Why?")
    expect(dash.locator(".dsim-help")).to_contain_text("Presenter")
    dash.get_by_role("tab", name="Simulation").click()


def _boxes(page, selector: str) -> list[dict]:
    loc = page.locator(selector)
    return [b for b in (loc.nth(i).bounding_box() for i in range(loc.count())) if b]


def _overlap(a: dict, b: dict, tol: float = 1.0) -> bool:
    return (
        a["x"] + a["width"] - tol > b["x"]
        and b["x"] + b["width"] - tol > a["x"]
        and a["y"] + a["height"] - tol > b["y"]
        and b["y"] + b["height"] - tol > a["y"]
    )


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_nothing_overlaps_and_chart_text_is_readable(browser, dashboard_url, size):
    context, page = _open(browser, dashboard_url, *size)
    try:
        page.locator(".dsim-step10").click()
        year_is(page, 10)
        groups = [
            [".dsim-controls", ".dsim-main"],
            [".dsim-network", ".dsim-events"],
            [".dsim-card"],
            [".dsim-timeseries"],
            [".dsim-runbar > *"],
        ]
        for group in groups:
            boxes = [b for sel in group for b in _boxes(page, sel)]
            assert len(boxes) >= 2, group
            for i in range(len(boxes)):
                for j in range(i + 1, len(boxes)):
                    assert not _overlap(boxes[i], boxes[j]), (group, boxes[i], boxes[j])
        # No horizontal scrolling and nothing drawn past the window's right edge.
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        for b in _boxes(page, ".dsim-chart-box") + _boxes(page, ".dsim-card"):
            assert b["x"] + b["width"] <= size[0] + 1
        sizes = page.evaluate(
            "Array.from(document.querySelectorAll('.dsim-chart svg text'))"
            ".filter(t => t.textContent.trim())"
            ".map(t => parseFloat(getComputedStyle(t).fontSize))"
        )
        assert sizes and min(sizes) >= 12, sorted(sizes)[:5]
        shot(page, f"05-layout-{size[0]}x{size[1]}")
        if size == (1280, 720):
            page.get_by_text("Presenter").click()
            page.wait_for_timeout(800)
            big = page.evaluate(
                "Math.min(...Array.from(document.querySelectorAll('.dsim-chart svg text'))"
                ".filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize)))"
            )
            assert big >= 18
            shot(page, "06-presenter", "dashboard-presenter.png")
        assert not page.errors, page.errors
    finally:
        context.close()
