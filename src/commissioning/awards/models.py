"""Awards made by signed decisions, and the append-only budget ledger (AG1-AG4, ST6).

An award commits its amount to the ledger when it is made; every figure of a budget (allocated,
top-sliced, committed, released, paid, remaining) is a sum of ledger entries, never a stored
running total. Entries are never changed or deleted: a correction is a new entry.
Workflow logic lives in services.py.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.money import financial_year_label
from commissioning.core.transitions import Workflow

MONEY = {"max_digits": 12, "decimal_places": 2}


class AwardStatus(models.TextChoices):
    """The award's life, with its agreement (DOMAIN.md). Nothing is paid before 'active'."""

    OFFERED = "offered", _("Offered")
    SENT = "sent", _("Agreement sent")
    SIGNED_BY_PROVIDER = "signed_by_provider", _("Signed by the organisation")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


# The allowed transitions (AWARD_WORKFLOW, below); anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    AwardStatus.OFFERED: frozenset({AwardStatus.SENT, AwardStatus.TERMINATED}),
    AwardStatus.SENT: frozenset({AwardStatus.SIGNED_BY_PROVIDER, AwardStatus.TERMINATED}),
    AwardStatus.SIGNED_BY_PROVIDER: frozenset({AwardStatus.ACTIVE, AwardStatus.TERMINATED}),
    AwardStatus.ACTIVE: frozenset({AwardStatus.COMPLETED, AwardStatus.TERMINATED}),
    AwardStatus.COMPLETED: frozenset(),
    AwardStatus.TERMINATED: frozenset(),
}


class KeptRecord(Exception):
    """An award or ledger entry was about to be deleted, or an entry changed."""


class AwardQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("organisation", "fund")


