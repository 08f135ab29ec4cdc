from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Who created and last changed a record, and when."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        abstract = True


class EmailInvitation(TimeStampedModel):
    """What every invitation by e-mail has: the address, when its link expires, and whether it
    was accepted (and by whom) or withdrawn. A subclass adds what the person is invited to, its
    `ref` and the `role` offered; `created_by` is the administrator who sent it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a reply")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    email = models.EmailField(_("e-mail address"))
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        abstract = True

    def state_at(self, now) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.withdrawn_at:
            return self.State.WITHDRAWN
        if now >= self.expires_at:
            return self.State.EXPIRED
        return self.State.PENDING


class OutboxMessage(models.Model):
    """An e-mail the product sent, kept so that a demo can be followed without a mail server."""

    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    from_email = models.CharField(_("from"), max_length=254)
    to = models.TextField(_("to"))
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self) -> str:
        return f"{self.subject} -> {self.to}"


class Job(models.Model):
    """One piece of background work (a receipt, a letter, screening) and how its runs went.

    The work runs as a django-tasks task; this row counts the attempts and keeps the last
    error, so that work which still fails after its retries is listed for staff to retry
    instead of vanishing."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("work"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    office = models.ForeignKey(
        "offices.Office",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("office"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=3)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["status", "office"])]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.status})"


class AbstractStatusChange(models.Model):
    """One change of a record's state: old, new, who, when and why. Written only by
    `commissioning.core.transitions.transition`.

    A concrete subclass adds the foreign key to its record, named by `subject_field`, with
    on_delete=PROTECT: these rows are the history of decisions about public money, so they are
    never deleted, and a record with a history cannot be deleted from under it. It also
    redeclares `old` and `new` with its workflow's choices, so that the names display."""

    subject_field: str = ""

    old = models.CharField(_("from"), max_length=20)
    new = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("changed at"), default=timezone.now)
    note = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.old} -> {self.new}"
