"""The demo shows, in every office, a return due, one overdue, one submitted, one accepted and
one returned with comments, and a finding in the evidence library; a meeting is held with an
action; seeding again adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from commissioning.awards.models import Award
from commissioning.cycle.evidence.models import EvidenceItem
from commissioning.monitoring.models import (
    MeetingAction,
    MonitoringMeeting,
    MonitoringReturn,
    MonitoringSchedule,
)
from commissioning.offices.models import Office
from tests.conftest import PACKS

pytestmark = pytest.mark.django_db


def test_demo_returns_in_every_office_and_seeding_twice_adds_nothing(
    django_capture_on_commit_callbacks,
):
    for pack in PACKS:
        call_command("load_pack", str(pack), verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True)
    for office in Office.objects.filter(slug__in=[p.stem for p in PACKS]):
        statuses = set(
            MonitoringReturn.objects.filter(office=office).values_list("status", flat=True)
        )
        assert {"draft", "submitted", "accepted", "returned"} <= statuses, office.slug
        drafts = MonitoringReturn.objects.filter(office=office, status="draft")
        today = timezone.localdate()
        assert drafts.filter(due_on__lt=today).exists(), office.slug  # overdue
        assert drafts.filter(due_on__gte=today).exists(), office.slug  # due
        assert EvidenceItem.objects.filter(office=office).exists(), office.slug
    assert MonitoringMeeting.objects.filter(held_on__isnull=False).exists()
    assert MeetingAction.objects.exists()
    assert MonitoringSchedule.objects.count() == Award.objects.count()
    counts = (
        MonitoringReturn.objects.count(),
        MonitoringSchedule.objects.count(),
        EvidenceItem.objects.count(),
        MeetingAction.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True)
    assert (
        MonitoringReturn.objects.count(),
        MonitoringSchedule.objects.count(),
        EvidenceItem.objects.count(),
        MeetingAction.objects.count(),
    ) == counts
