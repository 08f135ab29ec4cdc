"""Monitoring schedules from each seed office's rules (MO1), table-driven over the five packs,
at the edge amounts; and the schedule made with the award, kept when the pack changes."""

import datetime as dt
from decimal import Decimal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from commissioning.awards.rules import add_months
from commissioning.monitoring.rules import (
    AwardFacts,
    award_form_of,
    is_victims_service,
    monitoring_schedule,
)
from tests.conftest import PACKS

SEEDS = {p.stem: yaml.safe_load(p.read_text()) for p in PACKS}
APRIL = dt.date(2026, 4, 1)


def facts(office: str, fund: str, amount="5000", start=APRIL, months=12, end=None, pilot=False):
    pack = SEEDS[office]
    monitoring = pack["policy"]["monitoring"]
    sources = {s["code"]: s["kind"] for s in pack["funding_sources"]}
    spec = next(f for f in pack["funds"] if f["code"] == fund)
    end = end or add_months(start, months) - dt.timedelta(days=1)
    return (
        AwardFacts(
            amount=Decimal(amount),
            starts_on=start,
            ends_on=end,
            fund_code=fund,
            award_form=award_form_of(fund_kind=spec["kind"], fund_code=fund, monitoring=monitoring),
            victims_services=is_victims_service(
                fund_code=fund,
                source_kinds=[sources[c] for c in spec.get("funding_sources", [])],
                monitoring=monitoring,
            ),
            is_pilot=pilot,
            pilot_evaluation_required=bool(spec.get("pilot", {}).get("evaluation_required")),
        ),
        monitoring,
    )


def kinds(schedule):
    return [r.kind for r in schedule.returns]


def meeting_gaps(schedule, start):
    days = [start - dt.timedelta(days=1), *(m.due_on for m in schedule.meetings)]
    return [(b - a).days for a, b in zip(days, days[1:], strict=False)]


# Cambridgeshire: every recipient at least six-monthly returns; over GBP 10,000 six-monthly
# meetings; victims' services (over GBP 10,000) three-monthly meetings.
@pytest.mark.parametrize(
    ("fund", "amount", "returns_every", "meetings_every", "meetings"),
    [
        ("CF", "500", 6, None, 0),
        ("CF", "10000.00", 6, None, 0),
        ("CF", "10000.01", 6, 6, 2),
        ("VS", "10000.00", 6, None, 0),
        ("VS", "10000.01", 6, 3, 4),
    ],
)
def test_cambridgeshire_returns_and_meetings(fund, amount, returns_every, meetings_every, meetings):
    """MO1, CAM REVIEW: at the edge amounts, for a year's award."""
    schedule = monitoring_schedule(*facts("cambridgeshire", fund, amount))
    assert schedule.requirement.returns_every_months == returns_every
    assert schedule.requirement.meetings_every_months == meetings_every
    assert len(schedule.returns) == 2
    assert len(schedule.meetings) == meetings


@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500000"), places=2),
    start=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31)),
    months=st.integers(min_value=1, max_value=60),
    fund=st.sampled_from(["CF", "VS", "CDRF"]),
)
def test_cambridgeshire_every_recipient_returns_at_least_every_six_months(
    amount, start, months, fund
):
    """MO1: no period without a return is longer than six months, the last return covers the
    award's end, and meetings come as often as the value and the service ask."""
    f, monitoring = facts("cambridgeshire", fund, str(amount), start=start, months=months)
    schedule = monitoring_schedule(f, monitoring)
    returns = schedule.returns
    assert returns[0].period_start == f.starts_on and returns[-1].period_end == f.ends_on
    for earlier, later in zip(returns, returns[1:], strict=False):
        assert later.period_start == earlier.period_end + dt.timedelta(days=1)
    for r in returns:
        assert (r.period_end - r.period_start).days < 184  # six months at the longest
        assert r.due_on == r.period_end + dt.timedelta(days=14)
    if amount <= Decimal("10000"):
        assert schedule.meetings == ()
    else:
        every = 3 if f.victims_services else 6
        assert schedule.meetings[-1].due_on == f.ends_on
        assert max(meeting_gaps(schedule, f.starts_on)) <= 31 * every


