"""An officer drafts a decision from a recommended application, each required signatory signs
with multi-factor sign-in, and the published decision appears on the public pages (DE1-DE3).
axe checks every page on the way."""

import pytest

from commissioning.applications.models import Status
from commissioning.decisions.demo import _advance, _application, _due_diligence, _round
from commissioning.decisions.models import DecisionRecord, DecisionStatus, Letter
from commissioning.offices.models import Office
from tests.browser.axe import check_page
from tests.browser.test_accessibility import enter_code, lands_on, sign_in

DEMO_OFFICES = ("essex",)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(demo_of):
    demo_of(*DEMO_OFFICES)


PROJECT = {
    "title": "Youth diversion through football",
    "short_description": "Evening football and mentoring for young people at risk.",
    "need": "Antisocial behaviour by young people rose in the town centre.",
    "activities": "Three evening sessions a week with mentoring.",
    "budget": [("staff", "Coaches", "4000"), ("venue", "Pitch hire", "2000")],
}


def _recommended_application(officer_email):
    """A £6,000 application the panel has recommended, its organisation's due diligence done,
    in no decision yet."""
    from commissioning.accounts.models import User

    officer = User.objects.get(email=officer_email)
    round_ = _round(Office.objects.get(slug="essex"))
    application = _application(round_, PROJECT)
    _advance(application, Status.RECOMMENDED, officer)
    application.refresh_from_db()
    _due_diligence(application, officer)
    return application


def staff_sign_in(page, base, email):
    page.context.clear_cookies()
    sign_in(page, base, email)
    enter_code(page, email, lands_on=lands_on(email))


def test_draft_sign_and_publish_a_decision(live_server, page, artifacts, demo):
    base = live_server.url
    officer_email = "officer@essex.example"
    application = _recommended_application(officer_email)
    staff_sign_in(page, base, officer_email)
    page.goto(f"{base}/staff/essex/decisions/")
    check_page(page, artifacts, "decisions-staff-list")
    page.get_by_role("link", name="Draft a decision").click()
    check_page(page, artifacts, "decision-new")
    page.get_by_role("button", name="Save the draft").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "decision-new-error")
    page.check(f"#id_outcome_{application.pk}_1")
    page.fill(f"#id_amount_{application.pk}", "5,000")  # over Essex's £2,000 tier
    page.fill("#id_title", "Award to a youth project")
    page.fill("#id_summary", "An award recommended by the panel.")
    page.fill("#id_rationale", "The project meets the plan's priorities.")
    page.fill("#id_legal_implications", "Privileged legal advice.")
    page.check("#id_exempt_parts_4")
    page.fill("#id_exemption_reason", "Legal professional privilege.")
    page.get_by_role("button", name="Save the draft").click()
    check_page(page, artifacts, "decision-saved")
    page.wait_for_url("**/staff/essex/decisions/esx-*/")
    check_page(page, artifacts, "decision-draft")
    page.get_by_role("button", name="Send for signature").click()
    check_page(page, artifacts, "decision-awaiting")
    # Issue 9, item 11: the page says why these people sign.
    who = page.locator(".govuk-summary-list__row", has_text="Who must sign").inner_text()
    assert "Over £2,000: the Commissioner, the Monitoring Officer and the Chief Finance" in who
    decision = DecisionRecord.objects.get(decided_applications__application=application)
    assert decision.required_roles == [
        "commissioner",
        "monitoring_officer",
        "chief_finance_officer",
    ]

    for prefix in ("commissioner", "monitoring", "cfo"):
        email = f"{prefix}@essex.example"
        staff_sign_in(page, base, email)
        assert decision.number in page.content()  # lands on what awaits their signature
        check_page(page, artifacts, f"awaiting-signature-{prefix}")
        page.goto(f"{base}/staff/")
        check_page(page, artifacts, f"staff-home-to-sign-{prefix}")
        page.get_by_role("link", name=f"{decision.number}: {decision.title}").click()
        check_page(page, artifacts, f"decision-sign-{prefix}")
        page.get_by_role("button", name="Sign this decision").click()
        assert "You have signed" in page.content()
    check_page(page, artifacts, "decision-signed")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED

    staff_sign_in(page, base, officer_email)
    page.goto(f"{base}/staff/essex/decisions/{decision.slug}/")
    page.get_by_role("button", name="Publish").click()
    assert "The decision has been published" in page.content()
    page.get_by_role("link", name="Award notification").first.click()
    check_page(page, artifacts, "decision-letter")

    page.context.clear_cookies()
    page.goto(f"{base}/essex/decisions/")
    check_page(page, artifacts, "decisions-public-list")
    page.get_by_role("link", name=decision.number).click()
    content = page.content()
    assert "Award to a youth project" in content and "£5,000" in content
    assert "Privileged legal advice." not in content
    check_page(page, artifacts, "decision-public")
    page.goto(f"{base}/essex/decisions/panel-report/")
    check_page(page, artifacts, "decisions-panel-report")
    assert Letter.objects.filter(decision=decision, sent_at__isnull=False).count() == 1
