"""AS6: the due diligence page in Chromium: list, form errors, a recorded check; axe finds
nothing on each."""

import itertools
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from commissioning.accounts.mfa import totp_current_code
from commissioning.applications.models import Status
from tests.accounts.factories import PASSWORD, staff_user
from tests.applications.factories import ApplicationFactory, RoundFactory
from tests.browser.axe import check_page

pytestmark = pytest.mark.django_db(transaction=True)
SEQUENCE = itertools.count(1)


def test_officer_records_due_diligence(live_server, page, artifacts, office):
    policy = office.policy
    policy.assessment = {
        **policy.assessment,
        "due_diligence": {"required_before_decision": True, "valid_months": 12},
    }
    policy.save(update_fields=["assessment"])
    application = ApplicationFactory(
        round=RoundFactory(fund=office.funds.first()),
        status=Status.SUBMITTED,
        reference=f"{office.code}-T-2026-{next(SEQUENCE):04d}",
        amount_requested=Decimal("5000"),
    )
    officer = staff_user(office)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", officer.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/2fa/authenticate/")
    page.fill("#id_code", totp_current_code(officer))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/staff/**")

    url = (
        f"{live_server.url}/staff/{office.slug}/organisations/"
        f"{application.organisation.ref}/due-diligence/"
    )
    page.goto(url)
    check_page(page, artifacts, "due-diligence")
    page.get_by_role("button", name="Record the check").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, artifacts, "due-diligence-errors")

    page.get_by_label("Accounts reviewed").check()
    page.get_by_label("No irregularities found").check()
    page.get_by_label("Positive cash position").check()
    page.get_by_role("radio", name="Pass with conditions").check()
    page.get_by_label("Conditions (for a pass with conditions)").fill("Quarterly cash reports")
    page.get_by_role("button", name="Record the check").click()
    expect(page.get_by_text("Quarterly cash reports")).to_be_visible()
    check_page(page, artifacts, "due-diligence-recorded")
