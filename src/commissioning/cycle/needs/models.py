"""Needs assessments and the service map of existing provision (CY2). The applicant journey's
duplication check reads the provision register; the gaps page compares the two."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import TimeStampedModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class NeedLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


NEED_RANK = {NeedLevel.HIGH: 3, NeedLevel.MEDIUM: 2, NeedLevel.LOW: 1}


class NeedsAssessment(TimeStampedModel):
    """Evidence of a need, where it came from and when, for which areas and plan priorities.
    No areas means the whole of the office's area."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="needs_assessments"
    )
    project = models.ForeignKey(
        "cycle.CommissioningProject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs_assessments",
        verbose_name=_("commissioning project"),
    )
    title = models.CharField(_("need"), max_length=200)
    evidence = models.TextField(_("evidence"))
    source = models.CharField(_("source"), max_length=200)
    assessed_on = models.DateField(_("date of the evidence"))
    level = models.CharField(
        _("level of need"), max_length=6, choices=NeedLevel.choices, default=NeedLevel.MEDIUM
    )
    areas = models.ManyToManyField("offices.Area", blank=True, related_name="+")
    priorities = models.ManyToManyField("offices.Priority", blank=True, related_name="+")

    class Meta:
        ordering = ["office", "-assessed_on", "title"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return self.title


class ExistingProvision(TimeStampedModel):
    """A service already running in the area, whoever funds it (CY2): the service map. The
    duplication check compares new applications with these and with the office's current
    awards; the gaps page with the needs assessments. No areas means the whole area."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="existing_provision"
    )
    provider = models.CharField(_("provider"), max_length=200)
    name = models.CharField(_("service"), max_length=200)
    description = models.TextField(_("what it does"))
    funder = models.CharField(_("funded by"), max_length=200, blank=True)
    annual_funding = models.DecimalField(
        _("funding a year"), **MONEY, null=True, blank=True, help_text=_("In pounds, if known.")
    )
    areas = models.ManyToManyField("offices.Area", blank=True, related_name="+")
    priorities = models.ManyToManyField("offices.Priority", blank=True, related_name="+")
    starts_on = models.DateField(_("funded from"), null=True, blank=True)
    ends_on = models.DateField(_("funded until"), null=True, blank=True)

    class Meta:
        ordering = ["office", "provider", "name"]
        verbose_name = _("existing provision")
        verbose_name_plural = _("existing provision")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_funding__isnull=True) | Q(annual_funding__gte=0),
                name="provision_funding_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="provision_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    def is_current(self, today) -> bool:
        return (self.starts_on is None or self.starts_on <= today) and (
            self.ends_on is None or self.ends_on >= today
        )
