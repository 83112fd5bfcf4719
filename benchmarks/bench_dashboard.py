"""Benchmark of the classroom dashboard in a real browser: Play's speed and a step's redraw time.

Starts ``deterrence-sim dashboard`` on a free port, opens ``classroom_cliff_exit`` (seed 0) in
headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright) and measures

(a) Play at its fastest setting: simulated years per second seen in the browser (the year
    label), from Play until the horizon, with "draw every" 1 and 5 years;
(b) one Step: the time from the click until the browser has redrawn the network map for the new
    year (its title in the chart's SVG), median over ``--steps`` steps;

and, as the baseline in the same run, the model alone: ``DeterrenceModel.step`` per year. The
ratios say how much of a step is drawing. A measurement, not a test: nothing asserts on time.

    python benchmarks/bench_dashboard.py            # target: Play >= 10 years/s drawing every year
    python benchmarks/bench_dashboard.py --steps 20
    python benchmarks/bench_dashboard.py --draw-every 1 --repeat 3   # best of 3 Plays, every year

The server runs whichever ``deterrence_sim`` Python imports (``PYTHONPATH``), so two checkouts can
be measured alternately on a busy machine and compared as a ratio.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from deterrence_sim import DeterrenceModel, Scenario

SCENARIO = "classroom_cliff_exit"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "deterrence_sim.cli", "dashboard", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return proc
        except OSError:
            time.sleep(0.25)
    proc.terminate()
    raise SystemExit("the dashboard server did not start within 90 s")


def _year(page) -> int:
    return int(page.locator(".dsim-year").inner_text().split()[1])


def _choose(page, cls: str, text: str) -> None:
    page.locator(f".{cls} .v-select").click()
    page.locator(".v-menu__content .v-list-item:visible", has_text=text).first.click()
    page.wait_for_timeout(300)


def _play_rate(page, url: str, draw_every: str) -> float:
    page.goto(url)
    page.wait_for_function("document.querySelectorAll('.dsim-chart .main-svg').length >= 5")
    _choose(page, "dsim-speed", "fastest")
    _choose(page, "dsim-draw-every", draw_every)
    horizon = int(page.locator(".dsim-year").inner_text().split()[-1])
    start = time.perf_counter()
    page.locator(".dsim-play").click()
    # Until the browser has drawn the last year's map: what a class waits to see the whole run
    # (the browser may lag behind the server, so the year label alone would flatter).
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.dsim-network text'))"
        f".some(t => t.textContent === 'The world in year {horizon}')",
        timeout=300_000,
    )
    return horizon / (time.perf_counter() - start)


def _step_times(page, url: str, steps: int) -> list[float]:
    page.goto(url)
    page.wait_for_function("document.querySelectorAll('.dsim-chart .main-svg').length >= 5")
    times = []
    for _ in range(steps):
        nxt = _year(page) + 1
        start = time.perf_counter()
        page.locator(".dsim-step").click()
        page.wait_for_function(
            "Array.from(document.querySelectorAll('.dsim-network text'))"
            f".some(t => t.textContent === 'The world in year {nxt}')"
        )
        times.append(time.perf_counter() - start)
    return times


def _model_step_seconds(years: int = 40, reps: int = 5) -> float:
    best = []
    for seed in range(reps):
        model = DeterrenceModel(Scenario.preset(SCENARIO), seed=seed)
        start = time.perf_counter()
        for _ in range(years):
            model.step()
        best.append((time.perf_counter() - start) / years)
        model.release()
    return statistics.median(best)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="steps timed (default 10; 0 skips)")
    parser.add_argument(
        "--draw-every",
        type=int,
        action="append",
        choices=(1, 2, 5),
        help="'draw every' settings to time (repeatable; default 1, 2 and 5 years)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="Plays per setting; the fastest counts (default 1)"
    )
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("no chromium on PATH (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    model_step = _model_step_seconds()
    port = _free_port()
    url = f"http://127.0.0.1:{port}/?scenario={SCENARIO}&seed=0"
    server = _start_server(port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.set_default_timeout(60_000)
            settings = [f"{n} year" + ("s" if n > 1 else "") for n in args.draw_every or (1, 2, 5)]
            rates = {
                n: max(_play_rate(page, url, n) for _ in range(max(1, args.repeat)))
                for n in settings
            }
            steps = _step_times(page, url, args.steps) if args.steps > 0 else []
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    print(f"scenario {SCENARIO}, seed 0, Chromium {1280}x{720}")
    print(f"model alone:           {1000 * model_step:8.2f} ms per simulated year (baseline)")
    for n, rate in rates.items():
        print(f"Play, fastest, draw every {n:<7}: {rate:6.1f} years/s (target >= 10 every year)")
    if steps:
        step = statistics.median(steps)
        print(
            f"Step (click -> map redrawn): median {1000 * step:6.0f} ms, "
            f"min {1000 * min(steps):.0f} ms over {len(steps)} steps "
            f"= {step / model_step:,.0f}x the model's own step"
        )


if __name__ == "__main__":
    main()
