"""Staff pages for awards and budgets (issue 10, item 8): office staff only, filters checked,
constant queries, every figure of a budget with its chart, table and CSV."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.models import Role
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import member_of
from tests.awards.factories import award_by_decision

pytestmark = pytest.mark.django_db

YEAR_2026 = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2027, 3, 31)}


@pytest.fixture
def awards(office, officer, round_, signatories):
    return award_by_decision(
        office, officer, round_, signatories, amounts=("1500", "2500"), **YEAR_2026
    )


def url(office, path=""):
    return f"/staff/{office.slug}/{path}"


def test_the_awards_list_shows_the_offices_awards(client, office, officer, awards):
    sign_in(client, officer)
    page = client.get(url(office, "awards/"))
    html = page.content.decode()
    assert page.status_code == 200
    for award in awards:
        assert award.reference in html and award.organisation.name in html
    assert "2 awards" in html


def test_the_awards_list_filters_by_fund_status_year_and_text(client, office, officer, awards):
    sign_in(client, officer)
    first = awards[0]
    page = client.get(url(office, "awards/"), {"q": first.reference, "status": "offered"})
    assert "1 award" in page.content.decode()
    assert first.reference in page.content.decode()
    page = client.get(url(office, "awards/"), {"fund": "CF", "year": "2026"})
    assert "2 awards" in page.content.decode()
    page = client.get(url(office, "awards/"), {"year": "2025"})
    assert "0 awards" in page.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"status": "paid-twice"}, "Choose a status from the list."),
        ({"fund": "NOPE"}, "Choose a fund from the list."),
        ({"year": "soon"}, "Choose a financial year from the list."),
        ({"year": "1999"}, "Choose a financial year from the list."),
        ({"page": "x"}, "The page must be a whole number."),
        ({"page": "0"}, "The page must be 1 or more."),
        ({"q": "x" * 101}, "Ensure this value has at most 100 characters"),
    ],
)
def test_bad_filters_get_a_clear_message_not_a_server_error(
    client, office, officer, awards, query, message
):
    sign_in(client, officer)
    page = client.get(url(office, "awards/"), query)
    assert page.status_code == 400
    html = page.content.decode()
    assert "There is a problem" in html and message in html


def test_a_page_past_the_end_shows_the_last_page(client, office, officer, awards):
    sign_in(client, officer)
    page = client.get(url(office, "awards/"), {"page": "99"})
    assert page.status_code == 200 and awards[0].reference in page.content.decode()


def test_the_awards_list_costs_the_same_queries_for_more_awards(
    client, office, officer, round_, signatories, django_assert_num_queries
):
    award_by_decision(office, officer, round_, signatories, amounts=("1000",), **YEAR_2026)
    sign_in(client, officer)
    client.get(url(office, "awards/"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(url(office, "awards/"), {"fund": "CF"})
    award_by_decision(
        office, officer, round_, signatories, amounts=("1000", "1200", "1300"), **YEAR_2026
    )
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url(office, "awards/"), {"fund": "CF"})
    assert "4 awards" in page.content.decode()


def test_the_award_page_shows_details_ledger_and_history(client, office, officer, awards):
    award = awards[1]
    sign_in(client, officer)
    page = client.get(url(office, f"awards/{award.reference}/"))
    html = page.content.decode()
    assert page.status_code == 200
    assert award.title in html and award.decision.number in html
    assert "£2,500" in html and "2026/27" in html
    assert "Commitment" in html and "Ledger entries" in html
    assert "Offered" in html and f"Made by decision {award.decision.number}" in html


def test_the_budget_page_gives_every_figure_with_a_chart_and_its_table(
    client, office, officer, awards
):
    sign_in(client, officer)
    page = client.get(url(office, "budgets/CF/2026/"))
    html = page.content.decode()
    assert page.status_code == 200
    for label in ("Allocated", "Top-sliced", "Committed", "Released", "Paid", "Remaining"):
        assert label in html
    assert "£50,000" in html and "£4,000" in html and "£46,000" in html
    # The forecast year beside the current one, and the year before.
    assert "2027/28" in html and "(forecast)" in html and "2025/26" in html
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">' in html and '<desc id="chart-desc">' in html
    assert "Figures by financial year" in html
    index = client.get(url(office, "budgets/"))
    assert index.status_code == 200 and "Community Fund, 2026/27" in index.content.decode()


def test_the_budget_csv_has_the_figures_of_every_year(client, office, officer, awards):
    sign_in(client, officer)
    response = client.get(url(office, "budgets/CF/2026/ledger.csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_year = {row["financial_year"]: row for row in rows}
    assert set(by_year) == {"2025/26", "2026/27", "2027/28"}
    assert by_year["2026/27"]["allocated"] == "50000.00"
    assert by_year["2026/27"]["committed"] == "4000.00"
    assert by_year["2026/27"]["remaining"] == "46000.00"
    assert by_year["2025/26"]["top_sliced"] == "10000.00"
    assert by_year["2027/28"]["forecast"] == "yes"


@pytest.mark.parametrize(
    "path",
    ["awards/", "awards/{ref}/", "budgets/", "budgets/CF/2026/", "budgets/CF/2026/ledger.csv"],
)
def test_another_offices_staff_and_applicants_get_not_found(
    client, office, other_office, awards, path
):
    path = path.format(ref=awards[0].reference)
    outsider = staff_user(other_office, Role.COMMISSIONING_OFFICER)
    sign_in(client, outsider)
    assert client.get(url(office, path)).status_code == 404
    panel = staff_user(office, Role.PANEL_MEMBER)
    sign_in(client, panel)
    assert client.get(url(office, path)).status_code == 404
    applicant = member_of(awards[0].organisation)
    sign_in(client, applicant)
    assert client.get(url(office, path)).status_code == 404
    client.logout()
    assert client.get(url(office, path)).status_code == 302


def test_missing_awards_and_budgets_are_not_found(client, office, officer, awards):
    sign_in(client, officer)
    assert client.get(url(office, "awards/TST-CF-1999-0001/")).status_code == 404
    assert client.get(url(office, "budgets/CF/1999/")).status_code == 404
    assert client.get(url(office, "budgets/NOPE/2026/")).status_code == 404


def test_the_staff_home_links_to_awards_and_budgets(client, office, officer):
    sign_in(client, officer)
    html = client.get("/staff/").content.decode()
    assert f'href="/staff/{office.slug}/awards/"' in html
    assert f'href="/staff/{office.slug}/budgets/"' in html
    panel = staff_user(office, Role.PANEL_MEMBER)
    sign_in(client, panel)
    assert f"/staff/{office.slug}/awards/" not in client.get("/staff/").content.decode()


def test_signing_past_the_budget_shows_the_refusal_on_the_decision_page(
    client, office, officer, round_, signatories
):
    from commissioning.decisions.services import decision_sign, decision_submit_for_signature
    from commissioning.offices.models import Budget
    from tests.decisions.conftest import approve, draft, recommended

    Budget.objects.filter(fund__office=office, fund__code="CF", financial_year=2026).update(
        allocation=1000
    )
    application = recommended(round_, amount="2400", **YEAR_2026)
    decision = draft(office, officer, [approve(application)])
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    *first, last = decision.required_roles
    for role in first:
        decision_sign(decision=decision, signatory=signatories[role], mfa_verified=True)
    sign_in(client, signatories[last])
    response = client.post(url(office, f"decisions/{decision.slug}/sign/"), follow=True)
    html = response.content.decode()
    assert (
        "£2,400.00 is more than the £1,000.00 that remains in the Community Fund for 2026/27"
        in (html)
    )
    decision.refresh_from_db()
    assert decision.status == "awaiting_signatures"


def test_the_budget_and_award_pages_cost_the_same_queries_for_more_entries(
    client, office, officer, awards, django_assert_num_queries
):
    from commissioning.awards.services import ledger_commit
    from commissioning.offices.models import Budget

    sign_in(client, officer)
    award = awards[0]
    budget_path = url(office, "budgets/CF/2026/")
    award_path = url(office, f"awards/{award.reference}/")
    client.get(budget_path)
    with CaptureQueriesContext(connection) as budget_page:
        client.get(budget_path)
    with CaptureQueriesContext(connection) as award_page:
        client.get(award_path)
    budget = Budget.objects.get(fund__office=office, fund__code="CF", financial_year=2026)
    for _ in range(3):
        ledger_commit(budget=budget, amount="10", actor=officer, reason="More", award=award)
    with django_assert_num_queries(len(budget_page.captured_queries)):
        client.get(budget_path)
    with django_assert_num_queries(len(award_page.captured_queries)):
        client.get(award_path)
