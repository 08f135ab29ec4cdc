"""Issue 9, item 6: a commissioning officer opens a call from the staff pages. They create a
targeted round from a fund, publish it, extend its deadline and close it early; axe checks
every page on the way, error pages included."""

import datetime as dt

import pytest
from django.utils import timezone

from commissioning.applications.models import Round, RoundStatus
from commissioning.audit.models import AuditEvent
from tests.browser.axe import check_page
from tests.browser.test_accessibility import enter_code, sign_in

DEMO_OFFICES = ("essex",)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(demo_of):
    demo_of(*DEMO_OFFICES)


def fill_date(page, prefix: str, day: dt.date) -> None:
    page.fill(f"#id_{prefix}_0", str(day.day))
    page.fill(f"#id_{prefix}_1", str(day.month))
    page.fill(f"#id_{prefix}_2", str(day.year))


def test_an_officer_creates_publishes_extends_and_closes_a_round(
    live_server, page, artifacts, demo
):
    base = live_server.url
    email = "officer@essex.example"
    sign_in(page, base, email)
    enter_code(page, email)
    page.get_by_role("link", name="Rounds: create, publish, extend and close calls").click()
    page.wait_for_url("**/staff/essex/rounds/")
    check_page(page, artifacts, "rounds-list")

    page.get_by_role("link", name="Create a round").click()
    page.wait_for_url("**/staff/essex/rounds/new/**")
    if page.locator("input[name='fund']").count():
        check_page(page, artifacts, "round-choose-fund")
        page.get_by_role("button", name="Continue").click()
        assert "Choose the fund the round is for" in page.content()
        check_page(page, artifacts, "round-choose-fund-error")
        page.locator("input[name='fund']").first.check()
        page.get_by_role("button", name="Continue").click()
    check_page(page, artifacts, "round-new")
    page.fill("#id_title", "Road safety: targeted call")
    page.fill("#id_theme", "Road safety")
    page.check("#id_has_deadline_0")
    page.get_by_role("button", name="Save as a draft").click()
    assert "Enter the deadline, or choose no for a rolling round" in page.content()
    check_page(page, artifacts, "round-new-error")

    today = timezone.localdate()
    deadline = today + dt.timedelta(days=40)
    fill_date(page, "closes_on", deadline)
    page.fill("#id_closes_time", "5pm")
    page.fill("#id_criteria", "Projects must reduce antisocial driving.")
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url("**/staff/essex/rounds/road-safety-targeted-call/")
    assert "has been saved as a draft" in page.content()
    assert f"{deadline.day} {deadline:%B %Y} at 5pm" in page.content()
    check_page(page, artifacts, "round-draft")

    page.get_by_role("link", name="Publish the round").click()
    check_page(page, artifacts, "round-publish")
    page.get_by_role("button", name="Publish the round").click()
    page.wait_for_url("**/staff/essex/rounds/road-safety-targeted-call/")
    assert "has been published" in page.content()
    check_page(page, artifacts, "round-open")
    round_ = Round.objects.get(office__slug="essex", slug="road-safety-targeted-call")
    assert round_.is_open()

    page.get_by_role("link", name="Extend the deadline").click()
    check_page(page, artifacts, "round-extend")
    fill_date(page, "closes_on", deadline - dt.timedelta(days=1))
    page.fill("#id_reason", "Half-term fell in the window.")
    page.get_by_role("button", name="Extend the deadline").click()
    assert "later than the current one" in page.content()
    check_page(page, artifacts, "round-extend-error")
    later = deadline + dt.timedelta(days=14)
    fill_date(page, "closes_on", later)
    page.get_by_role("button", name="Extend the deadline").click()
    assert "The deadline has been extended" in page.content()
    check_page(page, artifacts, "round-extended")

    page.get_by_role("link", name="Change the round").click()
    check_page(page, artifacts, "round-edit-open")
    page.fill("#id_guidance", "Speak to your neighbourhood team first.")
    page.get_by_role("button", name="Save changes").click()
    assert "Your changes have been saved" in page.content()

    page.get_by_role("link", name="Close early").click()
    check_page(page, artifacts, "round-close")
    page.get_by_role("button", name="Close the round").click()
    assert "Enter the reason for closing the round early" in page.content()
    check_page(page, artifacts, "round-close-error")
    page.fill("#id_reason", "The budget is spent.")
    page.get_by_role("button", name="Close the round").click()
    assert "has been closed" in page.content()
    check_page(page, artifacts, "round-closed")

    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED and not round_.is_open()
    assert round_.guidance == "Speak to your neighbourhood team first."
    verbs = set(
        AuditEvent.objects.filter(target_id=str(round_.pk), verb__startswith="round.").values_list(
            "verb", flat=True
        )
    )
    assert verbs == {
        "round.created",
        "round.opened",
        "round.extended",
        "round.updated",
        "round.closed",
    }
