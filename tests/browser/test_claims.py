"""Claims in Chromium (issue 10, item 6): the organisation makes a claim with a line against
its budget, sees the error summary, uploads an invoice and submits; finance checks it, is told
why a smaller amount needs a reason, and approves it. axe finds nothing on any page."""

import pytest
from playwright.sync_api import expect

from commissioning.accounts.mfa import totp_current_code
from commissioning.accounts.models import Role
from tests.accounts.factories import PASSWORD, staff_user
from tests.applications.factories import RoundFactory
from tests.awards.claim_factories import active_award, admin_of
from tests.browser.axe import check_page
from tests.core.files import pdf_bytes
from tests.decisions.conftest import _letters_storage  # noqa: F401 - stores letters in tmp

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server, user, *, mfa: bool):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if mfa:
        page.wait_for_url("**/2fa/authenticate/")
        page.fill("#id_code", totp_current_code(user))
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url("**/staff/**")
    else:
        page.wait_for_load_state("domcontentloaded")


@pytest.fixture
def award(office):
    officer = staff_user(office, Role.COMMISSIONING_OFFICER)
    signatories = {
        role: staff_user(office, role)
        for role in (Role.COMMISSIONER, Role.MONITORING_OFFICER, Role.CHIEF_FINANCE_OFFICER)
    }
    round_ = RoundFactory(fund=office.funds.get(code="CF"), slug="spring")
    return active_award(office, officer, round_, signatories, amount="2000")


def test_a_claim_from_the_organisation_to_finance_approval(
    live_server, browser, page, artifacts, office, award
):
    admin = admin_of(award)
    _sign_in(page, live_server, admin, mfa=False)
    base = f"{live_server.url}/organisations/{award.organisation.ref}/awards/{award.reference}"
    page.goto(f"{base}/claims/")
    check_page(page, artifacts, "claims-organisation-list")
    page.get_by_role("link", name="Make a claim").click()
    check_page(page, artifacts, "claims-form")

    page.get_by_role("button", name="Save and add evidence").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, artifacts, "claims-form-errors")

    for prefix, (day, month, year) in {
        "period_start": ("1", "4", "2026"),
        "period_end": ("30", "6", "2026"),
    }.items():
        page.fill(f"#id_{prefix}_0", day)
        page.fill(f"#id_{prefix}_1", month)
        page.fill(f"#id_{prefix}_2", year)
    page.get_by_label("Amount claimed").fill("600")
    page.get_by_label("Torches and hi-vis").fill("550")
    page.get_by_role("button", name="Save and add evidence").click()
    expect(
        page.get_by_text("The lines add up to £550.00, but the claim is for £600.00.").first
    ).to_be_visible()
    page.get_by_label("Torches and hi-vis").fill("600")
    page.get_by_role("button", name="Save and add evidence").click()
    page.wait_for_url("**/claims/1/")
    check_page(page, artifacts, "claims-draft")

    page.get_by_role("link", name="Add evidence").click()
    check_page(page, artifacts, "claims-evidence")
    page.get_by_role("radio", name="Invoice").check()
    page.get_by_label("What does it show?").fill("Invoice 1042 for torches")
    page.set_input_files(
        "#id_file",
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.get_by_role("button", name="Add evidence").click()
    page.wait_for_url("**/claims/1/")
    page.get_by_label("I confirm that the organisation spent this money").check()
    page.get_by_role("button", name="Submit claim").click()
    expect(page.get_by_text("Being checked").first).to_be_visible()
    check_page(page, artifacts, "claims-submitted")

    finance = staff_user(office, Role.FINANCE_OFFICER)
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    staff_page = context.new_page()
    staff_page.set_default_timeout(60_000)
    _sign_in(staff_page, live_server, finance, mfa=True)
    staff_page.goto(f"{live_server.url}/staff/{office.slug}/claims/")
    check_page(staff_page, artifacts, "claims-to-check")
    staff_page.get_by_role("link", name=f"{award.reference}/C1").click()
    check_page(staff_page, artifacts, "claims-staff-claim")
    staff_page.get_by_label("Amount to approve").fill("500")
    staff_page.get_by_role("button", name="Approve claim").click()
    expect(staff_page.locator(".govuk-error-summary")).to_be_visible()
    check_page(staff_page, artifacts, "claims-staff-claim-errors")
    staff_page.get_by_label("Reason (needed if you approve less than was claimed)").fill(
        "One receipt is missing."
    )
    staff_page.get_by_role("button", name="Approve claim").click()
    expect(staff_page.get_by_text(f"Claim {award.reference}/C1 is approved.")).to_be_visible()
    check_page(staff_page, artifacts, "claims-staff-approved")
    staff_page.goto(f"{live_server.url}/staff/{office.slug}/awards/{award.reference}/")
    check_page(staff_page, artifacts, "claims-staff-award")
    context.close()