class Award(TimeStampedModel):
    """A grant made by a signed decision to one application. Its reference is the
    application's, so it reads the same in letters, agreements and the 360Giving register."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="awards")
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="award"
    )
    decision = models.ForeignKey(
        "decisions.DecisionRecord", on_delete=models.PROTECT, related_name="awards"
    )
    decision_line = models.OneToOneField(
        "decisions.DecisionApplication", on_delete=models.PROTECT, related_name="award"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="awards"
    )
    fund = models.ForeignKey("offices.Fund", on_delete=models.PROTECT, related_name="awards")
    title = models.CharField(_("project"), max_length=300)
    amount = models.DecimalField(_("amount awarded"), **MONEY)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    first_year = models.PositiveSmallIntegerField(_("first financial year"))
    last_year = models.PositiveSmallIntegerField(_("last financial year"))
    status = models.CharField(
        _("status"), max_length=20, choices=AwardStatus.choices, default=AwardStatus.OFFERED
    )
    # Whom the award letter and agreement are addressed to (DE3): the senior officer the
    # application names, or the organisation's contact when it names none.
    contact_name = models.CharField(_("addressed to"), max_length=200, blank=True)
    contact_role = models.CharField(_("role"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    made_at = models.DateTimeField(_("made"), default=timezone.now)
    # The award's public words in one column, case-folded, for the public register's search
    # (TR1): the organisation's name, the project's title and short description (see
    # search_text_of); a reference is searched whole, in its own column. Kept by the
    # services: made with the award, and again when the organisation is renamed. On
    # PostgreSQL a trigram index serves words found anywhere in it.
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at", "-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="award_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="award_years_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "-made_at", "-id"]),
            models.Index(fields=["office", "status"]),
            models.Index(fields=["office", "fund", "first_year"]),
            # The public register counts an office's awards of published decisions from this
            # index alone (an index-only scan), without reading the awards' rows.
            models.Index(fields=["office", "decision"]),
            # The register's search finds an award by its whole reference, in any case.
            models.Index(Upper("reference"), name="awards_award_reference_upper"),
        ]

    def __str__(self) -> str:
        return self.reference

    def delete(self, *args, **kwargs):
        raise KeptRecord("Awards are records of public money: they are kept, never deleted.")

    @property
    def years_label(self) -> str:
        if self.first_year == self.last_year:
            return financial_year_label(self.first_year)
        return f"{financial_year_label(self.first_year)} to {financial_year_label(self.last_year)}"

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


def search_text_of(*parts: str) -> str:
    """The words of an award the public register searches, case-folded and on one line: a
    search word (never holding a space) is found in it wherever it is found in a part."""
    return " ".join(" ".join(part or "" for part in parts).split()).casefold()


def search_words(text: str, *, limit: int = 8) -> list[str]:
    """The words of a search, case-folded as search_text_of folds the text they look in."""
    return text.casefold().split()[:limit]


class AwardStatusChange(AbstractStatusChange):
    """Every change of an award's state: old, new, who, when and why. Kept for good. The first
    row (old blank) is the award being made."""

    subject_field = "award"

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="status_changes")
    old = models.CharField(_("from"), max_length=20, choices=AwardStatus.choices, blank=True)
    new = models.CharField(_("to"), max_length=20, choices=AwardStatus.choices)

    class Meta:
        ordering = ["award", "at", "id"]

    def __str__(self) -> str:
        return f"{self.old or '-'} -> {self.new}"


AWARD_WORKFLOW = Workflow(
    model=Award,
    changes=AwardStatusChange,
    states=AwardStatus,
    allowed=TRANSITIONS,
    audit_name="award",
    refusal=_("An award that is %(old)s cannot become %(new)s."),
)


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", _("Allocation")
    TOP_SLICE = "top_slice", _("Top-slice")
    COMMITMENT = "commitment", _("Commitment")
    RELEASE = "release", _("Release")
    PAYMENT = "payment", _("Payment")
    CLAWBACK = "clawback", _("Clawback")
    ADJUSTMENT = "adjustment", _("Adjustment")


# Kinds whose amount may be negative: corrections of what the pack allocated or set aside.
SIGNED_KINDS = frozenset({EntryKind.ADJUSTMENT, EntryKind.TOP_SLICE})


class LedgerEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise KeptRecord("Ledger entries cannot be changed; add a correcting entry.")

    def delete(self):
        raise KeptRecord("Ledger entries are kept, never deleted.")


class LedgerEntry(models.Model):
    """One movement of money against a fund's budget for a financial year. Append-only."""

    budget = models.ForeignKey(
        "offices.Budget", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    award = models.ForeignKey(
        Award, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    # What else caused it (an instalment, a variation, a pack load): any record.
    cause_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cause_id = models.PositiveBigIntegerField(null=True, blank=True)
    cause = GenericForeignKey("cause_type", "cause_id")
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["budget", "at", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) | (Q(kind__in=sorted(SIGNED_KINDS)) & ~Q(amount=0)),
                name="ledger_amount_positive_unless_correction",
            ),
            models.CheckConstraint(
                condition=Q(cause_type__isnull=True, cause_id__isnull=True)
                | Q(cause_type__isnull=False, cause_id__isnull=False),
                name="ledger_cause_whole",
            ),
        ]
        indexes = [
            # Balances sum amounts by budget and kind from the index alone; a budget's latest
            # entries are read from the index in order. Both stay fast at 50,000 awards.
            models.Index(fields=["budget", "kind", "amount"], name="ledger_budget_kind_amount"),
            models.Index(fields=["budget", "-at", "-id"], name="ledger_budget_latest"),
            models.Index(fields=["award", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.budget_id})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise KeptRecord("Ledger entries cannot be changed; add a correcting entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise KeptRecord("Ledger entries are kept, never deleted.")

    @property
    def year_label(self) -> str:
        return financial_year_label(self.budget.financial_year)


# Models of the awards sub-packages, registered under the awards app label.
from commissioning.awards.agreements.models import (  # noqa: E402, F401
    Agreement,
    AgreementStatusChange,
)
from commissioning.awards.bank.models import (  # noqa: E402, F401
    BankAccount,
    BankAccountStatusChange,
    BankVerification,
    CallbackNumber,
)
from commissioning.awards.claims.models import (  # noqa: E402, F401
    Claim,
    ClaimEvidence,
    ClaimLine,
    ClaimStatusChange,
)
from commissioning.awards.payments.models import (  # noqa: E402, F401
    Instalment,
    InstalmentStatusChange,
    PaymentRun,
    PaymentRunStatusChange,
)
from commissioning.awards.variations.models import (  # noqa: E402, F401
    Termination,
    Variation,
    VariationStatus,
    VariationStatusChange,
)
