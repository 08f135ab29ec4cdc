import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from commissioning.accounts.permissions import office_for_staff
from commissioning.applications.forms import STAFF_STATUSES
from commissioning.applications.models import Application, Round, ScreeningOutcome
from commissioning.applications.permissions import (
    application_for_applicant,
    application_for_staff,
    office_for_round_managers,
)
from commissioning.applications.selectors import (
    ListFilters,
    applications_of_user,
    open_rounds,
    staff_application_page,
)
from commissioning.applications.services import IncompleteApplication, application_submit
from commissioning.core.errors import DomainError
from commissioning.core.validation import LARGEST_ID, Text
from commissioning.offices.models import Office

router = Router(tags=["applications"])


class RoundOut(Schema):
    slug: str
    title: str
    fund: str
    theme: str
    summary: str
    opens_at: dt.datetime
    closes_at: dt.datetime | None
    award_min: Decimal | None
    award_max: Decimal | None


class ApplicationOut(Schema):
    id: str
    reference: str
    office: str
    fund: str
    round: str
    organisation: str
    title: str
    status: str
    amount_requested: Decimal | None
    submitted_at: dt.datetime | None


class ApplicationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ApplicationOut]


class MissingOut(Schema):
    step: str
    field: str
    message: str


class SubmitError(Schema):
    detail: str
    missing: list[MissingOut] = []


def _out(a: Application) -> ApplicationOut:
    return ApplicationOut(
        id=a.public_id,
        reference=a.reference,
        office=a.office.slug,
        fund=a.fund.code,
        round=a.round.slug,
        organisation=a.organisation.name,
        title=a.title,
        status=a.status,
        amount_requested=a.amount_requested,
        submitted_at=a.submitted_at,
    )


@router.get(
    "/offices/{slug}/rounds", response=list[RoundOut], auth=None, summary="Open calls of an office"
)
def round_list(request, slug: str):
    office = get_object_or_404(Office, slug=slug)
    return [
        RoundOut(
            slug=r.slug,
            title=r.title,
            fund=r.fund.code,
            theme=r.theme,
            summary=r.summary,
            opens_at=r.opens_at,
            closes_at=r.closes_at,
            award_min=r.award_min,
            award_max=r.award_max,
        )
        for r in open_rounds(office)
    ]


class StaffRoundOut(Schema):
    slug: str
    title: str
    fund: str
    theme: str
    status: str
    stage: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None
    close_reason: str
    award_min: Decimal | None
    award_max: Decimal | None


@router.get(
    "/offices/{slug}/rounds/all",
    response=list[StaffRoundOut],
    summary="Every round of an office, drafts and closed ones included (officers)",
)
def staff_round_list(request, slug: str):
    office = office_for_round_managers(request.auth, slug)
    now = timezone.now()
    return [
        StaffRoundOut(
            slug=r.slug,
            title=r.title,
            fund=r.fund.code,
            theme=r.theme,
            status=r.status,
            stage=r.stage(now),
            opens_at=r.opens_at,
            closes_at=r.closes_at,
            closed_at=r.closed_at,
            close_reason=r.close_reason,
            award_min=r.award_min,
            award_max=r.award_max,
        )
        for r in Round.objects.filter(office=office).select_related("fund").order_by("-id")
    ]


@router.get(
    "/applications/", response=list[ApplicationOut], summary="Your organisations' applications"
)
def my_application_list(request):
    return [_out(a) for a in applications_of_user(request.auth).select_related("fund")]


@router.get(
    "/applications/{public_id}", response=ApplicationOut, summary="One of your applications"
)
def my_application(request, public_id: str):
    return _out(application_for_applicant(request.auth, public_id))


@router.post(
    "/applications/{public_id}/submit",
    response={200: ApplicationOut, 400: SubmitError},
    summary="Submit a finished draft",
    description=(
        "Submitting twice returns the first submission. After the deadline: 400. Named "
        "endorsers who have not yet been sent their request are e-mailed it on submission."
    ),
)
def submit(request, public_id: str):
    application = application_for_applicant(request.auth, public_id)
    try:
        application = application_submit(
            application=application, actor=request.auth, send_endorsement_requests=True
        )
    except IncompleteApplication as exc:
        return 400, SubmitError(
            detail=exc.message,
            missing=[
                MissingOut(step=m.step, field=m.field, message=m.message) for m in exc.missing
            ],
        )
    except DomainError as exc:
        return 400, SubmitError(detail=exc.message)
    return _out(application)


class ApplicationFilters(Schema):
    round: Text(max_length=100) = Field("", description="A call's slug")
    status: Literal[("", *(value for value, _label in STAFF_STATUSES))] = ""
    fund: Text(max_length=20) = Field("", description="A fund's code")
    area: int | None = Field(None, ge=1, le=LARGEST_ID, description="An area's id")
    priority: int | None = Field(None, ge=1, le=LARGEST_ID, description="A plan priority's id")
    screening: Literal[("", *ScreeningOutcome.values)] = ""
    page: int = Field(1, ge=1, le=1_000_000)


@router.get(
    "/offices/{slug}/applications",
    response=ApplicationPage,
    summary="The office's submitted applications (staff)",
)
def staff_application_list(request, slug: str, filters: Query[ApplicationFilters]):
    office = office_for_staff(request.auth, slug)
    page = filters.page
    filters = ListFilters(
        round=filters.round,
        status=filters.status,
        fund=filters.fund,
        area=str(filters.area or ""),
        priority=str(filters.priority or ""),
        screening=filters.screening,
    )
    result = staff_application_page(office, filters, page)
    return ApplicationPage(
        count=result.paginator.count,
        page=result.number,
        pages=result.paginator.num_pages,
        results=[_out_list(a, office) for a in result],
    )


def _out_list(a: Application, office) -> ApplicationOut:
    return ApplicationOut(
        id=a.public_id,
        reference=a.reference,
        office=office.slug,
        fund=a.fund.code,
        round=a.round.slug,
        organisation=a.organisation.name,
        title=a.title,
        status=a.status,
        amount_requested=a.amount_requested,
        submitted_at=a.submitted_at,
    )


@router.get(
    "/offices/{slug}/applications/{reference}",
    response=ApplicationOut,
    summary="One submitted application (staff)",
)
def staff_application(request, slug: str, reference: str):
    office = office_for_staff(request.auth, slug)
    application = application_for_staff(request.auth, office, reference)
    if application is None:
        raise Http404
    return _out(application)
