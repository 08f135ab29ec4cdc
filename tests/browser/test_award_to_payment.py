"""From a signed decision to the first payment, in Chromium with axe on every page (issue 10):
the award the decision made gets its agreement drawn up and sent; the organisation signs it and
gives its bank details; the office countersigns with a fresh code; finance verifies the details
by call-back, approves the instalment, makes the payment run and confirms it paid. Nothing can
be approved before both have signed."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import User
from commissioning.awards.agreements.models import Agreement, AgreementStatus
from commissioning.awards.bank.models import BankAccount, BankAccountStatus
from commissioning.awards.models import Award, AwardStatus, EntryKind, LedgerEntry
from commissioning.awards.payments.models import Instalment, InstalmentStatus
from commissioning.decisions.demo import SIGNATORY_PREFIXES
from commissioning.decisions.models import DecisionApplication
from commissioning.decisions.services import (
    DecisionLine,
    decision_create,
    decision_sign,
    decision_submit_for_signature,
)
from tests.awards.payments.conftest import admin_of
from tests.browser.axe import check_page
from tests.browser.test_accessibility import sign_in
from tests.browser.test_decision_flow import _recommended_application, staff_sign_in

DEMO_OFFICES = ("essex",)

pytestmark = pytest.mark.django_db(transaction=True)

OFFICER = "officer@essex.example"


@pytest.fixture
def demo(demo_of):
    demo_of(*DEMO_OFFICES)


def _signed_decision_award() -> Award:
    """A £1,500 award from a decision signed by everyone the tier names."""
    application = _recommended_application(OFFICER)
    officer = User.objects.get(email=OFFICER)
    decision = decision_create(
        office=application.office,
        actor=officer,
        fields={
            "title": "Award to a youth football project",
            "summary": "An award the panel recommended.",
            "rationale": "It meets the plan's priorities.",
        },
        lines=[
            DecisionLine(
                application=application,
                outcome=DecisionApplication.Outcome.APPROVE,
                amount=Decimal("1500"),
                reason="",
            )
        ],
    )
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    for role in decision.required_roles:
        signatory = User.objects.get(email=f"{SIGNATORY_PREFIXES[role]}@essex.example")
        decision_sign(decision=decision, signatory=signatory, mfa_verified=True)
    return Award.objects.select_related("organisation").get(decision=decision)


def test_from_a_signed_decision_to_the_first_payment(live_server, page, artifacts, demo):
    base = live_server.url
    award = _signed_decision_award()
    organisation = award.organisation
    # Earlier demo changes of this organisation's details are out of the way.
    BankAccount.objects.filter(organisation=organisation, status=BankAccountStatus.ENTERED).update(
        status=BankAccountStatus.REJECTED
    )

    # The officer draws up the agreement from the fund's template and sends it.
    staff_sign_in(page, base, OFFICER)
    page.goto(f"{base}/staff/essex/awards/{award.reference}/")
    check_page(page, artifacts, "flow-award-made")
    page.get_by_role("button", name="Draw up from the fund's template").click()
    page.wait_for_url(f"**/awards/{award.reference}/agreement/v1/")
    check_page(page, artifacts, "flow-agreement-draft")
    page.get_by_role("button", name="Send the agreement").click()
    agreement = Agreement.objects.get(award=award)
    assert agreement.status == AgreementStatus.SENT

    # Finance cannot approve anything yet: nothing is paid before both sign.
    instalment = Instalment.objects.filter(award=award).order_by("sequence").first()
    assert instalment.status != InstalmentStatus.RELEASABLE

    # The organisation's administrator signs and gives the bank details to pay into.
    page.context.clear_cookies()
    admin = admin_of(organisation)
    sign_in(page, base, admin.email, lands_on=lambda url: "/accounts/login/" not in url)
    page.goto(f"{base}/organisations/{organisation.ref}/awards/")
    page.get_by_role("link", name=award.title).first.click()
    check_page(page, artifacts, "flow-organisation-award")
    page.fill("#id_name", "Jordan Ellis")
    page.fill("#id_role", "Chair of trustees")
    page.fill("#id_signature", "Jordan Ellis")
    page.check("#id_confirmed")
    page.get_by_role("button", name="Sign the agreement").click()
    assert "You have signed the agreement" in page.content()
    page.goto(f"{base}/organisations/{organisation.ref}/bank-details/")
    page.get_by_label("Name on the account").fill(organisation.name[:60])
    page.get_by_label("Sort code").fill("30-99-50")
    page.get_by_label("Account number").fill("00733445")
    page.get_by_label("Telephone number for questions about this change").fill("01632 960 002")
    page.get_by_role("button", name="Save bank details").click()
    assert "waiting for the office to verify them" in page.content()
    check_page(page, artifacts, "flow-bank-details-given")

    # The Commissioner countersigns with a fresh code; the award becomes active.
    commissioner = "commissioner@essex.example"
    staff_sign_in(page, base, commissioner)
    page.goto(f"{base}/staff/essex/awards/{award.reference}/")
    page.get_by_role("link", name="Read and countersign the agreement").click()
    cache.clear()  # the code used to sign in is spent; the next one the app shows is fresh
    page.fill("#id_code", totp_current_code(User.objects.get(email=commissioner)))
    page.get_by_role("button", name="Countersign the agreement").click()
    assert "signed by both" in page.content()
    check_page(page, artifacts, "flow-countersigned")
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE

    # Finance verifies the details by call-back, approves, pays.
    finance = "finance@essex.example"
    staff_sign_in(page, base, finance)
    change = BankAccount.objects.get(organisation=organisation, status=BankAccountStatus.ENTERED)
    page.goto(f"{base}/staff/essex/bank-changes/{change.pk}/")
    page.get_by_role("radio").first.check()
    page.get_by_label("Name of the person you spoke to").fill("Sam Treasurer")
    page.get_by_role("radio", name="The organisation confirmed the new details").check()
    page.get_by_role("button", name="Record the call-back").click()
    assert "the details are verified" in page.content()
    page.goto(f"{base}/staff/essex/payments/instalments/{instalment.pk}/")
    check_page(page, artifacts, "flow-instalment-releasable")
    page.get_by_role("button", name="Approve for payment").click()
    assert "approved for the next payment run" in page.content()
    page.goto(f"{base}/staff/essex/payments/runs/")
    page.get_by_role("button", name="Make a payment run").click()
    check_page(page, artifacts, "flow-payment-run")
    assert award.reference in page.content()
    today = timezone.localdate()
    page.fill("#id_paid_on_0", str(today.day))
    page.fill("#id_paid_on_1", str(today.month))
    page.fill("#id_paid_on_2", str(today.year))
    page.get_by_role("button", name="Confirm paid").click()
    check_page(page, artifacts, "flow-payment-run-paid")
    instalment.refresh_from_db()
    assert instalment.status == InstalmentStatus.PAID
    paid = LedgerEntry.objects.filter(award=award, kind=EntryKind.PAYMENT)
    assert sum(entry.amount for entry in paid) == instalment.amount == Decimal("1500.00")
