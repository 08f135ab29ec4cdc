"""Issue 9 item 3 in Chromium: the About step refuses a pilot longer than the fund allows, with
the limit in the error summary, and the page passes axe."""

import pytest
from django.conf import settings
from django.test import Client

from commissioning.offices.packs import load_pack
from tests.applications.factories import CompleteDraftFactory, RoundFactory, member_of
from tests.browser.axe import check_page
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(page, base, user) -> None:
    """Give the browser the session of a signed-in applicant."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )


def test_the_about_step_refuses_an_18_month_pilot_for_cumbria(live_server, page, artifacts):
    fund = load_pack(ROOT / "packs" / "cumbria.yaml").office.funds.get(code="CF")
    application = CompleteDraftFactory(
        round=RoundFactory(fund=fund), purposes=["crime-disorder"], is_pilot=False
    )
    signed_in(page, live_server.url, member_of(application.organisation))
    page.goto(f"{live_server.url}/applications/{application.public_id}/about/")
    assert "Pilots of this fund last at most 12 months." in page.content()
    for prefix, (day, month, year) in {"starts_on": (1, 4, 2027), "ends_on": (30, 9, 2028)}.items():
        page.fill(f"#id_{prefix}_0", str(day))
        page.fill(f"#id_{prefix}_1", str(month))
        page.fill(f"#id_{prefix}_2", str(year))
    page.check("#id_is_pilot_0")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    assert "Pilots of this fund last at most 12 months" in summary.inner_text()
    check_page(page, artifacts, "step-about-pilot-too-long")
    application.refresh_from_db()
    assert application.is_pilot is False
    page.fill("#id_ends_on_0", "31")
    page.fill("#id_ends_on_1", "3")
    page.fill("#id_ends_on_2", "2028")
    page.check("#id_is_pilot_0")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/need/")
    application.refresh_from_db()
    assert application.is_pilot is True
    assert application.pilot_evaluation_due.isoformat() == "2028-03-31"
