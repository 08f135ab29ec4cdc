"""Who came to a monitoring meeting and the actions agreed at it, each with an owner and a
due date (MO4). The meeting itself, with its notes, is `MonitoringMeeting`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import TimeStampedModel


class Side(models.TextChoices):
    OFFICE = "office", _("The office")
    PROVIDER = "provider", _("The organisation")
    OTHER = "other", _("Someone else")


class MeetingAttendee(models.Model):
    meeting = models.ForeignKey(
        "monitoring.MonitoringMeeting", on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    side = models.CharField(_("for"), max_length=10, choices=Side.choices, default=Side.PROVIDER)

    class Meta:
        ordering = ["meeting", "side", "id"]
        verbose_name = _("meeting attendee")

    def __str__(self) -> str:
        return self.name


class MeetingAction(TimeStampedModel):
    meeting = models.ForeignKey(
        "monitoring.MonitoringMeeting", on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField(_("action"))
    owner_name = models.CharField(_("owner"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "due_on", "id"]
        verbose_name = _("meeting action")

    def __str__(self) -> str:
        return self.description[:60]
