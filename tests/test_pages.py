"""Public and staff pages: the office list, an office's plan and funds, the staff home."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.models import Role
from commissioning.offices.packs import load_pack
from tests.accounts.factories import sign_in, staff_user
from tests.conftest import PACKS

pytestmark = pytest.mark.django_db


def test_home_lists_offices(client, office, other_office):
    page = client.get("/")
    assert page.status_code == 200
    assert office.name.encode() in page.content
    assert other_office.name.encode() in page.content


def test_office_page_shows_priorities_and_this_years_budget(client, office, time_machine):
    time_machine.move_to("2026-11-23 12:00 +00:00")
    page = client.get(f"/{office.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Reduce antisocial behaviour" in html
    assert "Respond swiftly to reports of ASB" in html
    assert "Community Fund" in html
    assert "2026/27" in html
    assert "£50,000" in html
    assert "£250 to £2,500" in html


def test_office_page_in_an_earlier_year_shows_top_slices(client, office, time_machine):
    time_machine.move_to("2025-06-01 12:00 +01:00")
    html = client.get(f"/{office.slug}/").content.decode()
    assert "2025/26" in html
    assert "£30,000" in html and "£10,000" in html and "£20,000" in html


def test_unknown_office_is_a_plain_404(client, db):
    page = client.get("/no-such-office/")
    assert page.status_code == 404
    assert b"Page not found" in page.content


def test_office_page_query_count_does_not_grow_with_funds(
    client, db, django_assert_max_num_queries
):
    for path in PACKS:
        load_pack(path)
    for slug in ("cumbria", "essex", "cambridgeshire"):
        with django_assert_max_num_queries(9):  # one more: every year's budgets
            assert client.get(f"/{slug}/").status_code == 200


def test_staff_home_query_count_is_constant(client, office, other_office):
    user = staff_user(office, Role.OFFICE_ADMIN)
    for role in (Role.COMMISSIONER, Role.PANEL_MEMBER):
        from commissioning.accounts.services import membership_grant

        membership_grant(user=user, office=other_office, role=role)
    sign_in(client, user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/staff/")
    assert page.status_code == 200
    assert len(queries) <= 16  # plans and every year's budgets: two queries, not per office
    html = page.content.decode()
    assert "Open office set-up" in html
    assert "Decisions to sign" in html and "Panels" in html
    assert "settings to confirm" in html


def test_security_headers(client, office):
    response = client.get(f"/{office.slug}/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_outbox_only_exists_in_the_demo(client, settings, db):
    settings.DEMO_MODE = False
    assert client.get("/demo/outbox/").status_code == 404
    settings.DEMO_MODE = True
    assert client.get("/demo/outbox/").status_code == 200


REMOTE = {"REMOTE_ADDR": "203.0.113.7"}
OUTBOX_LINK = 'href="/demo/outbox/"'


def test_the_demo_outbox_is_for_this_machine_or_signed_in_staff(client, settings, office):
    """Issue 7 item 9: it holds one-time endorsement links and people's names."""
    from commissioning.core.models import OutboxMessage
    from tests.accounts.factories import UserFactory

    settings.DEMO_MODE = True
    OutboxMessage.objects.create(
        from_email="a@example.org", to="jo@example.org", subject="Endorse", body="Secret link"
    )
    # A visitor from elsewhere: no outbox, and no link to it.
    assert client.get("/demo/outbox/", **REMOTE).status_code == 404
    assert OUTBOX_LINK not in client.get("/", **REMOTE).content.decode()
    # Forwarding headers never make a request local, nor a local one through a proxy.
    spoofed = {**REMOTE, "HTTP_X_FORWARDED_FOR": "127.0.0.1"}
    assert client.get("/demo/outbox/", **spoofed).status_code == 404
    proxied = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert client.get("/demo/outbox/", **proxied).status_code == 404
    # A signed-in applicant from elsewhere: still no.
    sign_in(client, UserFactory())
    assert client.get("/demo/outbox/", **REMOTE).status_code == 404
    # Signed-in staff, from anywhere.
    sign_in(client, staff_user(office))
    page = client.get("/demo/outbox/", **REMOTE)
    assert page.status_code == 200 and "Secret link" in page.content.decode()
    assert OUTBOX_LINK in client.get("/", **REMOTE).content.decode()
    client.logout()
    # The machine running the demo.
    for address in ("127.0.0.1", "::1"):
        assert client.get("/demo/outbox/", REMOTE_ADDR=address).status_code == 200
    assert OUTBOX_LINK in client.get("/", REMOTE_ADDR="127.0.0.1").content.decode()
    # Never behind a proxy, where every request comes from the loopback address.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/demo/outbox/", REMOTE_ADDR="127.0.0.1").status_code == 404
    # And never outside the demo, even for staff.
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.DEMO_MODE = False
    sign_in(client, staff_user(office, full_name="Another Officer"))
    assert client.get("/demo/outbox/").status_code == 404
    assert OUTBOX_LINK not in client.get("/").content.decode()


