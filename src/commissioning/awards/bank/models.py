"""An organisation's bank details, encrypted at rest, and the independent verification that
every new set of details needs before any payment goes to it (the defence against mandate
fraud). Imported at the bottom of awards/models.py, so the models belong to the awards app.

Each set of details an organisation enters is a BankAccount row: entered -> verified |
rejected, and a verified account is replaced when a newer one is verified. Payments go only to
the organisation's verified account, and to none while a change waits for verification.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.awards.bank.rules import mask
from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.transitions import Workflow


class BankAccountStatus(models.TextChoices):
    ENTERED = "entered", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    REPLACED = "replaced", _("Replaced")


BANK_TRANSITIONS: dict[str, frozenset[str]] = {
    BankAccountStatus.ENTERED: frozenset({BankAccountStatus.VERIFIED, BankAccountStatus.REJECTED}),
    BankAccountStatus.VERIFIED: frozenset({BankAccountStatus.REPLACED}),
    BankAccountStatus.REJECTED: frozenset(),
    BankAccountStatus.REPLACED: frozenset(),
}


class BankAccount(TimeStampedModel):
    """One set of bank details of an organisation. The sort code, account number and roll
    number are stored only as Fernet tokens (bank/crypto.py); pages show the last four digits
    of the account number. Its text (in the audit trail, the admin) is masked too."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="bank_accounts"
    )
    account_name = models.CharField(_("name on the account"), max_length=140)
    sort_code_token = models.TextField(_("sort code (encrypted)"), editable=False)
    account_number_token = models.TextField(_("account number (encrypted)"), editable=False)
    roll_number_token = models.TextField(
        _("building society roll number (encrypted)"), blank=True, editable=False
    )
    last4 = models.CharField(_("last four digits of the account number"), max_length=4)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BankAccountStatus.choices,
        default=BankAccountStatus.ENTERED,
    )
    # The telephone number given with the change: never the number called to verify it.
    given_phone = models.CharField(_("telephone given with the change"), max_length=30)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "-entered_at", "-id"]
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="verified"),
                name="one_verified_bank_account",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="entered"),
                name="one_bank_change_waiting",
            ),
        ]
        indexes = [models.Index(fields=["status", "entered_at"])]

    def __str__(self) -> str:
        return f"{self.account_name} {self.masked}"

    @property
    def masked(self) -> str:
        return mask(self.last4)

    @property
    def office(self):
        """Bank details belong to the organisation, which is shared by every office."""
        return None


class BankAccountStatusChange(AbstractStatusChange):
    subject_field = "account"

    account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="status_changes"
    )
    old = models.CharField(_("from"), max_length=10, choices=BankAccountStatus.choices, blank=True)
    new = models.CharField(_("to"), max_length=10, choices=BankAccountStatus.choices)

    class Meta:
        ordering = ["account", "at", "id"]


BANK_WORKFLOW = Workflow(
    model=BankAccount,
    changes=BankAccountStatusChange,
    states=BankAccountStatus,
    allowed=BANK_TRANSITIONS,
    audit_name="bank_account",
    refusal=_("Bank details that are %(old)s cannot become %(new)s."),
    office_of=lambda account: None,
)


class CallbackNumber(TimeStampedModel):
    """A telephone number the office holds for the organisation from a source of its own (the
    charity register, earlier correspondence): the numbers a finance officer may call back to
    verify a change of bank details."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="callback_numbers"
    )
    phone = models.CharField(_("telephone"), max_length=30)
    phone_key = models.CharField(max_length=20, editable=False)
    source = models.CharField(_("where the number comes from"), max_length=200)
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="+", null=True
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["organisation", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "phone_key"], name="unique_callback_number"
            )
        ]

    def __str__(self) -> str:
        return self.phone


class BankVerification(models.Model):
    """The finance officer's record of the call-back: which number on file, who answered,
    who called, when, and what came of it. Kept for good."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("The organisation confirmed the new details")
        NOT_CONFIRMED = "not_confirmed", _("The organisation did not confirm the new details")

    account = models.OneToOneField(
        BankAccount, on_delete=models.PROTECT, related_name="verification"
    )
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    number = models.ForeignKey(
        CallbackNumber, on_delete=models.PROTECT, related_name="verifications", null=True
    )
    number_called = models.CharField(_("number called"), max_length=30, blank=True)
    spoke_to = models.CharField(_("spoke to"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("bank details verification")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.number_called})"
