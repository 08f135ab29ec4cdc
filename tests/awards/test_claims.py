"""Claims (issue 10, item 6; AG2): an organisation claims against an active award with
evidence, within what remains unclaimed, for a period inside the award, with lines that add up;
a finance officer who did not submit it approves it (perhaps for less, with a reason) or
returns it with comments; a returned claim is corrected and submitted again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.accounts.models import Role
from commissioning.accounts.services import membership_grant
from commissioning.audit.models import AuditEvent
from commissioning.awards.claims import hooks
from commissioning.awards.claims.models import Claim, ClaimStatus
from commissioning.awards.claims.rules import claimed_total, unclaimed
from commissioning.awards.claims.selectors import award_unclaimed
from commissioning.awards.claims.services import (
    ClaimLineInput,
    claim_approve,
    claim_change,
    claim_create,
    claim_return,
    claim_submit,
)
from commissioning.core.errors import DomainError
from commissioning.organisations.models import OrganisationMember
from tests.accounts.factories import staff_user
from tests.awards.claim_factories import (
    Q1,
    YEAR_2026,
    active_award,
    add_evidence,
    admin_of,
    draft_claim,
    line,
    plain_member_of,
    submitted_claim,
)
from tests.awards.factories import award_by_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(office, officer, round_, signatories):
    return active_award(office, officer, round_, signatories, amount="2000")


@pytest.fixture
def finance(office):
    return staff_user(office, Role.FINANCE_OFFICER)


# Making and submitting -----------------------------------------------------------------------


def test_a_member_makes_a_draft_with_lines_against_the_budget(award):
    claim = draft_claim(award, amount="500.25")
    assert (claim.number, claim.status, claim.amount) == (1, "draft", Decimal("500.25"))
    [saved] = claim.lines.all()
    assert saved.budget_line == award.application.budget_lines.first()
    assert saved.description == "Torches and hi-vis"
    assert draft_claim(award, amount="10").number == 2
    assert AuditEvent.objects.filter(verb="claim.created").count() == 2


def test_submitting_sends_the_claim_to_finance_and_counts_it(award):
    claim = submitted_claim(award, amount="750")
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.submitted_by == admin_of(award) and claim.submitted_at is not None
    assert claim.status_changes.get().new == ClaimStatus.SUBMITTED
    assert AuditEvent.objects.filter(verb="claim.submitted").exists()
    assert award_unclaimed(award) == Decimal("1250.00")


def test_a_claim_over_what_remains_unclaimed_is_refused_with_both_figures(award):
    with pytest.raises(DomainError) as refused:
        draft_claim(award, amount="2000.01")
    assert refused.value.message == (
        "£2,000.01 is more than the £2,000.00 of the award that remains unclaimed."
    )
    assert refused.value.field == "amount"
    submitted_claim(award, amount="1500")
    with pytest.raises(DomainError, match="^£600.00 is more than the £500.00 of the award"):
        draft_claim(award, amount="600")
    assert not Claim.objects.filter(amount=Decimal("600")).exists()


def test_what_remains_is_checked_again_at_submission(award):
    late = draft_claim(award, amount="1500")
    add_evidence(late)
    submitted_claim(award, amount="1000")
    with pytest.raises(DomainError, match="^£1,500.00 is more than the £1,000.00"):
        claim_submit(claim=late, actor=admin_of(award))
    late.refresh_from_db()
    assert late.status == ClaimStatus.DRAFT


def test_lines_that_do_not_add_up_are_refused(award):
    with pytest.raises(DomainError) as refused:
        draft_claim(award, amount="500", lines=[line(award, "450")])
    assert refused.value.message == (
        "The lines add up to £450.00, but the claim is for £500.00. Make them match."
    )
    assert refused.value.field == "lines"


def test_a_line_must_be_one_of_the_applications_budget_lines(award):
    with pytest.raises(DomainError, match="one of the costs in the application's budget"):
        draft_claim(
            award,
            amount="100",
            lines=[ClaimLineInput(amount=Decimal("100"), description="Something else")],
        )


@pytest.mark.parametrize(
    ("period", "field"),
    [
        ((dt.date(2026, 3, 1), dt.date(2026, 4, 30)), "period_start"),
        ((dt.date(2027, 3, 1), dt.date(2027, 4, 30)), "period_end"),
    ],
)
def test_a_period_outside_the_award_is_refused(award, period, field):
    with pytest.raises(DomainError) as refused:
        draft_claim(award, period=period)
    assert refused.value.message == (
        "The period must be within the award, which runs from 1 April 2026 to 31 March 2027."
    )
    assert refused.value.field == field


def test_a_period_that_ends_before_it_starts_is_refused(award):
    with pytest.raises(DomainError, match="The end of the period must be on or after its start"):
        draft_claim(award, period=(dt.date(2026, 6, 1), dt.date(2026, 5, 1)))


def test_a_claim_without_evidence_is_refused(award):
    claim = draft_claim(award)
    with pytest.raises(DomainError) as refused:
        claim_submit(claim=claim, actor=admin_of(award))
    assert refused.value.message == (
        "Add evidence of the spending, such as invoices or receipts, before you submit."
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_a_claim_on_an_award_that_is_not_active_is_refused(office, officer, round_, signatories):
    [award] = award_by_decision(office, officer, round_, signatories, **YEAR_2026)
    assert award.status == "offered"
    with pytest.raises(DomainError) as refused:
        draft_claim(award)
    assert refused.value.message == (
        f"You can only claim against an active award. {award.reference} is offered: it becomes "
        "active once the grant agreement is signed by both sides."
    )
    assert not Claim.objects.exists()


def test_only_an_administrator_of_the_organisation_submits(award):
    member = plain_member_of(award.organisation)
    claim = draft_claim(award, member)
    add_evidence(claim, member)
    with pytest.raises(DomainError) as refused:
        claim_submit(claim=claim, actor=member)
    assert refused.value.message == (
        f"Only an administrator of {award.organisation.name} can submit its claims."
    )
    claim_submit(claim=claim, actor=admin_of(award))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_someone_outside_the_organisation_cannot_claim(award, officer):
    with pytest.raises(DomainError, match="Only members of"):
        draft_claim(award, officer)


def test_a_submitted_claim_cannot_be_changed(award):
    claim = submitted_claim(award)
    with pytest.raises(DomainError, match="^This claim is submitted, so it can no longer be"):
        claim_change(
            claim=claim,
            actor=admin_of(award),
            period_start=Q1[0],
            period_end=Q1[1],
            amount=Decimal("400"),
            lines=[line(award, "400")],
        )


# Finance checks ------------------------------------------------------------------------------


def test_finance_approves_the_amount_claimed_and_the_organisation_is_told(
    award, finance, django_capture_on_commit_callbacks
):
    claim = submitted_claim(award, amount="800")
    with django_capture_on_commit_callbacks(execute=True):
        claim_approve(claim=claim, actor=finance)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert claim.approved_amount == Decimal("800.00")
    assert claim.checked_by == finance and claim.checked_at is not None
    event = AuditEvent.objects.get(verb="claim.amount_approved")
    assert event.data["approved"] == "800.00" and event.actor == finance
    assert AuditEvent.objects.filter(verb="claim.approved").exists()
    [message] = [m for m in mail.outbox if "Claim" in m.subject]
    assert message.subject == f"Claim {claim.reference} approved"
    assert admin_of(award).email in message.to
    assert "£800.00 of the £800.00 claimed" in message.body


def test_finance_may_approve_less_with_a_reason_and_the_rest_can_be_claimed_again(award, finance):
    claim = submitted_claim(award, amount="2000")
    with pytest.raises(DomainError) as refused:
        claim_approve(claim=claim, actor=finance, amount=Decimal("1800"))
    assert refused.value.message == "Give the reason for approving less than the £2,000.00 claimed."
    assert refused.value.field == "reason"
    claim_approve(
        claim=claim, actor=finance, amount=Decimal("1800"), reason="One invoice is for 2025."
    )
    claim.refresh_from_db()
    assert (claim.approved_amount, claim.finance_comments) == (
        Decimal("1800.00"),
        "One invoice is for 2025.",
    )
    assert award_unclaimed(award) == Decimal("200.00")


def test_finance_cannot_approve_more_than_was_claimed(award, finance):
    claim = submitted_claim(award, amount="500")
    with pytest.raises(DomainError, match="^You can approve at most the £500.00 claimed."):
        claim_approve(claim=claim, actor=finance, amount=Decimal("500.01"))


def test_whoever_submitted_a_claim_cannot_check_it(office, award, finance):
    """Separation of duties: a finance officer who is also the organisation's administrator
    and submitted the claim cannot approve it; another finance officer can."""
    submitter = admin_of(award)
    membership_grant(user=submitter, office=office, role=Role.FINANCE_OFFICER)
    claim = submitted_claim(award, submitter)
    for act in (
        lambda: claim_approve(claim=claim, actor=submitter),
        lambda: claim_return(claim=claim, actor=submitter, comments="Looks fine to me"),
    ):
        with pytest.raises(DomainError) as refused:
            act()
        assert refused.value.message == (
            "You made or submitted this claim, so another finance officer must check it."
        )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    claim_approve(claim=claim, actor=finance)


def test_a_finance_officer_who_belongs_to_the_organisation_cannot_check_its_claims(office, award):
    insider = staff_user(office, Role.FINANCE_OFFICER)
    OrganisationMember.objects.create(
        organisation=award.organisation, user=insider, role=OrganisationMember.Role.MEMBER
    )
    claim = submitted_claim(award)
    with pytest.raises(DomainError, match="another finance officer must check its claims"):
        claim_approve(claim=claim, actor=insider)


@pytest.mark.parametrize("role", [Role.COMMISSIONING_OFFICER, Role.AUDITOR, Role.COMMISSIONER])
def test_only_finance_checks_claims(office, award, role):
    claim = submitted_claim(award)
    with pytest.raises(DomainError, match="^Only the office's finance officers can check claims"):
        claim_approve(claim=claim, actor=staff_user(office, role))


def test_finance_of_another_office_cannot_check_the_claim(award, other_office):
    claim = submitted_claim(award)
    with pytest.raises(DomainError, match="^Only the office's finance officers"):
        claim_approve(claim=claim, actor=staff_user(other_office, Role.FINANCE_OFFICER))


def test_a_returned_claim_is_corrected_and_submitted_again(
    award, finance, django_capture_on_commit_callbacks
):
    claim = submitted_claim(award, amount="900")
    with pytest.raises(DomainError, match="^Say what the organisation must correct"):
        claim_return(claim=claim, actor=finance, comments="  ")
    with django_capture_on_commit_callbacks(execute=True):
        claim_return(claim=claim, actor=finance, comments="Invoice 1042 is not for the project.")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED
    assert claim.finance_comments == "Invoice 1042 is not for the project."
    assert award_unclaimed(award) == Decimal("2000.00")  # a returned claim takes nothing
    [message] = [m for m in mail.outbox if "returned" in m.subject]
    assert "Invoice 1042 is not for the project." in message.body
    admin = admin_of(award)
    claim_change(
        claim=claim,
        actor=admin,
        period_start=Q1[0],
        period_end=Q1[1],
        amount=Decimal("850"),
        lines=[line(award, "850")],
    )
    claim_submit(claim=claim, actor=admin)
    claim.refresh_from_db()
    assert (claim.status, claim.amount) == (ClaimStatus.SUBMITTED, Decimal("850.00"))
    assert [c.new for c in claim.status_changes.order_by("at", "id")] == [
        "submitted",
        "returned",
        "submitted",
    ]
    claim_approve(claim=claim, actor=finance)


def test_only_a_submitted_claim_is_checked(award, finance):
    claim = draft_claim(award)
    with pytest.raises(DomainError, match="^This claim is draft, so it is not waiting"):
        claim_approve(claim=claim, actor=finance)
    add_evidence(claim)
    claim_submit(claim=claim, actor=admin_of(award))
    claim_approve(claim=claim, actor=finance)
    with pytest.raises(DomainError, match="^This claim is approved, so it is not waiting"):
        claim_return(claim=claim, actor=finance, comments="Too late")


def test_approval_calls_the_registered_hook_inside_its_transaction(award, finance, monkeypatch):
    seen = []
    monkeypatch.setattr(hooks, "CLAIM_APPROVED_HOOKS", [])
    hooks.on_claim_approved(lambda *, claim, actor: seen.append((claim.pk, claim.status, actor)))
    claim = submitted_claim(award)
    claim_approve(claim=claim, actor=finance)
    assert seen == [(claim.pk, ClaimStatus.APPROVED, finance)]


def test_a_hook_that_refuses_undoes_the_approval(award, finance, monkeypatch):
    def refuse(*, claim, actor):
        raise DomainError("The on-claim instalment is withheld.")

    monkeypatch.setattr(hooks, "CLAIM_APPROVED_HOOKS", [refuse])
    claim = submitted_claim(award)
    with pytest.raises(DomainError, match="instalment is withheld"):
        claim_approve(claim=claim, actor=finance)
    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (ClaimStatus.SUBMITTED, None)
    assert not AuditEvent.objects.filter(verb="claim.amount_approved").exists()


def test_claim_create_refuses_bad_money(award):
    with pytest.raises(DomainError, match="more than two decimal places"):
        claim_create(
            award=award,
            actor=admin_of(award),
            period_start=Q1[0],
            period_end=Q1[1],
            amount="10.005",
            lines=[line(award, "10")],
        )


# What remains unclaimed ----------------------------------------------------------------------

pence = st.integers(min_value=1, max_value=500_000).map(lambda p: Decimal(p) / 100)


@given(
    award=st.integers(min_value=1, max_value=10_000_000).map(lambda p: Decimal(p) / 100),
    steps=st.lists(st.tuples(pence, st.sampled_from(["submit", "approve", "return"])), max_size=30),
)
def test_what_remains_unclaimed_is_never_negative_and_exact_to_the_penny(award, steps):
    """The rule as the services apply it: a claim is taken only if it fits; finance approves
    up to what was claimed or returns it. What remains is the award less what is counted,
    exactly, and never below nothing."""
    counted: list[Decimal | None] = []
    for amount, outcome in steps:
        remaining = unclaimed(award, counted)
        if amount > remaining:
            continue  # refused
        if outcome == "submit":
            counted.append(amount)
        elif outcome == "approve":
            counted.append((amount / 3).quantize(Decimal("0.01")) or amount)
        else:
            counted.append(None)
        left = unclaimed(award, counted)
        assert left >= 0
        assert left == award - claimed_total(counted)
        assert left.as_tuple().exponent == -2
    assert unclaimed(award, counted) + claimed_total(counted) == award


@given(award=pence, counted=st.lists(st.one_of(st.none(), pence), max_size=20))
def test_what_remains_is_never_negative_even_if_claims_passed_the_award(award, counted):
    """After a variation that cuts an award below what was claimed, nothing remains; never a
    negative figure."""
    left = unclaimed(award, counted)
    assert left >= 0
    assert left == max(award - sum((c for c in counted if c is not None), Decimal("0")), 0)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=120_000), st.sampled_from(["approve", "wait"])
        ),
        min_size=1,
        max_size=5,
    )
)
def test_claims_through_the_services_never_take_more_than_the_award(award, finance, steps):
    """Against the £2,000 award: each claim is taken while it fits and refused once it does
    not; finance approves some for a penny less; the unclaimed figure stays exact."""
    with transaction.atomic():
        taken = Decimal("0.00")
        for pennies, outcome in steps:
            amount = Decimal(pennies) / 100
            try:
                claim = submitted_claim(award, amount=str(amount))
            except DomainError as refused:
                assert amount > Decimal("2000.00") - taken
                assert "remains unclaimed" in refused.message
                continue
            if outcome == "approve" and amount > Decimal("0.01"):
                claim_approve(
                    claim=claim, actor=finance, amount=amount - Decimal("0.01"), reason="Rounding"
                )
                amount -= Decimal("0.01")
            taken += amount
            assert award_unclaimed(award) == Decimal("2000.00") - taken >= 0
        transaction.set_rollback(True)


# Concurrency: real row locks -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_claims_submitted_at_once_never_take_more_than_the_award(award):
    """Twenty £100 claims submitted at once from eight threads against the £2,000 award, half
    of it already claimed: exactly ten are taken, ten refused with the plain message."""
    import queue
    import threading

    submitted_claim(award, amount="1000")
    drafts = queue.Queue()
    for day in range(1, 21):  # one day each, as claims for overlapping periods are refused
        claim = draft_claim(award, amount="100", period=(dt.date(2026, 7, day),) * 2)
        add_evidence(claim)
        drafts.put(claim)
    admin, results, barrier = admin_of(award), [], threading.Barrier(8)

    def worker():
        barrier.wait()
        try:
            while True:
                try:
                    claim = drafts.get_nowait()
                except queue.Empty:
                    return
                try:
                    claim_submit(claim=claim, actor=admin)
                    results.append(None)
                except DomainError as exc:
                    results.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 10
    assert [r for r in results if r] == [
        "£100.00 is more than the £0.00 of the award that remains unclaimed."
    ] * 10
    assert award_unclaimed(award) == Decimal("0.00")
    assert Claim.objects.filter(status=ClaimStatus.SUBMITTED).count() == 11


def test_a_claim_for_a_period_another_claim_covers_is_refused(award):
    first = draft_claim(award, amount="100", period=Q1)
    with pytest.raises(DomainError, match="Claim 1 already covers 1 April 2026 to 30 June 2026"):
        draft_claim(award, amount="100", period=(dt.date(2026, 6, 30), dt.date(2026, 7, 31)))
    following = draft_claim(award, amount="100", period=(dt.date(2026, 7, 1), dt.date(2026, 7, 31)))
    assert following.number == 2
    # A claim may keep its own period when it is changed.
    assert claim_change(
        claim=first,
        actor=admin_of(award),
        period_start=Q1[0],
        period_end=Q1[1],
        amount=Decimal("120"),
        lines=[line(award, "120")],
    ).amount == Decimal("120")
