"""The grant agreement pages in the browser, axe checking each (issue 10, items 3 and 8): the
office countersigns an agreement the organisation has signed, with a fresh authenticator code,
and an organisation's administrator reads and signs the agreement sent to it."""

import pytest
from django.core.cache import cache

from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import User
from commissioning.awards.agreements.models import Agreement, AgreementStatus
from commissioning.awards.models import AwardStatus
from commissioning.organisations.models import OrganisationMember
from tests.browser.axe import check_page
from tests.browser.test_accessibility import sign_in
from tests.browser.test_decision_flow import staff_sign_in

DEMO_OFFICES = ("essex",)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(demo_of):
    demo_of(*DEMO_OFFICES)


def _agreement(status) -> Agreement:
    return Agreement.objects.select_related("award", "award__organisation").get(
        award__office__slug="essex", status=status
    )


def test_the_office_countersigns_with_a_fresh_code(live_server, page, artifacts, demo):
    base = live_server.url
    agreement = _agreement(AgreementStatus.SIGNED_BY_PROVIDER)
    award = agreement.award
    email = "commissioner@essex.example"
    staff_sign_in(page, base, email)
    page.goto(f"{base}/staff/essex/awards/{award.reference}/")
    check_page(page, artifacts, "agreement-staff-award")
    page.get_by_role("link", name="Read and countersign the agreement").click()
    check_page(page, artifacts, "agreement-staff-countersign")
    page.fill("#id_code", "000000")
    page.get_by_role("button", name="Countersign the agreement").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "agreement-staff-countersign-error")
    cache.clear()  # the code used to sign in is spent; the next one the app shows is fresh
    page.fill("#id_code", totp_current_code(User.objects.get(email=email)))
    page.get_by_role("button", name="Countersign the agreement").click()
    assert "signed by both" in page.content()
    check_page(page, artifacts, "agreement-staff-countersigned")
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE


def test_the_organisation_reads_and_signs(live_server, page, artifacts, demo):
    base = live_server.url
    agreement = _agreement(AgreementStatus.SENT)
    award = agreement.award
    admin = (
        OrganisationMember.objects.filter(
            organisation=award.organisation, role=OrganisationMember.Role.ADMIN
        )
        .select_related("user")
        .first()
        .user
    )
    sign_in(page, base, admin.email, lands_on=lambda url: "/accounts/login/" not in url)
    page.goto(f"{base}/organisations/{award.organisation.ref}/awards/")
    check_page(page, artifacts, "agreement-organisation-awards")
    page.get_by_role("link", name=award.title).first.click()
    assert "Waiting for your signature" in page.content()
    check_page(page, artifacts, "agreement-organisation-award")
    page.get_by_role("button", name="Sign the agreement").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "agreement-organisation-sign-error")
    page.fill("#id_name", "Jordan Ellis")
    page.fill("#id_role", "Chair of trustees")
    page.fill("#id_signature", "Jordan Ellis")
    page.check("#id_confirmed")
    page.get_by_role("button", name="Sign the agreement").click()
    assert "You have signed the agreement" in page.content()
    check_page(page, artifacts, "agreement-organisation-signed")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED_BY_PROVIDER
    assert agreement.provider_signature == "Jordan Ellis"
