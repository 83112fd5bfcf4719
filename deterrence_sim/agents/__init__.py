"""The agents of the model, one class per kind (docs/model.md §2, §7).

- :class:`Donor` delivers aid and chooses: enforce, exit, surge, suspend, renegotiate, intervene.
- :class:`Partner` absorbs aid, trains, sustains, decides on reform and on its own spending.
- :class:`StateAggressor` arms, learns about donors' resolve, attacks, coerces or waits.
- :class:`Insurgency` grows inside its host and attacks; treaties do not deter it.

Ties are a :class:`Program` (aid, perhaps with a commitment) or a :class:`Guarantee` (an
alliance member's commitment without aid). The numbers behind each decision are the small
dataclasses of :mod:`.decisions`, whose fields become the events' details. Units: money and
equipment in $bn, capability in capability points, shares and indices in [0, 1].
"""

from .aggressor import Insurgency, StateAggressor
from .donor import Donor
from .partner import Partner
from .program import COMMITMENT_LEVEL, Guarantee, Program

__all__ = [
    "COMMITMENT_LEVEL",
    "Donor",
    "Guarantee",
    "Insurgency",
    "Partner",
    "Program",
    "StateAggressor",
]
