"""AG3: instalments planned when an award is made, released only when their conditions are
met, approved by a finance officer who had no hand in the award."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.accounts.models import Role
from commissioning.awards.models import AwardStatus
from commissioning.awards.payments.models import InstalmentStatus
from commissioning.awards.payments.selectors import payment_schedule_rows
from commissioning.awards.payments.services import (
    instalment_approve,
    instalment_claim_approved,
    instalment_resolve,
    instalment_return_accepted,
    instalment_withhold,
)
from commissioning.awards.services import award_transition
from commissioning.core.errors import DomainError
from commissioning.offices.models import Fund
from tests.accounts.factories import staff_user
from tests.awards.factories import award_by_decision
from tests.awards.payments.conftest import YEAR_2026, activate

pytestmark = pytest.mark.django_db
MIDYEAR = {
    "kind": "in_arrears",
    "returns": [
        {"key": "mid-year", "label": "the mid-year report"},
        {"key": "year-end", "label": "the year-end report"},
    ],
}


def _award_with(office, officer, round_, signatories, schedule, amount="2000"):
    Fund.objects.filter(pk=round_.fund_id).update(payment_schedule=schedule)
    round_.fund.refresh_from_db()
    return award_by_decision(office, officer, round_, signatories, amounts=(amount,), **YEAR_2026)[
        0
    ]


def test_instalments_are_planned_from_the_schedule_when_the_award_is_made(award):
    """AG3: the test pack's Community Fund pays in two phases; they add up to the award."""
    rows = payment_schedule_rows(award)
    assert [(r.label, r.due_on, r.amount) for r in rows] == [
        ("Instalment 1 of 2", dt.date(2026, 4, 1), Decimal("1000.00")),
        ("Instalment 2 of 2", dt.date(2026, 9, 30), Decimal("1000.00")),
    ]
    assert all(r.condition == "the grant agreement countersigned" for r in rows)
    assert set(award.instalments.values_list("status", flat=True)) == {"scheduled"}


def test_nothing_is_releasable_or_approved_before_the_award_is_active(award, officer, finance):
    """AG3: nothing paid before both sign."""
    first = award.instalments.get(sequence=1)
    for to in (AwardStatus.SENT, AwardStatus.SIGNED_BY_PROVIDER):
        award_transition(award=award, to=to, actor=officer)
        assert not award.instalments.exclude(status="scheduled").exists()
    with pytest.raises(DomainError, match="nothing is paid before its agreement is countersigned"):
        instalment_approve(instalment=first, actor=finance)
    award_transition(award=award, to=AwardStatus.ACTIVE, actor=officer)
    first.refresh_from_db()
    assert first.status == InstalmentStatus.RELEASABLE
    assert first.proposed_by == officer


def test_a_later_phase_is_not_approved_before_it_is_due(award, officer, finance):
    activate(award, officer)
    second = award.instalments.get(sequence=2)
    with pytest.raises(DomainError, match="not due until 30 September 2026"):
        instalment_approve(instalment=second, actor=finance, today=dt.date(2026, 5, 1))
    instalment_approve(instalment=second, actor=finance, today=dt.date(2026, 9, 30))
    second.refresh_from_db()
    assert second.status == InstalmentStatus.APPROVED and second.approved_by == finance


def test_in_arrears_instalments_wait_for_their_return(office, officer, round_, signatories):
    """AG3: an in-arrears instalment is blocked until its named return is accepted."""
    award = _award_with(office, officer, round_, signatories, MIDYEAR)
    activate(award, officer)
    first, second = award.instalments.order_by("sequence")
    assert first.status == second.status == InstalmentStatus.SCHEDULED
    assert first.condition_label == "the mid-year report accepted"
    instalment_return_accepted(award=award, return_key="year-end", actor=officer, cause="R-2")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == InstalmentStatus.SCHEDULED
    assert second.status == InstalmentStatus.RELEASABLE and second.condition_cause == "R-2"
    assert instalment_return_accepted(award=award, return_key="other", actor=officer) == []


