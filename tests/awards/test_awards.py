"""Awards from signed decisions (issue 10, item 1) and their commitments (item 2, ST6)."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.applications.models import Status as ApplicationStatus
from commissioning.awards.models import Award, AwardStatus, EntryKind, KeptRecord, LedgerEntry
from commissioning.awards.rules import award_period, year_shares
from commissioning.awards.selectors import balance_of
from commissioning.awards.services import award_transition
from commissioning.core.errors import DomainError
from commissioning.decisions.models import DecisionStatus, Signature
from commissioning.decisions.services import decision_submit_for_signature
from commissioning.offices.models import Budget
from tests.awards.factories import award_by_decision
from tests.decisions.conftest import approve, draft, recommended, sign_all

pytestmark = pytest.mark.django_db


def test_signing_a_decision_makes_an_award_of_each_approved_line(
    office, officer, round_, signatories
):
    first, second = award_by_decision(
        office,
        officer,
        round_,
        signatories,
        amounts=("1500", "2500"),
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2027, 3, 31),
    )
    assert first.reference == first.application.reference
    assert first.organisation == first.application.organisation
    assert first.fund.code == "CF"
    assert (first.amount, second.amount) == (Decimal("1500.00"), Decimal("2500.00"))
    assert (first.first_year, first.last_year) == (2026, 2026)
    assert first.status == AwardStatus.OFFERED
    assert first.status_changes.get().new == AwardStatus.OFFERED
    entries = LedgerEntry.objects.filter(award__in=[first, second], kind=EntryKind.COMMITMENT)
    assert sorted(e.amount for e in entries) == [Decimal("1500.00"), Decimal("2500.00")]
    budget = Budget.objects.get(fund__office=office, fund__code="CF", financial_year=2026)
    balance = balance_of(budget)
    assert balance.committed == Decimal("4000.00")
    assert balance.remaining == Decimal("46000.00")


def test_declined_lines_make_no_award(office, officer, round_, signatories):
    from tests.decisions.conftest import decline

    refused = recommended(round_, amount="1500", status="not_recommended")
    decision = draft(office, officer, [decline(refused)])
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    sign_all(decision, signatories)
    assert not Award.objects.exists()


def test_a_multi_year_award_commits_each_years_share_to_its_own_year(
    office, officer, round_, signatories
):
    (award,) = award_by_decision(
        office,
        officer,
        round_,
        signatories,
        amounts=("2400",),
        starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2027, 9, 30),
    )
    assert (award.first_year, award.last_year) == (2026, 2027)
    by_year = {
        e.budget.financial_year: e.amount for e in award.ledger_entries.select_related("budget")
    }
    assert by_year == {2026: Decimal("1196.71"), 2027: Decimal("1203.29")}
    assert sum(by_year.values()) == award.amount


def test_a_commitment_larger_than_remains_refuses_the_signature_with_both_figures(
    office, officer, round_, signatories
):
    budget = Budget.objects.get(fund__office=office, fund__code="CF", financial_year=2026)
    Budget.objects.filter(pk=budget.pk).update(allocation=Decimal("1000"))
    application = recommended(
        round_, amount="1500", starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2027, 3, 31)
    )
    decision = draft(office, officer, [approve(application)])
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    with pytest.raises(DomainError) as refused:
        sign_all(decision, signatories)
    assert (
        "£1,500.00 is more than the £1,000.00 that remains in the Community Fund for 2026/27"
        in (refused.value.message)
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_SIGNATURES
    assert not Signature.objects.filter(decision=decision).exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWAITING_DECISION
    assert not Award.objects.exists()
    assert not LedgerEntry.objects.filter(kind=EntryKind.COMMITMENT).exists()


def test_an_award_in_a_year_without_a_budget_is_refused(office, officer, round_, signatories):
    application = recommended(
        round_, amount="1500", starts_on=dt.date(2030, 4, 1), ends_on=dt.date(2031, 3, 31)
    )
    decision = draft(office, officer, [approve(application)])
    decision = decision_submit_for_signature(decision=decision, actor=officer)
    with pytest.raises(DomainError, match="no budget for the Community Fund in 2030/31"):
        sign_all(decision, signatories)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2026, 4, 1), dt.date(2027, 3, 31), [(2026, "1000.00")]),
        (dt.date(2027, 3, 1), dt.date(2027, 4, 30), [(2026, "508.20"), (2027, "491.80")]),
        (
            dt.date(2026, 1, 1),
            dt.date(2028, 12, 31),
            [(2025, "82.12"), (2026, "333.03"), (2027, "333.94"), (2028, "250.91")],
        ),
    ],
)
def test_year_shares_follow_financial_years_and_add_up_exactly(start, end, expected):
    shares = year_shares(Decimal("1000.00"), start, end)
    assert [(y, str(s)) for y, s in shares] == expected
    assert sum(s for _, s in shares) == Decimal("1000.00")


def test_an_award_without_dates_runs_the_funds_default_length_from_the_decision():
    start, end = award_period(
        starts_on=None, ends_on=None, decided_on=dt.date(2026, 5, 15), months=12
    )
    assert (start, end) == (dt.date(2026, 5, 15), dt.date(2027, 5, 14))


def test_awards_and_their_entries_are_kept(office, officer, round_, signatories):
    (award,) = award_by_decision(office, officer, round_, signatories)
    entry = award.ledger_entries.first()
    with pytest.raises(KeptRecord):
        award.delete()
    with pytest.raises(KeptRecord):
        entry.delete()
    entry.amount = Decimal("1")
    with pytest.raises(KeptRecord):
        entry.save()
    with pytest.raises(KeptRecord):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(KeptRecord):
        LedgerEntry.objects.filter(pk=entry.pk).delete()


def test_award_transitions_follow_the_table(office, officer, round_, signatories):
    (award,) = award_by_decision(office, officer, round_, signatories)
    with pytest.raises(DomainError, match="cannot become active"):
        award_transition(award=award, to=AwardStatus.ACTIVE, actor=officer)
    award = award_transition(award=award, to=AwardStatus.SENT, actor=officer)
    assert award.status == AwardStatus.SENT
    assert [c.new for c in award.status_changes.all()] == ["offered", "sent"]
