"""Decision support on the sweep store: scenario discovery and robust policy search.

* :mod:`.roles` -- which factors are levers (policy choices) and which are uncertainties.
* :mod:`.discover` -- where does an outcome occur? PRIM boxes and CART leaves over the factors
  (Bryant & Lempert 2010), with feature scores (extra trees).
* :mod:`.robustness` -- robustness metrics of a policy over an ensemble of futures
  (McPhail et al. 2018): mean, percentile, regret, satisficing share.
* :mod:`.optimize` -- many-objective robust search over the levers (NSGA-II/III, pymoo),
  every evaluation a stored, resumable sweep.

See ``docs/decision-support.md``.
"""

from __future__ import annotations
