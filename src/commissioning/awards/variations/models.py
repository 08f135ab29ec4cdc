"""Variations of an award (AG4): a change to its amount, its dates (an extension is a later end
date) or its outcomes, proposed with a reason and approved or refused by the right tier; and
the record of an award ended early, with what was released and clawed back.

Registered under the `awards` app label (imported at the bottom of awards/models.py). The
award's amount and dates change only through an approved variation, whose before and after
are kept here. Workflow logic lives in services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.transitions import Workflow

MONEY = {"max_digits": 12, "decimal_places": 2}


class VariationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    # It takes the award over a sign-off threshold: approved once a signed decision record of
    # the office is linked to it.
    AWAITING_DECISION = "awaiting_decision", _("Awaiting a decision record")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


TRANSITIONS: dict[str, frozenset[str]] = {
    VariationStatus.PROPOSED: frozenset({VariationStatus.APPROVED, VariationStatus.REFUSED}),
    VariationStatus.AWAITING_DECISION: frozenset(
        {VariationStatus.APPROVED, VariationStatus.REFUSED}
    ),
    VariationStatus.APPROVED: frozenset(),
    VariationStatus.REFUSED: frozenset(),
}
PENDING = frozenset({VariationStatus.PROPOSED, VariationStatus.AWAITING_DECISION})


class VariationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=sorted(PENDING))


class Variation(TimeStampedModel):
    """One proposed change to an award, with the award's figures before and after it. The
    proposer is `created_by`; the person who approves or refuses is `decided_by`."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    award = models.ForeignKey("awards.Award", on_delete=models.PROTECT, related_name="variations")
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=VariationStatus.choices,
        default=VariationStatus.PROPOSED,
    )
    reason = models.TextField(_("reason for the change"))
    amount_before = models.DecimalField(_("amount before"), **MONEY)
    amount_after = models.DecimalField(_("amount after"), **MONEY)
    starts_on_before = models.DateField(_("start date before"))
    starts_on_after = models.DateField(_("start date after"))
    ends_on_before = models.DateField(_("end date before"))
    ends_on_after = models.DateField(_("end date after"))
    outcomes_before = models.TextField(_("outcomes before"), blank=True)
    outcomes_after = models.TextField(_("outcomes after"), blank=True)
    needs_decision = models.BooleanField(_("needs a new decision record"), default=False)
    decision = models.OneToOneField(
        "decisions.DecisionRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_variation",
        verbose_name=_("decision record"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    objects = VariationQuerySet.as_manager()

    class Meta:
        ordering = ["award", "number"]
        verbose_name = _("variation")
        verbose_name_plural = _("variations")
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="unique_variation_number"),
            models.CheckConstraint(
                condition=Q(amount_after__gt=0), name="variation_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_on_after__gte=models.F("starts_on_after")),
                name="variation_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        return f"{self.award_id} variation {self.number}"

    @property
    def changes_amount(self) -> bool:
        return self.amount_after != self.amount_before

    @property
    def changes_dates(self) -> bool:
        return (self.starts_on_after, self.ends_on_after) != (
            self.starts_on_before,
            self.ends_on_before,
        )

    @property
    def changes_outcomes(self) -> bool:
        return self.outcomes_after.strip() != self.outcomes_before.strip()

    @property
    def is_extension(self) -> bool:
        return self.ends_on_after > self.ends_on_before

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def kinds(self) -> list[str]:
        """What it changes, in words: 'Amount', 'Extension', 'Dates', 'Outcomes'."""
        kinds = []
        if self.changes_amount:
            kinds.append(str(_("Amount")))
        if self.is_extension and self.starts_on_after == self.starts_on_before:
            kinds.append(str(_("Extension")))
        elif self.changes_dates:
            kinds.append(str(_("Dates")))
        if self.changes_outcomes:
            kinds.append(str(_("Outcomes")))
        return kinds


class VariationStatusChange(AbstractStatusChange):
    subject_field = "variation"

    variation = models.ForeignKey(
        Variation, on_delete=models.PROTECT, related_name="status_changes"
    )
    old = models.CharField(_("from"), max_length=20, choices=VariationStatus.choices, blank=True)
    new = models.CharField(_("to"), max_length=20, choices=VariationStatus.choices)

    class Meta:
        ordering = ["variation", "at", "id"]

    def __str__(self) -> str:
        return f"{self.old or '-'} -> {self.new}"


VARIATION_WORKFLOW = Workflow(
    model=Variation,
    changes=VariationStatusChange,
    states=VariationStatus,
    allowed=TRANSITIONS,
    audit_name="variation",
    refusal=_("A variation that is %(old)s cannot become %(new)s."),
)


class Termination(models.Model):
    """An award ended early: why, who, when, and what it did to the ledger. Kept for good."""

    award = models.OneToOneField(
        "awards.Award", on_delete=models.PROTECT, related_name="termination"
    )
    reason = models.TextField(_("reason"))
    unspent = models.DecimalField(_("paid but not spent"), **MONEY)
    released = models.DecimalField(_("commitment released"), **MONEY)
    clawed_back = models.DecimalField(_("clawed back"), **MONEY)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("early termination")
        verbose_name_plural = _("early terminations")
        constraints = [
            models.CheckConstraint(
                condition=Q(unspent__gte=0) & Q(released__gte=0) & Q(clawed_back__gte=0),
                name="termination_figures_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(clawed_back__lte=models.F("unspent")),
                name="termination_clawback_within_unspent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} terminated"

    def delete(self, *args, **kwargs):
        from commissioning.awards.models import KeptRecord

        raise KeptRecord("A termination is a record of public money: it is kept.")