def test_a_return_accepted_before_the_award_is_active_releases_on_activation(
    office, officer, round_, signatories
):
    award = _award_with(office, officer, round_, signatories, MIDYEAR)
    instalment_return_accepted(award=award, return_key="mid-year", actor=officer)
    first = award.instalments.get(sequence=1)
    assert first.status == InstalmentStatus.SCHEDULED and first.condition_met_at
    activate(award, officer)
    first.refresh_from_db()
    assert first.status == InstalmentStatus.RELEASABLE


def test_on_claim_instalments_wait_for_approved_claims(office, officer, round_, signatories):
    award = _award_with(
        office, officer, round_, signatories, {"kind": "on_claim", "instalments": 2}
    )
    activate(award, officer)
    assert not award.instalments.filter(status="releasable").exists()
    instalment_claim_approved(award=award, claim_reference="CL-1", actor=officer)
    instalment_claim_approved(award=award, claim_reference="CL-2", actor=officer)
    assert award.instalments.filter(status="releasable").count() == 2
    with pytest.raises(DomainError, match="claimed already"):
        instalment_claim_approved(award=award, claim_reference="CL-3", actor=officer)


def test_approval_is_kept_apart_from_the_award_and_the_proposal(
    office, officer, finance, signatories, round_
):
    """AG3: a finance officer approves, never whoever signed or recorded the decision or
    proposed the instalment. Over £2,000 the Chief Finance Officer signs the decision."""
    award = _award_with(office, officer, round_, signatories, {"kind": "upfront"}, "2500")
    assert award.decision.signatures.filter(user=signatories[Role.CHIEF_FINANCE_OFFICER]).exists()
    activate(award, officer)
    first = award.instalments.get(sequence=1)
    cfo = signatories[Role.CHIEF_FINANCE_OFFICER]
    with pytest.raises(DomainError, match="You signed the decision"):
        instalment_approve(instalment=first, actor=cfo)
    with pytest.raises(DomainError, match="Only a finance officer"):
        instalment_approve(instalment=first, actor=officer)
    recorder = staff_user(office, Role.FINANCE_OFFICER)
    award.decision.__class__.objects.filter(pk=award.decision_id).update(created_by=recorder)
    with pytest.raises(DomainError, match="You recorded the decision"):
        instalment_approve(instalment=first, actor=recorder)
    first.__class__.objects.filter(pk=first.pk).update(proposed_by=finance)
    with pytest.raises(DomainError, match="You proposed this instalment"):
        instalment_approve(instalment=first, actor=finance)
    first.refresh_from_db()
    assert first.status == InstalmentStatus.RELEASABLE


def test_withheld_with_a_reason_and_scheduled_again_when_resolved(award, officer, finance):
    activate(award, officer)
    first = award.instalments.get(sequence=1)
    with pytest.raises(DomainError, match="Give the reason"):
        instalment_withhold(instalment=first, reason=" ", actor=finance)
    instalment_withhold(instalment=first, reason="Safeguarding concern raised", actor=finance)
    first.refresh_from_db()
    assert first.status == InstalmentStatus.WITHHELD
    assert first.withheld_reason == "Safeguarding concern raised"
    instalment_resolve(instalment=first, note="Concern investigated and closed", actor=finance)
    first.refresh_from_db()
    assert first.status == InstalmentStatus.RELEASABLE and first.withheld_reason == ""


def test_terminating_an_award_withholds_what_is_not_paid(award, officer):
    activate(award, officer)
    award_transition(award=award, to=AwardStatus.TERMINATED, actor=officer)
    assert set(award.instalments.values_list("status", flat=True)) == {"withheld"}
    first = award.instalments.get(sequence=1)
    with pytest.raises(DomainError, match="stay withheld"):
        instalment_resolve(instalment=first, note="Try again", actor=officer)
