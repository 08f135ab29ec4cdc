"""Writes to monitoring meetings (MO4): recording a meeting held, with who came and the notes,
and the actions agreed, each with an owner and a due date. Moving a meeting's date is in
monitoring.services (`meeting_due_date_move`)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.core.errors import DomainError
from commissioning.monitoring.meetings.models import MeetingAction, MeetingAttendee, Side
from commissioning.monitoring.models import MonitoringMeeting


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def _attendees(rows) -> list[dict]:
    clean = []
    for row in rows:
        name = (row.get("name") or "").strip()[:200]
        if not name:
            continue
        side = row.get("side") or Side.PROVIDER
        if side not in Side.values:
            raise DomainError(_("Choose who each person came for."), field="attendees")
        clean.append(
            {
                "name": name,
                "role": (row.get("role") or "").strip()[:200],
                "email": (row.get("email") or "").strip()[:254],
                "side": side,
            }
        )
    if not clean:
        raise DomainError(_("Name at least one person who came."), field="attendees")
    return clean


def meeting_record(
    *, meeting, actor, held_on: dt.date, notes: str, attendees: list[dict], today=None
) -> MonitoringMeeting:
    """Record that the meeting was held: when, who came, and the notes. Recording it again
    replaces the attendees and notes (the audit trail keeps each version's summary)."""
    today = today or timezone.localdate()
    notes = (notes or "").strip()
    if not notes:
        raise DomainError(_("Write the notes of the meeting."), field="notes")
    if held_on > today:
        raise DomainError(_("The meeting date must be today or in the past."), field="held_on")
    people = _attendees(attendees)
    with transaction.atomic():
        locked = (
            MonitoringMeeting.objects.select_for_update(of=("self",))
            .select_related("award")
            .get(pk=meeting.pk)
        )
        # From the project's start, or from the award being made where that came first.
        earliest = min(timezone.localdate(locked.award.made_at), locked.award.starts_on)
        if held_on < earliest:
            raise DomainError(
                _("The meeting cannot have been held before %(day)s, when the award began.")
                % {"day": earliest.strftime("%-d %B %Y")},
                field="held_on",
            )
        locked.held_on, locked.notes = held_on, notes[:50000]
        locked.updated_by = _actor(actor)
        locked.save(update_fields=["held_on", "notes", "updated_at", "updated_by"])
        locked.attendees.all().delete()
        MeetingAttendee.objects.bulk_create(MeetingAttendee(meeting=locked, **p) for p in people)
        audit_event_record(
            actor=actor,
            verb="monitoring_meeting.recorded",
            target=locked,
            office=locked.office,
            data={"held_on": held_on.isoformat(), "attendees": len(people)},
        )
    meeting.refresh_from_db()
    return meeting


def meeting_action_add(
    *, meeting, actor, description: str, owner_name: str, due_on: dt.date, owner=None
) -> MeetingAction:
    description = (description or "").strip()
    owner_name = (owner_name or "").strip()
    if not description:
        raise DomainError(_("Say what is to be done."), field="description")
    if not owner_name:
        raise DomainError(_("Name who will do it."), field="owner_name")
    if meeting.held_on is None:
        raise DomainError(_("Record the meeting before adding its actions."))
    if due_on < meeting.held_on:
        raise DomainError(_("The action must be due after the meeting."), field="due_on")
    with transaction.atomic():
        action = MeetingAction.objects.create(
            meeting=meeting,
            description=description[:5000],
            owner_name=owner_name[:200],
            owner=owner,
            due_on=due_on,
            created_by=_actor(actor),
        )
        audit_event_record(
            actor=actor,
            verb="meeting_action.added",
            target=action,
            office=meeting.office,
            data={"meeting": str(meeting), "due_on": due_on.isoformat()},
        )
    return action


def meeting_action_done(*, action, actor, done_on: dt.date | None = None) -> MeetingAction:
    done_on = done_on or timezone.localdate()
    with transaction.atomic():
        locked = (
            MeetingAction.objects.select_for_update(of=("self",))
            .select_related("meeting__office")
            .get(pk=action.pk)
        )
        if locked.done_on:
            raise DomainError(_("This action is already marked as done."))
        locked.done_on = done_on
        locked.updated_by = _actor(actor)
        locked.save(update_fields=["done_on", "updated_at", "updated_by"])
        audit_event_record(
            actor=actor,
            verb="meeting_action.done",
            target=locked,
            office=locked.meeting.office,
            data={"done_on": done_on.isoformat()},
        )
    return locked
