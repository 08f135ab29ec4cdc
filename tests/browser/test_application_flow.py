"""The applicant's journey in Chromium, then the officer's view, with axe on every page."""

import pytest

from commissioning.accounts.demo import DEMO_PASSWORD
from commissioning.applications.endorsements.services import (
    endorsement_add,
    endorsement_link_token,
    endorsement_request,
)
from commissioning.applications.models import Application
from tests.browser.axe import check_page
from tests.browser.test_accessibility import enter_code, sign_in
from tests.core.files import pdf_bytes

DEMO_OFFICES = ("essex",)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings, demo_of):
    settings.EMAIL_BACKEND = "commissioning.core.mail.OutboxEmailBackend"
    demo_of(*DEMO_OFFICES)


def register(page, base, artifacts):
    """A new person creates an account, confirms the address and registers their charity."""
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_email", "lead@walking-bus.example")
    page.fill("#id_password1", DEMO_PASSWORD)
    page.fill("#id_password2", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    check_page(page, artifacts, "verify-email-sent")
    page.goto(f"{base}/demo/outbox/")
    page.locator("a[href*='/accounts/confirm-email/']").first.click()
    check_page(page, artifacts, "confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.goto(f"{base}/organisations/register/")
    page.get_by_role("button", name="Register the organisation").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "register-organisation-errors")
    page.fill("#id_name", "Walking Bus Trust")
    page.get_by_label("Charitable incorporated organisation").check()
    page.select_option("#id_applicant_type", "charity")
    page.fill("#id_charity_number", "1164883")
    page.fill("#id_address", "1 School Lane\nChelmsford")
    page.fill("#id_postcode", "cm1 1aa")
    page.fill("#id_email", "hello@walking-bus.example")
    page.get_by_role("button", name="Register the organisation").click()
    assert "GB-CHC-1164883" in page.content()
    check_page(page, artifacts, "organisation")
    page.get_by_role("link", name="Add a policy").click()
    page.get_by_label("Safeguarding").first.check()
    for prefix, (day, month, year) in {
        "adopted_on": (1, 9, 2026),
        "review_due_on": (1, 9, 2027),
    }.items():
        for part, value in zip(
            page.locator(f"#id_{prefix} input").all(), (day, month, year), strict=True
        ):
            part.fill(str(value))
    page.set_input_files(
        "input[type=file]",
        {"name": "safeguarding.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
    )
    page.get_by_role("button", name="Add the policy").click()
    assert "The safeguarding policy is on file." in page.content()
    check_page(page, artifacts, "organisation-with-policy")


def test_apply_submit_and_screen(live_server, page, artifacts, demo):
    base = live_server.url
    page.goto(f"{base}/essex/funding/")
    check_page(page, artifacts, "funding-list")
    page.get_by_role("link", name="Community Safety Development Fund").first.click()
    check_page(page, artifacts, "round-detail")
    page.select_option("#id_applicant_type", "school")
    page.check("#id_in_area_0")
    page.fill("#id_amount", "25000")
    for no in page.locator("input[name^='endorsement_'][value='False']").all():
        no.check()
    page.get_by_role("button", name="Check").click()
    assert "You cannot apply to this call, because:" in page.content()
    check_page(page, artifacts, "eligibility-no")

    register(page, base, artifacts)
    page.goto(f"{base}/essex/funding/")
    page.get_by_role("link", name="Community Safety Development Fund").first.click()
    page.get_by_role("button", name="Start your application").click()
    check_page(page, artifacts, "start-application")
    page.get_by_role("button", name="Start the application").click()
    page.wait_for_url("**/applications/*/")
    check_page(page, artifacts, "task-list")
    public_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    page.get_by_role("link", name="About the project").click()
    page.fill("#id_title", "Safer routes home")
    page.fill("#id_amount_requested", "lots")
    page.get_by_role("button", name="Save and continue").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "step-about-error")
    page.fill("#id_short_description", "Volunteer walking buses and safer routes from school.")
    page.fill("#id_amount_requested", "£4,000")
    for prefix, (day, month, year) in {"starts_on": (1, 4, 2027), "ends_on": (31, 3, 2028)}.items():
        page.fill(f"#id_{prefix}_0", str(day))
        page.fill(f"#id_{prefix}_1", str(month))
        page.fill(f"#id_{prefix}_2", str(year))
    page.check("#id_is_pilot_1")
    page.check("#id_is_continuation_1")
    page.get_by_role("button", name="Save and continue").click()
    check_page(page, artifacts, "step-need")
    page.fill("#id_need_and_evidence", "Parents report intimidation on the way home.")
    page.fill("#id_activities", "Walking buses twice a day with trained volunteers.")
    page.get_by_role("button", name="Save and continue").click()
    check_page(page, artifacts, "step-priorities")
    page.check("#id_priorities_0")
    page.check("#id_areas_0")
    page.get_by_role("button", name="Save and continue").click()
    page.fill("#id_beneficiaries_count", "200")
    page.fill("#id_beneficiaries_description", "Pupils and parents")
    page.check("#id_involves_children_or_vulnerable_adults_1")
    page.get_by_role("button", name="Save and continue").click()
    check_page(page, artifacts, "step-outcomes")
    page.fill("#id_outcomes-description", "Children feel safer")
    page.fill("#id_outcomes-indicator", "Survey")
    page.fill("#id_outcomes-baseline", "40%")
    page.fill("#id_outcomes-target", "70%")
    page.fill("#id_outcomes-target_date_0", "31")
    page.fill("#id_outcomes-target_date_1", "3")
    page.fill("#id_outcomes-target_date_2", "2028")
    page.get_by_role("button", name="Add").first.click()
    page.fill("#id_outputs-description", "Walking bus journeys")
    page.fill("#id_outputs-quantity", "300")
    page.locator("button[value='add:outputs']").click()
    page.get_by_role("button", name="Continue").click()
    check_page(page, artifacts, "step-budget")
    page.select_option("#id_budget_lines-category", "equipment")
    page.fill("#id_budget_lines-description", "Hi-vis and radios")
    page.fill("#id_budget_lines-amount", "4000")
    page.get_by_role("button", name="Add").first.click()
    page.get_by_role("button", name="Continue").click()
    check_page(page, artifacts, "step-more")
    for name in ("sustainability", "risks", "evaluation", "partnership"):
        if page.locator(f"#id_{name}").count():
            page.fill(f"#id_{name}", "Written in the browser test.")
    page.get_by_role("button", name="Save and continue").click()
    page.goto(f"{base}/applications/{public_id}/declarations/")
    page.check("#id_confirm")
    page.get_by_role("button", name="Save and continue").click()

    application = Application.objects.get(public_id=public_id)
    user = application.organisation.members.first().user
    for required in application.fund.required_endorsements:
        endorsement = endorsement_add(
            application=application,
            actor=user,
            kind=required["kind"],
            endorser_name="PC Ali Khan",
            endorser_email="ali.khan@police.example",
            endorser_role="Neighbourhood team",
        )
        endorsement = endorsement_request(endorsement=endorsement, actor=user)
        page.goto(f"{base}/endorse/{endorsement_link_token(endorsement)}/")
        check_page(page, artifacts, f"endorse-{required['kind']}")
        page.check("#id_supports_0")
        page.get_by_role("button", name="Send your answer").click()
        check_page(page, artifacts, f"endorsed-{required['kind']}")

    page.goto(f"{base}/applications/{public_id}/check/")
    check_page(page, artifacts, "check-answers")
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url("**/submitted/")
    check_page(page, artifacts, "receipt")
    application.refresh_from_db()
    assert application.reference.startswith("ESX-CSDF-")

    page.context.clear_cookies()
    sign_in(page, base, "officer@essex.example")
    enter_code(page, "officer@essex.example")
    page.goto(f"{base}/staff/essex/applications/")
    check_page(page, artifacts, "staff-applications")
    page.get_by_role("link", name=application.reference).click()
    check_page(page, artifacts, "staff-application")
    assert "Screening" in page.content()
    page.get_by_role("link", name="What the applicant submitted").click()
    assert "Walking bus journeys" in page.content()
    check_page(page, artifacts, "staff-application-answers")
    page.get_by_role("link", name="Screening, assessment and decision").click()

    page.get_by_role("button", name="Run the screening again").click()
    check_page(page, artifacts, "staff-screening-run")
    forms = page.locator("form[action*='/override/']")
    for index in range(forms.count()):
        page.locator("details:has(form[action*='/override/'])").nth(index).locator(
            "summary"
        ).click()
        form = page.locator("form[action*='/override/']").nth(index)
        form.locator("input[value='fail']" if index == 0 else "input[value='pass']").check()
        form.locator("textarea").fill("The district council already funds walking buses here.")
        form.get_by_role("button", name="Save the officer's result").click()
        if index == 0:
            check_page(page, artifacts, "staff-screening-override")
    page.get_by_role("button", name="Confirm the screening").click()
    check_page(page, artifacts, "staff-screening-concluded")
    application.refresh_from_db()
    assert application.status == "ineligible"
    page.context.clear_cookies()
    sign_in(page, base, "lead@walking-bus.example", lands_on="**/applications/")
    page.goto(f"{base}/applications/{public_id}/")
    assert "The district council already funds walking buses here." in page.content()
    check_page(page, artifacts, "applicant-screened-out")
