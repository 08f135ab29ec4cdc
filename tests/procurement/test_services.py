"""Exercises, quotes, tenders, pooled budgets and contracts through their services."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.awards.selectors import balance_of
from commissioning.core.errors import DomainError
from commissioning.monitoring.models import MonitoringReturn
from commissioning.monitoring.services import measure_codes, return_save, return_submit
from commissioning.offices.models import Budget
from commissioning.procurement.contracts.models import Contract
from commissioning.procurement.exercises.services import (
    bid_record,
    exercise_close,
    exercise_open,
)
from commissioning.procurement.pooled.selectors import pool_figures
from commissioning.procurement.pooled.services import contribution_add, pooled_budget_create
from commissioning.procurement.tenders.selectors import evaluation_results
from commissioning.procurement.tenders.services import (
    bid_conflict_declare,
    bid_score,
)
from tests.procurement.conftest import END, START, start_exercise, supplier
from tests.procurement.factories import (
    STANDARDS,
    bid_for,
    contract_for,
    pool_with_shares,
    seat_panel,
)


def test_route_and_split_are_kept_from_the_pack(cam, officer):  # AS7
    small = start_exercise(cam, officer, "4999.99")
    middle = start_exercise(cam, officer, "5000.00")
    tender = start_exercise(cam, officer, "50000.00")
    assert (small.route, small.quotes_required) == ("one_quote", 1)
    assert (middle.route, middle.quotes_required) == ("three_quotes", 3)
    assert tender.route == "competitive_tender" and tender.advertise
    assert (tender.quality_weight, tender.cost_weight) == (60, 40)
    assert {c["kind"] for c in tender.criteria} >= {"social_value", "local_suppliers"}
    assert tender.independent_member_required
    assert tender.reference.startswith("CAM-PRC-")


def test_three_quotes_are_needed_before_evaluation(cam, officer):
    exercise = start_exercise(cam, officer, "20000")
    exercise_open(exercise=exercise, actor=officer)
    bid_for(exercise, officer, "Quote One", "19000")
    bid_for(exercise, officer, "Quote Two", "18500")
    with pytest.raises(DomainError, match="needs 3 written quotes; 2 recorded"):
        exercise_close(exercise=exercise, actor=officer)
    bid_for(exercise, officer, "Quote Three", "19900")
    exercise_close(exercise=exercise, actor=officer)
    assert exercise.status == "evaluation"


def test_a_quote_needs_its_document(cam, officer):
    exercise = start_exercise(cam, officer, "3000")
    exercise_open(exercise=exercise, actor=officer)
    with pytest.raises(DomainError, match="Attach"):
        bid_record(
            exercise=exercise,
            actor=officer,
            supplier=supplier("No Paper Ltd"),
            price="2900",
            received_on=dt.date(2025, 2, 1),
            document=None,
        )
    assert not exercise.bids.exists()


def test_single_tender_is_refused_without_a_signed_justification(cam, officer):  # CAM 5.2
    with pytest.raises(DomainError, match="Say why a single tender"):
        start_exercise(cam, officer, "80000", single_tender=True)
    exercise = start_exercise(
        cam,
        officer,
        "80000",
        single_tender=True,
        single_tender_reason="The bid was developed in partnership with the provider.",
    )
    with pytest.raises(DomainError, match="signed off as a decision record"):
        exercise_open(exercise=exercise, actor=officer)
    exercise.refresh_from_db()
    assert exercise.status == "planning"


def test_tender_panel_without_an_independent_member_is_refused(tender, officer):  # CAM 5.2 DO
    exercise, _a, _b = tender
    seat_panel(exercise, officer, ["office"] * 3)
    with pytest.raises(DomainError, match="needs an independent member"):
        exercise_close(exercise=exercise, actor=officer)
    exercise.refresh_from_db()
    assert exercise.status == "open"
    seat_panel(exercise, officer, ["independent"])
    exercise_close(exercise=exercise, actor=officer)
    assert exercise.status == "evaluation"


def test_too_few_evaluators_are_refused(tender, officer):
    exercise, _a, _b = tender
    seat_panel(exercise, officer, ["independent"])
    with pytest.raises(DomainError, match="at least 3 evaluators"):
        exercise_close(exercise=exercise, actor=officer)


def test_conflicted_evaluator_cannot_score_and_results_rank_by_split(tender, officer):  # AS2
    exercise, a, b = tender
    evaluators = seat_panel(
        exercise,
        officer,
        ["independent", "office", "voluntary_sector"],
        service_user_standing="voluntary_sector",
    )
    exercise_close(exercise=exercise, actor=officer)
    with pytest.raises(DomainError, match="Declare whether"):
        bid_score(evaluator=evaluators[0], bid=a, scores={}, actor=officer)
    bid_conflict_declare(
        evaluator=evaluators[2],
        bid=b,
        has_conflict=True,
        interest="I was a trustee of National Support.",
        actor=officer,
    )
    with pytest.raises(DomainError, match="conflict of interest"):
        bid_score(evaluator=evaluators[2], bid=b, scores={}, actor=officer)
    codes = [c["code"] for c in exercise.criteria]
    for evaluator in evaluators:
        for bid, score in ((a, 5), (b, 2)):
            if evaluator is evaluators[2] and bid is b:
                continue
            bid_conflict_declare(
                evaluator=evaluator, bid=bid, has_conflict=False, interest="", actor=officer
            )
            bid_score(
                evaluator=evaluator, bid=bid, scores=dict.fromkeys(codes, score), actor=officer
            )
    results = evaluation_results(exercise)
    assert results.complete
    # a: quality 60 + cost 40 * 95/110 = 34.55 -> 94.55; b: quality 24 + cost 40 = 64.
    assert [(r.bid_id, r.total) for r in results.ranked] == [
        (a.pk, Decimal("94.55")),
        (b.pk, Decimal("64.00")),
    ]


def test_a_score_out_of_range_is_refused(tender, officer):
    exercise, a, _b = tender
    evaluators = seat_panel(exercise, officer, ["independent", "office", "partner"])
    exercise_close(exercise=exercise, actor=officer)
    bid_conflict_declare(
        evaluator=evaluators[0], bid=a, has_conflict=False, interest="", actor=officer
    )
    scores = {c["code"]: 3 for c in exercise.criteria}
    scores["social-value"] = 6
    with pytest.raises(DomainError, match="Social value from 0 to 5"):
        bid_score(evaluator=evaluators[0], bid=a, scores=scores, actor=officer)
    assert not a.scores.exists()


def test_pooled_budget_office_share_goes_through_the_ledger(cam, officer, vs_fund):  # AS7
    budget = Budget.objects.get(fund=vs_fund, financial_year=2025)
    before = balance_of(budget)
    pool = pool_with_shares(
        cam,
        officer,
        title="Domestic abuse services",
        office_share="60000.00",
        partners=[
            ("Cambridgeshire County Council", "25000.50"),
            ("Peterborough City Council", "14999.50"),
        ],
    )
    after = balance_of(budget)
    assert after.committed - before.committed == Decimal("60000.00")
    assert after.remaining == before.remaining - Decimal("60000.00")
    figures = pool_figures([pool])[pool.pk]
    assert figures.office_share == figures.office_committed == Decimal("60000.00")
    assert figures.partners_share == Decimal("40000.00")
    assert figures.total == Decimal("100000.00")
    assert figures.by_partner["Cambridgeshire County Council"] == Decimal("25000.50")

    # A contract on the pool commits nothing more: the office's share is already committed.
    contract = contract_for(
        cam,
        officer,
        provider_name="Refuge Partnership",
        title="Domestic abuse outreach",
        value="100000.00",
        ends_on=dt.date(2026, 3, 31),
        pooled_budget=pool,
    )
    assert contract.office_share == Decimal("60000.00")
    assert balance_of(budget).committed == after.committed
    with pytest.raises(DomainError, match="more than the £100,000.00 in the pooled budget"):
        contract_for(
            cam,
            officer,
            provider_name="Another",
            title="Too big",
            value="100000.01",
            ends_on=dt.date(2026, 3, 31),
            pooled_budget=pool,
        )


def test_office_contribution_over_the_budget_is_refused_and_nothing_kept(cam, officer, vs_fund):
    pool = pooled_budget_create(office=cam, actor=officer, title="Too much")
    remaining = balance_of(Budget.objects.get(fund=vs_fund, financial_year=2025)).remaining
    with pytest.raises(DomainError, match="is more than the"):
        contribution_add(
            pooled_budget=pool,
            actor=officer,
            financial_year=2025,
            amount=remaining + 1,
            fund=vs_fund,
        )
    assert not pool.contributions.exists()


def test_contract_commits_each_financial_year_and_makes_quarterly_returns(cam, officer, vs_fund):
    budgets = {b.financial_year: b for b in Budget.objects.filter(fund=vs_fund)}
    before = {year: balance_of(b).committed for year, b in budgets.items()}
    contract = contract_for(  # AG5
        cam,
        officer,
        value="730000.00",
        ends_on=END,
        extensions=[(12, "365000")],
        kpis=[{"code": "referrals", "title": "Referrals contacted in 2 days", "target": "95"}],
    )
    shares = {c.financial_year: c.amount for c in contract.commitments.all()}
    assert shares == {2025: Decimal("365000.00"), 2026: Decimal("365000.00")}
    for year, share in shares.items():
        assert balance_of(budgets[year]).committed - before[year] == share
    returns = list(
        MonitoringReturn.objects.filter(schedule__subject_reference=contract.reference).order_by(
            "number"
        )
    )
    assert contract.returns_every_months == 3
    assert len(returns) == 8
    assert (returns[0].period_start, returns[0].period_end) == (START, dt.date(2025, 6, 30))
    assert contract.victims_service


def test_victims_service_needs_standards_and_rights(cam, officer):  # CUM, ESX 1.2
    with pytest.raises(DomainError, match="national commissioning standards"):
        contract_for(
            cam,
            officer,
            provider_name="No Standards",
            value="10000",
            standards=None,
            code_rights=None,
        )
    assert not Contract.objects.filter(title="Victim care").exists()


def test_contract_return_reports_kpis_standards_and_rights(cam, officer):  # CUM, ESX 1.2
    contract = contract_for(
        cam,
        officer,
        provider_name="Report Ltd",
        kpis=[{"code": "referrals", "title": "Referrals", "target": "40"}],
    )
    ret = MonitoringReturn.objects.get(schedule__subject_reference=contract.reference, number=1)
    assert ret.award_id is None and ret.schedule.organisation == contract.provider
    data = {
        "progress": "Contacted every referral.",
        "outputs": {"referrals": "41"},
        "items": {k: "Done" for k in STANDARDS},
        "people_supported": 10,
        "demographics": {"age_band": {"18_24": 6, "not_known": 4}},
        "measures": {c: 1 for c in measure_codes(ret.office) if c != "people_supported"},
        "rag": "green",
    }
    return_save(monitoring_return=ret, actor=officer, data=data)
    with pytest.raises(DomainError, match="Right 4"):
        return_submit(monitoring_return=ret, actor=officer)
    return_save(
        monitoring_return=ret,
        actor=officer,
        data={"items": {**data["items"], "right_4": "All in 2 days"}},
    )
    return_submit(monitoring_return=ret, actor=officer)
    ret.refresh_from_db()
    assert ret.status == "submitted" and ret.outputs == {"referrals": "41"}
    assert ret.items["right_4"] == "All in 2 days"


def test_contract_longer_than_the_pack_allows_is_refused(cam, officer):
    with pytest.raises(DomainError, match="at most 5 years"):
        contract_for(
            cam,
            officer,
            provider_name="Long Ltd",
            fund=cam.funds.get(code="SS"),
            title="Long",
            value="1000",
            ends_on=dt.date(2029, 3, 31),
            extensions=[(24, "100")],
            standards=None,
            code_rights=None,
        )
