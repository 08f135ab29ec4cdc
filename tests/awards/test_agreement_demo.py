"""The demo shows, in every office, an agreement awaiting the organisation's signature, one
awaiting the office's countersignature and one signed by both, its award active; seeding again
adds nothing (issue 10, item 9)."""

import pytest
from django.core.management import call_command

from commissioning.awards.agreements.models import Agreement, AgreementStatus
from commissioning.awards.models import AwardStatus
from commissioning.offices.models import Office
from tests.conftest import PACKS

# Transactional, as `seed_demo` runs for real: the decisions' demo waits for its commit.
pytestmark = pytest.mark.django_db(transaction=True)


def test_every_office_shows_agreements_in_each_state_and_seeding_twice_adds_nothing(settings):
    settings.DEMO_MODE = True
    for path in PACKS:
        call_command("load_pack", str(path), verbosity=0)
    call_command("seed_demo", quiet_logins=True)
    offices = Office.objects.filter(slug__in=[p.stem for p in PACKS])
    assert offices.count() == 5
    for office in offices:
        agreements = Agreement.objects.filter(award__office=office).select_related("award")
        by_status = {a.status: a for a in agreements}
        assert set(by_status) == {
            AgreementStatus.SENT,
            AgreementStatus.SIGNED_BY_PROVIDER,
            AgreementStatus.COUNTERSIGNED,
        }, office.slug
        assert by_status[AgreementStatus.COUNTERSIGNED].award.status == AwardStatus.ACTIVE
        assert by_status[AgreementStatus.SENT].award.status == AwardStatus.SENT
    count = Agreement.objects.count()
    call_command("seed_demo", quiet_logins=True)
    assert Agreement.objects.count() == count
