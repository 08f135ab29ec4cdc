import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from commissioning.core.money import financial_year_label
from commissioning.offices.models import Area, Budget, Fund, Office, Plan, Priority

router = Router(tags=["offices"])


class OfficeOut(Schema):
    slug: str
    code: str
    name: str
    kind: str
    force_area: str
    force_area_ons_code: str
    email: str
    phone: str
    website: str


class OfficeDetailOut(OfficeOut):
    stage_model: list[dict]
    procurement: dict
    sign_off: dict
    monitoring: dict
    publication: dict
    retention: dict
    assumptions: list[str]


class PriorityOut(Schema):
    code: str
    parent: str | None
    kind: str
    title: str
    description: str
    depth: int
    selectable: bool


class PlanOut(Schema):
    code: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    is_current: bool


class PlanDetailOut(PlanOut):
    priorities: list[PriorityOut]


class AreaOut(Schema):
    name: str
    kind: str
    ons_code: str
    population: int
    population_year: int


class FundOut(Schema):
    code: str
    name: str
    kind: str
    summary: str
    funding_sources: list[str]
    permitted_purposes: list[dict]
    purpose_required: bool
    min_award: Decimal | None
    max_award: Decimal | None
    eligible_applicant_types: list[str]
    required_endorsements: list[dict]
    ineligible_costs: list[str]
    ineligible_cost_signals: dict[str, list[str]]
    is_rolling: bool
    panels_per_year: int | None
    default_award_months: int
    pilot_max_months: int | None
    multi_year: bool
    max_years: int
    open_to_applications: bool
    assumed: list[str]


class BudgetOut(Schema):
    fund: str
    financial_year: int
    label: str
    allocation: Decimal
    top_sliced: Decimal
    available: Decimal
    is_forecast: bool


# Who may read an office's set-up is a permission the accounts app registers, which knows who
# holds a role where; "not yours" is a 404, as "missing" is.
VIEW_SETUP = "offices.view_office_setup"


def _office_for(request, slug: str) -> Office:
    office = get_object_or_404(Office, slug=slug)
    if not request.auth.has_perm(VIEW_SETUP, office):
        raise Http404
    return office


@router.get("/", response=list[OfficeOut], summary="Offices you hold a role in")
def office_list(request):
    user = request.auth
    return [
        office for office in Office.objects.order_by("name") if user.has_perm(VIEW_SETUP, office)
    ]


@router.get("/{slug}", response=OfficeDetailOut, summary="An office and its policy")
def office_detail(request, slug: str):
    office = _office_for(request, slug)
    policy = office.policy
    return {
        **{f: getattr(office, f) for f in OfficeOut.model_fields},
        "stage_model": policy.stage_model,
        "procurement": policy.procurement,
        "sign_off": policy.sign_off,
        "monitoring": policy.monitoring,
        "publication": policy.publication,
        "retention": policy.retention,
        "assumptions": policy.assumptions,
    }


@router.get("/{slug}/plans", response=list[PlanOut], summary="The office's plans")
def plan_list(request, slug: str):
    return Plan.objects.filter(office=_office_for(request, slug)).order_by("-starts_on")


@router.get("/{slug}/plans/{code}", response=PlanDetailOut, summary="A plan and its priorities")
def plan_detail(request, slug: str, code: str):
    plan = get_object_or_404(Plan, office=_office_for(request, slug), code=code)
    priorities = (
        Priority.objects.current().filter(plan=plan).select_related("parent").order_by("position")
    )
    out = [
        PriorityOut(
            code=p.code,
            parent=p.parent.code if p.parent else None,
            kind=p.kind,
            title=p.title,
            description=p.description,
            depth=p.depth,
            selectable=p.selectable,
        )
        for p in priorities
    ]
    return {**{f: getattr(plan, f) for f in PlanOut.model_fields}, "priorities": out}


@router.get("/{slug}/areas", response=list[AreaOut], summary="The office's areas")
def area_list(request, slug: str):
    return Area.objects.current().filter(office=_office_for(request, slug))


@router.get("/{slug}/funds", response=list[FundOut], summary="The office's funds")
def fund_list(request, slug: str):
    funds = Fund.objects.current().filter(office=_office_for(request, slug))
    return [_fund_out(f) for f in funds.prefetch_related("funding_sources")]


@router.get("/{slug}/funds/{code}", response=FundOut, summary="A fund and its rules")
def fund_detail(request, slug: str, code: str):
    fund = get_object_or_404(
        Fund.objects.prefetch_related("funding_sources"),
        office=_office_for(request, slug),
        code=code.upper(),
    )
    return _fund_out(fund)


def _fund_out(fund: Fund) -> dict:
    data = {f: getattr(fund, f) for f in FundOut.model_fields if f != "funding_sources"}
    data["funding_sources"] = [s.code for s in fund.funding_sources.all()]
    return data


@router.get(
    "/{slug}/budgets",
    response=list[BudgetOut],
    summary="Budgets per fund and financial year",
    description="Give `year` (the year a financial year starts: 2026 is 2026/27) to filter.",
)
def budget_list(request, slug: str, year: int | None = None):
    budgets = (
        Budget.objects.filter(fund__office=_office_for(request, slug), fund__archived_at=None)
        .select_related("fund")
        .prefetch_related("top_slices")
        .order_by("fund__code", "financial_year")
    )
    if year is not None:
        budgets = budgets.filter(financial_year=year)
    return [
        BudgetOut(
            fund=b.fund.code,
            financial_year=b.financial_year,
            label=financial_year_label(b.financial_year),
            allocation=b.allocation,
            top_sliced=b.top_sliced,
            available=b.available,
            is_forecast=b.is_forecast,
        )
        for b in budgets
    ]
