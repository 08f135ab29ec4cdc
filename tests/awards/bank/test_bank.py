"""Bank details (issue 10, item 4): checked with plain messages, encrypted at rest, masked,
and a change held until a finance officer records a call-back to a number already on file."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from commissioning.audit.models import AuditEvent
from commissioning.awards.bank import crypto
from commissioning.awards.bank.models import BankAccountStatus, BankVerification
from commissioning.awards.bank.services import (
    bank_change_reject,
    bank_change_verify,
    bank_details_enter,
    callback_number_add,
)
from commissioning.core.errors import DomainError
from tests.applications.factories import OrganisationFactory
from tests.awards.payments.conftest import (
    ACCOUNT_NUMBER,
    SORT_CODE,
    admin_of,
    enter_bank_details,
    verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sort_code", "12345", "Enter a sort code of 6 digits, like 30-99-50."),
        ("sort_code", "12-34-5x", "Enter a sort code of 6 digits, like 30-99-50."),
        ("sort_code", "", "Enter the sort code."),
        ("account_number", "1234567", "Enter an account number of 8 digits, like 00733445."),
        ("account_number", "123456789", "Enter an account number of 8 digits, like 00733445."),
        ("account_name", " ", "Enter the name on the account."),
        ("phone", "call me", "Enter a telephone number, like 01632 960 001 or +44 808 157 0192."),
        ("roll_number", "<script>", "Enter the roll number as the building society gives it"),
    ],
)
def test_bank_details_are_checked_with_plain_messages(organisation, field, value, message):
    fields = {
        "account_name": "Trust",
        "sort_code": "30-99-50",
        "account_number": "00733445",
        "roll_number": "",
        "phone": "07700 900 555",
        field: value,
    }
    with pytest.raises(DomainError) as caught:
        bank_details_enter(organisation=organisation, actor=admin_of(organisation), **fields)
    assert caught.value.message.startswith(message) and caught.value.field == field


def test_details_are_stored_encrypted_and_shown_masked(organisation):
    account = enter_bank_details(organisation)
    assert account.status == BankAccountStatus.ENTERED
    assert str(account) == "Brockhall Youth Trust ****6238" and account.masked == "****6238"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM awards_bankaccount WHERE id = %s", [account.pk])
        stored = " ".join(str(v) for v in cursor.fetchone())
    assert SORT_CODE not in stored and ACCOUNT_NUMBER not in stored
    assert crypto.decrypt(account.account_number_token) == ACCOUNT_NUMBER


def test_a_change_waits_for_a_call_back_to_a_number_on_file(office, organisation, finance):
    """The classic mandate fraud: the number that came with the change is never called."""
    account = enter_bank_details(organisation, phone="07700 900 555")
    with pytest.raises(DomainError, match="came with the change"):
        callback_number_add(
            organisation=organisation,
            phone="+44 7700 900555",
            source="The e-mail asking for the change",
            office=office,
            actor=finance,
        )
    number = callback_number_add(
        organisation=organisation,
        phone="01632 960 321",
        source="The charity register",
        office=office,
        actor=finance,
    )
    account = bank_change_verify(
        account=account,
        number=number,
        spoke_to="Sam Treasurer",
        outcome=BankVerification.Outcome.CONFIRMED,
        office=office,
        actor=finance,
    )
    assert account.status == BankAccountStatus.VERIFIED
    check = account.verification
    assert (check.number_called, check.spoke_to, check.by, check.outcome) == (
        "01632 960 321",
        "Sam Treasurer",
        finance,
        "confirmed",
    )
    assert check.at is not None

    # A second change replaces the first only once verified.
    new = enter_bank_details(organisation, account_number="12345678", phone="01632 960 321")
    with pytest.raises(DomainError, match="came with the change"):
        bank_change_verify(
            account=new,
            number=number,
            spoke_to="Someone",
            outcome="confirmed",
            office=office,
            actor=finance,
        )
    account.refresh_from_db()
    assert account.status == BankAccountStatus.VERIFIED


def test_the_person_who_entered_the_change_cannot_verify_it(office, organisation):
    account = enter_bank_details(organisation)
    with pytest.raises(DomainError, match="someone else must verify them"):
        bank_change_verify(
            account=account,
            number=None,
            spoke_to="Me",
            outcome="confirmed",
            office=office,
            actor=account.entered_by,
        )


def test_one_change_waits_at_a_time_and_a_rejected_one_pays_nothing(office, organisation, finance):
    account = enter_bank_details(organisation)
    with pytest.raises(DomainError, match="already waiting"):
        enter_bank_details(organisation, account_number="12345678")
    bank_change_reject(
        account=account, reason="The trust did not ask", office=office, actor=finance
    )
    account.refresh_from_db()
    assert account.status == BankAccountStatus.REJECTED
    again = enter_bank_details(organisation, account_number="12345678")
    verify(again, office, finance)
    again.refresh_from_db()
    assert again.status == BankAccountStatus.VERIFIED


def test_details_already_checked_cannot_be_rejected_again(office, organisation, finance):
    """A second rejection (a double click, or two officers at once) or a rejection after the
    call-back is refused plainly, with nothing written."""
    rejected = enter_bank_details(organisation)
    bank_change_reject(account=rejected, reason="Not asked for", office=office, actor=finance)
    with pytest.raises(DomainError, match="rejected: there is nothing to reject"):
        bank_change_reject(account=rejected, reason="Again", office=office, actor=finance)
    verified = verify(enter_bank_details(organisation, account_number="12345678"), office, finance)
    with pytest.raises(DomainError, match="verified: there is nothing to reject"):
        bank_change_reject(account=verified, reason="Late", office=office, actor=finance)
    verified.refresh_from_db()
    assert verified.status == BankAccountStatus.VERIFIED
    assert BankVerification.objects.filter(account__in=[rejected, verified]).count() == 2


def test_a_verified_change_replaces_the_old_details(office, organisation, finance):
    first = verify(enter_bank_details(organisation), office, finance)
    second = verify(
        enter_bank_details(organisation, account_number="12345678", phone="07700 900 777"),
        office,
        finance,
    )
    first.refresh_from_db()
    assert first.status == BankAccountStatus.REPLACED
    assert second.status == BankAccountStatus.VERIFIED
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"bank_account.entered", "bank_account.verified", "bank_account.replaced"} <= verbs


def test_no_key_outside_development_is_refused(settings):
    settings.BANK_DETAILS_KEY = ""
    settings.BANK_DETAILS_DEVELOPMENT_KEY = False
    with pytest.raises(ImproperlyConfigured, match="Set BANK_DETAILS_KEY"):
        crypto.encrypt("12345678")
    settings.BANK_DETAILS_KEY = "not-a-key"
    with pytest.raises(ImproperlyConfigured, match="must be Fernet keys"):
        crypto.encrypt("12345678")


def test_keys_rotate_the_first_encrypts_any_decrypts(settings):
    old, new = crypto.new_key(), crypto.new_key()
    settings.BANK_DETAILS_KEY = old
    token = crypto.encrypt("12345678")
    settings.BANK_DETAILS_KEY = f"{new},{old}"
    assert crypto.decrypt(token) == "12345678"
    settings.BANK_DETAILS_KEY = new
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        crypto.decrypt(token)


def test_production_settings_refuse_to_start_without_a_key(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {
        **os.environ,
        "COMMISSIONING_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "BANK_DETAILS_KEY": "",
        "PYTHONPATH": str(root / "src"),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import commissioning.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "Set BANK_DETAILS_KEY" in result.stderr
