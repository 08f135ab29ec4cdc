"""The demo shows payments in every office: instalments paid, releasable and blocked, a
payment run, and a change of bank details waiting for verification."""

import pytest
from django.core.management import call_command

from commissioning.awards.bank.models import BankAccount, BankAccountStatus
from commissioning.awards.models import EntryKind, LedgerEntry
from commissioning.awards.payments.models import Instalment, InstalmentStatus, PaymentRun
from commissioning.offices.models import Office
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["essex", "lancashire"])
def test_demo_payments_in_an_office_and_seeding_twice_adds_nothing(
    slug, django_capture_on_commit_callbacks
):
    call_command("load_pack", str(ROOT / "packs" / f"{slug}.yaml"), verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True)
    office = Office.objects.get(slug=slug)
    statuses = set(Instalment.objects.filter(office=office).values_list("status", flat=True))
    assert {InstalmentStatus.PAID, InstalmentStatus.RELEASABLE, InstalmentStatus.SCHEDULED} <= (
        statuses
    )
    run = PaymentRun.objects.get(office=office)
    assert run.status == "paid"
    assert LedgerEntry.objects.filter(award__office=office, kind=EntryKind.PAYMENT).exists()
    assert BankAccount.objects.filter(status=BankAccountStatus.ENTERED).exists()
    assert BankAccount.objects.filter(status=BankAccountStatus.VERIFIED).exists()
    counts = (Instalment.objects.count(), PaymentRun.objects.count(), BankAccount.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", quiet_logins=True)
    assert counts == (
        Instalment.objects.count(),
        PaymentRun.objects.count(),
        BankAccount.objects.count(),
    )
