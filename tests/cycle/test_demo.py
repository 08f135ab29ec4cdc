"""The demo: each office a couple of projects, needs, a service map with gaps; Cleveland's
commissioned services one at each of its five stages. Seeding again adds nothing."""

import time

import pytest

from commissioning.cycle import demo
from commissioning.cycle.models import CommissioningProject, ExistingProvision, NeedsAssessment
from commissioning.cycle.needs.selectors import office_gaps
from commissioning.offices.models import Office
from commissioning.offices.packs import load_pack
from tests.conftest import PACKS

pytestmark = pytest.mark.django_db


def test_demo_projects_in_every_office_and_cleveland_through_its_five_stages():
    for pack in PACKS:
        load_pack(pack)
    started = time.monotonic()
    demo.seed(None)
    assert time.monotonic() - started < 20
    offices = Office.objects.filter(slug__in=[p.stem for p in PACKS])
    for office in offices:
        assert CommissioningProject.objects.filter(office=office).count() >= 2, office.slug
        assert NeedsAssessment.objects.filter(office=office).exists()
        assert ExistingProvision.objects.filter(office=office).count() == 3
        assert office_gaps(office, office.created_at.date())["columns"]
    cleveland = CommissioningProject.objects.filter(office__slug="cleveland")
    assert sorted(cleveland.values_list("stage", flat=True)) == sorted(
        ["ASSESS", "ANALYSE", "ADVERTISE", "AWARD", "AUDIT"]
    )
    titles = set(cleveland.values_list("title", flat=True))
    assert {"Appropriate Adult Service", "Victim Care and Advice Service"} <= titles
    assert any("Probation" in t for t in titles)
    counts = (CommissioningProject.objects.count(), NeedsAssessment.objects.count())
    demo.seed(None)
    assert (CommissioningProject.objects.count(), NeedsAssessment.objects.count()) == counts
