"""AG3: payment runs pay approved instalments only to verified bank details; the file for the
finance system has its documented columns; confirming it writes the ledger's payments."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from commissioning.audit.models import AuditEvent
from commissioning.awards.models import EntryKind, LedgerEntry
from commissioning.awards.payments.models import InstalmentStatus, PaymentRun
from commissioning.awards.payments.services import (
    FILE_COLUMNS,
    instalment_approve,
    payment_run_cancel,
    payment_run_confirm,
    payment_run_create,
    payment_run_file,
)
from commissioning.awards.selectors import balances_for
from commissioning.core.errors import DomainError
from commissioning.offices.models import Budget
from tests.awards.payments.conftest import (
    ACCOUNT_NUMBER,
    ROLL_NUMBER,
    SORT_CODE,
    activate,
    enter_bank_details,
    verified_bank_details,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(award, officer, finance):
    activate(award, officer)
    first = award.instalments.get(sequence=1)
    instalment_approve(instalment=first, actor=finance)
    return first


def test_a_run_pays_verified_details_and_writes_the_ledger(office, award, approved, finance):
    """AG3: the file's columns as documented; a payment ledger entry per instalment."""
    verified_bank_details(award.organisation, office, finance)
    run = payment_run_create(office=office, actor=finance)
    assert run.reference == f"{office.code}-PR-{run.reference.split('-')[2]}-001"
    assert run.total == Decimal("1000.00") and run.excluded == []
    rows = list(csv.reader(io.StringIO(payment_run_file(run=run, actor=finance))))
    assert tuple(rows[0]) == FILE_COLUMNS
    assert rows[1][:8] == [
        "Brockhall Youth Trust",
        SORT_CODE,
        ACCOUNT_NUMBER,
        ROLL_NUMBER,
        "1000.00",
        f"{run.reference} {award.reference}/1",
        award.reference,
        "1",
    ]
    assert AuditEvent.objects.filter(verb="bank_account.full_details_viewed").count() == 1
    assert AuditEvent.objects.filter(verb="payment_run.file_downloaded").count() == 1

    payment_run_confirm(run=run, paid_on=dt.date(2026, 4, 20), actor=finance)
    approved.refresh_from_db()
    assert approved.status == InstalmentStatus.PAID and approved.paid_on == dt.date(2026, 4, 20)
    entry = LedgerEntry.objects.get(award=award, kind=EntryKind.PAYMENT)
    assert entry.amount == Decimal("1000.00") and entry.cause == approved
    budget = Budget.objects.get(fund=award.fund, financial_year=2026)
    assert balances_for([budget])[budget.pk].paid == Decimal("1000.00")
    with pytest.raises(DomainError, match="cannot become paid"):
        payment_run_confirm(run=run, paid_on=dt.date(2026, 4, 20), actor=finance)


def test_unverified_details_and_a_pending_change_keep_an_instalment_out(
    office, award, approved, finance
):
    """AG3, mandate fraud: no payment goes to unverified details."""
    account = enter_bank_details(award.organisation)
    with pytest.raises(DomainError, match="There is no approved instalment that can be paid"):
        payment_run_create(office=office, actor=finance)
    from commissioning.awards.payments.services import payment_run_candidates

    [(instalment, payable, reason)] = payment_run_candidates(office)
    assert payable is None and "waiting for verification" in str(reason)
    from tests.awards.payments.conftest import verify

    verify(account, office, finance)
    enter_bank_details(award.organisation, account_number="12345678", phone="07700 900 999")
    [(instalment, payable, reason)] = payment_run_candidates(office)
    assert payable is None and "waiting for verification" in str(reason)


def test_no_verified_details_at_all_is_a_reason_too(office, award, approved, finance):
    from commissioning.awards.payments.services import payment_run_candidates

    [(_i, _a, reason)] = payment_run_candidates(office)
    assert str(reason) == "The organisation has no verified bank details."


def test_a_cancelled_run_returns_its_instalments_for_the_next(office, award, approved, finance):
    verified_bank_details(award.organisation, office, finance)
    run = payment_run_create(office=office, actor=finance)
    payment_run_cancel(run=run, reason="Wrong date", actor=finance)
    approved.refresh_from_db()
    assert approved.status == InstalmentStatus.APPROVED and approved.run is None
    again = payment_run_create(office=office, actor=finance)
    assert again.reference.endswith("-002")
    assert PaymentRun.objects.filter(office=office).count() == 2


def test_a_future_paid_date_is_refused(office, award, approved, finance):
    verified_bank_details(award.organisation, office, finance)
    run = payment_run_create(office=office, actor=finance)
    with pytest.raises(DomainError, match="today or in the past"):
        payment_run_confirm(run=run, paid_on=dt.date(2100, 1, 1), actor=finance)


def test_only_finance_makes_a_run(office, approved, officer):
    with pytest.raises(DomainError, match="Only a finance officer"):
        payment_run_create(office=office, actor=officer)
