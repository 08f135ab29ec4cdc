"""AG3: payment schedules split an award into instalments to the penny."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from commissioning.awards.payments.rules import plan, split_pence

AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000000"), places=2)
SCHEDULES = st.one_of(
    st.just({"kind": "upfront"}),
    st.builds(lambda n: {"kind": "phased", "instalments": n}, st.integers(1, 24)),
    st.builds(lambda n: {"kind": "on_claim", "instalments": n}, st.integers(1, 24)),
    st.builds(
        lambda n: {
            "kind": "in_arrears",
            "returns": [{"key": f"r{i}", "label": f"report {i}"} for i in range(n)],
        },
        st.integers(1, 24),
    ),
)
STARTS = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))


@given(amount=AMOUNTS, parts=st.integers(1, 50))
def test_split_adds_up_exactly_in_pence_and_never_negative(amount, parts):
    shares = split_pence(amount, parts)
    assert sum(shares) == amount
    assert all(s > 0 and s == s.quantize(Decimal("0.01")) for s in shares)
    assert max(shares) - min(shares) <= Decimal("0.01")
    assert len(shares) == min(parts, int(amount * 100))


@given(amount=AMOUNTS, schedule=SCHEDULES, start=STARTS, days=st.integers(0, 5 * 366))
def test_every_schedule_adds_up_to_the_award_with_due_dates_in_the_period(
    amount, schedule, start, days
):
    end = start + dt.timedelta(days=days)
    instalments = plan(amount, start, end, schedule)
    assert sum(i.amount for i in instalments) == amount
    assert all(i.amount > 0 for i in instalments)
    assert all(start <= i.due_on <= end for i in instalments)
    assert [i.sequence for i in instalments] == list(range(1, len(instalments) + 1))
    assert [i.due_on for i in instalments] == sorted(i.due_on for i in instalments)


def test_in_arrears_instalments_name_their_return():
    instalments = plan(
        Decimal("1000.00"),
        dt.date(2026, 4, 1),
        dt.date(2027, 3, 31),
        {
            "kind": "in_arrears",
            "returns": [
                {"key": "mid-year", "label": "the mid-year report"},
                {"key": "year-end", "label": "the year-end report"},
            ],
        },
    )
    assert [(i.amount, i.return_key, i.condition_label) for i in instalments] == [
        (Decimal("500.00"), "mid-year", "the mid-year report accepted"),
        (Decimal("500.00"), "year-end", "the year-end report accepted"),
    ]
    assert instalments[1].due_on == dt.date(2027, 3, 31)


def test_odd_pence_go_to_the_first_instalments():
    assert split_pence(Decimal("100.00"), 3) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
