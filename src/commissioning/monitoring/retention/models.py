from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionApplied(models.Model):
    """An award whose personal data `apply_retention` has anonymised, and when: each award
    is anonymised once."""

    award = models.OneToOneField("awards.Award", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("anonymised"), default=timezone.now)
    changes = models.PositiveIntegerField(_("values anonymised"), default=0)

    class Meta:
        ordering = ["applied_at", "id"]
        verbose_name = _("retention applied")

    def __str__(self) -> str:
        return f"Retention applied to {self.award_id}"
