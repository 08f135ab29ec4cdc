"""Procurement for the office's staff: exercises (with their route, split, bids and ranking),
contracts (commitments, KPIs, standards, returns), pooled budgets (shares and totals), and
starting an exercise. Another office's token gets 404, as for a missing record; a member of the
office whose role does not read procurement (a panel member) gets 403. The OCDS package is
public at /<office>/open-data/ocds.json."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from commissioning.accounts.permissions import roles_in
from commissioning.core.errors import DomainError
from commissioning.monitoring.selectors import subject_returns
from commissioning.offices.models import Office
from commissioning.procurement import selectors
from commissioning.procurement.contracts.services import CONTRACT
from commissioning.procurement.exercises.services import exercise_start
from commissioning.procurement.permissions import is_procurement_manager, is_procurement_reader
from commissioning.procurement.pooled.selectors import pool_figures, pools_for_list
from commissioning.procurement.pooled.services import pooled_budget_set_up
from commissioning.procurement.tenders.selectors import evaluation_results

router = Router(tags=["procurement"])


class ErrorOut(Schema):
    detail: str


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ExerciseSummaryOut(Schema):
    reference: str
    title: str
    fund: str
    estimated_value: Decimal
    route: str
    route_label: str
    single_tender: bool
    status: str
    bids: int


class BidOut(Schema):
    supplier: str
    supplier_ref: str
    price: Decimal
    local_supplier: bool
    document: str
    quality: Decimal | None = None
    cost: Decimal | None = None
    total: Decimal | None = None


class ExerciseOut(ExerciseSummaryOut):
    description: str
    award_form: str
    quotes_required: int | None
    quality_weight: int
    cost_weight: int
    criteria: list[dict]
    independent_member_required: bool
    evaluators: int
    service_users_involved: bool
    advertised_on: dt.date | None
    closes_on: dt.date | None
    contract_starts_on: dt.date | None
    contract_ends_on: dt.date | None
    evaluation_complete: bool | None
    bid_list: list[BidOut]
    contract: str | None


class ExerciseIn(Schema):
    title: str
    description: str
    fund: str
    estimated_value: Decimal
    contract_starts_on: dt.date
    contract_ends_on: dt.date
    single_tender: bool = False
    single_tender_reason: str = ""


class ContractSummaryOut(Schema):
    reference: str
    title: str
    provider: str
    award_form: str
    value: Decimal
    office_share: Decimal
    starts_on: dt.date
    ends_on: dt.date
    pooled_budget: str | None
    victims_service: bool


class CommitmentOut(Schema):
    financial_year: int
    amount: Decimal


class KpiOut(Schema):
    code: str
    title: str
    target: Decimal
    unit: str


class ContractReturnOut(Schema):
    """A return of the contract's monitoring schedule: read, submitted and reviewed through the
    monitoring endpoints, with the contract's reference in place of an award's."""

    number: int
    kind: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    status: str
    kpi_values: dict[str, str]
    standards_report: dict[str, str]
    rights_report: dict[str, str]


class ContractOut(ContractSummaryOut):
    exercise: str | None
    extensions: list[dict]
    commitments: list[CommitmentOut]
    kpis: list[KpiOut]
    standards: dict[str, str]
    code_rights: dict[str, str]
    returns_every_months: int
    returns: list[ContractReturnOut]


class PoolOut(Schema):
    reference: str
    title: str
    lead_commissioner: str
    lead_is_office: bool
    office_share: Decimal
    office_committed: Decimal
    partners_share: Decimal
    total: Decimal
    partners: dict[str, Decimal]


class ContributionIn(Schema):
    financial_year: int
    amount: Decimal
    fund: str = ""  # the code of the office's fund, for the office's own share
    partner: str = ""


class PoolIn(Schema):
    title: str
    purpose: str = ""
    lead_is_office: bool = True
    lead_commissioner: str = ""
    contributions: list[ContributionIn]


def _office(user, slug: str, *, manage: bool = False) -> Office:
    office = Office.objects.select_related("policy").filter(slug=slug).first()
    if office is None or not roles_in(user, office):
        raise Http404
    if not is_procurement_reader(user, office) or (
        manage and not is_procurement_manager(user, office)
    ):
        raise HttpError(403, "Your role in this office does not give access to procurement.")
    return office


def _summary(e) -> dict:
    return {
        "reference": e.reference,
        "title": e.title,
        "fund": e.fund.code,
        "estimated_value": e.estimated_value,
        "route": e.route,
        "route_label": e.route_label,
        "single_tender": e.single_tender,
        "status": e.status,
        "bids": e.bid_count if hasattr(e, "bid_count") else len(e.bids.all()),
    }


@router.get(
    "/offices/{slug}/procurement/exercises",
    response={200: list[ExerciseSummaryOut], **ERRORS},
    summary="The office's procurement exercises, newest first (staff)",
)
def exercise_list(request, slug: str):
    office = _office(request.auth, slug)
    return [ExerciseSummaryOut(**_summary(e)) for e in selectors.exercise_list(office)]


def _exercise_out(e) -> ExerciseOut:
    results = evaluation_results(e) if e.is_tender else None
    ranked = {r.bid_id: r for r in results.ranked} if results else {}
    contract = getattr(e, "contract", None)
    return ExerciseOut(
        **_summary(e),
        description=e.description,
        award_form=e.award_form,
        quotes_required=e.quotes_required,
        quality_weight=e.quality_weight,
        cost_weight=e.cost_weight,
        criteria=e.criteria,
        independent_member_required=e.independent_member_required,
        evaluators=len(e.evaluators.all()),
        service_users_involved=e.service_users_involved,
        advertised_on=e.advertised_on,
        closes_on=e.closes_on,
        contract_starts_on=e.contract_starts_on,
        contract_ends_on=e.contract_ends_on,
        evaluation_complete=results.complete if results else None,
        bid_list=[
            BidOut(
                supplier=b.supplier.name,
                supplier_ref=b.supplier.ref,
                price=b.price,
                local_supplier=b.local_supplier,
                document=b.filename,
                quality=ranked[b.pk].quality if b.pk in ranked else None,
                cost=ranked[b.pk].cost if b.pk in ranked else None,
                total=ranked[b.pk].total if b.pk in ranked else None,
            )
            for b in e.bids.all()
        ],
        contract=contract.reference if contract else None,
    )


@router.get(
    "/offices/{slug}/procurement/exercises/{reference}",
    response={200: ExerciseOut, **ERRORS},
    summary="One exercise: its route, published split, bids and their ranking (staff)",
)
def exercise_detail(request, slug: str, reference: str):
    office = _office(request.auth, slug)
    found = selectors.exercise_list(office).filter(reference=reference).first()
    if found is None:
        raise Http404
    return _exercise_out(selectors.exercise_with_parts(found))


@router.post(
    "/offices/{slug}/procurement/exercises",
    response={201: ExerciseOut, 422: ErrorOut, **ERRORS},
    summary="Start an exercise; its route follows from the value under the office's pack",
)
def exercise_create(request, slug: str, payload: ExerciseIn):
    office = _office(request.auth, slug, manage=True)
    fund = office.funds.filter(code=payload.fund).first()
    if fund is None:
        return Status(422, {"detail": "No fund of this office has that code."})
    try:
        exercise = exercise_start(
            office=office, actor=request.auth, fund=fund, **payload.dict(exclude={"fund"})
        )
    except DomainError as exc:
        return Status(422, {"detail": exc.message})
    return Status(201, _exercise_out(selectors.exercise_with_parts(exercise)))


def _contract_summary(c) -> dict:
    return {
        "reference": c.reference,
        "title": c.title,
        "provider": c.provider.name,
        "award_form": c.award_form,
        "value": c.value,
        "office_share": c.office_share,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "pooled_budget": c.pooled_budget.reference if c.pooled_budget_id else None,
        "victims_service": c.victims_service,
    }


@router.get(
    "/offices/{slug}/procurement/contracts",
    response={200: list[ContractSummaryOut], **ERRORS},
    summary="The office's contracts, newest first (staff)",
)
def contract_list(request, slug: str):
    office = _office(request.auth, slug)
    return [ContractSummaryOut(**_contract_summary(c)) for c in selectors.contract_list(office)]


@router.get(
    "/offices/{slug}/procurement/contracts/{reference}",
    response={200: ContractOut, **ERRORS},
    summary="One contract: commitments per year, KPIs, standards and rights, returns (staff)",
)
def contract_detail(request, slug: str, reference: str):
    office = _office(request.auth, slug)
    c = selectors.contract_with_parts(office, reference)
    if c is None:
        raise Http404
    return ContractOut(
        **_contract_summary(c),
        exercise=c.exercise.reference if c.exercise_id else None,
        extensions=[{"months": e.months, "value": str(e.value)} for e in c.extensions.all()],
        commitments=[
            CommitmentOut(financial_year=x.financial_year, amount=x.amount)
            for x in c.commitments.all()
        ],
        kpis=[
            KpiOut(code=k.code, title=k.title, target=k.target, unit=k.unit) for k in c.kpis.all()
        ],
        standards=c.standards,
        code_rights=c.code_rights,
        returns_every_months=c.returns_every_months,
        returns=[
            ContractReturnOut(
                number=r.number,
                kind=r.kind,
                period_start=r.period_start,
                period_end=r.period_end,
                due_on=r.due_on,
                status=r.status,
                kpi_values={k: str(v) for k, v in r.outputs.items()},
                standards_report={k: v for k, v in r.items.items() if k in c.standards},
                rights_report={k: v for k, v in r.items.items() if k in c.code_rights},
            )
            for r in subject_returns(CONTRACT, c.reference)
        ],
    )


@router.get(
    "/offices/{slug}/procurement/pooled-budgets",
    response={200: list[PoolOut], **ERRORS},
    summary="Pooled budgets: the office's share (as its ledger shows it) and partners' shares",
)
def pool_list(request, slug: str):
    office = _office(request.auth, slug)
    pools = list(pools_for_list(office))
    figures = pool_figures(pools)
    return [_pool_out(p, figures[p.pk]) for p in pools]


def _pool_out(p, figures) -> PoolOut:
    return PoolOut(
        reference=p.reference,
        title=p.title,
        lead_commissioner=p.lead_commissioner,
        lead_is_office=p.lead_is_office,
        office_share=figures.office_share,
        office_committed=figures.office_committed,
        partners_share=figures.partners_share,
        total=figures.total,
        partners=figures.by_partner,
    )


@router.post(
    "/offices/{slug}/procurement/pooled-budgets",
    response={201: PoolOut, 422: ErrorOut, **ERRORS},
    summary="Set up a pooled budget with its contributions; the office's share is committed",
)
def pool_create(request, slug: str, payload: PoolIn):
    office = _office(request.auth, slug, manage=True)
    funds = {f.code: f for f in office.funds.all()}
    rows = []
    for row in payload.contributions:
        if row.fund and row.fund not in funds:
            return Status(422, {"detail": "No fund of this office has that code."})
        rows.append(
            {
                "financial_year": row.financial_year,
                "amount": row.amount,
                "fund": funds.get(row.fund) if row.fund else None,
                "partner": row.partner,
            }
        )
    try:
        pool = pooled_budget_set_up(
            office=office,
            actor=request.auth,
            title=payload.title,
            purpose=payload.purpose,
            lead_is_office=payload.lead_is_office,
            lead_commissioner=payload.lead_commissioner,
            contributions=rows,
        )
    except DomainError as exc:
        return Status(422, {"detail": exc.message})
    pool = pools_for_list(office).get(pk=pool.pk)
    return Status(201, _pool_out(pool, pool_figures([pool])[pool.pk]))
