"""The demo shows, in every office, an approved variation and one waiting for a decision
(issue 10, item 9); seeding again adds nothing."""

import pytest
from django.core.management import call_command

from commissioning.awards.variations import demo
from commissioning.awards.variations.models import Variation, VariationStatus
from commissioning.offices.models import Office
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def test_every_office_shows_an_approved_and_a_proposed_variation(
    django_capture_on_commit_callbacks,
):
    packs = sorted((ROOT / "packs").glob("*.yaml"))
    for pack in packs:
        call_command("load_pack", str(pack), verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True)
    offices = list(Office.objects.filter(slug__in=[p.stem for p in packs]).order_by("slug"))
    assert len(offices) == 5
    for office in offices:
        statuses = sorted(Variation.objects.filter(office=office).values_list("status", flat=True))
        assert statuses == [VariationStatus.APPROVED, VariationStatus.PROPOSED], office.slug
    count = Variation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        for office in offices:
            demo.seed_office(office)
    assert Variation.objects.count() == count
