"""Monitoring of awards (MO1-MO3): each award's schedule of returns and meetings, made from
its office's monitoring rules when the award is made, the returns the organisation fills in
and the officer accepts or sends back, and the reminders sent about them.

A schedule may also monitor something a higher app owns (a contract): its `subject_kind` is
registered in monitoring.hooks, and the schedule keeps what monitoring needs of it (reference,
title, organisation, fund, dates, the measures to report against and the items reported on),
so that monitoring never reads the higher app's tables. See ADR 0007.

A schedule keeps what the rules said when it was made: a later change to the pack changes the
schedules of later awards only. Workflow logic lives in services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.transitions import Workflow

AWARD = "award"


class MonitoringSchedule(TimeStampedModel):
    """How an award (or another subject, such as a contract) is monitored, as its office's
    rules said when it was made."""

    award = models.OneToOneField(
        "awards.Award",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitoring_schedule",
    )
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="monitoring_schedules"
    )
    # What is monitored: "award", or a kind a higher app registered (monitoring.hooks), with
    # its reference (the award's, the contract's) and the organisation whose members report.
    subject_kind = models.CharField(_("monitors"), max_length=30, default=AWARD)
    subject_reference = models.CharField(_("reference"), max_length=60)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="monitoring_schedules",
        verbose_name=_("organisation reporting"),
    )
    # Of a subject other than an award (an award's own are read from the award, which a
    # variation may change): its title, fund and dates, the measures it reports against
    # [{"code", "title", "target", "unit"}] and the items it reports on
    # [{"code", "group", "title", "how"}].
    subject_title = models.CharField(_("title"), max_length=300, blank=True)
    fund = models.ForeignKey(
        "offices.Fund", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_starts_on = models.DateField(_("starts"), null=True, blank=True)
    subject_ends_on = models.DateField(_("ends"), null=True, blank=True)
    measures = models.JSONField(_("measures reported against"), default=list, blank=True)
    items = models.JSONField(_("items reported on"), default=list, blank=True)
    rules = models.JSONField(_("rules applied"), default=list)
    returns_every_months = models.PositiveSmallIntegerField(null=True, blank=True)
    meetings_every_months = models.PositiveSmallIntegerField(null=True, blank=True)
    reports = models.JSONField(_("reports"), default=list)
    award_form = models.CharField(_("award form"), max_length=30)
    victims_services = models.BooleanField(_("victims' service"), default=False)
    pack_sha256 = models.CharField(_("pack checksum"), max_length=64, blank=True)
    # Who overdue returns are escalated to: the officer who drafted the decision, unless
    # changed; the office's commissioning officers when nobody is named.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible officer"),
    )
    made_at = models.DateTimeField(_("made"), default=timezone.now)

    class Meta:
        verbose_name = _("monitoring schedule")
        verbose_name_plural = _("monitoring schedules")
        constraints = [
            # Pages and the API find a schedule by its reference alone.
            models.UniqueConstraint(fields=["subject_reference"], name="one_schedule_per_subject"),
            models.CheckConstraint(
                condition=Q(award__isnull=False, subject_kind=AWARD)
                | (Q(award__isnull=True) & ~Q(subject_kind=AWARD)),
                name="schedule_of_an_award_or_another_subject",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "subject_reference"])]

    def __str__(self) -> str:
        return f"Monitoring of {self.award_id or self.subject_reference}"

    @property
    def is_of_award(self) -> bool:
        return self.award_id is not None

    @property
    def title(self) -> str:
        return self.award.title if self.award_id else self.subject_title

    @property
    def runs_from(self):
        return self.award.starts_on if self.award_id else self.subject_starts_on

    @property
    def runs_to(self):
        return self.award.ends_on if self.award_id else self.subject_ends_on


class ReturnKind(models.TextChoices):
    RETURN = "return", _("Monitoring return")
    QUARTERLY = "quarterly", _("Quarterly report")
    MID_YEAR = "mid_year", _("Mid-year report")
    END_OF_YEAR = "end_of_year", _("End-of-year report")
    YEAR_END_ASSESSMENT = "year_end_assessment", _("Year End Assessment")
    END_OF_AWARD_EVALUATION = "end_of_award_evaluation", _("End-of-award evaluation")
    PILOT_EVALUATION = "pilot_evaluation", _("Pilot evaluation")


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Not yet submitted")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


TRANSITIONS: dict[str, frozenset[str]] = {
    ReturnStatus.DRAFT: frozenset({ReturnStatus.SUBMITTED}),
    ReturnStatus.SUBMITTED: frozenset({ReturnStatus.ACCEPTED, ReturnStatus.RETURNED}),
    ReturnStatus.RETURNED: frozenset({ReturnStatus.RESUBMITTED}),
    ReturnStatus.RESUBMITTED: frozenset({ReturnStatus.ACCEPTED, ReturnStatus.RETURNED}),
    ReturnStatus.ACCEPTED: frozenset(),
}
# The organisation may change the return in these states; the officer reviews in these.
EDITABLE = frozenset({ReturnStatus.DRAFT, ReturnStatus.RETURNED})
AWAITING_REVIEW = frozenset({ReturnStatus.SUBMITTED, ReturnStatus.RESUBMITTED})


class Rag(models.TextChoices):
    RED = "red", _("Red: significantly off track")
    AMBER = "amber", _("Amber: some concerns")
    GREEN = "green", _("Green: on track")


class MonitoringReturnQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related(
            "award", "award__fund", "office", "schedule", "schedule__organisation"
        )

    def open(self):
        """Not yet in: due, or sent back."""
        return self.filter(status__in=sorted(EDITABLE))


class MonitoringReturn(TimeStampedModel):
    """One return an award (or another subject) owes, numbered in its schedule, and what the
    organisation says in it: outputs against the application's targets, outcome progress,
    victims' measures, demographics, case studies, feedback, spend against the budget lines,
    risks and a RAG.

    Figures against the application's rows are kept keyed by the row's id: `outputs`
    {output id: number delivered}, `outcomes` {outcome id: progress}, `spend` {budget line id:
    "pounds.pence" spent to date}; `measures` {measure code: count}; `demographics`
    {question: {answer: count}}. A return of another subject keeps its figures against the
    schedule's measures in `outputs` {measure code: "figure"} and what it says about each of
    the schedule's items in `items` {item code: text}."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="monitoring_returns"
    )
    award = models.ForeignKey(
        "awards.Award",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitoring_returns",
    )
    schedule = models.ForeignKey(
        MonitoringSchedule, on_delete=models.PROTECT, related_name="returns"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=30, choices=ReturnKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due"))
    scheduled_due_on = models.DateField(_("due date in the schedule"), null=True, blank=True)
    added_by_staff = models.BooleanField(_("added by the office"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )

    progress = models.TextField(_("progress in this period"), blank=True)
    outputs = models.JSONField(_("outputs delivered"), default=dict, blank=True)
    outcomes = models.JSONField(_("progress on outcomes"), default=dict, blank=True)
    people_supported = models.PositiveIntegerField(_("people supported"), null=True, blank=True)
    measures = models.JSONField(_("victims' services measures"), default=dict, blank=True)
    demographics = models.JSONField(_("people supported"), default=dict, blank=True)
    case_studies = models.TextField(_("case studies"), blank=True)
    feedback = models.TextField(_("what people who used the service said"), blank=True)
    spend = models.JSONField(_("spend to date"), default=dict, blank=True)
    risks = models.TextField(_("risks and issues"), blank=True)
    rag = models.CharField(_("self-assessed RAG"), max_length=5, choices=Rag.choices, blank=True)
    items = models.JSONField(_("on the items reported on"), default=dict, blank=True)

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comments = models.TextField(_("officer's comments"), blank=True)

    objects = MonitoringReturnQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "award", "number"]
        verbose_name = _("monitoring return")
        verbose_name_plural = _("monitoring returns")
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="unique_return_number"),
            models.UniqueConstraint(
                fields=["schedule", "number"], name="unique_return_number_in_schedule"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="return_period_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["award", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.award_id or self.schedule_id}/{self.number} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        """The reference of what the return is about (the award's, the contract's)."""
        return self.schedule.subject_reference

    @property
    def title(self) -> str:
        return self.award.title if self.award_id else self.schedule.subject_title

    @property
    def organisation(self):
        """The organisation whose members fill the return in."""
        return self.schedule.organisation

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def awaits_review(self) -> bool:
        return self.status in AWAITING_REVIEW

    @property
    def has_evaluation(self) -> bool:
        """A Year End Assessment, end-of-award or pilot evaluation asks evaluation questions."""
        return self.kind in (
            ReturnKind.YEAR_END_ASSESSMENT,
            ReturnKind.END_OF_AWARD_EVALUATION,
            ReturnKind.PILOT_EVALUATION,
        )

    def is_overdue(self, today) -> bool:
        return self.status in EDITABLE and self.due_on < today


class ReturnStatusChange(AbstractStatusChange):
    """Every change of a return's state, with the officer's comments when it is sent back."""

    subject_field = "monitoring_return"

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.PROTECT, related_name="status_changes"
    )
    old = models.CharField(_("from"), max_length=20, choices=ReturnStatus.choices)
    new = models.CharField(_("to"), max_length=20, choices=ReturnStatus.choices)

    class Meta:
        ordering = ["monitoring_return", "at", "id"]

    def __str__(self) -> str:
        return f"{self.old} -> {self.new}"


RETURN_WORKFLOW = Workflow(
    model=MonitoringReturn,
    changes=ReturnStatusChange,
    states=ReturnStatus,
    allowed=TRANSITIONS,
    audit_name="monitoring_return",
    refusal=_("A monitoring return that is %(old)s cannot become %(new)s."),
)


class MonitoringMeeting(TimeStampedModel):
    """A monitoring meeting an award's schedule asks for (CAM: over GBP 10,000)."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="monitoring_meetings"
    )
    award = models.ForeignKey(
        "awards.Award", on_delete=models.PROTECT, related_name="monitoring_meetings"
    )
    schedule = models.ForeignKey(
        MonitoringSchedule, on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due by"))
    scheduled_due_on = models.DateField(_("due date in the schedule"), null=True, blank=True)
    added_by_staff = models.BooleanField(_("added by the office"), default=False)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["due_on", "award", "number"]
        verbose_name = _("monitoring meeting")
        verbose_name_plural = _("monitoring meetings")
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="unique_meeting_number"),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} meeting {self.number}"


