"""The evidence library (CY5): what the office has learnt about what works, kept so that
officers planning future commissioning can search it. A finding comes from an evaluation of
an award (monitoring saves it here through `evidence_item_save`) or is added by an officer
from outside research."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import TimeStampedModel


class EvidenceRating(models.TextChoices):
    EFFECTIVE = "effective", _("Effective: strong evidence it works")
    PROMISING = "promising", _("Promising: some evidence it works")
    MIXED = "mixed", _("Mixed: the evidence points both ways")
    NOT_EFFECTIVE = "not_effective", _("Not effective: evidence it does not work")
    UNKNOWN = "unknown", _("Not enough evidence yet")


class EvidenceItem(TimeStampedModel):
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="evidence_items"
    )
    intervention = models.CharField(_("intervention"), max_length=200)
    evidence = models.TextField(_("evidence"))
    rating = models.CharField(_("rating"), max_length=20, choices=EvidenceRating.choices)
    source = models.CharField(_("source"), max_length=300)
    # The record it came from inside the product (an award's reference), where there is one.
    source_reference = models.CharField(_("from"), max_length=60, blank=True)

    class Meta:
        ordering = ["office", "-created_at", "id"]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence library")
        indexes = [models.Index(fields=["office", "rating"])]

    def __str__(self) -> str:
        return self.intervention
