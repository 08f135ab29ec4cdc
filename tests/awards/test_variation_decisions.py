"""A variation over a sign-off threshold gets its decision record in the product (issue 10,
item 7; AG4, DE1): the officer drafts it from the variation, the office's tiers fix who signs
from the award's new amount, and once signed it approves the variation. A decision record can
decide something other than applications (`decision_create_for_subject`)."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.accounts.models import Role
from commissioning.audit.models import AuditEvent
from commissioning.awards.models import Award
from commissioning.awards.variations.models import VariationStatus
from commissioning.awards.variations.services import (
    variation_approve,
    variation_decision,
    variation_decision_draft,
    variation_propose,
)
from commissioning.core.errors import DomainError
from commissioning.decisions.models import DecisionStatus
from commissioning.decisions.services import (
    decision_create_for_subject,
    decision_submit_for_signature,
    decision_update,
)
from tests.accounts.factories import sign_in
from tests.awards.factories import award_by_decision
from tests.decisions.conftest import RECORD, sign_all

pytestmark = pytest.mark.django_db

YEAR_2026 = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2027, 3, 31)}


@pytest.fixture
def award(office, officer, round_, signatories):
    (award,) = award_by_decision(
        office, officer, round_, signatories, amounts=("1500",), **YEAR_2026
    )
    return award


@pytest.fixture
def variation(officer, award):
    return variation_propose(award=award, actor=officer, reason="More sessions", amount="2400")


def test_a_decision_about_something_else_is_signed_at_the_tier_of_its_amount(
    office, officer, signatories
):
    decision = decision_create_for_subject(
        office=office,
        actor=officer,
        fields=RECORD,
        subject_kind="variation",
        subject_reference="TST-X/1",
        amount=Decimal("2400"),
    )
    assert decision.total == Decimal("2400.00") and not decision.decides_applications
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    # The pack's tiers: over £2,000 needs three signatures.
    assert set(decision.required_roles) == {
        Role.COMMISSIONER,
        Role.MONITORING_OFFICER,
        Role.CHIEF_FINANCE_OFFICER,
    }
    decision = sign_all(decision, signatories)
    assert decision.status == DecisionStatus.SIGNED
    assert not Award.objects.filter(decision=decision).exists()


def test_a_decision_about_something_else_is_refused_without_a_known_kind_or_reference(
    office, officer
):
    with pytest.raises(DomainError, match="Nothing of that kind"):
        decision_create_for_subject(
            office=office,
            actor=officer,
            fields=RECORD,
            subject_kind="lunch",
            subject_reference="X",
            amount=Decimal("1"),
        )
    with pytest.raises(DomainError, match="Name what the record decides"):
        decision_create_for_subject(
            office=office,
            actor=officer,
            fields=RECORD,
            subject_kind="variation",
            subject_reference=" ",
            amount=Decimal("1"),
        )


def test_applications_cannot_be_added_to_a_decision_about_something_else(
    office, officer, variation
):
    decision = variation_decision_draft(variation=variation, actor=officer)
    with pytest.raises(DomainError, match="not applications"):
        decision_update(decision=decision, actor=officer, fields={}, lines=[])


def test_the_drafted_record_approves_the_variation_once_signed(
    officer, signatories, award, variation
):
    commissioner = signatories[Role.COMMISSIONER]
    decision = variation_decision_draft(variation=variation, actor=officer)
    assert decision.subject_reference == f"{award.reference}/1"
    assert "£1,500.00" in decision.summary and "£2,400.00" in decision.summary
    assert decision.rationale == "More sessions"
    assert variation_decision(variation) == decision
    with pytest.raises(DomainError, match="already drafted"):
        variation_decision_draft(variation=variation, actor=officer)
    with pytest.raises(DomainError, match="is not signed yet"):
        variation_approve(variation=variation, actor=commissioner, decision=decision)
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    decision = sign_all(decision, signatories)
    approved = variation_approve(variation=variation, actor=commissioner, decision=decision)
    assert approved.status == VariationStatus.APPROVED
    award.refresh_from_db()
    assert award.amount == Decimal("2400.00")
    assert AuditEvent.objects.filter(verb="variation.decision_drafted").count() == 1


def test_only_a_variation_waiting_for_a_record_gets_one(officer, signatories, award):
    small = variation_propose(award=award, actor=officer, reason="A little more", amount="1800")
    with pytest.raises(DomainError, match="does not wait for a decision record"):
        variation_decision_draft(variation=small, actor=officer)


def test_only_a_commissioning_officer_drafts_the_record(signatories, variation):
    with pytest.raises(DomainError, match="Only a commissioning officer"):
        variation_decision_draft(variation=variation, actor=signatories[Role.COMMISSIONER])


def test_the_variation_page_drafts_the_record_and_the_record_links_back(
    client, office, officer, signatories, award, variation
):
    page = f"/staff/{office.slug}/awards/{award.reference}/variations/1/"
    sign_in(client, officer)
    assert "Draft the decision record" in client.get(page).content.decode()
    response = client.post(page, {"action": "draft_decision"})
    decision = variation_decision(variation)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/{office.slug}/decisions/{decision.slug}/edit/"
    edit = client.get(response["Location"]).content.decode()
    assert "This record decides" in edit and "£2,400.00" in edit
    saved = client.post(
        response["Location"],
        {**RECORD, "title": "Variation 1, more sessions"},
    )
    assert saved.status_code == 302
    detail = client.get(f"/staff/{office.slug}/decisions/{decision.slug}/").content.decode()
    assert "Variation of an award" in detail and page in detail
    assert "Applications decided" not in detail
    # Signed: the variation page offers its number to approve with.
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    sign_all(decision, signatories)
    sign_in(client, signatories[Role.COMMISSIONER])
    html = client.get(page).content.decode()
    assert f'value="{decision.number}"' in html


def test_another_offices_staff_cannot_draft_one(client, other_office, variation, award):
    from tests.accounts.factories import staff_user

    stranger = staff_user(other_office, Role.COMMISSIONING_OFFICER)
    sign_in(client, stranger)
    page = f"/staff/{award.office.slug}/awards/{award.reference}/variations/1/"
    assert client.post(page, {"action": "draft_decision"}).status_code == 404
    assert variation_decision(variation) is None
