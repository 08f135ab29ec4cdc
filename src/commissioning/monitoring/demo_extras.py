"""More of the demo's monitoring, in every office, after the four returns of demo_data: a
return overdue beside one due, a meeting held with its notes and an action, and a finding in
the evidence library. Each part looks for what it would make first, so running it again
changes nothing."""

import datetime as dt

from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.awards.models import Award
from commissioning.cycle.evidence.models import EvidenceItem, EvidenceRating
from commissioning.cycle.evidence.services import evidence_item_save
from commissioning.monitoring import services
from commissioning.monitoring.meetings.services import meeting_action_add, meeting_record
from commissioning.monitoring.models import MonitoringMeeting, MonitoringReturn, ReturnStatus

REASON = "Progress update asked for at the start-up meeting."


def seed_extras(office) -> None:
    today = timezone.localdate()
    officer = User.objects.filter(email=f"officer@{office.slug}.example").first()
    drafts = MonitoringReturn.objects.filter(office=office, status=ReturnStatus.DRAFT)
    award = (
        Award.objects.filter(
            office=office,
            monitoring_schedule__isnull=False,
            starts_on__lt=today - dt.timedelta(days=20),
        )
        .select_related("office")
        .order_by("made_at", "id")
        .first()
    )
    if award is not None and not drafts.filter(due_on__lt=today).exists():
        services.return_add(
            award=award,
            kind="return",
            due_on=today - dt.timedelta(days=10),
            reason=REASON,
            actor=officer,
        )
    if award is not None and not drafts.filter(due_on__gte=today).exists():
        services.return_add(
            award=award,
            kind="return",
            due_on=min(today + dt.timedelta(days=10), award.ends_on + dt.timedelta(days=300)),
            reason=REASON,
            actor=officer,
        )
    _meeting(office, officer, today)
    if not EvidenceItem.objects.filter(office=office).exists():
        evidence_item_save(
            office=office,
            actor=officer,
            intervention="Mentoring for young people at risk of exclusion",
            evidence="Of 40 young people mentored for a year, 31 stayed in school; referrals "
            "to youth justice fell in the area served.",
            rating=EvidenceRating.PROMISING,
            source="End-of-award evaluation of a demo award",
        )


def _meeting(office, officer, today) -> None:
    if MonitoringMeeting.objects.filter(office=office, held_on__isnull=False).exists():
        return
    meeting = (
        MonitoringMeeting.objects.filter(office=office, award__starts_on__lt=today)
        .select_related("award")
        .order_by("due_on", "id")
        .first()
    )
    if meeting is None:
        return
    held = max(min(meeting.due_on, today), meeting.award.starts_on)
    meeting_record(
        meeting=meeting,
        actor=officer,
        held_on=held,
        notes="Reviewed the first quarter. Referrals are on track; volunteer cover is thin.",
        attendees=[
            {"name": "Project manager", "role": "Project manager", "side": "provider"},
            {"name": "Commissioning officer", "role": "Commissioning officer", "side": "office"},
        ],
        today=today,
    )
    meeting_action_add(
        meeting=meeting,
        actor=officer,
        description="Recruit two more volunteers and report back at the next meeting.",
        owner_name="Project manager",
        due_on=held + dt.timedelta(days=60),
    )
