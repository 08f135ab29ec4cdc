"""Demo data for procurement (seed_demo, after monitoring). Cambridgeshire shows each route of
its Contract Standing Orders: one written quote (awarded by a signed decision, paid on
invoice), three written quotes (in evaluation) and a competitive tender in evaluation, with
its panel and an independent member. Cleveland shows its commissioned services: the
Appropriate Adult Service, Restorative Justice co-commissioned with the Probation Service from
a pooled budget, and the Victim Care and Advice Service. Running it again changes nothing."""

import datetime as dt
import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.core.errors import DomainError
from commissioning.core.uploads import validate_upload
from commissioning.offices.models import Office
from commissioning.organisations.demo import minimal_pdf
from commissioning.organisations.models import ApplicantType, Organisation
from commissioning.procurement.contracts.demo import contract_returns_show

logger = logging.getLogger(__name__)

START, END = dt.date(2025, 4, 1), dt.date(2027, 3, 31)
VICTIMS_STANDARDS = {
    "victims_at_centre": "A victims' reference group reviews the service each quarter.",
    "whole_system": "Joint pathways with the police, the courts and health services.",
    "equitable_access": "Outreach in every district; interpreters and easy-read materials.",
    "reporting_and_evaluation": "Quarterly KPI returns and an annual independent evaluation.",
    "sustainable_funding": "The provider bids for match funding with the office's support.",
}
VICTIMS_RIGHTS = {
    "right_1": "Interpreters and plain-English information for every victim.",
    "right_4": "Every referral contacted within two working days; support tailored to need.",
    "right_7": "Help to write and read a Victim Personal Statement.",
    "right_12": "Victims are told how to complain when a right is not met.",
}
KPIS = [
    {
        "code": "referrals",
        "title": "Referrals contacted within two working days",
        "target": "95",
        "unit": "%",
    },
    {"code": "supported", "title": "People supported", "target": "300", "unit": "people"},
]


def _document(title: str, supplier: str):
    content = ContentFile(
        minimal_pdf([title, supplier, "A demonstration document with made-up content."]),
        name="quote.pdf",
    )
    return validate_upload(content)


def _supplier(name: str, applicant_type: str = ApplicantType.CHARITY) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    if found is None:
        found = Organisation.objects.create(
            name=name,
            legal_form=Organisation.LegalForm.CHARITABLE_COMPANY,
            applicant_type=applicant_type,
            postcode="",
        )
    return found


def _staff(office, prefix: str):
    return User.objects.filter(email=f"{prefix}@{office.slug}.example").first()


def seed(run) -> None:
    for slug, step in (("cambridgeshire", seed_cambridgeshire), ("cleveland", seed_cleveland)):
        office = Office.objects.select_related("policy").filter(slug=slug).first()
        if office is None or office.procurement_exercises.exists() or office.contracts.exists():
            continue
        try:
            with transaction.atomic():
                step(office)
        except DomainError as exc:
            logger.warning("Demo procurement for %s not made: %s", slug, exc)


def _quotes(office, officer, exercise, quotes):
    from commissioning.procurement.exercises.services import bid_record, exercise_open

    exercise_open(exercise=exercise, actor=officer)
    for name, price in quotes:
        bid_record(
            exercise=exercise,
            actor=officer,
            supplier=_supplier(name),
            price=Decimal(price),
            received_on=dt.date(2025, 2, 10),
            document=_document(exercise.title, name),
            local_supplier=True,
        )


def _award(office, officer, exercise) -> None:
    """Propose the award to the cheapest quote and sign it with the demo signatories."""
    from commissioning.decisions.services import decision_sign
    from commissioning.procurement.exercises.services import award_propose

    prefixes = {
        "commissioner": "commissioner",
        "chief_finance_officer": "cfo",
        "monitoring_officer": "monitoring",
    }
    decision = award_propose(
        exercise=exercise, bid=exercise.bids.order_by("price").first(), actor=officer
    )
    for role in decision.required_roles:
        signatory = _staff(office, prefixes.get(role, role))
        if signatory is None:
            return
        decision_sign(decision=decision, signatory=signatory, mfa_verified=True)


