"""Procurement records in the states the tests need, each made through its service."""

import datetime as dt
from decimal import Decimal

from commissioning.accounts.models import Role
from commissioning.procurement.contracts.services import contract_register
from commissioning.procurement.exercises.services import bid_record, exercise_open
from commissioning.procurement.pooled.services import contribution_add, pooled_budget_create
from commissioning.procurement.tenders.services import evaluator_add
from tests.accounts.factories import staff_user
from tests.procurement.conftest import START, document, start_exercise, supplier

STANDARDS = {"victims_at_centre": "Victims on the steering group", "equitable_access": "Outreach"}
RIGHTS = {"right_4": "Referrals within two working days"}


def bid_for(exercise, officer, name, price, **kwargs):
    """A quote or bid from a new supplier called `name`, with its document."""
    return bid_record(
        exercise=exercise,
        actor=officer,
        supplier=supplier(name),
        price=Decimal(price),
        received_on=dt.date(2025, 2, 1),
        document=document(),
        **kwargs,
    )


def open_tender(office, officer, value="120000"):
    """A tender, advertised, with two bids: a local supplier's dearer one and a cheaper one."""
    exercise = start_exercise(office, officer, value)
    exercise_open(
        exercise=exercise,
        actor=officer,
        advertised_on=dt.date(2025, 1, 6),
        closes_on=dt.date(2025, 2, 3),
    )
    dear = bid_for(exercise, officer, "Safe Haven Trust", "110000", local_supplier=True)
    cheap = bid_for(exercise, officer, "National Support plc", "95000")
    return exercise, dear, cheap


def seat_panel(exercise, officer, standings, *, service_user_standing=None):
    """An evaluator of each standing, in order; `service_user_standing` marks that one's."""
    return [
        evaluator_add(
            exercise=exercise,
            user=staff_user(exercise.office, Role.PANEL_MEMBER),
            standing=standing,
            actor=officer,
            service_user=standing == service_user_standing,
        )
        for standing in standings
    ]


def contract_for(office, officer, **overrides):
    """A victims' service contract from the VS fund for the 2025/26 half year, unless told."""
    values = {
        "provider": supplier(overrides.pop("provider_name", "Victim Care Ltd")),
        "fund": office.funds.get(code="VS"),
        "title": "Victim care",
        "value": "20000",
        "starts_on": START,
        "ends_on": dt.date(2025, 9, 30),
        "standards": STANDARDS,
        "code_rights": RIGHTS,
    }
    values.update(overrides)
    return contract_register(office=office, actor=officer, **values)


def pool_with_shares(office, officer, *, title="Pool", office_share="1000", partners=()):
    """A pooled budget the office leads, with its share for 2025/26 from the VS fund and each
    (partner, amount) given for the same year."""
    pool = pooled_budget_create(office=office, actor=officer, title=title)
    contribution_add(
        pooled_budget=pool,
        actor=officer,
        financial_year=2025,
        amount=office_share,
        fund=office.funds.get(code="VS"),
    )
    for partner, amount in partners:
        contribution_add(
            pooled_budget=pool, actor=officer, financial_year=2025, amount=amount, partner=partner
        )
    return pool


def sign_all(decision, signatories):
    """Every signature the decision needs, from `signatories` by role."""
    from commissioning.decisions.services import decision_sign

    for role in decision.required_roles:
        decision_sign(decision=decision, signatory=signatories[role], mfa_verified=True)
    decision.refresh_from_db()
    return decision


def awarded_quotes(office, officer, signatories, *, value="24000", **kwargs):
    """A three-quote exercise taken to its signed award: the contract is made."""
    from commissioning.procurement.exercises.services import (
        award_propose,
        contract_terms_set,
        exercise_close,
    )

    exercise = start_exercise(office, officer, value, **kwargs)
    contract_terms_set(exercise=exercise, actor=officer, standards=STANDARDS, code_rights=RIGHTS)
    exercise_open(exercise=exercise, actor=officer)
    bids = [
        bid_for(exercise, officer, f"{exercise.reference} {name}", price)
        for name, price in (("One", "23500"), ("Two", "21900"), ("Three", "24000"))
    ]
    exercise_close(exercise=exercise, actor=officer)
    sign_all(award_propose(exercise=exercise, bid=bids[1], actor=officer), signatories)
    exercise.refresh_from_db()
    return exercise
