"""DueDiligenceCheck: one office's check of one organisation. Imported into
commissioning.organisations.models so that Django finds it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import TimeStampedModel


def _new_ref() -> str:
    from commissioning.organisations.models import new_ref

    return new_ref()


class DueDiligenceOutcome(models.TextChoices):
    PASS = "pass", _("Pass")
    CONDITIONAL = "conditional", _("Pass with conditions")
    FAIL = "fail", _("Fail")


class DueDiligenceCheckQuerySet(models.QuerySet):
    def for_office(self, organisation, office):
        return self.filter(organisation=organisation, office=office)

    def latest_first(self):
        return self.order_by("-checked_on", "-created_at", "-id")


class DueDiligenceCheck(TimeStampedModel):
    """A record of due diligence: what was checked, with notes, and the outcome. Records are
    kept, never edited: a new check supersedes the last one."""

    Outcome = DueDiligenceOutcome

    ref = models.CharField(
        _("reference"), max_length=12, unique=True, default=_new_ref, editable=False
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="due_diligence_checks",
        verbose_name=_("organisation"),
    )
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="due_diligence_checks",
        verbose_name=_("office"),
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_on = models.DateField(_("date checked"))
    # Financial
    accounts_reviewed = models.BooleanField(_("accounts reviewed"), default=False)
    no_irregularities = models.BooleanField(_("no irregularities found"), default=False)
    positive_cash = models.BooleanField(_("positive cash position"), default=False)
    financial_notes = models.TextField(_("notes on the financial checks"), blank=True)
    # Non-financial
    safeguarding = models.BooleanField(_("safeguarding arrangements adequate"), default=False)
    data_protection = models.BooleanField(_("data protection arrangements adequate"), default=False)
    non_financial_notes = models.TextField(_("notes on the non-financial checks"), blank=True)
    # Effectiveness and efficiency
    effective = models.BooleanField(_("likely to be effective and efficient"), default=False)
    effectiveness_notes = models.TextField(_("notes on effectiveness and efficiency"), blank=True)
    # Partner views
    partners_supportive = models.BooleanField(_("partners' views supportive"), default=False)
    partner_notes = models.TextField(_("notes on partners' views"), blank=True)

    outcome = models.CharField(_("outcome"), max_length=12, choices=DueDiligenceOutcome.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    valid_until = models.DateField(_("valid until"))

    objects = DueDiligenceCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on", "-created_at"]
        verbose_name = _("due diligence check")
        verbose_name_plural = _("due diligence checks")
        indexes = [models.Index(fields=["organisation", "office", "-checked_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("checked_on")),
                name="due_diligence_valid_after_check",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="conditional") | ~Q(conditions=""),
                name="due_diligence_conditions_given",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["pass", "conditional", "fail"]),
                name="due_diligence_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.office} ({self.checked_on:%d %B %Y})"

    def is_valid_on(self, day) -> bool:
        return self.outcome != DueDiligenceOutcome.FAIL and day <= self.valid_until
