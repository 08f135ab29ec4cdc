"""Monitoring schedules and returns: the office's staff read them and its officers review
returns; an organisation's members read, save and submit their own returns. A token of another
office's staff, or of another organisation, gets 404, as for a missing record; a member of the
office whose role does not read monitoring (a panel member) gets 403, as does a reader who does
not review. Figures are the office's own, unsuppressed. Meetings are in meetings/api.py."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from commissioning.accounts.permissions import roles_in
from commissioning.core.errors import DomainError
from commissioning.core.validation import PlainText, Text
from commissioning.monitoring.permissions import (
    is_monitoring_reader,
    is_monitoring_reviewer,
    return_for_organisation,
    return_for_staff,
)
from commissioning.monitoring.selectors import (
    VIEWS,
    organisation_returns,
    return_with_parts,
    schedule_for_office,
    schedule_parts,
    staff_return_page,
)
from commissioning.monitoring.services import (
    ReturnNotReady,
    return_accept,
    return_save,
    return_send_back,
    return_submit,
)
from commissioning.offices.models import Office
from commissioning.organisations.permissions import organisation_for

router = Router(tags=["monitoring"])


class ErrorOut(Schema):
    detail: str


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ReturnSummaryOut(Schema):
    award: str = Field(description="The reference of the award, or of the other thing monitored")
    subject_kind: str = Field("award", description="award, or what else is monitored: contract")
    number: int
    organisation: str
    kind: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    status: str
    overdue: bool


class ReturnOut(ReturnSummaryOut):
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    review_comments: str
    progress: str
    outputs: dict[str, int | str] = Field(
        description="Numbers delivered against the application's outputs; for a contract, the "
        "figure against each KPI, as a string"
    )
    outcomes: dict[str, str]
    items: dict[str, str] = Field(
        description="For a contract, what the service did on each national commissioning "
        "standard and Victims' Code right it supports"
    )
    spend: dict[str, str]
    people_supported: int | None
    measures: dict[str, int]
    demographics: dict[str, dict[str, int]]
    case_studies: str
    feedback: str
    risks: str
    rag: str


class MeetingOut(Schema):
    number: int
    due_on: dt.date
    held_on: dt.date | None


class ScheduleOut(Schema):
    award: str
    subject_kind: str = "award"
    rules: list[str]
    award_form: str
    victims_services: bool
    returns_every_months: int | None
    meetings_every_months: int | None
    returns: list[ReturnSummaryOut]
    meetings: list[MeetingOut]


class ReturnFilters(Schema):
    view: Literal[VIEWS] = Field("all", description="Which returns: " + ", ".join(VIEWS))
    page: int = Field(1, ge=1, le=1_000_000)


def _office(user, slug: str) -> Office:
    office = Office.objects.filter(slug=slug).first()
    if office is None or not roles_in(user, office):
        raise Http404
    if not is_monitoring_reader(user, office):
        raise HttpError(403, "Your role in this office does not give access to monitoring.")
    return office


def _summary(ret, today) -> dict:
    return {
        "award": ret.reference,
        "subject_kind": ret.schedule.subject_kind,
        "number": ret.number,
        "organisation": ret.organisation.name,
        "kind": ret.kind,
        "period_start": ret.period_start,
        "period_end": ret.period_end,
        "due_on": ret.due_on,
        "status": ret.status,
        "overdue": ret.is_overdue(today),
    }


@router.get(
    "/offices/{slug}/monitoring/returns",
    response={200: list[ReturnSummaryOut], **ERRORS},
    summary="The office's monitoring returns, soonest due first (staff)",
    description="25 a page; `view` picks awaiting_review, overdue, due, returned, accepted or all.",
)
def return_list(request, slug: str, filters: Query[ReturnFilters]):
    office = _office(request.auth, slug)
    today = timezone.localdate()
    page = staff_return_page(office, view=filters.view, today=today, page_number=filters.page)
    if filters.page > page.paginator.num_pages:
        return []
    return [ReturnSummaryOut(**_summary(r, today)) for r in page]


@router.get(
    "/offices/{slug}/awards/{reference}/monitoring",
    response={200: ScheduleOut, **ERRORS},
    summary="An award's monitoring schedule: the rules applied, its returns and meetings (staff)",
    description="`reference` may also be a contract's: its schedule of quarterly returns.",
)
def schedule_detail(request, slug: str, reference: str):
    office = _office(request.auth, slug)
    schedule = schedule_for_office(office, reference)
    if schedule is None:
        raise Http404
    parts = schedule_parts(schedule)
    today = timezone.localdate()
    for ret in parts["returns"]:
        ret.schedule = schedule
    return ScheduleOut(
        award=schedule.subject_reference,
        subject_kind=schedule.subject_kind,
        rules=schedule.rules,
        award_form=schedule.award_form,
        victims_services=schedule.victims_services,
        returns_every_months=schedule.returns_every_months,
        meetings_every_months=schedule.meetings_every_months,
        returns=[ReturnSummaryOut(**_summary(r, today)) for r in parts["returns"]],
        meetings=[
            MeetingOut(number=m.number, due_on=m.due_on, held_on=m.held_on)
            for m in parts["meetings"]
        ],
    )


@router.get(
    "/offices/{slug}/awards/{reference}/monitoring/returns/{number}",
    response={200: ReturnOut, **ERRORS},
    summary="One monitoring return with everything the organisation reported (staff)",
)
def return_detail(request, slug: str, reference: str, number: int):
    office = _office(request.auth, slug)
    ret = return_with_parts(return_for_staff(request.auth, office, reference, number).pk)
    return _return_out(ret)


# The organisation's returns -----------------------------------------------------------------


class ReturnIn(Schema):
    """The parts of a return to save; parts left out are kept as they are."""

    progress: PlainText | None = None
    outputs: dict[str, int | Decimal | None] | None = None
    outcomes: dict[str, Text(max_length=1000)] | None = None
    spend: dict[str, Text(max_length=20)] | None = None
    items: dict[str, Text(max_length=5000)] | None = None
    people_supported: int | None = Field(None, ge=0, le=10_000_000)
    measures: dict[str, int | None] | None = None
    demographics: dict[str, dict[str, int | None]] | None = None
    case_studies: PlainText | None = None
    feedback: PlainText | None = None
    risks: PlainText | None = None
    rag: Literal["", "red", "amber", "green"] | None = None


class ProblemOut(Schema):
    field: str | None
    message: str


class NotReadyOut(Schema):
    detail: str
    problems: list[ProblemOut]


def _return_out(ret) -> ReturnOut:
    return ReturnOut(
        **_summary(ret, timezone.localdate()),
        submitted_at=ret.submitted_at,
        reviewed_at=ret.reviewed_at,
        review_comments=ret.review_comments,
        progress=ret.progress,
        outputs=ret.outputs,
        outcomes=ret.outcomes,
        items=ret.items,
        spend=ret.spend,
        people_supported=ret.people_supported,
        measures=ret.measures,
        demographics=ret.demographics,
        case_studies=ret.case_studies,
        feedback=ret.feedback,
        risks=ret.risks,
        rag=ret.rag,
    )


def _organisation_return(user, ref: str, reference: str, number: int):
    organisation = organisation_for(user, ref)
    found = return_for_organisation(user, organisation, reference, number)
    return return_with_parts(found.pk)


@router.get(
    "/organisations/{ref}/monitoring/returns",
    response={200: list[ReturnSummaryOut], **ERRORS},
    summary="Your organisation's monitoring returns, soonest due first",
)
def organisation_return_list(request, ref: str):
    organisation = organisation_for(request.auth, ref)
    today = timezone.localdate()
    return [ReturnSummaryOut(**_summary(r, today)) for r in organisation_returns(organisation)]


@router.get(
    "/organisations/{ref}/monitoring/returns/{reference}/{number}",
    response={200: ReturnOut, **ERRORS},
    summary="One of your organisation's monitoring returns",
)
def organisation_return_detail(request, ref: str, reference: str, number: int):
    return _return_out(_organisation_return(request.auth, ref, reference, number))


@router.patch(
    "/organisations/{ref}/monitoring/returns/{reference}/{number}",
    response={200: ReturnOut, 400: ErrorOut, **ERRORS},
    summary="Save parts of a return as a draft",
    description="Figures are checked one by one; whether they add up is checked on submission.",
)
def organisation_return_save(request, ref: str, reference: str, number: int, body: ReturnIn):
    ret = _organisation_return(request.auth, ref, reference, number)
    data = body.model_dump(exclude_none=True)
    return _return_out(return_save(monitoring_return=ret, actor=request.auth, data=data))


@router.post(
    "/organisations/{ref}/monitoring/returns/{reference}/{number}/submit",
    response={200: ReturnOut, 400: NotReadyOut, **ERRORS},
    summary="Submit a return to the office",
    description="Every part still missing, and every figure that does not add up, is listed.",
)
def organisation_return_submit(request, ref: str, reference: str, number: int):
    ret = _organisation_return(request.auth, ref, reference, number)
    try:
        return_submit(monitoring_return=ret, actor=request.auth)
    except ReturnNotReady as exc:
        return 400, NotReadyOut(
            detail=exc.message,
            problems=[ProblemOut(field=f, message=m) for f, m in exc.problems],
        )
    except DomainError as exc:
        return 400, NotReadyOut(detail=exc.message, problems=[])
    return _return_out(return_with_parts(ret.pk))


# The officer's review -----------------------------------------------------------------------


class ReviewIn(Schema):
    decision: Literal["accept", "return"]
    comments: PlainText = ""


@router.post(
    "/offices/{slug}/awards/{reference}/monitoring/returns/{number}/review",
    response={200: ReturnOut, 400: ErrorOut, **ERRORS},
    summary="Accept a submitted return, or send it back with comments (officers)",
    description="Accepting releases any in-arrears instalment waiting for the return.",
)
def return_review(request, slug: str, reference: str, number: int, body: ReviewIn):
    office = _office(request.auth, slug)
    if not is_monitoring_reviewer(request.auth, office):
        raise HttpError(403, "Your role in this office does not review monitoring returns.")
    ret = return_for_staff(request.auth, office, reference, number)
    if body.decision == "accept":
        return_accept(monitoring_return=ret, actor=request.auth, comments=body.comments)
    else:
        return_send_back(monitoring_return=ret, actor=request.auth, comments=body.comments)
    return _return_out(return_with_parts(ret.pk))
