"""The dashboard's style sheet and its help text for students."""

from __future__ import annotations

__all__ = ["CSS", "HELP_HTML"]

#: Layout: controls beside the view at any width ≥ 1024 px; text sizes in rem so browser zoom
#: scales everything; presenter mode scales the root font. Headings never break mid-word.
CSS = """
.dsim-root { font-size: 15px; line-height: 1.4; overflow-wrap: normal; word-break: normal; }
.dsim-root.dsim-presenter { font-size: 21px; }
.dsim-root .v-card__text { font-size: inherit; }
.dsim-presenter .v-btn, .dsim-presenter .v-tab { font-size: 1.05rem; }
.dsim-presenter .v-select__selection, .dsim-presenter input { font-size: 1.2rem; }
.dsim-presenter .v-label { font-size: 1.1rem; }
.dsim-layout { display: flex; gap: 14px; align-items: flex-start; }
.dsim-controls { flex: 0 0 270px; max-width: 270px; position: sticky; top: 4px;
  max-height: calc(100vh - 8px); overflow-y: auto; padding: 4px 8px 4px 0; }
.dsim-presenter .dsim-controls { flex-basis: 330px; max-width: 330px; }
.dsim-main { flex: 1 1 auto; min-width: 0; }
.dsim-runbar { gap: 6px; position: sticky; top: 0; z-index: 3; background: white;
  padding: 12px 0 2px; }
.dsim-year { font-size: 1.35em; font-weight: bold; margin-right: 8px; white-space: nowrap; }
.dsim-speed, .dsim-draw-every { width: 125px; margin-top: 4px; }
.dsim-speed .v-input, .dsim-draw-every .v-input { margin-top: 0; padding-top: 0; }
.dsim-presenter-switch .v-input { margin-top: 0; }
.dsim-notice { display: block; color: #0d47a1; font-size: 0.9em; }
.dsim-lever { margin-bottom: 2px; }
.dsim-lever .v-input { margin-top: 0; }
.dsim-lever-label { display: block; font-size: 0.85em; color: #212121; }
.dsim-hint { display: block; font-size: 0.8em; color: #8d6e63; font-style: italic; }
.dsim-small { display: block; font-size: 0.85em; color: #424242; }
.dsim-seed-error, .dsim-nseeds-error { display: block; color: #b71c1c; font-size: 0.85em; }
.dsim-head { margin: 6px 0 2px; }
.dsim-top { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 10px; }
.dsim-panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr));
  gap: 10px; margin-top: 8px; }
.dsim-intervals { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
  gap: 8px; }
.dsim-chart-wrap { min-width: 0; }
.dsim-events { padding: 6px 10px !important; min-width: 0; }
.dsim-card-title { font-weight: bold; }
.dsim-log-filter { width: 250px; max-width: 100%; }
.dsim-log-box { max-height: 330px; overflow-y: auto; }
.dsim-presenter .dsim-log-box { max-height: 420px; }
.dsim-log { list-style: none; padding-left: 0; margin: 0; }
.dsim-event { padding: 3px 0; border-bottom: 1px solid #eeeeee; }
.dsim-now { font-weight: bold; }
.dsim-why summary { cursor: pointer; color: #0d47a1; font-weight: normal; font-size: 0.9em; }
.dsim-why p { margin: 2px 0 4px 12px; font-weight: normal; font-size: 0.92em; color: #263238; }
.dsim-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5em, 1fr));
  gap: 6px; margin-top: 8px; }
.dsim-card { border: 1px solid #e0e0e0; border-radius: 4px; padding: 2px 6px; }
.dsim-card-label { font-size: 0.8em; color: #424242; line-height: 1.25; }
.dsim-card-value { font-size: 1.25em; }
.dsim-unit { font-size: 0.8em; }
.dsim-downloads { gap: 8px; margin-top: 8px; align-items: center; }
.dsim-table { border-collapse: collapse; font-size: 0.92em; margin-top: 8px; }
.dsim-table th, .dsim-table td { border-bottom: 1px solid #e0e0e0; padding: 2px 10px;
  text-align: right; }
.dsim-table th:first-child, .dsim-table td:first-child { text-align: left; }
.dsim-comparison { width: 330px; max-width: 100%; }
.dsim-nseeds { width: 90px; }
.dsim-diff-select { width: 360px; max-width: 100%; margin-top: 8px; }
.dsim-help { max-width: 52em; }
@media (max-width: 1100px) {
  .dsim-top { grid-template-columns: minmax(0, 1fr); }
  .dsim-controls { flex-basis: 240px; max-width: 240px; }
}
"""

HELP_HTML = """
<h3>What am I looking at?</h3>
<p>This is a simulated world of <b>donors</b> (states that give security assistance), <b>partners</b> (states that receive it) and <b>aggressors</b> (states or insurgencies that may attack a partner). Every step is one <b>year</b>.</p>
<p><b>The network map</b>: squares are donors, circles partners, triangles aggressors. A bigger symbol means more <i>effective military capability</i>. A partner's colour shows its <b>governance</b> — red is poor, green is good. Lines show the ties as they are <i>now</i>: green <b>aid flowing</b>, grey dotted <b>aid ended</b>, orange dashed <b>aid suspended</b>, pink <b>program rejected</b>, blue dashed <b>security commitments</b>, orange dotted <b>rivalries</b>; an attack this year is thick red. A donor whose aid has ended says so under its name. Hover a state for its numbers.</p>
<p><b>The event log</b> tells the story, newest first (this year in bold). Press <b>Why?</b> under an attack, a coercive demand, an intervention or an exit to read the numbers behind the decision: how likely the attack was, how strongly the aggressor believed the donor would defend the partner (and how that changed, for example after the donor left), and its expected gain against its threshold. "Show" switches between the key events and all events.</p>
<p><b>The cards</b> sum up the run so far; hover one for its definition. <i>n/a</i> means the measure does not apply yet (nothing is "kept after exit" before the exit).</p>
<p><b>The charts</b> show the years so far; hover to read values, drag to zoom, double-click to zoom out. The dashed vertical line is the <b>sunset year</b>, a dotted one where the aid starts to taper. The camera icon saves a chart as PNG, the disk icon as SVG.</p>
<p><b>The levers</b> (left) are the donors' policy. A grey note under a lever says when it has no effect in this scenario (for example enforcement when no aid is conditional). Moving a lever restarts the run from year 0; if it was playing, it keeps playing.</p>
<p><b>Compare</b> runs two settings of one policy choice on many seeds (50 by default): each seed gives both the same luck, so the difference is the policy's. It shows the means with 95% intervals and how the difference is spread over the seeds, and one seed year by year as the detail.</p>
<p><b>Keys</b>: Space plays or pauses, → steps one year. <b>Presenter</b> makes everything larger for a projector. The address bar always holds the scenario, seed and levers: copy it to share exactly this setting. The downloads give the yearly table and the events as CSV.</p>
<p>The model is a teaching and research tool built from published findings, not a forecast: in particular, there is no quantitative evidence on sunset clauses, so what it shows about them are hypotheses to discuss.</p>
"""
