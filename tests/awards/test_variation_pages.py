"""The award page's variations section, the propose, decide and end-early pages, and the API
(issue 10, items 7 and 8): office staff only, the right people see the right actions, bad
input is a form error, and the page costs the same queries however many variations it has."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.models import Role
from commissioning.awards.models import AwardStatus
from commissioning.awards.variations.models import Variation, VariationStatus
from commissioning.awards.variations.services import (
    variation_approve,
    variation_propose,
    variation_refuse,
)
from tests.accounts.factories import sign_in, staff_user
from tests.applications.factories import member_of
from tests.awards.factories import award_by_decision
from tests.awards.test_api import bearer

pytestmark = pytest.mark.django_db

YEAR_2026 = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2027, 3, 31)}


@pytest.fixture
def award(office, officer, round_, signatories):
    (award,) = award_by_decision(
        office, officer, round_, signatories, amounts=("1500",), **YEAR_2026
    )
    return award


@pytest.fixture
def commissioner(signatories):
    return signatories[Role.COMMISSIONER]


def url(award, path=""):
    return f"/staff/{award.office.slug}/awards/{award.reference}/{path}"


def test_the_award_page_shows_variations_and_the_actions_of_each_role(
    client, officer, commissioner, award
):
    variation_propose(award=award, actor=officer, reason="Extra sessions", amount="1700")
    sign_in(client, officer)
    html = client.get(url(award)).content.decode()
    assert "Variation 1" in html and "Proposed" in html and "£1,700" in html
    assert "Propose a variation" in html and "End the award early" not in html
    sign_in(client, commissioner)
    html = client.get(url(award)).content.decode()
    assert "Propose a variation" not in html and "End the award early" in html


def test_an_officer_proposes_through_the_form(client, officer, award):
    sign_in(client, officer)
    assert client.get(url(award, "variations/new/")).status_code == 200
    response = client.post(
        url(award, "variations/new/"),
        {
            "amount": "1,800",
            "ends_on_0": "30",
            "ends_on_1": "6",
            "ends_on_2": "2027",
            "reason": "The project runs a summer scheme",
        },
    )
    assert response.status_code == 302
    variation = Variation.objects.get(award=award)
    assert variation.amount_after == Decimal("1800.00")
    assert variation.ends_on_after == dt.date(2027, 6, 30)
    assert variation.kinds == ["Amount", "Extension"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "1800"}, "Give the reason for the change"),
        ({"amount": "lots", "reason": "x"}, "Enter an amount in pounds and pence"),
        ({"ends_on_0": "31", "ends_on_1": "2", "ends_on_2": "2027", "reason": "x"}, "real date"),
        ({"reason": "Nothing new"}, "The variation changes nothing"),
        (
            {"ends_on_0": "1", "ends_on_1": "1", "ends_on_2": "2026", "reason": "x"},
            "The end date must be on or after the start date",
        ),
    ],
)
def test_bad_proposals_are_form_errors_and_save_nothing(client, officer, award, data, message):
    sign_in(client, officer)
    response = client.post(url(award, "variations/new/"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Variation.objects.exists()


def test_the_tier_approves_on_the_variation_page_and_the_proposer_cannot(
    client, office, officer, commissioner, award
):
    variation_propose(award=award, actor=officer, reason="More", amount="1700")
    sign_in(client, officer)
    page = client.get(url(award, "variations/1/"))
    assert page.status_code == 200 and "Approve the variation" not in page.content.decode()
    assert client.post(url(award, "variations/1/"), {"action": "approve"}).status_code == 404
    sign_in(client, commissioner)
    assert "Approve the variation" in client.get(url(award, "variations/1/")).content.decode()
    response = client.post(url(award, "variations/1/"), {"action": "approve", "note": "Fine"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.amount == Decimal("1700.00")
    html = client.get(url(award)).content.decode()
    assert "Approved" in html


def test_a_refusal_needs_a_reason_on_the_page(client, officer, commissioner, award):
    variation_propose(award=award, actor=officer, reason="More", amount="1700")
    sign_in(client, commissioner)
    response = client.post(url(award, "variations/1/"), {"action": "refuse"})
    assert response.status_code == 400
    assert "Give the reason for refusing the variation" in response.content.decode()
    client.post(url(award, "variations/1/"), {"action": "refuse", "note": "Not now"})
    assert Variation.objects.get().status == VariationStatus.REFUSED


def test_a_variation_over_a_threshold_asks_for_the_decision_record(
    client, officer, commissioner, award
):
    variation_propose(award=award, actor=officer, reason="Bigger", amount="2400")
    sign_in(client, commissioner)
    page = client.get(url(award, "variations/1/")).content.decode()
    assert "Awaiting a decision record" in page and "Decision record number" in page
    response = client.post(
        url(award, "variations/1/"), {"action": "approve", "decision": "TST/1999/999"}
    )
    assert response.status_code == 400
    assert "This office has no decision record TST/1999/999" in response.content.decode()


def test_the_tier_ends_an_award_early_through_the_form(client, officer, commissioner, award):
    sign_in(client, officer)
    assert client.get(url(award, "end-early/")).status_code == 404
    sign_in(client, commissioner)
    response = client.post(url(award, "end-early/"), {"reason": "Closed", "unspent": ""})
    assert response.status_code == 400
    assert "Confirm that the award ends now" in response.content.decode()
    response = client.post(
        url(award, "end-early/"), {"reason": "Closed", "unspent": "5", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "£5.00 is more than the £0.00 paid" in response.content.decode()
    response = client.post(url(award, "end-early/"), {"reason": "Closed", "confirm": "on"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == AwardStatus.TERMINATED
    html = client.get(url(award)).content.decode()
    assert "Ended early" in html and "Released to the budget: £1,500" in html


@pytest.mark.parametrize("path", ["", "variations/new/", "variations/1/", "end-early/"])
def test_another_offices_staff_and_applicants_get_not_found(
    client, office, other_office, officer, award, path
):
    variation_propose(award=award, actor=officer, reason="More", amount="1700")
    for user in (
        staff_user(other_office, Role.COMMISSIONER),
        staff_user(other_office, Role.COMMISSIONING_OFFICER),
        staff_user(office, Role.PANEL_MEMBER),
        member_of(award.organisation),
    ):
        sign_in(client, user)
        assert client.get(url(award, path)).status_code == 404, (user, path)
        assert client.post(url(award, path), {"action": "approve"}).status_code == 404
    sign_in(client, officer)
    assert client.get(url(award, "variations/9/")).status_code == 404


def test_the_award_page_costs_the_same_queries_for_more_variations(
    client, officer, commissioner, award, django_assert_num_queries
):
    variation_approve(
        variation=variation_propose(award=award, actor=officer, reason="a", amount="1600"),
        actor=commissioner,
    )
    sign_in(client, commissioner)
    client.get(url(award))
    with CaptureQueriesContext(connection) as one:
        client.get(url(award))
    for amount in ("1700", "1800"):
        variation_approve(
            variation=variation_propose(award=award, actor=officer, reason="b", amount=amount),
            actor=commissioner,
        )
    variation_refuse(
        variation=variation_propose(award=award, actor=officer, reason="c", amount="1900"),
        actor=commissioner,
        reason="No",
    )
    variation_propose(award=award, actor=officer, reason="d", amount="1950")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url(award))


def test_the_api_lists_an_awards_variations_for_the_office_only(
    client, other_office, officer, commissioner, award
):
    variation = variation_propose(
        award=award, actor=officer, reason="Later", ends_on=dt.date(2027, 6, 30)
    )
    variation_approve(variation=variation, actor=commissioner)
    path = f"/api/v1/offices/{award.office.slug}/awards/{award.reference}/variations"
    listed = client.get(path, **bearer(officer))
    assert listed.status_code == 200
    (row,) = listed.json()
    assert row["status"] == "approved" and row["changes"] == ["Extension"]
    assert (row["ends_on_before"], row["ends_on_after"]) == ("2027-03-31", "2027-06-30")
    assert row["amount_after"] == "1500.00"
    outsider = staff_user(other_office, Role.COMMISSIONING_OFFICER)
    assert client.get(path, **bearer(outsider)).status_code == 404
