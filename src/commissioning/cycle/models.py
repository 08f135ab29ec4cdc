from django.db import models
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import TimeStampedModel


class ExistingProvision(TimeStampedModel):
    """A service already running in the area, whoever funds it (CY2). The duplication check
    compares new applications with these and with the office's current awards."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="existing_provision"
    )
    provider = models.CharField(_("provider"), max_length=200)
    name = models.CharField(_("service"), max_length=200)
    description = models.TextField(_("what it does"))
    funder = models.CharField(_("funded by"), max_length=200, blank=True)
    areas = models.ManyToManyField("offices.Area", blank=True, related_name="+")
    ends_on = models.DateField(_("funded until"), null=True, blank=True)

    class Meta:
        ordering = ["office", "provider", "name"]
        verbose_name = _("existing provision")
        verbose_name_plural = _("existing provision")

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"


from commissioning.cycle.evidence.models import EvidenceItem, EvidenceRating  # noqa: E402, F401
