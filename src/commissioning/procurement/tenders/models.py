"""A tender's evaluation panel, as for funding panels (AS2): each evaluator's standing, the
conflicts of interest they declare on each bid before scoring it, and their scores of each bid
against the published quality criteria. Service users who take part are recorded."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.assessment.models import Standing
from commissioning.core.models import TimeStampedModel


class Evaluator(TimeStampedModel):
    exercise = models.ForeignKey(
        "procurement.ProcurementExercise", on_delete=models.PROTECT, related_name="evaluators"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    standing = models.CharField(_("standing"), max_length=20, choices=Standing.choices)
    service_user = models.BooleanField(_("a service user"), default=False)

    class Meta:
        ordering = ["exercise", "id"]
        verbose_name = _("tender evaluator")
        verbose_name_plural = _("tender evaluators")
        constraints = [
            models.UniqueConstraint(fields=["exercise", "user"], name="one_seat_per_evaluator")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_standing_display()})"

    @property
    def is_independent(self) -> bool:
        return self.standing == Standing.INDEPENDENT


class BidConflict(models.Model):
    """An evaluator's declaration on one bid, made before scoring it. A conflict stands."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.PROTECT, related_name="conflicts")
    bid = models.ForeignKey("procurement.Bid", on_delete=models.PROTECT, related_name="conflicts")
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    interest = models.TextField(_("the interest"), blank=True)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        ordering = ["bid", "evaluator"]
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "bid"], name="one_declaration_per_bid"),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(interest=""),
                name="bid_conflict_described",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator_id} on {self.bid_id}: {self.has_conflict}"


class BidScore(models.Model):
    """One evaluator's score of one bid on one criterion, 0 to 5, with the reason."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.PROTECT, related_name="scores")
    bid = models.ForeignKey("procurement.Bid", on_delete=models.PROTECT, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=30)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("reason"), blank=True)
    scored_at = models.DateTimeField(_("scored"), default=timezone.now)

    class Meta:
        ordering = ["bid", "evaluator", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "bid", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(condition=Q(score__lte=5), name="bid_score_at_most_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
