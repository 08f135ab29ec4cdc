"""Every write to bank details: an organisation administrator enters them, a finance officer
records the numbers on file and the call-back that verifies or rejects a change. Each function
runs in one transaction, checks the state stored, writes an audit event (never with the sort
code or account number in it) and raises a DomainError with a plain message.

`bank_details_for_payment` is the one way to read full details back, for a payment file; it
audits every account it reveals."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.audit.services import audit_event_record
from commissioning.awards.bank import crypto
from commissioning.awards.bank.models import (
    BANK_WORKFLOW,
    BankAccount,
    BankAccountStatus,
    BankAccountStatusChange,
    BankVerification,
    CallbackNumber,
)
from commissioning.awards.bank.rules import (
    clean_account_name,
    clean_account_number,
    clean_phone,
    clean_roll_number,
    clean_sort_code,
    phone_key,
)
from commissioning.core.errors import DomainError
from commissioning.core.transitions import transition
from commissioning.organisations.models import Organisation


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _lock_organisation(organisation: Organisation) -> Organisation:
    """One change of an organisation's bank details at a time."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def bank_details_enter(
    *,
    organisation: Organisation,
    account_name: str,
    sort_code: str,
    account_number: str,
    roll_number: str = "",
    phone: str,
    actor,
) -> BankAccount:
    """New bank details for the organisation, held until a finance officer verifies them. A
    change already waiting for verification is refused: it must be verified or rejected
    first."""
    account_name = clean_account_name(account_name)
    sort_code = clean_sort_code(sort_code)
    account_number = clean_account_number(account_number)
    roll_number = clean_roll_number(roll_number)
    phone = clean_phone(phone)
    with transaction.atomic():
        _lock_organisation(organisation)
        if BankAccount.objects.filter(
            organisation=organisation, status=BankAccountStatus.ENTERED
        ).exists():
            raise DomainError(
                _(
                    "A change of bank details is already waiting for the office to verify it. "
                    "Ask the office's finance team to verify or reject it first."
                )
            )
        now = timezone.now()
        account = BankAccount.objects.create(
            organisation=organisation,
            account_name=account_name,
            sort_code_token=crypto.encrypt(sort_code),
            account_number_token=crypto.encrypt(account_number),
            roll_number_token=crypto.encrypt(roll_number),
            last4=account_number[-4:],
            given_phone=phone,
            entered_by=_user(actor),
            entered_at=now,
            created_by=_user(actor),
        )
        BankAccountStatusChange.objects.create(
            account=account,
            old="",
            new=BankAccountStatus.ENTERED,
            actor=_user(actor),
            at=now,
            note=_("Entered by the organisation"),
        )
        audit_event_record(
            actor=actor,
            verb="bank_account.entered",
            target=account,
            data={"organisation": organisation.ref, "account": account.masked},
        )
    return account


def callback_number_add(*, organisation: Organisation, phone: str, source: str, office, actor):
    """A number the office holds for the organisation from its own records, to call back on.
    A number given with a change of bank details waiting for verification is refused: the
    call-back must not go to whoever asked for the change."""
    phone = clean_phone(phone)
    source = " ".join((source or "").split())
    if not source:
        raise DomainError(
            _("Say where the number comes from, such as the charity register."), field="source"
        )
    key = phone_key(phone)
    with transaction.atomic():
        _lock_organisation(organisation)
        pending = BankAccount.objects.filter(
            organisation=organisation, status=BankAccountStatus.ENTERED
        )
        if any(phone_key(p) == key for p in pending.values_list("given_phone", flat=True)):
            raise DomainError(
                _(
                    "That number came with the change of bank details, so it cannot be used "
                    "to verify it. Find the organisation's number in your own records."
                ),
                field="phone",
            )
        if CallbackNumber.objects.filter(organisation=organisation, phone_key=key).exists():
            raise DomainError(_("That number is already on file."), field="phone")
        number = CallbackNumber.objects.create(
            organisation=organisation,
            phone=phone,
            phone_key=key,
            source=source[:200],
            office=office,
            added_by=_user(actor),
            created_by=_user(actor),
        )
        audit_event_record(
            actor=actor,
            verb="bank_account.callback_number_added",
            target=number,
            office=office,
            data={"organisation": organisation.ref, "source": number.source},
        )
    return number


def _number_on_file(account: BankAccount, number: CallbackNumber | None) -> CallbackNumber:
    if number is None or number.organisation_id != account.organisation_id:
        raise DomainError(_("Choose a number on file for the organisation."), field="number")
    if phone_key(number.phone) == phone_key(account.given_phone):
        raise DomainError(
            _(
                "That number came with the change of bank details, so it cannot be used to "
                "verify it. Call a number the office already held."
            ),
            field="number",
        )
    return number