@pytest.mark.parametrize(
    ("fund", "months", "expected"),
    [
        ("CSDF", 12, ["mid_year", "end_of_year"]),
        ("CSDF", 24, ["mid_year", "end_of_year", "mid_year", "end_of_year"]),
        ("CSDF", 9, ["mid_year", "end_of_year"]),
        ("VF", 12, ["quarterly"] * 4),
    ],
)
def test_essex_grants_mid_and_end_of_year_contracts_quarterly(fund, months, expected):
    """MO1, ESX 4.13: grants report mid-year and end-of-year; contracts quarterly."""
    f, monitoring = facts("essex", fund, "15000", months=months)
    assert f.award_form == ("contract" if fund == "VF" else "grant")
    assert kinds(monitoring_schedule(f, monitoring)) == expected


def test_lancashire_quarterly_reports_and_a_year_end_assessment():
    """MO1, LAN Stage 4: four quarterly reports and the Year End Assessment after 31 March."""
    schedule = monitoring_schedule(*facts("lancashire", "PG", "8000"))
    assert kinds(schedule) == ["quarterly"] * 4 + ["year_end_assessment"]
    assessment = schedule.returns[-1]
    assert assessment.period_end == dt.date(2027, 3, 31)


def test_lancashire_year_end_assessment_comes_earlier_when_the_project_ends_early():
    """LAN Stage 4: a project finishing in December is assessed at its end, not in April."""
    schedule = monitoring_schedule(*facts("lancashire", "PG", end=dt.date(2026, 12, 31)))
    assessment = next(r for r in schedule.returns if r.kind == "year_end_assessment")
    assert assessment.period_end == dt.date(2026, 12, 31)
    assert assessment.due_on == dt.date(2027, 1, 14)


def test_lancashire_assesses_each_financial_year_of_a_longer_award():
    start = dt.date(2026, 10, 1)
    schedule = monitoring_schedule(*facts("lancashire", "CS", start=start, months=12))
    assessments = [r for r in schedule.returns if r.kind == "year_end_assessment"]
    assert [(a.period_start, a.period_end) for a in assessments] == [
        (start, dt.date(2027, 3, 31)),
        (dt.date(2027, 4, 1), dt.date(2027, 9, 30)),
    ]


@pytest.mark.parametrize(
    ("pilot", "last"), [(True, "pilot_evaluation"), (False, "end_of_award_evaluation")]
)
def test_cumbria_pilot_ends_in_a_pilot_evaluation(pilot, last):
    """MO5, CUM: a pilot is evaluated at its end; other awards are reviewed against outcomes."""
    schedule = monitoring_schedule(*facts("cumbria", "CF", "2000", pilot=pilot))
    assert kinds(schedule) == ["return", "return", last]
    assert schedule.returns[-1].period_end == dt.date(2027, 3, 31)


def test_cumbria_victims_services_report_quarterly():
    f, monitoring = facts("cumbria", "VSG", "4000")
    assert f.victims_services
    assert kinds(monitoring_schedule(f, monitoring))[:4] == ["return"] * 4


@pytest.mark.parametrize(
    ("fund", "expected"),
    [
        ("CSF", ["return", "end_of_year"]),
        ("VWS", ["quarterly"] * 4),
    ],
)
def test_cleveland_grants_six_monthly_victims_and_contracts_quarterly(fund, expected):
    """MO1, Cleveland's seed: grants six-monthly with an end-of-year report; the victims' and
    witnesses' contracts quarterly."""
    assert kinds(monitoring_schedule(*facts("cleveland", fund, "20000"))) == expected


def test_the_pack_can_name_its_victims_and_contract_funds():
    monitoring = {"rules": [], "victims_fund_codes": ["A"], "contract_fund_codes": ["B"]}
    assert is_victims_service(fund_code="A", source_kinds=[], monitoring=monitoring)
    assert not is_victims_service(
        fund_code="B", source_kinds=["moj_victims"], monitoring=monitoring
    )
    assert award_form_of(fund_kind="open_grant", fund_code="B", monitoring=monitoring) == "contract"
    assert (
        award_form_of(fund_kind="commissioned_services", fund_code="A", monitoring=monitoring)
        == "grant"
    )
