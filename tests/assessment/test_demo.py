"""The demo shows a panel part-way through scoring and a moderated panel with agreed
recommendations and an allocation run; seeding again adds nothing."""

import pytest
from django.core.management import call_command

from commissioning.assessment import demo
from commissioning.assessment.models import (
    AgreedRecommendation,
    AllocationRun,
    ConflictDeclaration,
    Panel,
    ScoreSheet,
)
from commissioning.offices.models import Office
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def test_demo_panels_in_an_office_and_seeding_twice_adds_nothing():
    call_command("load_pack", str(ROOT / "packs" / "essex.yaml"), verbosity=0)
    call_command("seed_demo", quiet_logins=True)
    office = Office.objects.get(slug="essex")
    moderated = Panel.objects.get(office=office, name=demo.MODERATED)
    scoring = Panel.objects.get(office=office, name=demo.SCORING)
    assert moderated.recommendations.count() == 3
    assert {r.outcome for r in moderated.recommendations.all()} == {
        "fund",
        "fund_with_conditions",
        "decline",
    }
    assert moderated.allocation_runs.count() == 1
    assert ConflictDeclaration.objects.filter(member__panel=moderated, has_conflict=True).exists()
    sheets = ScoreSheet.objects.filter(member__panel=scoring)
    assert sheets.filter(submitted_at__isnull=True).exists()
    assert sheets.filter(submitted_at__isnull=False).exists()
    assert not scoring.recommendations.exists()
    counts = (
        Panel.objects.count(),
        ScoreSheet.objects.count(),
        AgreedRecommendation.objects.count(),
        AllocationRun.objects.count(),
    )
    demo.seed_office(office)
    assert counts == (
        Panel.objects.count(),
        ScoreSheet.objects.count(),
        AgreedRecommendation.objects.count(),
        AllocationRun.objects.count(),
    )
