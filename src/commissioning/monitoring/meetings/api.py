"""Monitoring meetings for the office's staff (read): the office's meetings, and one with who
came, its notes and its actions. Another office's staff get 404."""

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from commissioning.monitoring.api import ERRORS, _office
from commissioning.monitoring.meetings.selectors import meeting_with_parts, office_meetings

router = Router(tags=["monitoring"])


class MeetingSummaryOut(Schema):
    award: str
    organisation: str
    number: int
    due_on: dt.date
    held_on: dt.date | None
    open_actions: int


class AttendeeOut(Schema):
    name: str
    role: str
    side: str


class ActionOut(Schema):
    description: str
    owner: str
    due_on: dt.date
    done_on: dt.date | None


class MeetingOut(MeetingSummaryOut):
    notes: str
    attendees: list[AttendeeOut]
    actions: list[ActionOut]


class MeetingFilters(Schema):
    show: Literal["due", "held", "all"] = "all"
    page: int = Field(1, ge=1, le=1_000_000)


PER_PAGE = 50


@router.get(
    "/offices/{slug}/monitoring/meetings",
    response={200: list[MeetingSummaryOut], **ERRORS},
    summary="The office's monitoring meetings, soonest due first (staff)",
    description="50 a page; `show` picks meetings not yet held (due), held, or all.",
)
def meeting_list(request, slug: str, filters: Query[MeetingFilters]):
    office = _office(request.auth, slug)
    held = {"due": False, "held": True}.get(filters.show)
    start = (filters.page - 1) * PER_PAGE
    rows = office_meetings(office, held=held)[start : start + PER_PAGE]
    return [
        MeetingSummaryOut(
            award=m.award.reference,
            organisation=m.award.organisation.name,
            number=m.number,
            due_on=m.due_on,
            held_on=m.held_on,
            open_actions=m.open_actions,
        )
        for m in rows
    ]


@router.get(
    "/offices/{slug}/awards/{reference}/monitoring/meetings/{number}",
    response={200: MeetingOut, **ERRORS},
    summary="One monitoring meeting with who came, the notes and the actions (staff)",
)
def meeting_detail(request, slug: str, reference: str, number: int):
    office = _office(request.auth, slug)
    meeting = meeting_with_parts(office, reference, number)
    if meeting is None:
        raise Http404
    actions = list(meeting.actions.all())
    return MeetingOut(
        award=meeting.award.reference,
        organisation=meeting.award.organisation.name,
        number=meeting.number,
        due_on=meeting.due_on,
        held_on=meeting.held_on,
        open_actions=sum(1 for a in actions if a.done_on is None),
        notes=meeting.notes,
        attendees=[
            AttendeeOut(name=p.name, role=p.role, side=p.side) for p in meeting.attendees.all()
        ],
        actions=[
            ActionOut(
                description=a.description, owner=a.owner_name, due_on=a.due_on, done_on=a.done_on
            )
            for a in actions
        ],
    )
