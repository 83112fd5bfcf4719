"""The classroom dashboard: a Solara page over :class:`~deterrence_sim.DeterrenceModel`.

Serve it with ``deterrence-sim dashboard`` or ``solara run deterrence_sim.dashboard.app``.

Imports run one way: :mod:`.state` (the session's reactive state and its actions) ← :mod:`.views`
and :mod:`.compare_view` (the components) ← :mod:`.page` (the page, its error boundary and the
link) ← this module (what the server needs: ``Page`` and the plotly.js assets). Data preparation is
in :mod:`.data`, the charts in :mod:`.charts`, the "Why?" texts in :mod:`.explain`, the levers in
:mod:`.levers` and the comparisons in :mod:`.compare`.

Why a custom Solara page rather than Mesa's ``SolaraViz``: the dashboard needs a scenario picker
whose choice re-initialises every lever, levers that map to dotted scenario overrides, a link that
restores them, a many-seed comparison and a help tab; SolaraViz's single model-parameter panel
fits none of these, and its reset rebuilds models from keyword arguments only.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from .page import Page

__all__ = ["Page", "page"]

# Solara warns on every page load over plain http on a non-localhost name (13 lines about
# samesite cookies, aimed at iframe embedding): irrelevant in a classroom, and it buries the log.
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")


def _serve_plotly_js() -> None:
    # plotly.js ships inside the plotly package; Solara's documented ``assets.extra_locations``
    # serves that folder at /static/assets/, so the charts work offline.
    import plotly
    from solara.server import settings

    folder = str(Path(plotly.__file__).parent / "package_data")
    if folder not in settings.assets.extra_locations:
        settings.assets.extra_locations.append(folder)


_serve_plotly_js()

#: Alias: some tools look for a lower-case ``page``.
page = Page
