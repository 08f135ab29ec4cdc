"""Claims against an active award (issue 10, item 6): the organisation claims what it spent in
a period, line by line against its budget, with evidence; a finance officer checks the claim
and approves it (perhaps a smaller amount, with a reason) or returns it with comments. A
returned claim is corrected and submitted again. Workflow logic lives in services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.transitions import Workflow
from commissioning.core.uploads import StoredFile

MONEY = {"max_digits": 12, "decimal_places": 2}


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


# The allowed moves (CLAIM_WORKFLOW); a returned claim is corrected and submitted again.
CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    ClaimStatus.DRAFT: frozenset({ClaimStatus.SUBMITTED}),
    ClaimStatus.SUBMITTED: frozenset({ClaimStatus.APPROVED, ClaimStatus.RETURNED}),
    ClaimStatus.RETURNED: frozenset({ClaimStatus.SUBMITTED}),
    ClaimStatus.APPROVED: frozenset(),
}

# States in which the organisation may change the claim and its evidence.
EDITABLE = frozenset({ClaimStatus.DRAFT, ClaimStatus.RETURNED})


class ClaimQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("award", "award__organisation", "award__fund", "submitted_by")


class Claim(TimeStampedModel):
    """What an organisation claims from one of its awards for a period of the project."""

    award = models.ForeignKey("awards.Award", on_delete=models.PROTECT, related_name="claims")
    # The claim's number within its award (1, 2, ...): its reference in URLs and letters.
    number = models.PositiveSmallIntegerField(_("claim number"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    amount = models.DecimalField(_("amount claimed"), **MONEY)
    status = models.CharField(
        _("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    approved_amount = models.DecimalField(_("amount approved"), null=True, blank=True, **MONEY)
    # Why finance approved less than was claimed, or what to correct when it returned it.
    finance_comments = models.TextField(_("finance comments"), blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["award", "number"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="claim_number_per_award"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="claim_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | (Q(approved_amount__gt=0) & Q(approved_amount__lte=models.F("amount"))),
                name="claim_approved_within_claimed",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(status="approved"),
                name="claim_approved_amount_only_when_approved",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.award_id} claim {self.number}"

    @property
    def reference(self) -> str:
        return f"{self.award.reference}/C{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def counted_amount(self):
        """What the claim takes from the award: the approved amount once approved, the amount
        claimed while finance checks it, nothing while it is a draft or returned."""
        if self.status == ClaimStatus.APPROVED:
            return self.approved_amount
        if self.status == ClaimStatus.SUBMITTED:
            return self.amount
        return None


class ClaimLine(models.Model):
    """What part of the claim was spent on: one of the application's budget lines, or, for an
    application without budget lines, a description."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    budget_line = models.ForeignKey(
        "applications.BudgetLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_lines",
    )
    description = models.CharField(_("what it was spent on"), max_length=300)
    amount = models.DecimalField(_("amount"), **MONEY)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["claim", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_line_positive"),
        ]

    def __str__(self) -> str:
        return self.description


class ClaimEvidence(StoredFile, TimeStampedModel):
    """An invoice, receipt or other proof of spending, checked by content when uploaded and
    served only to the organisation and the office's staff."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        RECEIPT = "receipt", _("Receipt")
        STATEMENT = "statement", _("Bank or card statement")
        PAYROLL = "payroll", _("Payroll record or timesheet")
        OTHER = "other", _("Other evidence")

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="evidence")
    public_id = models.CharField(max_length=16, unique=True)
    kind = models.CharField(_("kind of evidence"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("what it shows"), max_length=200)

    class Meta:
        ordering = ["claim", "id"]
        verbose_name = _("claim evidence")
        verbose_name_plural = _("claim evidence")

    def __str__(self) -> str:
        return self.filename


class ClaimStatusChange(AbstractStatusChange):
    subject_field = "claim"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="status_changes")
    old = models.CharField(_("from"), max_length=12, choices=ClaimStatus.choices, blank=True)
    new = models.CharField(_("to"), max_length=12, choices=ClaimStatus.choices)

    class Meta:
        ordering = ["claim", "at", "id"]

    def __str__(self) -> str:
        return f"{self.old or '-'} -> {self.new}"


def _office_of(claim: Claim):
    return claim.award.office


CLAIM_WORKFLOW = Workflow(
    model=Claim,
    changes=ClaimStatusChange,
    states=ClaimStatus,
    allowed=CLAIM_TRANSITIONS,
    audit_name="claim",
    refusal=_("A claim that is %(old)s cannot become %(new)s."),
    office_of=_office_of,
)
