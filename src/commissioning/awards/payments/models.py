"""Instalments of an award and the payment runs that pay them (AG3). Imported at the bottom of
awards/models.py, so the models belong to the awards app. Workflow logic is in services.py.

An instalment is planned when the award is made, from its fund's payment schedule. It moves
scheduled -> releasable (its conditions met) -> approved (by a finance officer) -> paid (its
payment run confirmed), or is withheld with a reason, and back to scheduled when resolved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.awards.models import MONEY
from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.transitions import Workflow


class ScheduleKind(models.TextChoices):
    UPFRONT = "upfront", _("Upfront")
    PHASED = "phased", _("Phased")
    IN_ARREARS = "in_arrears", _("In arrears")
    ON_CLAIM = "on_claim", _("On claim")


class Condition(models.TextChoices):
    AGREEMENT = "agreement", _("The agreement countersigned")
    RETURN = "return", _("A monitoring return accepted")
    CLAIM = "claim", _("A claim approved")


class InstalmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RELEASABLE = "releasable", _("Releasable")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    WITHHELD = "withheld", _("Withheld")


INSTALMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    InstalmentStatus.SCHEDULED: frozenset({InstalmentStatus.RELEASABLE, InstalmentStatus.WITHHELD}),
    InstalmentStatus.RELEASABLE: frozenset({InstalmentStatus.APPROVED, InstalmentStatus.WITHHELD}),
    InstalmentStatus.APPROVED: frozenset({InstalmentStatus.PAID, InstalmentStatus.WITHHELD}),
    InstalmentStatus.PAID: frozenset(),
    InstalmentStatus.WITHHELD: frozenset({InstalmentStatus.SCHEDULED}),
}


class PaymentRunStatus(models.TextChoices):
    OPEN = "open", _("Sent to finance")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    PaymentRunStatus.OPEN: frozenset({PaymentRunStatus.PAID, PaymentRunStatus.CANCELLED}),
    PaymentRunStatus.PAID: frozenset(),
    PaymentRunStatus.CANCELLED: frozenset(),
}


class PaymentRun(TimeStampedModel):
    """Approved instalments collected for the finance system, with a CSV file
    (docs/payment-file.md). Confirming it paid pays its instalments and writes the ledger."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentRunStatus.choices, default=PaymentRunStatus.OPEN
    )
    total = models.DecimalField(_("total"), **MONEY)
    # What was left out when the run was made, and why: [{"award", "instalment", "reason"}].
    excluded = models.JSONField(_("left out"), default=list, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment run")
        indexes = [models.Index(fields=["office", "-created_at"])]

    def __str__(self) -> str:
        return self.reference


class PaymentRunStatusChange(AbstractStatusChange):
    subject_field = "run"

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="status_changes")
    old = models.CharField(_("from"), max_length=10, choices=PaymentRunStatus.choices, blank=True)
    new = models.CharField(_("to"), max_length=10, choices=PaymentRunStatus.choices)

    class Meta:
        ordering = ["run", "at", "id"]


PAYMENT_RUN_WORKFLOW = Workflow(
    model=PaymentRun,
    changes=PaymentRunStatusChange,
    states=PaymentRunStatus,
    allowed=RUN_TRANSITIONS,
    audit_name="payment_run",
    refusal=_("A payment run that is %(old)s cannot become %(new)s."),
)


class Instalment(TimeStampedModel):
    """One planned payment of an award, with the condition that releases it."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    award = models.ForeignKey("awards.Award", on_delete=models.PROTECT, related_name="instalments")
    sequence = models.PositiveSmallIntegerField(_("number"))
    label = models.CharField(_("instalment"), max_length=200)
    basis = models.CharField(_("schedule"), max_length=12, choices=ScheduleKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    due_on = models.DateField(_("due"))
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    condition_label = models.CharField(_("released when"), max_length=200)
    return_key = models.CharField(_("monitoring return"), max_length=40, blank=True)
    # When a return or claim condition was met, and by what (a return's or claim's reference).
    condition_met_at = models.DateTimeField(_("condition met"), null=True, blank=True)
    condition_cause = models.CharField(_("met by"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InstalmentStatus.choices,
        default=InstalmentStatus.SCHEDULED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    withheld_reason = models.CharField(_("reason withheld"), max_length=500, blank=True)
    run = models.ForeignKey(
        PaymentRun, null=True, blank=True, on_delete=models.PROTECT, related_name="instalments"
    )
    bank_account = models.ForeignKey(
        "awards.BankAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["award", "sequence"]
        verbose_name = _("instalment")
        constraints = [
            models.UniqueConstraint(fields=["award", "sequence"], name="unique_instalment"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
        ]
        indexes = [models.Index(fields=["office", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.award_id}/{self.sequence}"

    @property
    def reference(self) -> str:
        return f"{self.award.reference}/{self.sequence}"


class InstalmentStatusChange(AbstractStatusChange):
    subject_field = "instalment"

    instalment = models.ForeignKey(
        Instalment, on_delete=models.PROTECT, related_name="status_changes"
    )
    old = models.CharField(_("from"), max_length=10, choices=InstalmentStatus.choices, blank=True)
    new = models.CharField(_("to"), max_length=10, choices=InstalmentStatus.choices)

    class Meta:
        ordering = ["instalment", "at", "id"]


INSTALMENT_WORKFLOW = Workflow(
    model=Instalment,
    changes=InstalmentStatusChange,
    states=InstalmentStatus,
    allowed=INSTALMENT_TRANSITIONS,
    audit_name="instalment",
    refusal=_("An instalment that is %(old)s cannot become %(new)s."),
)
