"""Panels, conflicts of interest, scores, moderation and recommendations (AS1-AS5).

Workflow logic lives in services.py; this module holds fields, constraints and small derived
properties only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commissioning.core.models import TimeStampedModel

MONEY = {"max_digits": 12, "decimal_places": 2}


class Panel(TimeStampedModel):
    """A panel that assesses the applications to one round (AS1)."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="panels")
    round = models.ForeignKey("applications.Round", on_delete=models.PROTECT, related_name="panels")
    name = models.CharField(_("name"), max_length=200)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["office", "-meeting_date", "name"]
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="unique_panel_name_per_round"),
        ]

    def __str__(self) -> str:
        return self.name


class Standing(models.TextChoices):
    INDEPENDENT = "independent", _("Independent member")
    VOLUNTARY_SECTOR = "voluntary_sector", _("Voluntary sector")
    PARTNER = "partner", _("Partner organisation")
    OFFICE = "office", _("Office of the Commissioner")


class PanelMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(removed_at__isnull=True)


class PanelMember(TimeStampedModel):
    """A person sitting on a panel, with their standing. Removal keeps the row."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )
    standing = models.CharField(_("standing"), max_length=20, choices=Standing.choices)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    objects = PanelMemberQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["panel", "id"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="unique_panel_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_standing_display()})"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class PanelApplication(models.Model):
    """An application put before a panel. An application goes before one panel only."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="panel_entry"
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["panel", "application__reference"]
        verbose_name = _("application before a panel")
        verbose_name_plural = _("applications before panels")

    def __str__(self) -> str:
        return f"{self.application} – {self.panel}"


class ConflictDeclaration(models.Model):
    """A member's declaration, made before opening an application (AS2)."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="declarations")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    interest = models.TextField(_("the interest"), blank=True)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "member"]
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "application"], name="unique_conflict_declaration"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(interest=""),
                name="conflict_needs_the_interest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.user}: {self.application}"


class Recommendation(models.TextChoices):
    """A member's recommendation on their score sheet."""

    FUND = "fund", _("Fund in full")
    FUND_IN_PART = "fund_in_part", _("Fund in part")
    DO_NOT_FUND = "do_not_fund", _("Do not fund")


class ScoreSheet(TimeStampedModel):
    """One member's scores for one application. Scored alone; locked once submitted."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="score_sheets")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="score_sheets"
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    amount = models.DecimalField(_("amount to fund"), **MONEY, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["application", "member"]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [
            models.UniqueConstraint(fields=["member", "application"], name="unique_score_sheet"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="score_sheet_amount_positive",
            ),
        ]
        indexes = [models.Index(fields=["application", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.member.user}: {self.application}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """A score from 0 to 5 against one criterion of the rubric (AS3)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=30)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["sheet", "id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="unique_score_criterion"),
            models.CheckConstraint(condition=Q(score__lte=5), name="score_zero_to_five"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class PanelMeeting(TimeStampedModel):
    """A meeting of the panel: when, who attended, and whether it was quorate (AS4)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        PanelMember, related_name="meetings_attended", verbose_name=_("attendees")
    )
    notes = models.TextField(_("notes"), blank=True)
    quorate = models.BooleanField(_("quorate"), default=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["panel", "-held_on", "-id"]
        verbose_name = _("panel meeting")
        verbose_name_plural = _("panel meetings")

    def __str__(self) -> str:
        return f"{self.panel} {self.held_on:%d %B %Y}"


class AgreedOutcome(models.TextChoices):
    """The panel's agreed recommendation on an application (AS4)."""

    FUND = "fund", _("Fund")
    FUND_WITH_CONDITIONS = "fund_with_conditions", _("Fund with conditions")
    DECLINE = "decline", _("Decline")


class AgreedRecommendation(TimeStampedModel):
    """What the panel agreed at a meeting, with its reasons; feeds the decision record."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="recommendations")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="agreed_recommendation"
    )
    meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.PROTECT, related_name="recommendations"
    )
    outcome = models.CharField(_("recommendation"), max_length=30, choices=AgreedOutcome.choices)
    amount = models.DecimalField(_("amount"), **MONEY, null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    rationale = models.TextField(_("reasons"))
    agreed_at = models.DateTimeField(_("agreed"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["panel", "application__reference"]
        verbose_name = _("agreed recommendation")
        verbose_name_plural = _("agreed recommendations")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="decline", amount__isnull=True)
                | (~Q(outcome="decline") & Q(amount__gt=0)),
                name="recommendation_amount_when_funded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def recommends_funding(self) -> bool:
        return self.outcome != AgreedOutcome.DECLINE


class AllocationRun(TimeStampedModel):
    """One run of the portfolio optimiser over a panel's applications (AS5): what went in, what
    came out, and whether the officer adopted it as the panel's recommendations."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="allocation_runs")
    budget = models.DecimalField(_("budget"), **MONEY)
    inputs = models.JSONField(_("inputs"), default=dict)
    result = models.JSONField(_("result"), default=dict)
    feasible = models.BooleanField(_("feasible"), default=False)
    chosen = models.JSONField(
        _("chosen awards"), default=dict, help_text=_("Application reference to amount.")
    )
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["panel", "-created_at", "-id"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")

    def __str__(self) -> str:
        return f"{self.panel} {self.created_at:%d %b %Y %H:%M}"

    @property
    def adopted(self) -> bool:
        return self.adopted_at is not None
