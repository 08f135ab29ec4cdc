"""Reads of bank details: always masked. Nothing here decrypts."""

from django.db.models import Exists, OuterRef, Prefetch

from commissioning.awards.bank.models import (
    BankAccount,
    BankAccountStatus,
    BankAccountStatusChange,
    CallbackNumber,
)


def verified_account(organisation) -> BankAccount | None:
    return BankAccount.objects.filter(
        organisation=organisation, status=BankAccountStatus.VERIFIED
    ).first()


def pending_change(organisation) -> BankAccount | None:
    return BankAccount.objects.filter(
        organisation=organisation, status=BankAccountStatus.ENTERED
    ).first()


def payable_accounts(organisation_ids) -> dict[int, tuple[BankAccount | None, bool]]:
    """For each organisation id: its verified account (or None) and whether a change is
    waiting for verification. Two queries, whatever the number of organisations."""
    ids = set(organisation_ids)
    result: dict[int, tuple[BankAccount | None, bool]] = {i: (None, False) for i in ids}
    rows = BankAccount.objects.filter(
        organisation__in=ids,
        status__in=[BankAccountStatus.VERIFIED, BankAccountStatus.ENTERED],
    ).select_related("organisation")
    verified = {}
    waiting = set()
    for account in rows:
        if account.status == BankAccountStatus.VERIFIED:
            verified[account.organisation_id] = account
        else:
            waiting.add(account.organisation_id)
    for i in ids:
        result[i] = (verified.get(i), i in waiting)
    return result


def office_organisations(office):
    """The organisations an office pays: those holding one of its awards."""
    from commissioning.awards.models import Award
    from commissioning.organisations.models import Organisation

    return Organisation.objects.filter(
        Exists(Award.objects.filter(office=office, organisation=OuterRef("pk")))
    )


def bank_changes_waiting(office):
    """Changes of bank details waiting for verification, for an office's finance officers:
    those of organisations holding one of its awards, oldest first."""
    return (
        BankAccount.objects.filter(
            status=BankAccountStatus.ENTERED, organisation__in=office_organisations(office)
        )
        .select_related("organisation", "entered_by")
        .order_by("entered_at", "id")
    )


def bank_change_for_office(office, pk: int) -> BankAccount | None:
    return (
        BankAccount.objects.filter(pk=pk, organisation__in=office_organisations(office))
        .select_related("organisation", "entered_by")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=BankAccountStatusChange.objects.select_related("actor"),
            )
        )
        .first()
    )


def callback_numbers(organisation):
    return CallbackNumber.objects.filter(organisation=organisation).order_by("added_at", "id")


def organisation_accounts(organisation):
    """The organisation's own view: every set of details it entered, newest first, masked."""
    return (
        BankAccount.objects.filter(organisation=organisation)
        .select_related("verification")
        .order_by("-entered_at", "-id")
    )
