"""The classroom dashboard (Solara): pick a scenario, move the policy levers, press play.

Start it with ``deterrence-sim dashboard`` (or ``solara run deterrence_sim.dashboard.app``). This
package's ``__init__`` stays light on purpose: the CLI imports ``deterrence_sim.dashboard.cli`` on
every command, and Solara, ipywidgets and matplotlib are only imported by ``app`` and ``plots``.
Data preparation (pure functions, no widgets) lives in :mod:`deterrence_sim.dashboard.data`.
"""
