"""A panel from set-up to an agreed recommendation in Chromium, with axe on every page: the
officer sets up a panel, a member declares no conflict and scores, the officer records the
meeting, moderates and records the panel's recommendation (AS1-AS4)."""

import pytest
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.applications.models import Round, Status
from commissioning.assessment.models import PanelMember
from tests.assessment.factories import eligible_application, score
from tests.browser.axe import check_page
from tests.browser.test_accessibility import enter_code, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
OFFICE = "lancashire"  # quorum of two, no independent member required

DEMO_OFFICES = (OFFICE,)


@pytest.fixture
def demo(demo_of):
    demo_of(*DEMO_OFFICES)


def test_officer_and_member_take_a_panel_to_a_recommendation(
    live_server, browser, page, artifacts, demo
):
    base = live_server.url
    round_ = Round.objects.filter(office__slug=OFFICE, panels__isnull=False).first()
    application = eligible_application(round_, title="Street pastors in the town centre")
    officer, member = f"officer@{OFFICE}.example", f"panel@{OFFICE}.example"

    # The officer sets up the panel.
    sign_in(page, base, officer)
    enter_code(page, officer)
    check_page(page, artifacts, "assessment-staff-home-officer")
    page.get_by_role("link", name="All panels").click()
    check_page(page, artifacts, "assessment-panel-list")
    page.get_by_role("link", name="Set up a panel").click()
    page.get_by_role("button", name="Set up the panel").click()
    assert "There is a problem" in page.content()
    check_page(page, artifacts, "assessment-panel-form-errors")
    page.select_option("#id_round", str(round_.pk))
    page.fill("#id_name", "Autumn panel")
    page.get_by_role("button", name="Set up the panel").click()
    check_page(page, artifacts, "assessment-panel-new")
    for email, standing in [
        (member, "Independent member"),
        (f"jordan.lake@{OFFICE}.example", "Voluntary sector"),
    ]:  # noqa: E501
        page.get_by_role("link", name="Add a member").click()
        check_page(page, artifacts, "assessment-member-add")
        page.fill("#id_email", email)
        page.get_by_label(standing).check()
        page.get_by_role("button", name="Add to the panel").click()
    page.get_by_role("link", name="Put an eligible application before the panel").click()
    check_page(page, artifacts, "assessment-application-add")
    page.select_option("#id_application", application.reference)
    page.get_by_role("button", name="Put before the panel").click()
    check_page(page, artifacts, "assessment-panel")
    application.refresh_from_db()
    assert application.status == Status.IN_ASSESSMENT
    panel_url = page.url

    # The member declares no conflict, then scores and submits, in a browser of their own.
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    mine = context.new_page()
    sign_in(mine, base, member)
    enter_code(mine, member, lands_on=f"**/staff/{OFFICE}/panels/")
    check_page(mine, artifacts, "assessment-panel-list-member")
    mine.goto(f"{base}/staff/")
    check_page(mine, artifacts, "assessment-staff-home-member")
    mine.get_by_role("link", name="Autumn panel").click()
    check_page(mine, artifacts, "assessment-panel-member")
    mine.get_by_role("link", name=f"Declare interests for {application.reference}").click()
    check_page(mine, artifacts, "assessment-declare")
    mine.get_by_role("button", name="Save and continue").click()
    assert "Say whether you have a conflict of interest" in mine.content()
    check_page(mine, artifacts, "assessment-declare-errors")
    mine.locator("#id_has_conflict_1").check()  # No
    mine.get_by_role("button", name="Save and continue").click()
    check_page(mine, artifacts, "assessment-score")
    assert "Not addressed, or no evidence given" in mine.content()  # the pack's descriptors
    radios = mine.locator("input[type=radio][name^=score_]")
    names = sorted({radios.nth(i).get_attribute("name") for i in range(radios.count())})
    mine.locator(f"input[name={names[0]}][value='4']").check()
    mine.get_by_role("button", name="Submit scores").click()
    assert "Not yet scored" in mine.content()
    check_page(mine, artifacts, "assessment-score-errors")
    for index, name in enumerate(names):
        mine.locator(f"input[name={name}][value='{3 + index % 2}']").check()
    mine.locator("#id_recommendation_0").check()
    mine.fill("#id_comment", "Clear need and a realistic plan.")
    mine.get_by_role("button", name="Submit scores").click()
    assert "Your scores are submitted" in mine.content()
    check_page(mine, artifacts, "assessment-score-submitted")
    context.close()

    # A second member scores (through the services), then the officer moderates.
    second = PanelMember.objects.get(
        panel__name="Autumn panel", user=User.objects.get(email=f"jordan.lake@{OFFICE}.example")
    )
    score(second, application, [1], comment="Little evidence of demand.")
    page.goto(panel_url + "moderation/")
    check_page(page, artifacts, "assessment-moderation")
    assert "Wide spread" in page.content()
    page.get_by_role("link", name="Record a meeting").first.click()
    check_page(page, artifacts, "assessment-meeting-form")
    today = timezone.localdate()
    page.fill("#id_held_on_0", str(today.day))
    page.fill("#id_held_on_1", str(today.month))
    page.fill("#id_held_on_2", str(today.year))
    page.locator("input[name=attendees]").first.check()
    page.get_by_role("button", name="Record the meeting").click()
    assert "not quorate" in page.content()
    check_page(page, artifacts, "assessment-meeting-errors")
    page.locator("input[name=attendees]").nth(1).check()
    page.get_by_role("button", name="Record the meeting").click()
    page.get_by_role(
        "link", name=f"Record the panel's recommendation on {application.reference}"
    ).click()  # noqa: E501
    check_page(page, artifacts, "assessment-agree")
    page.get_by_label("Fund", exact=True).check()
    page.fill("#id_rationale", "The panel was persuaded by the partnership with the churches.")
    page.get_by_role("button", name="Record the recommendation").click()
    check_page(page, artifacts, "assessment-moderation-agreed")
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED
    page.goto(panel_url + "allocation/")
    check_page(page, artifacts, "assessment-allocation")
    page.get_by_role("button", name="Propose awards").click()
    assert "Proposed awards" in page.content()
    check_page(page, artifacts, "assessment-allocation-run")
    page.goto(f"{base}/staff/{OFFICE}/panels/conflicts/")
    check_page(page, artifacts, "assessment-conflicts")
    page.goto(f"{base}/staff/{OFFICE}/applications/{application.reference}/")
    assert "persuaded by the partnership" in page.content()
    check_page(page, artifacts, "assessment-staff-application")
