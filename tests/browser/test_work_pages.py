"""The applicant's and the officer's working pages that the journeys do not reach, in Chromium,
each checked with axe, with bad input along the way."""

import pytest

from commissioning.applications.models import Application, Status
from commissioning.organisations.models import OrganisationMember
from tests.browser.axe import check_page
from tests.browser.test_accessibility import enter_code, sign_in

DEMO_OFFICES = ("essex",)

pytestmark = pytest.mark.django_db(transaction=True)

STEPS = [
    "about",
    "need",
    "priorities",
    "beneficiaries",
    "outcomes",
    "budget",
    "more",
    "endorsements",
    "attachments",
    "declarations",
]


@pytest.fixture
def demo(demo_of):
    demo_of(*DEMO_OFFICES)


def _applications():
    """An organisation of the demo with a draft and a submitted application, and its lead."""
    for draft in Application.objects.filter(status=Status.DRAFT).select_related("organisation"):
        submitted = (
            Application.objects.filter(
                organisation=draft.organisation,
                status__in=[Status.SCREENING, Status.ELIGIBLE, Status.IN_ASSESSMENT],
            )
            .select_related("office")
            .first()
        )
        if submitted:
            lead = OrganisationMember.objects.filter(
                organisation=draft.organisation, role=OrganisationMember.Role.ADMIN
            ).first()
            return lead.user.email, draft.organisation, draft, submitted
    raise AssertionError("The demo has no organisation with a draft and a submitted application")


def test_applicant_work_pages(live_server, page, artifacts, demo):
    base = live_server.url
    applicant, organisation, draft, submitted = _applications()
    sign_in(page, base, applicant, lands_on="**/applications/")
    for name, path in [
        ("my-applications", "/applications/"),
        ("my-organisations", "/organisations/"),
        ("organisation-detail", f"/organisations/{organisation.ref}/"),
        ("organisation-change", f"/organisations/{organisation.ref}/change/"),
        ("document-add", f"/organisations/{organisation.ref}/documents/add/"),
        ("endorser-add", f"/applications/{draft.public_id}/endorsements/add/"),
        ("attachment-add", f"/applications/{draft.public_id}/attachments/add/"),
        ("submitted-application", f"/applications/{submitted.public_id}/submitted/"),
        ("withdraw", f"/applications/{submitted.public_id}/withdraw/"),
    ]:
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        check_page(page, artifacts, name)
    for step in STEPS:
        page.goto(f"{base}/applications/{draft.public_id}/{step}/")
        check_page(page, artifacts, f"draft-step-{step}")

    page.goto(f"{base}/organisations/{organisation.ref}/policies/add/")
    page.get_by_role("button", name="Add the policy").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "policy-add-errors")
    page.goto(f"{base}/organisations/{organisation.ref}/members/invite/")
    page.fill("#id_email", "not an address")
    page.get_by_role("button", name="Send the invitation").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "member-invite-errors")


def test_clarification_question_and_answer(live_server, page, artifacts, demo):
    base = live_server.url
    applicant, _organisation, _draft, submitted = _applications()
    officer = f"officer@{submitted.office.slug}.example"
    sign_in(page, base, officer)
    enter_code(page, officer)
    page.goto(f"{base}/staff/{submitted.office.slug}/applications/{submitted.reference}/questions/")
    page.get_by_role("button", name="Send question").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "clarification-ask-errors")
    page.fill("textarea", "Which schools have agreed to take part?")
    page.get_by_role("button", name="Send question").click()
    check_page(page, artifacts, "clarification-asked")

    page.context.clear_cookies()
    sign_in(page, base, applicant, lands_on="**/applications/")
    page.goto(f"{base}/applications/{submitted.public_id}/submitted/")
    assert "Which schools have agreed to take part?" in page.content()
    page.goto(f"{base}/applications/{submitted.public_id}/questions/1/answer/")
    check_page(page, artifacts, "clarification-answer")
    page.fill("textarea", "Witham Primary and Maltings Academy.")
    page.get_by_role("button", name="Send answer").click()
    assert "Witham Primary and Maltings Academy." in page.content()
    check_page(page, artifacts, "clarification-answered")
