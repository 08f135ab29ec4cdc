"""The demo shows, in every office, a claim approved by finance and one waiting for it, on an
award moved to active; seeding again adds nothing."""

import pytest
from django.core.management import call_command

from commissioning.awards.claims import demo
from commissioning.awards.claims.models import Claim, ClaimStatus
from commissioning.offices.models import Office
from tests.conftest import PACKS

pytestmark = pytest.mark.django_db


def test_every_office_has_an_approved_and_a_submitted_claim_and_seeding_twice_adds_nothing(
    django_capture_on_commit_callbacks,
):
    for path in PACKS:
        call_command("load_pack", str(path), verbosity=0)
    # The decisions' demo waits for its transaction to commit, which a test's never does: its
    # awards are made as the captured callbacks run, so the claims' step runs again after.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True)
    demo.seed(None)
    offices = list(Office.objects.filter(slug__in=[p.stem for p in PACKS]))
    assert len(offices) == 5
    for office in offices:
        claims = Claim.objects.filter(award__office=office)
        assert {c.status for c in claims} == {ClaimStatus.APPROVED, ClaimStatus.SUBMITTED}
        assert all(c.award.status == "active" and c.evidence.exists() for c in claims)
        approved = claims.get(status=ClaimStatus.APPROVED)
        assert approved.approved_amount < approved.amount and approved.finance_comments
    count = Claim.objects.count()
    for office in offices:
        demo.seed_office(office)
    assert Claim.objects.count() == count
