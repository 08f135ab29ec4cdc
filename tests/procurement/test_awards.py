"""Single tenders and awards are decided by decision records through the office's sign-off
tiers; the last signature on an award makes the contract and commits the ledger."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.accounts.models import Role
from commissioning.awards.selectors import balance_of
from commissioning.core.errors import DomainError
from commissioning.decisions.models import DecisionStatus
from commissioning.decisions.services import decision_sign
from commissioning.offices.models import Budget
from commissioning.procurement.exercises.services import (
    award_propose,
    bid_record,
    contract_terms_set,
    exercise_close,
    exercise_open,
    single_tender_justify,
)
from commissioning.procurement.tenders.services import (
    bid_conflict_declare,
    bid_score,
    evaluator_add,
)
from tests.accounts.factories import staff_user
from tests.procurement.conftest import document, start_exercise, supplier

STANDARDS = {"victims_at_centre": "Victims on the steering group"}
RIGHTS = {"right_4": "Referrals within two working days"}


def sign_all(decision, signatories):
    for role in decision.required_roles:
        decision_sign(decision=decision, signatory=signatories[role], mfa_verified=True)
    decision.refresh_from_db()
    return decision


def _bid(exercise, officer, name, price):
    return bid_record(
        exercise=exercise,
        actor=officer,
        supplier=supplier(name),
        price=Decimal(price),
        received_on=dt.date(2025, 2, 1),
        document=document(),
    )


def test_single_tender_opens_once_its_justification_is_signed(cam, officer, signatories):
    exercise = start_exercise(
        cam,
        officer,
        "80000",
        single_tender=True,
        single_tender_reason="Only this provider runs the county's sexual assault referral centre.",
    )
    decision = single_tender_justify(exercise=exercise, actor=officer, fields={})
    assert decision.subject_kind == "procurement_single_tender"
    assert decision.subject_reference == exercise.reference
    assert decision.total == Decimal("80000.00")
    with pytest.raises(DomainError, match="signed off as a decision record"):
        exercise_open(exercise=exercise, actor=officer)
    sign_all(decision, signatories)
    exercise.refresh_from_db()
    assert exercise.single_tender_approved
    exercise_open(exercise=exercise, actor=officer)
    assert exercise.status == "open"


def test_three_quote_award_signed_makes_the_contract_and_commits_the_ledger(
    cam, officer, signatories
):
    exercise = start_exercise(cam, officer, "24000")
    contract_terms_set(
        exercise=exercise,
        actor=officer,
        extensions=[(12, "12000")],
        kpis=[{"code": "groups", "title": "Groups held", "target": "12"}],
        standards=STANDARDS,
        code_rights=RIGHTS,
    )
    exercise_open(exercise=exercise, actor=officer)
    bids = [
        _bid(exercise, officer, n, p)
        for n, p in (("One", "23500"), ("Two", "21900"), ("Three", "24000"))
    ]
    exercise_close(exercise=exercise, actor=officer)
    budget = Budget.objects.get(fund=exercise.fund, financial_year=2025)
    committed = balance_of(budget).committed
    decision = award_propose(exercise=exercise, bid=bids[1], actor=officer)
    assert decision.subject_kind == "procurement_award"
    assert decision.total == Decimal("21900.00")
    # Over £10,000: the Commissioner, the Chief Finance Officer and the Monitoring Officer.
    assert set(decision.required_roles) == {
        "commissioner",
        "chief_finance_officer",
        "monitoring_officer",
    }
    sign_all(decision, signatories)
    assert decision.status == DecisionStatus.SIGNED
    exercise.refresh_from_db()
    assert exercise.status == "awarded"
    contract = exercise.contract
    assert (contract.provider, contract.value) == (bids[1].supplier, Decimal("21900.00"))
    assert contract.kpis.get().title == "Groups held"
    assert contract.extensions.get().months == 12
    assert sum(c.amount for c in contract.commitments.all()) == Decimal("21900.00")
    assert balance_of(budget).committed > committed


def test_tender_award_goes_to_the_best_scored_bid_after_a_complete_evaluation(cam, officer):
    exercise = start_exercise(cam, officer, "120000")
    evaluators = [
        evaluator_add(
            exercise=exercise, user=staff_user(cam, Role.PANEL_MEMBER), standing=s, actor=officer
        )
        for s in ("independent", "office", "partner")
    ]
    exercise_open(exercise=exercise, actor=officer, advertised_on=dt.date(2025, 1, 6))
    good = _bid(exercise, officer, "Good Ltd", "110000")
    cheap = _bid(exercise, officer, "Cheap Ltd", "90000")
    exercise_close(exercise=exercise, actor=officer)
    with pytest.raises(DomainError, match="score every bid first"):
        award_propose(exercise=exercise, bid=good, actor=officer)
    for evaluator in evaluators:
        for bid, score in ((good, 5), (cheap, 1)):
            bid_conflict_declare(
                evaluator=evaluator, bid=bid, has_conflict=False, interest="", actor=officer
            )
            bid_score(
                evaluator=evaluator,
                bid=bid,
                scores={c["code"]: score for c in exercise.criteria},
                actor=officer,
            )
    with pytest.raises(DomainError, match="best-scored bid"):
        award_propose(exercise=exercise, bid=cheap, actor=officer)
    with pytest.raises(DomainError, match="records the national commissioning standards"):
        award_propose(exercise=exercise, bid=good, actor=officer)  # a victims' service
    contract_terms_set(exercise=exercise, actor=officer, standards=STANDARDS, code_rights=RIGHTS)
    decision = award_propose(exercise=exercise, bid=good, actor=officer)
    assert decision.status == DecisionStatus.AWAITING_SIGNATURES


def test_an_award_the_budget_cannot_meet_refuses_the_last_signature(cam, officer, signatories):
    exercise = start_exercise(
        cam, officer, "40000", fund=cam.funds.get(code="SS"), contract_ends_on=dt.date(2026, 3, 31)
    )
    exercise_open(exercise=exercise, actor=officer)
    bids = [_bid(exercise, officer, n, "40000") for n in ("A", "B", "C")]
    exercise_close(exercise=exercise, actor=officer)
    budget = Budget.objects.get(fund=exercise.fund, financial_year=2025)
    from commissioning.awards.services import ledger_commit

    ledger_commit(
        budget=budget,
        amount=balance_of(budget).remaining - Decimal("100"),
        actor=officer,
        reason="Spent elsewhere",
    )
    decision = award_propose(exercise=exercise, bid=bids[0], actor=officer)
    roles = list(decision.required_roles)
    for role in roles[:-1]:
        decision_sign(decision=decision, signatory=signatories[role], mfa_verified=True)
    with pytest.raises(DomainError, match="is more than the £100.00 that remains"):
        decision_sign(decision=decision, signatory=signatories[roles[-1]], mfa_verified=True)
    decision.refresh_from_db()
    exercise.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_SIGNATURES
    assert exercise.status == "award_proposed"
