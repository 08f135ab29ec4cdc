"""Issue 11 in Chromium: the organisation fills in and submits a monitoring return, the officer
reviews and accepts it; the return form and the staff review page pass axe."""

import pytest

from commissioning.monitoring.models import MonitoringReturn, ReturnStatus
from commissioning.organisations.models import OrganisationMember
from tests.applications.factories import member_of
from tests.browser.axe import check_page
from tests.browser.test_decision_flow import staff_sign_in
from tests.browser.test_pilot_limit import signed_in

DEMO_OFFICES = ("essex",)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(demo_of):
    demo_of(*DEMO_OFFICES)


def test_a_return_is_filled_in_submitted_and_accepted(live_server, page, artifacts, demo):
    base = live_server.url
    ret = (
        MonitoringReturn.objects.filter(office__slug="essex", status=ReturnStatus.DRAFT)
        .select_related("award__organisation", "award__application")
        .order_by("due_on")
        .first()
    )
    award = ret.award
    member = OrganisationMember.objects.filter(organisation=award.organisation).first()
    user = member.user if member else member_of(award.organisation)
    signed_in(page, base, user)
    page.goto(f"{base}/organisations/{award.organisation.ref}/monitoring/")
    check_page(page, artifacts, "monitoring-organisation-list")
    page.goto(
        f"{base}/organisations/{award.organisation.ref}/monitoring/{award.reference}/{ret.number}/"
    )
    page.fill("#id_progress", "Weekly sessions ran as planned.")
    page.fill("#id_people_supported", "10")
    page.fill("#id_demo_age_band_not_known", "9")
    page.get_by_role("button", name="Submit the return").click()
    summary = page.locator(".govuk-error-summary")
    assert "add up to 9, but you supported 10 people" in summary.inner_text()
    check_page(page, artifacts, "monitoring-return-form-errors")
    application = award.application
    for output in application.outputs.all():
        page.fill(f"#id_output_{output.pk}", "5")
    for line in application.budget_lines.all():
        page.fill(f"#id_spend_{line.pk}", "100")
    for code in (
        "referrals",
        "cope_and_recover",
        "feel_safer",
        "health_and_wellbeing",
        "satisfaction",
    ):
        if page.locator(f"#id_measure_{code}").count():
            page.fill(f"#id_measure_{code}", "3")
    page.fill("#id_demo_age_band_not_known", "10")
    page.check("#id_rag_2")
    page.get_by_role("button", name="Submit the return").click()
    page.wait_for_url(f"**/organisations/{award.organisation.ref}/monitoring/")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED

    staff_sign_in(page, base, "officer@essex.example")
    page.goto(f"{base}/staff/essex/monitoring/")
    check_page(page, artifacts, "monitoring-staff-list")
    page.goto(f"{base}/staff/essex/monitoring/awards/{award.reference}/returns/{ret.number}/")
    assert "Weekly sessions ran as planned." in page.content()
    check_page(page, artifacts, "monitoring-staff-review")
    page.check("#id_decision_0")
    page.get_by_role("button", name="Save the review").click()
    page.wait_for_load_state()
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ACCEPTED
    page.goto(f"{base}/staff/essex/monitoring/awards/{award.reference}/")
    check_page(page, artifacts, "monitoring-staff-schedule")