def seed_cambridgeshire(office) -> None:
    from commissioning.procurement.exercises.services import (
        contract_terms_set,
        exercise_close,
        exercise_start,
    )
    from commissioning.procurement.tenders.services import (
        bid_conflict_declare,
        bid_score,
        evaluator_add,
        service_users_record,
    )

    officer = _staff(office, "officer")
    fund = office.funds.get(code="VS")
    common = {"office": office, "actor": officer, "fund": fund, "contract_starts_on": START}
    now = timezone.now()

    one = exercise_start(
        **common,
        title="Interpreting for victims' needs assessments",
        description="Face-to-face and telephone interpreting for victims' needs assessments.",
        estimated_value=Decimal("3200.00"),
        contract_ends_on=dt.date(2026, 3, 31),
        award_form="paid_invoice",
        now=now - dt.timedelta(days=90),
    )
    _quotes(office, officer, one, [("Fenland Language Link", "3150.00")])
    exercise_close(exercise=one, actor=officer)
    contract_terms_set(
        exercise=one,
        actor=officer,
        kpis=[{"code": "sessions", "title": "Assessments interpreted", "target": "40"}],
        standards={"equitable_access": VICTIMS_STANDARDS["equitable_access"]},
        code_rights={"right_1": VICTIMS_RIGHTS["right_1"]},
    )
    _award(office, officer, one)
    one.refresh_from_db()
    contract = getattr(one, "contract", None)
    if contract is not None:
        contract_returns_show(contract, officer)

    three = exercise_start(
        **common,
        title="Peer support groups for survivors of fraud",
        description="Monthly peer support groups in Peterborough, Huntingdon and Cambridge.",
        estimated_value=Decimal("24000.00"),
        contract_ends_on=dt.date(2026, 3, 31),
        now=now - dt.timedelta(days=60),
    )
    _quotes(
        office,
        officer,
        three,
        [
            ("Peterborough Survivors Network", "23500.00"),
            ("Fraud Recovery Trust", "21900.00"),
            ("Cambridge Victims Forum", "24000.00"),
        ],
    )
    exercise_close(exercise=three, actor=officer)

    tender = exercise_start(
        **common,
        title="Independent Sexual Violence Advisers service",
        description="An ISVA service across Cambridgeshire and Peterborough for adults and "
        "young people, with outreach to rural areas.",
        estimated_value=Decimal("360000.00"),
        contract_ends_on=END,
        now=now - dt.timedelta(days=30),
    )
    seats = [
        ("panel", "independent", False),
        ("chief-executive", "office", False),
        ("officer", "office", False),
    ]
    evaluators = []
    for prefix, standing, service_user in seats:
        user = _staff(office, prefix)
        if user is not None:
            evaluators.append(
                evaluator_add(
                    exercise=tender,
                    user=user,
                    standing=standing,
                    actor=officer,
                    service_user=service_user,
                )
            )
    service_users_record(
        exercise=tender,
        actor=officer,
        how="Two members of the survivors' reference group read the bids and advised the panel "
        "on the questions to ask at interview.",
    )
    from commissioning.procurement.exercises.services import exercise_open

    exercise_open(
        exercise=tender,
        actor=officer,
        advertised_on=dt.date(2025, 1, 6),
        closes_on=dt.date(2025, 2, 7),
    )
    from commissioning.procurement.exercises.services import bid_record

    bids = [
        bid_record(
            exercise=tender,
            actor=officer,
            supplier=_supplier(name),
            price=Decimal(price),
            received_on=dt.date(2025, 2, 5),
            document=_document(tender.title, name),
            local_supplier=local,
        )
        for name, price, local in (
            ("Cambridgeshire Rape Crisis Partnership", "352000.00", True),
            ("Survivors First (National)", "331000.00", False),
        )
    ]
    if len(evaluators) < tender.panel_min_members:
        return
    exercise_close(exercise=tender, actor=officer)
    # The independent member has scored both bids; the others are still scoring.
    first = evaluators[0]
    for bid, score in zip(bids, (4, 3), strict=True):
        bid_conflict_declare(
            evaluator=first, bid=bid, has_conflict=False, interest="", actor=first.user
        )
        bid_score(
            evaluator=first,
            bid=bid,
            scores={c["code"]: score for c in tender.criteria},
            actor=first.user,
        )


def seed_cleveland(office) -> None:
    from commissioning.procurement.contracts.services import contract_register
    from commissioning.procurement.pooled.services import contribution_add, pooled_budget_create

    officer = _staff(office, "officer")
    community = office.funds.get(code="CSI")
    victims = office.funds.get(code="VWS")
    contract_register(
        office=office,
        actor=officer,
        provider=_supplier("Middlesbrough and Stockton Mind"),
        fund=community,
        title="Appropriate Adult Service",
        value=Decimal("180000.00"),
        starts_on=START,
        ends_on=END,
        extensions=[(12, "90000")],
        kpis=[
            {
                "code": "attendance",
                "title": "Detainees attended within two hours",
                "target": "90",
                "unit": "%",
            }
        ],
        now=timezone.now() - dt.timedelta(days=200),
    )
    pool = pooled_budget_create(
        office=office,
        actor=officer,
        title="Restorative Cleveland",
        purpose="Restorative justice for victims, co-commissioned with the Probation Service.",
        lead_is_office=False,
        lead_commissioner="The Probation Service (North East)",
    )
    for year in (2025, 2026):
        contribution_add(
            pooled_budget=pool,
            actor=officer,
            financial_year=year,
            amount=Decimal("60000.00"),
            fund=victims,
        )
        contribution_add(
            pooled_budget=pool,
            actor=officer,
            financial_year=year,
            amount=Decimal("40000.00"),
            partner="The Probation Service (North East)",
        )
    contract_register(
        office=office,
        actor=officer,
        provider=_supplier("Safer Communities"),
        fund=victims,
        title="Restorative Cleveland (restorative justice)",
        value=Decimal("200000.00"),
        starts_on=START,
        ends_on=END,
        award_form="contribution",
        pooled_budget=pool,
        kpis=KPIS,
        standards=VICTIMS_STANDARDS,
        code_rights=VICTIMS_RIGHTS,
        now=timezone.now() - dt.timedelta(days=190),
    )
    victim_care = contract_register(
        office=office,
        actor=officer,
        provider=_supplier("Safer Communities"),
        fund=victims,
        title="Victim Care and Advice Service",
        value=Decimal("840000.00"),
        starts_on=START,
        ends_on=END,
        extensions=[(12, "420000")],
        kpis=KPIS,
        standards=VICTIMS_STANDARDS,
        code_rights=VICTIMS_RIGHTS,
        now=timezone.now() - dt.timedelta(days=180),
    )
    contract_returns_show(victim_care, officer)
