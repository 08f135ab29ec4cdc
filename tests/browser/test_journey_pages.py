"""Issue 9, items 8 and 10 to 15, in Chromium with axe: the pages as a new user meets them."""

import re

import pytest

from commissioning.accounts.demo import DEMO_PASSWORD
from commissioning.applications.models import Round
from tests.applications.factories import CompleteDraftFactory, OrganisationFactory, member_of
from tests.browser.axe import check_page
from tests.browser.test_accessibility import enter_code, lands_on, sign_in

DEMO_OFFICES = ()  # all five

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(demo_of):
    demo_of(*DEMO_OFFICES)


ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def test_the_api_reference_is_accessible_and_linked_from_the_footer(live_server, page, artifacts):
    """Item 15."""
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="API documentation").click()
    page.wait_for_url("**/api/")
    assert page.locator("h1").inner_text() == "API reference"
    assert page.get_by_role("heading", name="GET /api/v1/offices/", exact=True).count() == 1
    assert "interactive explorer" not in page.content()
    check_page(page, artifacts, "api-reference")


def test_office_pages_show_budget_years_and_an_ended_plan(live_server, page, artifacts, demo):
    """Items 8 and 14: Cleveland's forecasts side by side; its 2021 to 2024 plan has ended."""
    page.goto(f"{live_server.url}/cleveland/")
    table = page.locator("table", has_text="Budgets by financial year")
    headers = table.locator("thead th").all_inner_texts()
    assert headers[:3] == ["Fund", "2022/23", "2023/24"] and "2026/27" in headers
    row = table.locator("tr", has_text="Victims and Witnesses Services")
    assert "£1,695,000" in row.inner_text() and "forecast" in row.inner_text()
    plan = page.locator("#plan").inner_text()
    assert plan.endswith(
        "2021 to 2024: Putting the pride back into Cleveland Police (the period has ended)"
    )
    check_page(page, artifacts, "office-cleveland-budget-years")
    page.goto(f"{live_server.url}/essex/")
    assert page.locator("#plan").inner_text() == (
        "Police and Crime Plan 2021 to 2024 (the period has ended)"
    )
    page.goto(f"{live_server.url}/cumbria/")
    assert "the period has ended" not in page.locator("#plan").inner_text()

    email = "officer@cleveland.example"
    sign_in(page, live_server.url, email)
    enter_code(page, email, lands_on=lands_on(email))
    warning = page.locator(".govuk-warning-text", has_text="Load the current Police and Crime Plan")
    assert "ended on 31 March 2024" in warning.inner_text()
    assert page.locator("table", has_text="Budgets by financial year").count() == 1
    check_page(page, artifacts, "staff-home-ended-plan-and-budget-years")


def test_eligibility_questions_and_panel_dates_read_as_sentences(
    live_server, page, artifacts, demo
):
    """Items 10 and 13."""
    for slug in ("cumbria", "essex"):
        round_ = next(
            r for r in Round.objects.filter(office__slug=slug) if r.fund.required_endorsements
        )
        page.goto(f"{live_server.url}/{slug}/funding/{round_.slug}/")
        text = page.locator("main").inner_text()
        assert "Do you have the support of" not in text and ".?" not in text
        for required in round_.fund.required_endorsements:
            assert page.get_by_role("group", name=required["question"]).count() == 1
        if round_.panel_dates:
            assert not ISO_DATE.search(text), ISO_DATE.search(text)
            first = round_.panel_dates[0]
            year, month, day = (int(x) for x in first.split("-"))
            assert re.search(rf"\b{day} [A-Z][a-z]+ {year}\b", text)
        check_page(page, artifacts, f"round-questions-{slug}")


def test_a_step_with_no_questions_is_left_out(live_server, page, artifacts, demo):
    """Item 12: at £2,000 Cambridgeshire asks nothing about sustainability, risks or evaluation."""
    round_ = Round.objects.filter(office__slug="cambridgeshire").first()
    draft = CompleteDraftFactory(
        round=round_,
        organisation=OrganisationFactory(),
        sustainability="",
        risks="",
        evaluation="",
        partnership="",
    )
    user = member_of(draft.organisation, password=DEMO_PASSWORD)
    sign_in(page, live_server.url, user.email, lands_on="**/applications/")
    page.goto(f"{live_server.url}/applications/{draft.public_id}/")
    tasks = page.locator(".govuk-task-list").inner_text()
    assert "Sustainability, risks and evaluation" not in tasks
    assert "Not yet started" not in tasks
    check_page(page, artifacts, "task-list-without-empty-step")
    page.goto(f"{live_server.url}/applications/{draft.public_id}/check/")
    assert "Not answered" not in page.locator("main").inner_text()
    check_page(page, artifacts, "check-answers-without-unasked-questions")
