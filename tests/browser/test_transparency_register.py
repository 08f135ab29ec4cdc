"""Issue 12 in Chromium: the public awards register, its filters and an error, an award's page
and the open data page, each passing axe. Built with the services for one office."""

import pytest

from commissioning.accounts.models import Role
from tests.accounts.factories import staff_user
from tests.applications.factories import RoundFactory
from tests.browser.axe import check_page
from tests.transparency.helpers import charity, published_awards

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


def test_the_public_register_and_an_award_page(live_server, page, artifacts, office, media):
    officer = staff_user(office, Role.COMMISSIONING_OFFICER)
    signatories = {
        role: staff_user(office, role)
        for role in (Role.COMMISSIONER, Role.MONITORING_OFFICER, Role.CHIEF_FINANCE_OFFICER)
    }
    round_ = RoundFactory(fund=office.funds.get(code="CF"), slug="spring")
    awards = published_awards(
        office, officer, round_, signatories, amounts=("2000", "900"), organisation=charity()
    )
    base = live_server.url
    page.goto(f"{base}/{office.slug}/")
    page.get_by_role("link", name="Awards register and open data").click()
    page.wait_for_url(f"**/{office.slug}/awards/")
    assert "2 awards" in page.content()
    check_page(page, artifacts, "register")

    page.fill("#id_q", awards[0].organisation.name)
    page.select_option("#id_fund", "CF")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/awards/?q=*")
    assert "2 awards" in page.content()  # both are the charity's

    page.goto(f"{base}/{office.slug}/awards/?year=1999&page=abc")
    summary = page.locator(".govuk-error-summary")
    assert "Choose a financial year from the list." in summary.inner_text()
    check_page(page, artifacts, "register-filter-error")

    page.goto(f"{base}/{office.slug}/awards/")
    page.get_by_role("link", name=f"{awards[0].organisation.name}: {awards[0].title}").first.click()
    page.wait_for_url(f"**/{office.slug}/awards/TST-*/")
    assert awards[0].decision.number in page.content()
    check_page(page, artifacts, "register-award")

    page.goto(f"{base}/{office.slug}/open-data/")
    assert "360Giving" in page.content()
    check_page(page, artifacts, "open-data")
