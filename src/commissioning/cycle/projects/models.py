"""Commissioning projects (CY1): a piece of commissioning that moves through the office's stage
model from its policy pack. Records further down the cycle (needs assessments, engagement,
rounds, tenders, contracts) point at the project, never the reverse."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import TimeStampedModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    ABANDONED = "abandoned", _("Stopped")


class ProjectSequence(models.Model):
    """The last project number used by an office in a year; locked while allocating."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="unique_project_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last}"


class ProjectQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ProjectStatus.ACTIVE)


class CommissioningProject(TimeStampedModel):
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="commissioning_projects"
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what it is for"), blank=True)
    value = models.DecimalField(
        _("estimated value"),
        **MONEY,
        help_text=_("The whole value over the life of the service; the pack's steps follow it."),
    )
    stage = models.CharField(_("stage"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead officer"),
    )
    priorities = models.ManyToManyField("offices.Priority", blank=True, related_name="+")
    areas = models.ManyToManyField("offices.Area", blank=True, related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["office", "-created_at"]
        verbose_name = _("commissioning project")
        verbose_name_plural = _("commissioning projects")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="project_value_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status == ProjectStatus.ACTIVE


class ProjectStep(models.Model):
    """A step of the stage model that an officer has recorded as done, with where the
    evidence is. Steps whose evidence lives in the product (a needs assessment, a round) are
    done without this record."""

    project = models.ForeignKey(
        CommissioningProject, on_delete=models.PROTECT, related_name="recorded_steps"
    )
    stage = models.CharField(_("stage"), max_length=20)
    code = models.CharField(_("step"), max_length=40)
    note = models.TextField(_("what was done"))
    done_at = models.DateTimeField(_("done"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project", "done_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="unique_project_step")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.code}"


class ProjectStageChange(models.Model):
    """A project leaving one stage for the next (or closing): never deleted."""

    project = models.ForeignKey(
        CommissioningProject, on_delete=models.PROTECT, related_name="stage_changes"
    )
    old = models.CharField(max_length=20)
    new = models.CharField(max_length=20)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.old} to {self.new}"


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", _("Continue as it is")
    CHANGE = "change", _("Continue with changes")
    RECOMMISSION = "recommission", _("Commission again")
    DECOMMISSION = "decommission", _("De-commission")


class ProjectReview(TimeStampedModel):
    """The review at the end of the cycle: how the service did and what happens next."""

    project = models.ForeignKey(
        CommissioningProject, on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    summary = models.TextField(_("what the review found"))
    outcome = models.CharField(_("what happens next"), max_length=15, choices=ReviewOutcome.choices)

    class Meta:
        ordering = ["project", "-reviewed_on"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.reviewed_on}"
