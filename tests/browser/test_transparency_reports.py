"""Issue 12 in Chromium: the public dashboard and the auditor's audit log and a record's
history pass axe. One office's data, made with the services."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from commissioning.accounts.models import Role
from tests.accounts.factories import sign_in, staff_user
from tests.browser.axe import check_page
from tests.decisions.conftest import (  # noqa: F401 - fixtures shared with the decision tests
    _letters_storage,
    officer,
    round_,
    signatories,
)
from tests.transparency.dashboards.factories import funded_office

pytestmark = pytest.mark.django_db(transaction=True)


def _session_of(page, base, user) -> None:
    client = Client()
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )


def test_public_dashboard_and_audit_log(live_server, page, artifacts, office, request):
    fixtures = [request.getfixturevalue(n) for n in ("officer", "round_", "signatories")]
    funded = funded_office(office, *fixtures)
    base = live_server.url
    page.goto(f"{base}/{office.slug}/dashboard/")
    assert page.locator("svg[role=img]").count() >= 8
    assert "fewer than 5" in page.content()
    check_page(page, artifacts, "transparency-public-dashboard")

    _session_of(page, base, staff_user(office, Role.AUDITOR))
    page.goto(f"{base}/staff/{office.slug}/audit/")
    assert funded.published.reference in page.content()
    check_page(page, artifacts, "transparency-audit-log")
    page.goto(f"{base}/staff/{office.slug}/history/award/{funded.published.reference}/")
    assert "History of" in page.content()
    check_page(page, artifacts, "transparency-record-history")


def test_asking_for_a_report_and_downloading_it(live_server, page, artifacts, office, request):
    """Without JavaScript the page works the same: the form posts, the list says how the
    report is going, and "Refresh the list" reloads it."""
    officer_, round__, signatories_ = (
        request.getfixturevalue(n) for n in ("officer", "round_", "signatories")
    )
    funded = funded_office(office, officer_, round__, signatories_)
    base = live_server.url
    _session_of(page, base, officer_)
    page.goto(f"{base}/staff/{office.slug}/reports/")
    assert "No reports have been asked for yet." in page.content()
    check_page(page, artifacts, "transparency-reports")
    page.get_by_label("Police and Crime Panel report").check()
    page.get_by_label("Financial year").select_option("2026")
    page.get_by_label("Spreadsheet (XLSX)").check()
    page.get_by_role("button", name="Make the report").click()
    assert "Your report is being made." in page.content()
    page.get_by_role("link", name="Refresh the list").click()
    expect(page.locator("strong.govuk-tag", has_text="Ready")).to_have_count(1)
    check_page(page, artifacts, "transparency-reports-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "testshire-panel-report-2026-27.xlsx"

    page.goto(f"{base}/staff/{office.slug}/awards/{funded.published.reference}/")
    page.get_by_role("link", name="History").click()
    assert "History of" in page.content()
