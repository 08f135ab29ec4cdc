"""Monitoring schedules and returns for the office's staff (read). A token of another office's
staff gets 404, as for a missing record; a member of the office whose role does not read
monitoring (a panel member) gets 403. Figures are the office's own, unsuppressed."""

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from commissioning.accounts.permissions import roles_in
from commissioning.awards.models import Award
from commissioning.monitoring.permissions import is_monitoring_reader, return_for_staff
from commissioning.monitoring.selectors import (
    VIEWS,
    award_schedule,
    return_with_parts,
    staff_return_page,
)
from commissioning.offices.models import Office

router = Router(tags=["monitoring"])


class ErrorOut(Schema):
    detail: str


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ReturnSummaryOut(Schema):
    award: str
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
    outputs: dict[str, int]
    outcomes: dict[str, str]
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
        "award": ret.award.reference,
        "number": ret.number,
        "organisation": ret.award.organisation.name,
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
)
def schedule_detail(request, slug: str, reference: str):
    office = _office(request.auth, slug)
    award = (
        Award.objects.filter(office=office, reference=reference)
        .select_related("organisation", "monitoring_schedule")
        .first()
    )
    if award is None or not hasattr(award, "monitoring_schedule"):
        raise Http404
    schedule = award.monitoring_schedule
    parts = award_schedule(award)
    today = timezone.localdate()
    for ret in parts["returns"]:
        ret.award = award
    return ScheduleOut(
        award=award.reference,
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
    return ReturnOut(
        **_summary(ret, timezone.localdate()),
        submitted_at=ret.submitted_at,
        reviewed_at=ret.reviewed_at,
        review_comments=ret.review_comments,
        progress=ret.progress,
        outputs=ret.outputs,
        outcomes=ret.outcomes,
        spend=ret.spend,
        people_supported=ret.people_supported,
        measures=ret.measures,
        demographics=ret.demographics,
        case_studies=ret.case_studies,
        feedback=ret.feedback,
        risks=ret.risks,
        rag=ret.rag,
    )
