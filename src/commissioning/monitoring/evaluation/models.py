"""Evaluations (MO5): the answers the organisation gives in a Year End Assessment, an
end-of-award evaluation or a pilot evaluation, beside the return of that kind, and the
officer's assessment of them. A finding can go to the evidence library in `cycle`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import TimeStampedModel
from commissioning.cycle.evidence.models import EvidenceRating


class Recommendation(models.TextChoices):
    CONTINUE = "continue", _("Continue as it is")
    EXPAND = "expand", _("Expand or roll out further")
    CHANGE = "change", _("Continue with changes")
    STOP = "stop", _("Stop")


class Evaluation(TimeStampedModel):
    monitoring_return = models.OneToOneField(
        "monitoring.MonitoringReturn", on_delete=models.PROTECT, related_name="evaluation"
    )
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    # The organisation's answers.
    achievements = models.TextField(_("what the project achieved"), blank=True)
    what_worked = models.TextField(_("what worked well"), blank=True)
    challenges = models.TextField(_("what did not work, and why"), blank=True)
    lessons = models.TextField(_("lessons for the future"), blank=True)
    sustainability = models.TextField(_("what happens after the funding"), blank=True)
    # The officer's assessment.
    rating = models.CharField(
        _("how well it worked"), max_length=20, choices=EvidenceRating.choices, blank=True
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    officer_summary = models.TextField(_("officer's summary"), blank=True)
    evidence_item = models.ForeignKey(
        "cycle.EvidenceItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluation")

    def __str__(self) -> str:
        return f"Evaluation of {self.monitoring_return_id}"
