import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from commissioning.core.money import (
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
    format_pounds,
    share_of,
    to_money,
)


@pytest.mark.parametrize(
    "raw,expected",
    [(2500, "2500.00"), ("2,500", "2500.00"), ("£2,500.50", "2500.50"), (" 7.5 ", "7.50")],
)
def test_to_money_accepts_what_people_write(raw, expected):
    assert str(to_money(raw)) == expected


@pytest.mark.parametrize("raw", [2500.5, "2500.505", "abc", "", None, "NaN", True])
def test_to_money_refuses_floats_and_nonsense(raw):
    with pytest.raises(ValueError):
        to_money(raw)


@given(
    amount=st.decimals(min_value=0, max_value=Decimal("1e9"), places=2),
    denominator=st.integers(min_value=1, max_value=12),
)
def test_shares_are_to_the_penny_and_add_up_within_rounding(amount, denominator):
    parts = [share_of(amount, 1, denominator) for _ in range(denominator)]
    assert all(p == p.quantize(Decimal("0.01")) for p in parts)
    assert abs(sum(parts) - amount) <= Decimal("0.005") * denominator


@given(day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_day_falls_in_its_financial_year(day):
    start, end = financial_year_bounds(financial_year_of(day))
    assert start <= day <= end


def test_financial_year_edges_and_labels():
    assert financial_year_of(dt.date(2026, 3, 31)) == 2025
    assert financial_year_of(dt.date(2026, 4, 1)) == 2026
    assert financial_year_label(2025) == "2025/26"
    assert financial_year_label(2099) == "2099/00"


def test_format_pounds():
    assert format_pounds(Decimal("2500")) == "£2,500"
    assert format_pounds(Decimal("2500.5")) == "£2,500.50"


@pytest.mark.parametrize("raw", ["1e5", "1E5", "2.5e3", "£1e5", Decimal("1E+5")])
def test_to_money_refuses_exponent_notation(raw):
    """Issue 7 item 4: 1e5 was saved as £100,000."""
    with pytest.raises(ValueError):
        to_money(raw)


@pytest.mark.parametrize("raw", ["1e5", "1E+5", "9e9", "10000000000", "99999999999.99"])
def test_money_fields_refuse_exponents_and_amounts_the_database_cannot_hold(raw):
    from commissioning.core.forms import MoneyField

    with pytest.raises(forms.ValidationError):
        MoneyField().clean(raw)


def test_money_fields_take_the_largest_amount_the_database_holds():
    from commissioning.core.forms import MoneyField

    assert MoneyField().clean("9,999,999,999.99") == Decimal("9999999999.99")
