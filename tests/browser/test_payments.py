"""Payments in Chromium (issue 10, items 4 and 5): a finance officer approves a releasable
instalment, makes a payment run and confirms it paid, and records the call-back on a change of
bank details; an organisation administrator's bank details page. axe checks every page."""

import pytest

from commissioning.awards.bank.models import BankAccount, BankAccountStatus
from commissioning.awards.payments.models import Instalment, InstalmentStatus
from tests.awards.payments.conftest import admin_of
from tests.browser.axe import check_page
from tests.browser.test_accessibility import enter_code, sign_in

DEMO_OFFICES = ("essex",)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(demo_of):
    demo_of(*DEMO_OFFICES)


def test_finance_approves_pays_and_verifies(live_server, page, artifacts, demo):
    base = live_server.url
    email = "finance@essex.example"
    sign_in(page, base, email)
    enter_code(page, email)
    page.goto(f"{base}/staff/essex/payments/")
    check_page(page, artifacts, "payments-finance")

    releasable = Instalment.objects.filter(
        office__slug="essex", status=InstalmentStatus.RELEASABLE
    ).first()
    page.goto(f"{base}/staff/essex/payments/instalments/{releasable.pk}/")
    check_page(page, artifacts, "payments-instalment")
    page.get_by_role("button", name="Withhold").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "payments-instalment-error")
    page.get_by_role("button", name="Approve for payment").click()
    assert "approved for the next payment run" in page.content()

    page.goto(f"{base}/staff/essex/payments/runs/")
    check_page(page, artifacts, "payments-runs")
    # The organisation's bank details are changing, so the instalment is left out.
    assert "waiting for verification" in page.content()

    change = BankAccount.objects.get(
        status=BankAccountStatus.ENTERED, organisation=releasable.award.organisation
    )
    page.goto(f"{base}/staff/essex/bank-changes/")
    check_page(page, artifacts, "bank-changes")
    page.goto(f"{base}/staff/essex/bank-changes/{change.pk}/")
    check_page(page, artifacts, "bank-change")
    page.get_by_role("button", name="Record the call-back").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "bank-change-error")
    page.get_by_role("radio").first.check()
    page.get_by_label("Name of the person you spoke to").fill("Sam Treasurer")
    page.get_by_role("radio", name="The organisation confirmed the new details").check()
    page.get_by_role("button", name="Record the call-back").click()
    assert "the details are verified" in page.content()

    page.goto(f"{base}/staff/essex/payments/runs/")
    page.get_by_role("button", name="Make a payment run").click()
    assert "Payment run" in page.content()
    check_page(page, artifacts, "payment-run")
    page.get_by_role("button", name="Confirm paid").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "payment-run-error")


def test_organisation_enters_bank_details(live_server, page, artifacts, demo):
    base = live_server.url
    organisation = (
        (Instalment.objects.filter(office__slug="essex").select_related("award__organisation"))
        .first()
        .award.organisation
    )
    admin = admin_of(organisation)
    sign_in(page, base, admin.email, lands_on=lambda url: "/accounts/login/" not in url)
    page.goto(f"{base}/organisations/{organisation.ref}/payments/")
    check_page(page, artifacts, "organisation-payments")
    BankAccount.objects.filter(organisation=organisation, status=BankAccountStatus.ENTERED).update(
        status=BankAccountStatus.REJECTED
    )
    page.goto(f"{base}/organisations/{organisation.ref}/bank-details/")
    check_page(page, artifacts, "organisation-bank-details")
    page.get_by_label("Sort code").fill("12-34")
    page.get_by_role("button", name="Save bank details").click()
    assert "Enter a sort code of 6 digits" in page.content()
    check_page(page, artifacts, "organisation-bank-details-error")
    page.get_by_label("Name on the account").fill("Demo Community Trust")
    page.get_by_label("Sort code").fill("30-99-50")
    page.get_by_label("Account number").fill("00733445")
    page.get_by_label("Telephone number for questions about this change").fill("01632 960 002")
    page.get_by_role("button", name="Save bank details").click()
    assert "waiting for the office to verify them" in page.content()
    check_page(page, artifacts, "organisation-bank-details-saved")