class DueDateChange(models.Model):
    """A due date added to or moved in a schedule by the office, with the reason."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    award = models.ForeignKey(
        "awards.Award",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitoring_date_changes",
    )
    monitoring_return = models.ForeignKey(
        MonitoringReturn,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="date_changes",
    )
    meeting = models.ForeignKey(
        MonitoringMeeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="date_changes",
    )
    old_due_on = models.DateField(_("was due"), null=True, blank=True)
    new_due_on = models.DateField(_("now due"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["award", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monitoring_return__isnull=False, meeting__isnull=True)
                | Q(monitoring_return__isnull=True, meeting__isnull=False),
                name="date_change_of_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_due_on or 'added'} -> {self.new_due_on}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Reminder before the due date")
    DUE = "due", _("Reminder on the due date")
    OVERDUE = "overdue", _("Overdue, escalated to the officer")


class ReminderSent(models.Model):
    """A reminder about one return, sent once: `send_reminders` never sends the same kind of
    reminder about the same return twice, however often it runs."""

    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField(_("due date it was about"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["monitoring_return", "sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "kind"], name="unique_reminder_per_return_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.monitoring_return_id})"


from commissioning.monitoring.evaluation.models import Evaluation  # noqa: E402, F401
from commissioning.monitoring.meetings.models import (  # noqa: E402, F401
    MeetingAction,
    MeetingAttendee,
)
from commissioning.monitoring.performance.models import (  # noqa: E402, F401
    Decommissioning,
    DecommissioningComment,
    DecommissioningRisk,
    DecommissioningStatusChange,
    ImprovementAction,
    ImprovementPlan,
)
from commissioning.monitoring.retention.models import RetentionApplied  # noqa: E402, F401
