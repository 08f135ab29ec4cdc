"""Money and financial years. Money is Decimal pounds with pence; a financial year is named by
the calendar year in which it starts (FY 2025 runs 1 April 2025 to 31 March 2026)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
# The largest amount the database holds (max_digits=12, decimal_places=2).
MAX_MONEY = Decimal("9999999999.99")


def to_money(value) -> Decimal:
    """Parse pounds (int, Decimal or text such as '2,500' or '£2,500.50') to a Decimal in pence.

    Floats are refused: they cannot hold pence exactly. So is exponent notation (1e5): nobody
    writes money that way, and it hides how large the amount is.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError("Write money as whole pounds or as text with pence, for example 2500.50.")
    if isinstance(value, str):
        value = value.strip().replace(",", "").removeprefix("£")
        if "e" in value.lower():
            raise ValueError(f"'{value}' is not an amount of money; write it like 2500.50.")
    if isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent > 0:
        raise ValueError(f"'{value}' is not an amount of money; write it like 2500.50.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"'{value}' is not an amount of money.") from exc
    if not amount.is_finite():
        raise ValueError(f"'{value}' is not an amount of money.")
    if amount != amount.quantize(PENNY):
        raise ValueError(f"'{value}' has more than two decimal places; give pounds and pence.")
    return amount.quantize(PENNY)


def share_of(amount: Decimal, numerator: int, denominator: int) -> Decimal:
    """A fraction of an amount, rounded half-up to the penny."""
    return (amount * numerator / denominator).quantize(PENNY, rounding=ROUND_HALF_UP)


def financial_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def format_pounds(amount: Decimal) -> str:
    """£2,500 for whole pounds, £2,500.50 otherwise."""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"