# Issue 9, item 8: every year's budgets side by side, forecasts marked.


def _budget_years_table(html: str) -> str:
    start = html.index("Budgets by financial year")
    return html[start : html.index("</table>", start)]


def test_office_page_shows_every_years_budgets_side_by_side(client, office, time_machine):
    time_machine.move_to("2025-06-01 12:00 +01:00")
    table = _budget_years_table(client.get(f"/{office.slug}/").content.decode())
    assert table.index("2025/26") < table.index("2026/27")
    assert "£30,000" in table and "£50,000" in table


def test_cleveland_forecasts_are_shown_and_marked_on_the_office_page_and_staff_home(
    client, db, django_assert_max_num_queries
):
    for path in PACKS:
        load_pack(path)
    html = client.get("/cleveland/").content.decode()
    table = _budget_years_table(html)
    for label in ("2022/23", "2023/24", "2024/25", "2025/26", "2026/27"):
        assert f">{label}</th>" in table
    assert "£1,695,000" in table and "£1,210,000" in table and "£1,270,000" in table
    assert table.count("forecast") == 8  # two funds' four forecast years; 2026/27 is set
    from commissioning.offices.models import Office

    officer = staff_user(Office.objects.get(slug="cleveland"), Role.COMMISSIONING_OFFICER)
    sign_in(client, officer)
    staff = _budget_years_table(client.get("/staff/").content.decode())
    assert "£1,695,000" in staff and staff.count("forecast") == 8


def test_budget_years_cost_the_same_queries_however_many_years(client, office, time_machine):
    from commissioning.offices.models import Budget

    time_machine.move_to("2026-06-01 12:00 +01:00")
    user = staff_user(office, Role.COMMISSIONING_OFFICER)
    sign_in(client, user)

    def counts():
        with CaptureQueriesContext(connection) as public:
            client.get(f"/{office.slug}/")
        with CaptureQueriesContext(connection) as staff:
            client.get("/staff/")
        return len(public), len(staff)

    before = counts()
    fund = office.funds.get(code="CF")
    for year in (2028, 2029, 2030):  # the test pack has 2026 and a 2027 forecast
        Budget.objects.create(fund=fund, financial_year=year, allocation=1000, is_forecast=True)
    assert counts() == before


# Issue 9, item 14: a plan whose period has ended is not shown as current.


def test_an_ended_plan_says_so_in_public_and_warns_the_staff(client, office, time_machine):
    time_machine.move_to("2028-06-01 12:00 +01:00")  # the test plan ran to 31 March 2028
    html = client.get(f"/{office.slug}/").content.decode()
    assert "Police and Crime Plan 2024 to 2028 (the period has ended)" in html
    sign_in(client, staff_user(office, Role.COMMISSIONING_OFFICER))
    staff = client.get("/staff/").content.decode()
    assert "Police and Crime Plan 2024 to 2028 ended on 31 March 2028" in staff
    assert "Load the current Police and Crime Plan" in staff


def test_a_current_plan_carries_no_warning(client, office, time_machine):
    time_machine.move_to("2026-06-01 12:00 +01:00")
    html = client.get(f"/{office.slug}/").content.decode()
    assert "Police and Crime Plan 2024 to 2028" in html
    assert "the period has ended" not in html
    sign_in(client, staff_user(office, Role.COMMISSIONING_OFFICER))
    assert "Load the current Police and Crime Plan" not in client.get("/staff/").content.decode()
