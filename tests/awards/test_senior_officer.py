"""DE3: the award letter goes to the senior officer the application names, where the pack asks
for one; the organisation's contact is the fallback."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.applications.completeness import missing_parts
from commissioning.applications.models import Application
from commissioning.decisions.models import Letter
from tests.applications.factories import CompleteDraftFactory, RoundFactory, member_of
from tests.awards.factories import award_by_decision

pytestmark = pytest.mark.django_db

OFFICER = {
    "senior_officer_name": "Dr Ayo Benn",
    "senior_officer_role": "Chief Executive",
    "senior_officer_email": "ceo@charity.example",
}


def test_the_about_step_asks_for_the_senior_officer_when_the_tier_does(client, office):
    round_ = RoundFactory(fund=office.funds.get(code="CF"))
    small = CompleteDraftFactory(round=round_, amount_requested=Decimal("2000"))
    client.force_login(member_of(small.organisation))
    page = client.get(f"/applications/{small.public_id}/about/").content.decode()
    assert "senior officer" not in page
    # Above £2,500 the test pack's full application includes the senior_officer section.
    full = CompleteDraftFactory(
        round=round_, organisation=small.organisation, amount_requested=Decimal("4000")
    )
    page = client.get(f"/applications/{full.public_id}/about/").content.decode()
    assert "Name of the senior officer responsible for the project" in page
    response = client.post(
        f"/applications/{full.public_id}/about/",
        {**OFFICER, "senior_officer_email": "not an address", "amount_requested": "4000"},
    )
    assert "Enter an e-mail address in the right format" in response.content.decode()
    full.refresh_from_db()
    assert full.senior_officer_name == "Dr Ayo Benn" and full.senior_officer_email == ""
    client.post(f"/applications/{full.public_id}/about/", {**OFFICER, "amount_requested": "4000"})
    full.refresh_from_db()
    assert (full.senior_officer_role, full.senior_officer_email) == (
        "Chief Executive",
        "ceo@charity.example",
    )


def test_submission_needs_the_senior_officer_only_where_the_pack_asks(office):
    round_ = RoundFactory(fund=office.funds.get(code="CF"))
    policy = office.policy.application

    def missing(application):
        return {
            m.field
            for m in missing_parts(application, application_policy=policy, endorsements_required=[])
        }

    small = CompleteDraftFactory(round=round_, amount_requested=Decimal("2000"))
    assert not {"senior_officer_name", "senior_officer_email"} & missing(small)
    full = CompleteDraftFactory(round=round_, amount_requested=Decimal("4000"))
    assert {"senior_officer_name", "senior_officer_role", "senior_officer_email"} <= missing(full)
    Application.objects.filter(pk=full.pk).update(**OFFICER)
    full.refresh_from_db()
    assert not {"senior_officer_name", "senior_officer_email"} & missing(full)


def test_the_award_and_its_letter_are_addressed_to_the_senior_officer(
    office, officer, round_, signatories
):
    (award,) = award_by_decision(office, officer, round_, signatories, **OFFICER)
    assert (award.contact_name, award.contact_role, award.contact_email) == (
        "Dr Ayo Benn",
        "Chief Executive",
        "ceo@charity.example",
    )
    letter = Letter.objects.get(application=award.application, kind=Letter.Kind.AWARD)
    assert letter.sent_to == "ceo@charity.example"
    assert letter.addressee.startswith("Dr Ayo Benn, ")
    assert "Dr Ayo Benn" in letter.body


def test_without_a_senior_officer_the_organisations_contact_is_the_fallback(
    office, officer, round_, signatories
):
    (award,) = award_by_decision(office, officer, round_, signatories)
    organisation = award.organisation
    assert award.contact_email == organisation.email
    assert award.contact_role == ""
    letter = Letter.objects.get(application=award.application, kind=Letter.Kind.AWARD)
    assert letter.sent_to == organisation.email


def test_a_declined_application_is_written_to_at_the_lead_contact(
    office, officer, round_, signatories
):
    from commissioning.decisions.services import decision_submit_for_signature
    from tests.decisions.conftest import decline, draft, recommended, sign_all

    refused = recommended(round_, amount="1500", status="not_recommended", **OFFICER)
    decision = draft(office, officer, [decline(refused)])
    sign_all(decision_submit_for_signature(decision=decision, actor=officer), signatories)
    letter = Letter.objects.get(application=refused)
    assert letter.sent_to == refused.organisation.email


def test_dates_are_kept_on_the_award(office, officer, round_, signatories):
    (award,) = award_by_decision(
        office,
        officer,
        round_,
        signatories,
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2027, 5, 31),
    )
    assert (award.starts_on, award.ends_on) == (dt.date(2026, 6, 1), dt.date(2027, 5, 31))
