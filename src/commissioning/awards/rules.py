"""Pure rules of awards and the ledger: an award's period, its financial years and each year's
share of the amount. No database access here."""

import calendar
import datetime as dt
from decimal import Decimal

from commissioning.core.money import financial_year_bounds, financial_year_of, share_of


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def award_period(
    *, starts_on: dt.date | None, ends_on: dt.date | None, decided_on: dt.date, months: int
) -> tuple[dt.date, dt.date]:
    """The application's own dates where it gives them; otherwise from the decision, for the
    fund's default length."""
    start = starts_on or decided_on
    end = ends_on if ends_on and ends_on >= start else None
    if end is None:
        end = add_months(start, max(months, 1)) - dt.timedelta(days=1)
    return start, end


def year_shares(amount: Decimal, starts_on: dt.date, ends_on: dt.date) -> list[tuple[int, Decimal]]:
    """Each financial year's share of an award, in proportion to the days of the award in
    it, to the penny; the last year takes what rounding leaves, so the shares add up exactly.
    Years whose share rounds to nothing are left out."""
    total_days = (ends_on - starts_on).days + 1
    first, last = financial_year_of(starts_on), financial_year_of(ends_on)
    shares: list[tuple[int, Decimal]] = []
    given = Decimal("0.00")
    for year in range(first, last + 1):
        if year == last:
            share = amount - given
        else:
            year_start, year_end = financial_year_bounds(year)
            days = (min(ends_on, year_end) - max(starts_on, year_start)).days + 1
            share = share_of(amount, days, total_days)
        given += share
        if share > 0:
            shares.append((year, share))
    return shares


def money_exact(amount: Decimal) -> str:
    """£12,000.00: pounds and pence, as a ledger refusal gives them."""
    return f"£{Decimal(amount):,.2f}"
