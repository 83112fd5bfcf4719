"""The Compare tab: A vs B over many seeds (means, 95% intervals, the distribution of the paired
difference), with one seed's runs kept as the detail below."""

from __future__ import annotations

import math
from html import escape

import solara
import solara.lab

from . import charts, data, state
from .compare import COMPARISONS, Comparison, SeedComparison
from .views import Chart, static_html


def interval_text(mean: float, ci: tuple[float, float], unit: str) -> str:
    """'0.12 [0.08 to 0.16]' (percentages for shares); 'n/a' without data."""
    if not math.isfinite(mean):
        return "n/a"
    lo, hi = ci
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return data.format_value(mean, unit)
    return (
        f"{data.format_value(mean, unit)} "
        f"[{data.format_value(lo, unit)} to {data.format_value(hi, unit)}]"
    )


def change_text(mean: float, ci: tuple[float, float], unit: str) -> str:
    if not math.isfinite(mean):
        return "n/a"
    lo, hi = ci
    if math.isfinite(lo) and math.isfinite(hi) and abs(hi - lo) < 1e-12 and abs(mean) < 1e-12:
        return "no change in any seed"
    text = data.format_change(mean, unit)
    if math.isfinite(lo) and math.isfinite(hi):
        text += f" [{data.format_change(lo, unit, '0')} to {data.format_change(hi, unit, '0')}]"
    return text


def summary_table_html(result: SeedComparison) -> str:
    head = (
        f"<tr><th>metric</th><th>A: {escape(result.label_a)}</th><th>B: {escape(result.label_b)}</th><th>B − A (paired)</th>"
        "<th>seeds</th></tr>"
    )
    rows = []
    for s in result.summaries:
        rows.append(
            "<tr>"
            f"<td>{escape(s.label)}</td>"
            f"<td>{escape(interval_text(s.a[0], s.a[1], s.unit))}</td>"
            f"<td>{escape(interval_text(s.b[0], s.b[1], s.unit))}</td>"
            f"<td>{escape(change_text(s.diff[0], s.diff[1], s.unit))}</td>"
            f"<td>{s.diff[2]}</td>"
            "</tr>"
        )
    return f"<table class='dsim-table dsim-seed-table'>{head}{''.join(rows)}</table>"


@solara.component
def SeedResult(result: SeedComparison):
    big = state.presenter.value
    names = [s.label for s in result.summaries]
    chosen = solara.use_reactive(names[0] if names else "")
    static_html(
        f"<p>Means over <b>{len(result.seeds)} seeds</b> (0–{result.seeds[-1]}) with 95% "
        "intervals in brackets; B − A is the mean of the per-seed differences (each seed gives "
        "A and B the same luck), with its 95% t-interval. An interval that excludes 0 is a "
        "difference that luck alone is unlikely to explain.</p>" + summary_table_html(result),
        "dsim-seed-summary",
    )
    with solara.Div(classes=["dsim-intervals"]):
        for s in result.summaries:
            arms = [
                (f"A: {result.label_a}", s.a[0], s.a[1]),
                (f"B: {result.label_b}", s.b[0], s.b[1]),
            ]
            fig = charts.interval_figure(s.label, s.unit, arms, big)
            Chart(
                fig,
                f"{s.label}: A {interval_text(s.a[0], s.a[1], s.unit)}, "
                f"B {interval_text(s.b[0], s.b[1], s.unit)}",
                f"{s.name}_intervals",
                ["dsim-interval"],
            )
    if not names:
        return
    with solara.Div(classes=["dsim-diff-select"]):
        solara.Select("Distribution of the difference for", values=names, value=chosen)
    s = next(x for x in result.summaries if x.label == chosen.value)
    fig = charts.difference_figure(
        f"{s.label}: B − A per seed", s.unit, s.differences, s.diff[0], s.diff[1], big
    )
    Chart(
        fig,
        f"Histogram of B minus A for {s.label} over {s.diff[2]} seeds; mean "
        f"{change_text(s.diff[0], s.diff[1], s.unit)}",
        f"{s.name}_difference",
        ["dsim-difference"],
    )


@solara.component
def OneSeedDetail(result: tuple, chosen: Comparison):
    from ..metrics import METRICS

    _, _, res_a, res_b = result
    big = state.presenter.value
    label_a, label_b = f"A: {chosen.label_a}", f"B: {chosen.label_b}"
    static_html(
        f"<h4>Detail: seed {res_a.seed}, year by year</h4>"
        "<p>One seed is one possible history; the many-seed summary above says how typical it is.</p>",
        "dsim-detail-head",
    )
    panels_a = data.timeseries_panels(res_a.timeseries)
    panels_b = {p.title: f for p, f in data.timeseries_panels(res_b.timeseries)}
    with solara.Div(classes=["dsim-panels", "dsim-compare-plot"]):
        for p, frame_a in panels_a:
            fig = charts.panel_figure(
                p,
                [(label_a, frame_a), (label_b, panels_b.get(p.title, frame_a))],
                data.sunset_marks(res_a.scenario),
                res_a.years,
                big,
            )
            Chart(fig, f"{p.title}: A (blue) and B (orange) by year", f"compare_{p.title}")
    rows = data.compare_rows(res_a.metrics, res_b.metrics, METRICS)
    head = "".join(f"<th>{h}</th>" for h in ("metric", label_a, label_b, "B − A"))
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(r[k])}</td>" for k in ("metric", "A", "B", "B − A"))
        + "</tr>"
        for r in rows
    )
    static_html(f"<table class='dsim-table'><tr>{head}</tr>{body}</table>", "dsim-compare-table")


@solara.component
def CompareView():
    static_html(
        "<p>Run the current scenario under two settings of one policy choice, A and B, on many "
        "seeds. Seed <i>s</i> gives A and B the same luck, so the difference comes from the "
        "policy. The other levers are those on the left.</p>"
    )
    task = solara.lab.use_task(state.run_seed_comparison, dependencies=None, prefer_threaded=True)
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        with solara.Div(classes=["dsim-comparison"]):
            solara.Select(
                "Comparison",
                values=list(COMPARISONS),
                value=state.comparison.value,
                on_value=lambda v: (state.comparison.set(v), state.clear_results()),
            )
        problem = state.seeds_problem(state.n_seeds.value)
        with solara.Div(classes=["dsim-nseeds"]):
            solara.InputInt(
                f"Seeds ({state.MIN_SEEDS}–{state.MAX_SEEDS:,})",
                value=state.n_seeds,
                continuous_update=True,
            )
        solara.Button(
            "Run A and B" + ("" if problem else f" on {int(state.n_seeds.value)} seeds"),
            icon_name="mdi-compare",
            on_click=task,
            color="primary",
            disabled=task.pending or bool(problem),
            classes=["dsim-run-compare"],
        )
    if problem:
        solara.Text(problem, classes=["dsim-nseeds-error"])
    chosen = COMPARISONS[state.comparison.value]
    solara.Text(
        f"A: {chosen.label_a} · B: {chosen.label_b} — {chosen.description}",
        classes=["dsim-compare-desc"],
    )
    if state.compare_error.value:
        solara.Error(state.compare_error.value)
    done, total = state.seeds_progress.value
    if task.pending and total:
        solara.ProgressLinear(value=100 * done / total)
        solara.Text(f"Running seed {done} of {total}…")
    result = state.seeds_result.value
    if result is None:
        if not task.pending:
            solara.Info("Press the button to run both settings on every seed.")
        return
    with solara.Div(classes=["dsim-compare-result"]):
        SeedResult(result)
        if state.compare_result.value is not None:
            OneSeedDetail(state.compare_result.value, chosen)
