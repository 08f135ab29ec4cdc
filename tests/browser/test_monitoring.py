"""Issue 11 in Chromium: `send_reminders` e-mails the organisation about a return; it follows
the reminder's link, fills in and submits the return; the officer reviews and accepts it. The
outbox, the return form, the staff pages (returns, review, schedule, meetings, performance,
evidence library) pass axe."""

from io import StringIO

import pytest
from django.core.management import call_command

from commissioning.core.jobs import jobs_run_immediately
from commissioning.core.models import OutboxMessage
from commissioning.monitoring.models import MonitoringReturn, ReminderSent, ReturnStatus
from commissioning.organisations.models import OrganisationMember
from tests.applications.factories import member_of
from tests.browser.axe import check_page
from tests.browser.test_decision_flow import staff_sign_in
from tests.browser.test_pilot_limit import signed_in

DEMO_OFFICES = ("essex",)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings, demo_of):
    settings.EMAIL_BACKEND = "commissioning.core.mail.OutboxEmailBackend"
    demo_of(*DEMO_OFFICES)


def test_a_reminder_leads_to_a_submitted_and_accepted_return(live_server, page, artifacts, demo):
    base = live_server.url
    with jobs_run_immediately():
        call_command("send_reminders", stdout=StringIO())
    reminder = (
        ReminderSent.objects.filter(
            monitoring_return__office__slug="essex",
            monitoring_return__status=ReturnStatus.DRAFT,
        )
        .select_related("monitoring_return")
        .order_by("monitoring_return__due_on", "pk")
        .first()
    )
    ret = MonitoringReturn.objects.select_related("award__organisation", "award__application").get(
        pk=reminder.monitoring_return_id
    )
    award = ret.award
    path = f"/organisations/{award.organisation.ref}/monitoring/{award.reference}/{ret.number}/"
    assert OutboxMessage.objects.filter(body__contains=path, subject__contains=award.reference)
    page.goto(f"{base}/demo/outbox/")
    check_page(page, artifacts, "monitoring-reminder-outbox")
    member = OrganisationMember.objects.filter(organisation=award.organisation).first()
    user = member.user if member else member_of(award.organisation)
    signed_in(page, base, user)
    page.goto(f"{base}/organisations/{award.organisation.ref}/monitoring/")
    check_page(page, artifacts, "monitoring-organisation-list")
    page.goto(f"{base}{path}")  # the reminder's link, on this test server
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
    for name, url in (
        ("monitoring-staff-meetings", "/staff/essex/monitoring/meetings/?show=all"),
        ("monitoring-staff-performance", "/staff/essex/monitoring/performance/"),
        ("evidence-library", "/staff/essex/evidence/"),
    ):
        page.goto(f"{base}{url}")
        check_page(page, artifacts, name)
