"""Performance management (MO6): an improvement plan with actions for an award that is off
track, and de-commissioning: a proposal to end an award early, with its risk assessment,
discussed with the provider (both sides' comments kept) and decided by a signed decision
record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.transitions import Workflow


class PlanStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ImprovementPlan(TimeStampedModel):
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    award = models.ForeignKey(
        "awards.Award", on_delete=models.PROTECT, related_name="improvement_plans"
    )
    reason = models.TextField(_("why a plan is needed"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_note = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["award", "-created_at"]
        verbose_name = _("improvement plan")

    def __str__(self) -> str:
        return f"Improvement plan for {self.award_id}"


class ImprovementAction(TimeStampedModel):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField(_("action"))
    owner_name = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "due_on", "id"]
        verbose_name = _("improvement action")

    def __str__(self) -> str:
        return self.description[:60]


class DecommissioningStatus(models.TextChoices):
    CONSULTING = "consulting", _("Being discussed with the provider")
    FOR_DECISION = "for_decision", _("Awaiting the decision")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


DECOMMISSIONING_TRANSITIONS = {
    DecommissioningStatus.CONSULTING: frozenset(
        {DecommissioningStatus.FOR_DECISION, DecommissioningStatus.WITHDRAWN}
    ),
    # Withdrawn from decision too, where the decision record is withdrawn or not signed.
    DecommissioningStatus.FOR_DECISION: frozenset(
        {DecommissioningStatus.DECIDED, DecommissioningStatus.WITHDRAWN}
    ),
    DecommissioningStatus.DECIDED: frozenset(),
    DecommissioningStatus.WITHDRAWN: frozenset(),
}


class Decommissioning(TimeStampedModel):
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    award = models.ForeignKey(
        "awards.Award", on_delete=models.PROTECT, related_name="decommissionings"
    )
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    reason = models.TextField(_("why the service should end"))
    proposed_end_on = models.DateField(_("proposed end"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DecommissioningStatus.choices,
        default=DecommissioningStatus.CONSULTING,
    )
    decision = models.ForeignKey(
        "decisions.DecisionRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["award", "-created_at"]
        verbose_name = _("de-commissioning")
        verbose_name_plural = _("de-commissionings")

    def __str__(self) -> str:
        return self.reference


class DecommissioningStatusChange(AbstractStatusChange):
    subject_field = "decommissioning"

    decommissioning = models.ForeignKey(
        Decommissioning, on_delete=models.PROTECT, related_name="status_changes"
    )
    old = models.CharField(_("from"), max_length=20, choices=DecommissioningStatus.choices)
    new = models.CharField(_("to"), max_length=20, choices=DecommissioningStatus.choices)

    class Meta:
        ordering = ["decommissioning", "at", "id"]


DECOMMISSIONING_WORKFLOW = Workflow(
    model=Decommissioning,
    changes=DecommissioningStatusChange,
    states=DecommissioningStatus,
    allowed=DECOMMISSIONING_TRANSITIONS,
    audit_name="decommissioning",
    refusal=_("A de-commissioning that is %(old)s cannot become %(new)s."),
)


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class DecommissioningRisk(models.Model):
    """One line of the risk assessment: what could go wrong for the people using the service
    when it ends, how likely, how bad, and what is done about it."""

    decommissioning = models.ForeignKey(
        Decommissioning, on_delete=models.PROTECT, related_name="risks"
    )
    risk = models.TextField(_("risk"))
    likelihood = models.CharField(_("likelihood"), max_length=10, choices=Level.choices)
    impact = models.CharField(_("impact"), max_length=10, choices=Level.choices)
    mitigation = models.TextField(_("mitigation"))

    class Meta:
        ordering = ["decommissioning", "id"]

    def __str__(self) -> str:
        return self.risk[:60]


class CommentSide(models.TextChoices):
    OFFICE = "office", _("The office")
    PROVIDER = "provider", _("The provider")


class DecommissioningComment(models.Model):
    """What each side said; kept, never edited."""

    decommissioning = models.ForeignKey(
        Decommissioning, on_delete=models.PROTECT, related_name="comments"
    )
    side = models.CharField(_("from"), max_length=10, choices=CommentSide.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["decommissioning", "at", "id"]

    def __str__(self) -> str:
        return f"{self.side}: {self.text[:40]}"
