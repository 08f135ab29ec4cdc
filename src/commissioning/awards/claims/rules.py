"""Pure rules of claims: what remains unclaimed of an award, whether the lines add up, whether
a period lies inside the award. No database access here."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from commissioning.core.money import PENNY

ZERO = Decimal("0.00")


def claimed_total(counted: Iterable[Decimal | None]) -> Decimal:
    """The sum of what claims take from an award (None for a draft or a returned claim)."""
    return sum((Decimal(c).quantize(PENNY) for c in counted if c is not None), ZERO)


def unclaimed(award_amount: Decimal, counted: Iterable[Decimal | None]) -> Decimal:
    """What remains of the award to claim, to the penny, never below nothing: the award less
    what approved claims were approved for and what submitted claims ask for."""
    left = Decimal(award_amount).quantize(PENNY) - claimed_total(counted)
    return max(left, ZERO)


def lines_total(amounts: Iterable[Decimal]) -> Decimal:
    return sum((Decimal(a).quantize(PENNY) for a in amounts), ZERO)


def period_inside(
    start: dt.date, end: dt.date, *, award_start: dt.date, award_end: dt.date
) -> bool:
    return award_start <= start <= end <= award_end