def _entered_account(account: BankAccount, refusal: str) -> BankAccount:
    """The account as it is now (its organisation locked): details still waiting for a check,
    or the refusal (naming the state as %(state)s) if someone has checked them meanwhile."""
    account = BankAccount.objects.select_related("organisation").get(pk=account.pk)
    if account.status != BankAccountStatus.ENTERED:
        raise DomainError(refusal % {"state": account.get_status_display().lower()})
    return account


def bank_change_verify(
    *,
    account: BankAccount,
    number: CallbackNumber | None,
    spoke_to: str,
    outcome: str,
    note: str = "",
    office,
    actor,
) -> BankAccount:
    """Record the call-back on a number already on file. A confirmed call verifies the new
    details (and replaces the organisation's old ones); otherwise they are rejected. The
    person who entered the details cannot verify them."""
    spoke_to = " ".join((spoke_to or "").split())
    if outcome not in BankVerification.Outcome.values:
        raise DomainError(_("Say whether the organisation confirmed the details."), field="outcome")
    if not spoke_to:
        raise DomainError(_("Enter the name of the person you spoke to."), field="spoke_to")
    with transaction.atomic():
        _lock_organisation(account.organisation)
        account = _entered_account(
            account, _("These bank details are %(state)s: there is nothing to verify.")
        )
        if account.entered_by_id and account.entered_by_id == getattr(actor, "pk", None):
            raise DomainError(
                _("You entered these bank details, so someone else must verify them.")
            )
        number = _number_on_file(account, number)
        verification = BankVerification.objects.create(
            account=account,
            office=office,
            number=number,
            number_called=number.phone,
            spoke_to=spoke_to[:200],
            outcome=outcome,
            note=(note or "").strip(),
            by=_user(actor),
        )
        if outcome == BankVerification.Outcome.CONFIRMED:
            for old in BankAccount.objects.filter(
                organisation=account.organisation, status=BankAccountStatus.VERIFIED
            ):
                transition(
                    BANK_WORKFLOW,
                    old,
                    to=BankAccountStatus.REPLACED,
                    actor=actor,
                    note=_("Replaced by the details ending %(last4)s") % {"last4": account.last4},
                )
            to = BankAccountStatus.VERIFIED
        else:
            to = BankAccountStatus.REJECTED
        transition(
            BANK_WORKFLOW,
            account,
            to=to,
            actor=actor,
            note=_("Call-back to %(number)s, spoke to %(name)s")
            % {"number": number.phone, "name": spoke_to},
        )
        audit_event_record(
            actor=actor,
            verb="bank_account.call_back_recorded",
            target=verification,
            office=office,
            data={
                "organisation": account.organisation.ref,
                "account": account.masked,
                "number_called": number.phone,
                "outcome": outcome,
            },
        )
    return account


def bank_change_reject(*, account: BankAccount, reason: str, office, actor) -> BankAccount:
    """Reject a change without a call (it is plainly wrong, or the organisation withdrew it)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for rejecting the details."), field="reason")
    with transaction.atomic():
        _lock_organisation(account.organisation)
        account = _entered_account(
            account, _("These bank details are %(state)s: there is nothing to reject.")
        )
        BankVerification.objects.create(
            account=account,
            office=office,
            outcome=BankVerification.Outcome.NOT_CONFIRMED,
            note=reason,
            by=_user(actor),
        )
        transition(BANK_WORKFLOW, account, to=BankAccountStatus.REJECTED, actor=actor, note=reason)
    return account


def bank_details_for_payment(accounts, *, actor, office, reason: str) -> dict[int, dict]:
    """The full details of verified accounts, by account id, for a payment file. Each account
    revealed is an audit event (who, when, why), without the numbers themselves."""
    result = {}
    for account in accounts:
        if account.status != BankAccountStatus.VERIFIED:
            raise DomainError(
                _(
                    "The bank details ending %(last4)s are not verified, so nothing can be "
                    "paid to them."
                )
                % {"last4": account.last4}
            )
        result[account.pk] = {
            "account_name": account.account_name,
            "sort_code": crypto.decrypt(account.sort_code_token),
            "account_number": crypto.decrypt(account.account_number_token),
            "roll_number": crypto.decrypt(account.roll_number_token),
        }
        audit_event_record(
            actor=actor,
            verb="bank_account.full_details_viewed",
            target=account,
            office=office,
            data={"organisation": account.organisation.ref, "reason": reason[:200]},
        )
    return result
