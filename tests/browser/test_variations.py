"""The award page's variations: the Commissioner decides a proposed variation and opens the
form that ends an award early; the officer proposes; axe checks every page on the way (AG4)."""

import pytest

from commissioning.awards.variations.models import Variation, VariationStatus
from tests.browser.axe import check_page
from tests.browser.test_decision_flow import demo, staff_sign_in  # noqa: F401 - fixture

DEMO_OFFICES = ("essex",)

pytestmark = pytest.mark.django_db(transaction=True)


def test_variations_are_proposed_and_decided(live_server, page, artifacts, demo):  # noqa: F811
    base = live_server.url
    pending = Variation.objects.get(office__slug="essex", status=VariationStatus.PROPOSED)
    award_url = f"{base}/staff/essex/awards/{pending.award.reference}/"

    staff_sign_in(page, base, "commissioner@essex.example")
    page.goto(award_url)
    check_page(page, artifacts, "award-variations")
    page.get_by_role("link", name=f"Variation {pending.number}").click()
    check_page(page, artifacts, "variation-decide")
    page.get_by_role("button", name="Refuse the variation").click()
    assert "Give the reason for refusing" in page.content()
    check_page(page, artifacts, "variation-decide-error")
    page.fill("#id_note", "The event can still run in the spring.")
    page.get_by_role("button", name="Refuse the variation").click()
    assert "is refused" in page.content()
    page.get_by_role("button", name="End the award early").click()
    check_page(page, artifacts, "award-end-early")
    page.get_by_role("button", name="End the award").click()
    check_page(page, artifacts, "award-end-early-error")

    staff_sign_in(page, base, "officer@essex.example")
    page.goto(award_url)
    page.get_by_role("button", name="Propose a variation").click()
    check_page(page, artifacts, "variation-propose")
    page.fill("#id_reason", "More sessions over the summer.")
    page.fill("#id_amount", "1")
    page.get_by_role("button", name="Propose the variation").click()
    check_page(page, artifacts, "variation-proposed")
    pending.refresh_from_db()
    assert pending.status == VariationStatus.REFUSED
