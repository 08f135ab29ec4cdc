"""More of the demo's monitoring, in every office, after the four returns of demo_data: a
return overdue beside one due, a start-up meeting held with its notes and an action, and a
finding in the evidence library. Each part looks for what it would make first, so running it
again changes nothing.

The demo's awards all start next April, so no return of theirs can yet be late. To show one,
the demo adds a progress return and then back-dates it to ten days ago, recording the change
and its reason on the schedule like any other; only the demo does this."""

import datetime as dt

from django.utils import timezone

from commissioning.accounts.models import User
from commissioning.awards.models import Award
from commissioning.cycle.evidence.models import EvidenceItem, EvidenceRating
from commissioning.cycle.evidence.services import evidence_item_save
from commissioning.monitoring import services
from commissioning.monitoring.meetings.services import meeting_action_add, meeting_record
from commissioning.monitoring.models import (
    DueDateChange,
    MonitoringMeeting,
    MonitoringReturn,
    ReturnStatus,
)

REASON = "Progress update asked for at the start-up meeting."
BACKDATED = "Demo data: shown as overdue."


def seed_extras(office) -> None:
    today = timezone.localdate()
    officer = User.objects.filter(email=f"officer@{office.slug}.example").first()
    award = (
        Award.objects.filter(office=office, monitoring_schedule__isnull=False)
        .select_related("office")
        .order_by("made_at", "id")
        .first()
    )
    if award is None:
        return
    drafts = MonitoringReturn.objects.filter(
        office=office, award__isnull=False, status=ReturnStatus.DRAFT
    )
    if not drafts.filter(due_on__lt=today).exists():
        late = services.return_add(
            award=award,
            kind="return",
            due_on=max(award.starts_on, today),
            reason=REASON,
            actor=officer,
        )
        _backdate(late, today - dt.timedelta(days=10), officer)
    if not drafts.filter(due_on__gte=today).exists():
        services.return_add(
            award=award,
            kind="return",
            due_on=max(award.starts_on, today) + dt.timedelta(days=10),
            reason=REASON,
            actor=officer,
        )
    _meeting(office, award, officer, today)
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


def _backdate(ret, due_on, officer) -> None:
    old = ret.due_on
    MonitoringReturn.objects.filter(pk=ret.pk).update(due_on=due_on, period_end=ret.period_start)
    DueDateChange.objects.create(
        office=ret.office,
        award=ret.award,
        monitoring_return=ret,
        old_due_on=old,
        new_due_on=due_on,
        reason=BACKDATED,
        actor=officer,
    )


def _meeting(office, award, officer, today) -> None:
    if MonitoringMeeting.objects.filter(office=office, held_on__isnull=False).exists():
        return
    meeting = MonitoringMeeting.objects.filter(office=office).order_by("due_on", "id").first()
    if meeting is None:
        meeting = services.meeting_add(
            award=award,
            due_on=award.starts_on,
            reason="Start-up meeting before the service opens.",
            actor=officer,
        )
    meeting_record(
        meeting=meeting,
        actor=officer,
        held_on=today,
        notes="Start-up meeting: referral routes agreed; volunteer cover is thin.",
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
        due_on=today + dt.timedelta(days=60),
    )
