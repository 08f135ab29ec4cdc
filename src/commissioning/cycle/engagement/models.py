"""Market engagement, provider forums and feedback on the commissioning process (CY4)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import TimeStampedModel


class EventKind(models.TextChoices):
    MARKET_ENGAGEMENT = "market_engagement", _("Market engagement event")
    PROVIDER_FORUM = "provider_forum", _("Provider forum")
    SERVICE_USERS = "service_users", _("Service user consultation")


class EngagementEvent(TimeStampedModel):
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="engagement_events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    attendees = models.TextField(_("who attended"))
    attendee_count = models.PositiveIntegerField(_("number attending"), null=True, blank=True)
    learnt = models.TextField(_("what was learnt"))
    projects = models.ManyToManyField(
        "cycle.CommissioningProject", blank=True, related_name="engagement_events"
    )

    class Meta:
        ordering = ["office", "-held_on", "title"]
        verbose_name = _("engagement event")
        verbose_name_plural = _("engagement events")

    def __str__(self) -> str:
        return self.title


class FeedbackSurvey(TimeStampedModel):
    """A short survey on the commissioning process, sent after a round or tender closes to
    the providers and service users involved. Anyone with its link may answer, without an
    account, until it closes."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="feedback_surveys"
    )
    project = models.ForeignKey(
        "cycle.CommissioningProject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_surveys",
    )
    title = models.CharField(_("what the survey is about"), max_length=200)
    token = models.CharField(max_length=40, unique=True)
    closes_on = models.DateField(_("closes"))
    # The round or exercise whose closing opened the survey by itself (cycle/hooks.py), so it
    # is opened once; empty for a survey an officer opened.
    occasion = models.CharField(_("opened for"), max_length=80, blank=True, default="")

    class Meta:
        ordering = ["office", "-closes_on"]
        verbose_name = _("feedback survey")
        verbose_name_plural = _("feedback surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "occasion"],
                condition=~Q(occasion=""),
                name="one_survey_per_occasion",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today) -> bool:
        return today <= self.closes_on


class SurveyInvitation(models.Model):
    """Who a survey opened by itself is for: an organisation's member, by e-mail."""

    survey = models.ForeignKey(FeedbackSurvey, on_delete=models.PROTECT, related_name="invitations")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(_("e-mail address"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "email"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="one_invitation_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.email}"


class Respondent(models.TextChoices):
    PROVIDER = "provider", _("A provider or applicant")
    SERVICE_USER = "service_user", _("A service user")
    PARTNER = "partner", _("A partner organisation")
    OTHER = "other", _("Someone else")


# The survey's ratings: one question each, answered 1 (poor) to 5 (very good).
RATINGS = ("clarity", "fairness", "ease")


class FeedbackResponse(models.Model):
    survey = models.ForeignKey(FeedbackSurvey, on_delete=models.PROTECT, related_name="responses")
    respondent = models.CharField(max_length=15, choices=Respondent.choices)
    clarity = models.PositiveSmallIntegerField()
    fairness = models.PositiveSmallIntegerField()
    ease = models.PositiveSmallIntegerField()
    went_well = models.TextField(blank=True)
    could_improve = models.TextField(blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["survey", "submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(clarity__range=(1, 5))
                & Q(fairness__range=(1, 5))
                & Q(ease__range=(1, 5)),
                name="feedback_ratings_one_to_five",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.respondent}"
