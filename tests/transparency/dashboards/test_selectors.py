"""Dashboard figures (TR4) equal the budget ledger's for the same funds and years; the public
version counts published awards only and suppresses small numbers."""

from decimal import Decimal

import pytest

from commissioning.awards.selectors import balances_for, budget_rows
from commissioning.transparency.dashboards.selectors import Filters, dashboard
from tests.transparency.dashboards.factories import TODAY, funded_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(office, officer, round_, signatories):
    return funded_office(office, officer, round_, signatories)


def _numbers(chart, series=0):
    return {row.label: row.values[series] for row in chart.rows}


def test_staff_figures_equal_the_ledger_for_the_same_period(office, funded):
    fund = office.funds.get(code="CF")
    board = dashboard(office, Filters(fund=fund, year=2026), public=False, today=TODAY)
    (budget,) = budget_rows(office, fund=fund).filter(financial_year=2026)
    balance = balances_for([budget])[budget.pk]
    spend = board.charts["spend"].rows
    assert [r.values for r in spend] == [[balance.available, balance.net_committed, balance.paid]]
    assert balance.net_committed == Decimal("4000.00")
    assert board.summary["committed"] == balance.net_committed
    # Money by area and by priority adds up to the ledger's commitment, to the penny.
    assert sum(_numbers(board.charts["areas"]).values()) == balance.net_committed
    assert sum(_numbers(board.charts["priorities"]).values()) == balance.net_committed


def test_every_year_adds_up_to_every_budget(office, funded):
    board = dashboard(office, Filters(), public=False, today=TODAY)
    balances = balances_for(budget_rows(office))
    assert board.summary["committed"] == sum(b.net_committed for b in balances.values())
    assert board.summary["available"] == sum(b.available for b in balances.values())


def test_an_award_serving_two_areas_is_shared_and_per_head_uses_population(office, funded):
    board = dashboard(office, Filters(year=2026), public=True, today=TODAY)
    areas = _numbers(board.charts["areas"])
    assert areas == {"North Testshire": Decimal("1250.00"), "Testtown": Decimal("1250.00")}
    per_head = _numbers(board.charts["per-head"])
    assert per_head["North Testshire"] == Decimal("0.01")  # 1,250 / 100,000 people


def test_the_public_version_counts_only_published_awards(office, funded):
    public = dashboard(office, Filters(year=2026), public=True, today=TODAY)
    staff = dashboard(office, Filters(year=2026), public=False, today=TODAY)
    assert public.summary["committed"] == Decimal("2500.00")
    assert staff.summary["committed"] == Decimal("4000.00")
    assert public.summary["awards"] == 1 and staff.summary["awards"] == 2
    assert _numbers(public.charts["pipeline"])["Awarded"] == 1
    assert _numbers(staff.charts["pipeline"])["Awarded"] == 2
    # The budget itself is public: the same allocation either way.
    assert public.summary["available"] == staff.summary["available"]


def test_small_numbers_are_suppressed_in_public_and_shown_to_staff(office, funded):
    public = dashboard(office, Filters(), public=True, today=TODAY)
    staff = dashboard(office, Filters(), public=False, today=TODAY)
    ages = _numbers(public.charts["reach-age-band"])
    assert ages["18 to 24"] == 7
    assert str(ages["25 to 34"]) == "fewer than 5"
    assert _numbers(staff.charts["reach-age-band"])["25 to 34"] == 3
    assert "3" not in public.charts["reach-age-band"].csv().split()
    assert public.summary["people_supported"] == 10


def test_pipeline_compliance_and_outputs(office, funded):
    board = dashboard(office, Filters(), public=False, today=TODAY)
    pipeline = _numbers(board.charts["pipeline"])
    assert pipeline["Applied"] == 2 and pipeline["Recommended"] >= 2
    compliance = _numbers(board.charts["compliance"])
    assert sum(compliance.values()) >= 1
    outputs = board.charts["outputs"].rows
    # Two awards of 50 patrols each; the accepted return reports 12.
    assert outputs[0].values == [100, 12]


def test_the_dashboard_costs_a_constant_number_of_queries(
    office, funded, django_assert_max_num_queries
):
    office.refresh_from_db()
    with django_assert_max_num_queries(16):
        dashboard(office, Filters(), public=True, today=TODAY)


def test_awards_of_decisions_the_pack_never_publishes_are_public(office, funded):
    from commissioning.offices.models import OfficePolicy

    publication = {**office.policy.publication, "decisions_published_over": "2000"}
    OfficePolicy.objects.filter(office=office).update(publication=publication)
    office.refresh_from_db()
    office.policy.refresh_from_db()
    public = dashboard(office, Filters(year=2026), public=True, today=TODAY)
    # The GBP 1,500 award's decision is under the threshold: on the register, so counted.
    assert public.summary["committed"] == Decimal("4000.00")


def test_nothing_is_public_where_the_pack_does_not_publish_awards(office, funded):
    from commissioning.offices.models import OfficePolicy

    publication = {**office.policy.publication, "publish_awards": False}
    OfficePolicy.objects.filter(office=office).update(publication=publication)
    office.policy.refresh_from_db()
    public = dashboard(office, Filters(year=2026), public=True, today=TODAY)
    assert public.summary["committed"] == Decimal("0.00") and public.summary["awards"] == 0
