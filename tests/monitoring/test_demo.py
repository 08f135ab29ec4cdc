"""The demo shows, in every office, a return due, one submitted, one accepted and one returned
with comments; seeding again adds nothing."""

import pytest
from django.core.management import call_command

from commissioning.awards.models import Award
from commissioning.monitoring.models import MonitoringReturn, MonitoringSchedule
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
    assert MonitoringSchedule.objects.count() == Award.objects.count()
    counts = (MonitoringReturn.objects.count(), MonitoringSchedule.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True)
    assert (MonitoringReturn.objects.count(), MonitoringSchedule.objects.count()) == counts
