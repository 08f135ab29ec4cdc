"""Variations and early termination (issue 10, item 7; AG4): the right tier approves, the
proposer never does, the ledger moves with the change, and an award ended early gives back
what it has not been paid and claws back what was paid and not spent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.accounts.models import Role
from commissioning.accounts.services import membership_grant
from commissioning.audit.models import AuditEvent
from commissioning.awards.models import AwardStatus, EntryKind, LedgerEntry
from commissioning.awards.rules import add_months, year_shares
from commissioning.awards.selectors import balance_of
from commissioning.awards.services import ledger_commit, ledger_entry_add
from commissioning.awards.variations import hooks
from commissioning.awards.variations.models import Termination, VariationStatus
from commissioning.awards.variations.rules import (
    approver_roles,
    clawback_by_year,
    needs_decision,
    tier_index,
)
from commissioning.awards.variations.selectors import award_outcomes, award_year_figures
from commissioning.awards.variations.services import (
    award_terminate,
    variation_approve,
    variation_propose,
    variation_refuse,
)
from commissioning.core.errors import DomainError
from commissioning.offices.models import Budget
from tests.accounts.factories import staff_user
from tests.awards.factories import award_by_decision

pytestmark = pytest.mark.django_db

YEAR_2026 = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2027, 3, 31)}
SIGN_OFF = {
    "tiers": [
        {"over": 0, "up_to": 2000, "signatories": ["commissioner"]},
        {"over": 2000, "signatories": ["commissioner", "monitoring_officer", "cfo"]},
    ]
}


@pytest.fixture
def award(office, officer, round_, signatories):
    (award,) = award_by_decision(
        office, officer, round_, signatories, amounts=("1500",), **YEAR_2026
    )
    return award


@pytest.fixture
def commissioner(signatories):
    return signatories[Role.COMMISSIONER]


def _budget(office, year):
    return Budget.objects.get(fund__office=office, fund__code="CF", financial_year=year)


def _award_entries(award, kind):
    return list(
        LedgerEntry.objects.filter(award=award, kind=kind)
        .order_by("id")
        .values_list("budget__financial_year", "amount")
    )


# Tiers -------------------------------------------------------------------------------------


def test_tiers_come_from_the_packs_sign_off_rules():
    assert tier_index(Decimal("1500"), SIGN_OFF) == 0
    assert tier_index(Decimal("2000"), SIGN_OFF) == 0
    assert tier_index(Decimal("2000.01"), SIGN_OFF) == 1
    assert needs_decision(Decimal("1500"), Decimal("2500"), SIGN_OFF)
    assert not needs_decision(Decimal("1500"), Decimal("2000"), SIGN_OFF)
    assert not needs_decision(Decimal("2500"), Decimal("1500"), SIGN_OFF)
    assert not needs_decision(Decimal("2500"), Decimal("3500"), SIGN_OFF)
    assert approver_roles(Decimal("1500"), Decimal("1800"), SIGN_OFF) == {"commissioner"}
    assert "cfo" in approver_roles(Decimal("2500"), Decimal("1500"), SIGN_OFF)


def test_clawback_is_split_latest_year_first_and_never_more_than_paid_there():
    paid = {2026: Decimal("300"), 2027: Decimal("200")}
    assert clawback_by_year(Decimal("250"), paid) == {2027: Decimal("200"), 2026: Decimal("50")}
    assert sum(clawback_by_year(Decimal("500"), paid).values()) == Decimal("500")


# Proposing and approving -------------------------------------------------------------------


def test_an_increase_approved_by_the_tier_commits_more_and_keeps_before_and_after(
    office, officer, commissioner, award
):
    """AG4."""
    variation = variation_propose(award=award, actor=officer, reason="More sessions", amount="1800")
    assert variation.status == VariationStatus.PROPOSED and not variation.needs_decision
    award.refresh_from_db()
    assert award.amount == Decimal("1500.00")  # nothing changes before approval
    variation_approve(variation=variation, actor=commissioner, note="Agreed")
    award.refresh_from_db()
    variation.refresh_from_db()
    assert award.amount == Decimal("1800.00")
    assert (variation.amount_before, variation.amount_after) == (Decimal("1500"), Decimal("1800"))
    assert variation.status == VariationStatus.APPROVED
    assert variation.decided_by == commissioner
    assert _award_entries(award, EntryKind.COMMITMENT) == [
        (2026, Decimal("1500.00")),
        (2026, Decimal("300.00")),
    ]
    entry = LedgerEntry.objects.filter(award=award).latest("id")
    assert entry.cause == variation and "Variation 1" in entry.reason
    assert AuditEvent.objects.filter(verb="award.varied", target_id=str(award.pk)).exists()


def test_a_decrease_releases_the_difference(office, officer, commissioner, award):
    variation = variation_propose(award=award, actor=officer, reason="Smaller", amount="1000")
    variation_approve(variation=variation, actor=commissioner)
    assert _award_entries(award, EntryKind.RELEASE) == [(2026, Decimal("500.00"))]
    assert balance_of(_budget(office, 2026)).net_committed == Decimal("1000.00")


def test_an_extension_into_the_next_year_moves_money_between_years(
    office, officer, commissioner, award
):
    new_end = dt.date(2027, 9, 30)
    variation = variation_propose(
        award=award,
        actor=officer,
        reason="Later start and extension",
        starts_on=dt.date(2026, 10, 1),
        ends_on=new_end,
    )
    assert variation.is_extension
    variation_approve(variation=variation, actor=commissioner)
    shares = dict(year_shares(Decimal("1500.00"), dt.date(2026, 10, 1), new_end))
    assert _award_entries(award, EntryKind.RELEASE) == [(2026, Decimal("1500.00") - shares[2026])]
    assert _award_entries(award, EntryKind.COMMITMENT)[-1] == (2027, shares[2027])
    committed, _paid = award_year_figures(award)
    assert committed == shares
    award.refresh_from_db()
    assert (award.first_year, award.last_year, award.ends_on) == (2026, 2027, new_end)


def test_the_proposer_cannot_approve_or_refuse(office, commissioner, award):
    both = staff_user(office, Role.COMMISSIONING_OFFICER)
    membership_grant(user=both, office=office, role=Role.COMMISSIONER)
    variation = variation_propose(award=award, actor=both, reason="More", amount="1600")
    with pytest.raises(DomainError, match="You proposed this variation"):
        variation_approve(variation=variation, actor=both)
    with pytest.raises(DomainError, match="You proposed this variation"):
        variation_refuse(variation=variation, actor=both, reason="No")
    variation.refresh_from_db()
    assert variation.status == VariationStatus.PROPOSED


def test_someone_outside_the_tier_cannot_approve(office, officer, signatories, award):
    variation = variation_propose(award=award, actor=officer, reason="More", amount="1600")
    with pytest.raises(DomainError, match="decided by the Commissioner"):
        variation_approve(variation=variation, actor=signatories[Role.MONITORING_OFFICER])


def test_only_a_commissioning_officer_proposes(commissioner, award):
    with pytest.raises(DomainError, match="Only a commissioning officer"):
        variation_propose(award=award, actor=commissioner, reason="More", amount="1600")


def test_a_variation_that_changes_nothing_is_refused(officer, award):
    with pytest.raises(DomainError, match="changes nothing"):
        variation_propose(award=award, actor=officer, reason="Same", amount="1500")


def test_one_variation_waits_at_a_time(officer, award):
    variation_propose(award=award, actor=officer, reason="More", amount="1600")
    with pytest.raises(DomainError, match="Variation 1 of .* is still waiting"):
        variation_propose(award=award, actor=officer, reason="Even more", amount="1700")


def test_an_increase_the_budget_lacks_is_refused_with_both_figures(
    office, officer, commissioner, award
):
    budget = _budget(office, 2026)
    room = balance_of(budget).remaining
    variation = variation_propose(award=award, actor=officer, reason="More", amount="1800")
    ledger_commit(budget=budget, amount=room - Decimal("100"), actor=None, reason="Others")
    with pytest.raises(DomainError) as refused:
        variation_approve(variation=variation, actor=commissioner)
    assert refused.value.message == (
        "£300.00 is more than the £100.00 that remains in the Community Fund for 2026/27."
    )
    award.refresh_from_db()
    variation.refresh_from_db()
    assert award.amount == Decimal("1500.00") and variation.status == VariationStatus.PROPOSED
    assert len(_award_entries(award, EntryKind.COMMITMENT)) == 1
    with pytest.raises(DomainError, match="£500.00 is more than the £100.00 that remains"):
        variation_refuse(variation=variation, actor=commissioner, reason="No room")
        variation_propose(award=award, actor=officer, reason="More", amount="2000")


def test_a_refusal_changes_nothing(office, officer, commissioner, award):
    variation = variation_propose(award=award, actor=officer, reason="More", amount="1600")
    with pytest.raises(DomainError, match="Give the reason for refusing"):
        variation_refuse(variation=variation, actor=commissioner, reason=" ")
    variation_refuse(variation=variation, actor=commissioner, reason="Not justified")
    variation.refresh_from_db()
    assert variation.status == VariationStatus.REFUSED
    assert variation.decision_note == "Not justified"
    assert len(LedgerEntry.objects.filter(award=award)) == 1
    with pytest.raises(DomainError, match="refused already"):
        variation_approve(variation=variation, actor=commissioner)


def test_the_amount_cannot_be_cut_below_what_was_paid(office, officer, commissioner, award):
    ledger_entry_add(
        budget=_budget(office, 2026),
        kind=EntryKind.PAYMENT,
        amount="1200",
        actor=None,
        reason="First instalment",
        award=award,
    )
    with pytest.raises(DomainError, match="has been paid £1,200.00, so its amount cannot be cut"):
        variation_propose(award=award, actor=officer, reason="Less", amount="1000")


def test_an_outcomes_variation_changes_the_awards_outcomes(officer, commissioner, award):
    variation = variation_propose(
        award=award, actor=officer, reason="Refocused", outcomes="Fewer repeat burglaries"
    )
    assert variation.kinds == ["Outcomes"]
    variation_approve(variation=variation, actor=commissioner)
    assert award_outcomes(award) == "Fewer repeat burglaries"
    assert len(LedgerEntry.objects.filter(award=award)) == 1


# Over a sign-off threshold: a new decision record ---------------------------------------------


def test_crossing_a_threshold_waits_for_a_signed_decision_record_of_the_tier(
    office, officer, round_, signatories, commissioner, award
):
    variation = variation_propose(award=award, actor=officer, reason="Bigger", amount="2400")
    assert variation.status == VariationStatus.AWAITING_DECISION and variation.needs_decision
    with pytest.raises(DomainError, match="link the signed decision record"):
        variation_approve(variation=variation, actor=commissioner)
    (small,) = award_by_decision(office, officer, round_, signatories, amounts=("500",))
    with pytest.raises(DomainError, match="not signed at the tier an award of £2,400.00 needs"):
        variation_approve(variation=variation, actor=commissioner, decision=small.decision)
    (large,) = award_by_decision(office, officer, round_, signatories, amounts=("2100",))
    approved = variation_approve(variation=variation, actor=commissioner, decision=large.decision)
    assert approved.status == VariationStatus.APPROVED and approved.decision == large.decision
    award.refresh_from_db()
    assert award.amount == Decimal("2400.00")
    # A record approves one variation only.
    second = variation_propose(award=award, actor=officer, reason="Less", amount="2300")
    assert second.status == VariationStatus.PROPOSED


# Early termination -----------------------------------------------------------------------------


def test_termination_releases_the_unpaid_and_claws_back_the_unspent(
    office, officer, commissioner, award
):
    budget = _budget(office, 2026)
    ledger_entry_add(
        budget=budget,
        kind=EntryKind.PAYMENT,
        amount="600",
        actor=None,
        reason="Paid",
        award=award,
    )
    before = balance_of(budget)
    pending = variation_propose(award=award, actor=officer, reason="More", amount="1600")
    termination = award_terminate(
        award=award, actor=commissioner, reason="The project closed", unspent="200"
    )
    award.refresh_from_db()
    pending.refresh_from_db()
    assert award.status == AwardStatus.TERMINATED
    assert pending.status == VariationStatus.REFUSED
    assert (termination.released, termination.clawed_back) == (Decimal("900"), Decimal("200"))
    assert _award_entries(award, EntryKind.CLAWBACK) == [(2026, Decimal("200.00"))]
    committed, paid = award_year_figures(award)
    assert committed == {2026: Decimal("400.00")} and paid == {2026: Decimal("400.00")}
    after = balance_of(budget)
    assert after.remaining == before.remaining + Decimal("1100.00")
    assert after.paid == before.paid - Decimal("200.00")


def test_a_clawback_is_never_more_than_was_paid(office, commissioner, award):
    ledger_entry_add(
        budget=_budget(office, 2026),
        kind=EntryKind.PAYMENT,
        amount="600",
        actor=None,
        reason="Paid",
        award=award,
    )
    with pytest.raises(DomainError, match="£600.01 is more than the £600.00 paid"):
        award_terminate(award=award, actor=commissioner, reason="Closed", unspent="600.01")
    award.refresh_from_db()
    assert award.status == AwardStatus.OFFERED
    assert not Termination.objects.exists()


def test_termination_needs_the_tier_and_a_reason_and_happens_once(officer, commissioner, award):
    with pytest.raises(DomainError, match="ended early by the Commissioner"):
        award_terminate(award=award, actor=officer, reason="Closed")
    with pytest.raises(DomainError, match="Give the reason"):
        award_terminate(award=award, actor=commissioner, reason="")
    award_terminate(award=award, actor=commissioner, reason="Closed")
    with pytest.raises(DomainError, match="terminated cannot become terminated"):
        award_terminate(award=award, actor=commissioner, reason="Again")
    with pytest.raises(DomainError, match="cannot be varied"):
        variation_propose(award=award, actor=officer, reason="More", amount="1600")


def test_termination_tells_the_registered_handlers_and_they_can_refuse_it(
    commissioner, award, monkeypatch
):
    heard = []

    def withhold(*, award, actor, reason, now):
        heard.append((award.reference, reason))

    def refuse(**kwargs):
        raise DomainError("An instalment is in a payment run.")

    monkeypatch.setattr(hooks, "_terminated", [withhold])
    award_terminate(award=award, actor=commissioner, reason="Closed")
    assert heard == [(award.reference, "Closed")]


def test_a_handler_that_refuses_keeps_nothing(commissioner, award, monkeypatch):
    def refuse(**kwargs):
        raise DomainError("An instalment is in a payment run.")

    monkeypatch.setattr(hooks, "_terminated", [refuse])
    with pytest.raises(DomainError, match="payment run"):
        award_terminate(award=award, actor=commissioner, reason="Closed")
    award.refresh_from_db()
    assert award.status == AwardStatus.OFFERED
    assert not LedgerEntry.objects.filter(award=award, kind=EntryKind.RELEASE).exists()


# Invariants under any sequence of variations, payments and terminations ------------------------

steps = st.lists(
    st.tuples(
        st.sampled_from(["amount", "dates", "pay", "terminate"]),
        st.integers(min_value=1, max_value=2600),
        st.integers(min_value=-4, max_value=14),
    ),
    max_size=8,
)


def _check_invariants(office, award):
    for budget in Budget.objects.filter(fund__office=office, fund__code="CF"):
        balance = balance_of(budget)
        entries = LedgerEntry.objects.filter(budget=budget)
        sums = {kind: Decimal("0.00") for kind in EntryKind.values}
        for kind, amount in entries.values_list("kind", "amount"):
            sums[kind] += amount
        assert balance.committed == sums["commitment"] and balance.released == sums["release"]
        assert balance.paid == sums["payment"] - sums["clawback"]
        assert Decimal("0") <= balance.paid <= balance.net_committed
        assert balance.net_committed <= balance.allocated - balance.top_sliced
        assert balance.remaining >= 0
    award.refresh_from_db()
    committed, paid = award_year_figures(award)
    for year, amount in paid.items():
        assert Decimal("0") <= amount <= committed.get(year, Decimal("0"))
    if award.status == AwardStatus.TERMINATED:
        # Nothing is left committed and unpaid.
        assert all(committed[y] == paid.get(y, Decimal("0")) for y in committed)
    else:
        shares = dict(year_shares(award.amount, award.starts_on, award.ends_on))
        assert {y: a for y, a in committed.items() if a} == shares


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=steps)
def test_the_ledger_stays_true_under_any_sequence_of_variations_and_terminations(
    office, officer, commissioner, award, ops
):
    with transaction.atomic():
        for op, number, months in ops:
            award.refresh_from_db()
            try:
                with transaction.atomic():
                    if op == "pay":
                        year = award.first_year + months % (award.last_year - award.first_year + 1)
                        ledger_entry_add(
                            budget=_budget(office, year),
                            kind=EntryKind.PAYMENT,
                            amount=Decimal(number),
                            actor=None,
                            reason="Instalment",
                            award=award,
                        )
                    elif op == "terminate":
                        award_terminate(
                            award=award, actor=commissioner, reason="Ended", unspent=number % 700
                        )
                    else:
                        change = (
                            {"amount": Decimal(number)}
                            if op == "amount"
                            else {"ends_on": add_months(award.ends_on, months)}
                        )
                        variation = variation_propose(
                            award=award, actor=officer, reason="Change", **change
                        )
                        try:
                            with transaction.atomic():
                                variation_approve(variation=variation, actor=commissioner)
                        except DomainError:
                            variation_refuse(variation=variation, actor=commissioner, reason="No")
            except DomainError:
                pass
            _check_invariants(office, award)
        transaction.set_rollback(True)
