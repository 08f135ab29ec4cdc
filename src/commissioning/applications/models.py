"""Rounds (open calls) and applications with their parts (AP1-AP8).

Workflow logic lives in services.py; this module holds fields, constraints, the state
machine's table and small derived properties only.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.transitions import Workflow

MONEY = {"max_digits": 12, "decimal_places": 2}


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed early")


class Round(TimeStampedModel):
    """An open call for applications to a fund. Rolling funds have one open-ended round whose
    applications batch into the next panel date. A draft is seen by staff only; once published
    it takes applications from its opening time until its deadline, or until closed early."""

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="rounds")
    fund = models.ForeignKey("offices.Fund", on_delete=models.PROTECT, related_name="rounds")
    slug = models.SlugField(_("web address name"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    theme = models.CharField(
        _("theme"),
        max_length=120,
        blank=True,
        help_text=_("For a targeted call, e.g. road safety."),
    )
    criteria = models.TextField(_("criteria"), blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(
        _("closes"), null=True, blank=True, help_text=_("Leave empty for a rolling fund.")
    )
    panel_dates = models.JSONField(
        _("panel dates"), default=list, blank=True, help_text=_("ISO dates of panel meetings.")
    )
    min_award = models.DecimalField(_("smallest award"), **MONEY, null=True, blank=True)
    max_award = models.DecimalField(_("largest award"), **MONEY, null=True, blank=True)
    closed_at = models.DateTimeField(_("closed early"), null=True, blank=True)
    close_reason = models.TextField(_("why it closed early"), blank=True)
    project = models.ForeignKey(
        "cycle.CommissioningProject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("commissioning project"),
        help_text=_("The commissioning project the round's funding goes out for, if any."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["office", "-opens_at"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["office", "slug"], name="unique_round_slug"),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="round_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(min_award__isnull=True)
                | Q(max_award__isnull=True)
                | Q(min_award__lte=models.F("max_award")),
                name="round_min_award_not_above_max",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(opens_at__isnull=False),
                name="published_round_has_opening",
            ),
        ]
        indexes = [models.Index(fields=["office", "opens_at", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_rolling(self) -> bool:
        return self.closes_at is None

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.status == RoundStatus.PUBLISHED
            and self.opens_at is not None
            and self.opens_at <= at
            and (self.closes_at is None or at < self.closes_at)
        )

    def stage(self, at=None) -> str:
        """draft, scheduled (published, not yet open), open or closed."""
        at = at or timezone.now()
        if self.status == RoundStatus.DRAFT:
            return "draft"
        if self.status == RoundStatus.CLOSED or (self.closes_at and self.closes_at <= at):
            return "closed"
        return "open" if self.opens_at <= at else "scheduled"

    @property
    def award_min(self) -> Decimal | None:
        return self.min_award if self.min_award is not None else self.fund.min_award

    @property
    def award_max(self) -> Decimal | None:
        return self.max_award if self.max_award is not None else self.fund.max_award


class ReferenceSequence(models.Model):
    """The last number used for applications to a fund in a year; locked while allocating."""

    fund = models.ForeignKey("offices.Fund", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="unique_reference_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}/{self.year}: {self.last}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Being checked")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    IN_ASSESSMENT = "in_assessment", _("Being assessed")
    RECOMMENDED = "recommended", _("Recommended")
    NOT_RECOMMENDED = "not_recommended", _("Not recommended")
    AWAITING_DECISION = "awaiting_decision", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# What applicants are shown for each state where it differs from the staff name.
APPLICANT_STATUS_NAMES = {
    Status.SCREENING: _("Being checked"),
    Status.ELIGIBLE: _("Being assessed"),
    Status.IN_ASSESSMENT: _("Being assessed"),
    Status.RECOMMENDED: _("Being assessed"),
    Status.NOT_RECOMMENDED: _("Being assessed"),
    Status.AWAITING_DECISION: _("Awaiting decision"),
}

# The allowed transitions (APPLICATION_WORKFLOW, below); anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.SUBMITTED: frozenset({Status.SCREENING, Status.ELIGIBLE, Status.WITHDRAWN}),
    Status.SCREENING: frozenset({Status.ELIGIBLE, Status.INELIGIBLE, Status.WITHDRAWN}),
    Status.ELIGIBLE: frozenset({Status.SCREENING, Status.IN_ASSESSMENT, Status.WITHDRAWN}),
    Status.INELIGIBLE: frozenset({Status.SCREENING, Status.WITHDRAWN}),
    Status.IN_ASSESSMENT: frozenset({Status.RECOMMENDED, Status.NOT_RECOMMENDED, Status.WITHDRAWN}),
    Status.RECOMMENDED: frozenset({Status.AWAITING_DECISION, Status.WITHDRAWN}),
    Status.NOT_RECOMMENDED: frozenset({Status.AWAITING_DECISION, Status.WITHDRAWN}),
    Status.AWAITING_DECISION: frozenset({Status.APPROVED, Status.DECLINED, Status.WITHDRAWN}),
    Status.APPROVED: frozenset(),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

EDITABLE_STATUSES = frozenset({Status.DRAFT})


class ScreeningOutcome(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    REFER = "refer", _("Refer to an officer")


class ApplicationQuerySet(models.QuerySet):
    def for_list(self):
        """What a row of the staff list shows, in one query."""
        return self.select_related("organisation", "round", "fund").only(
            "id",
            "reference",
            "title",
            "status",
            "amount_requested",
            "submitted_at",
            "screening_outcome",
            "awaiting_applicant",
            "updated_at",
            "organisation__name",
            "round__title",
            "round__slug",
            "fund__code",
            "fund__name",
        )

    def submitted(self):
        return self.exclude(status=Status.DRAFT)


class Application(TimeStampedModel):
    """An organisation's application to a round (AP3)."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="applications"
    )
    fund = models.ForeignKey("offices.Fund", on_delete=models.PROTECT, related_name="applications")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    public_id = models.CharField(max_length=16, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    title = models.CharField(_("project title"), max_length=150, blank=True)
    short_description = models.CharField(
        _("short description for publication"), max_length=500, blank=True
    )
    need_and_evidence = models.TextField(_("the need and the evidence for it"), blank=True)
    activities = models.TextField(_("what you will do"), blank=True)
    amount_requested = models.DecimalField(_("amount requested"), **MONEY, null=True, blank=True)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    is_pilot = models.BooleanField(_("a pilot"), null=True, blank=True)
    is_continuation = models.BooleanField(
        _("continuation of earlier funding"), null=True, blank=True
    )
    previous_funding = models.TextField(_("what earlier funding delivered"), blank=True)
    beneficiaries_count = models.PositiveIntegerField(
        _("people who will benefit"), null=True, blank=True
    )
    beneficiaries_description = models.TextField(_("who will benefit"), blank=True)
    involves_children_or_vulnerable_adults = models.BooleanField(
        _("works with children or vulnerable adults"), null=True, blank=True
    )
    sustainability = models.TextField(_("how it will continue after the funding"), blank=True)
    evaluation = models.TextField(_("how you will measure and evaluate"), blank=True)
    risks = models.TextField(_("risks and how you will manage them"), blank=True)
    partnership = models.TextField(_("partners and their support"), blank=True)
    # DE3: the senior officer the award letter is addressed to, where the pack asks for one.
    senior_officer_name = models.CharField(_("senior officer's name"), max_length=200, blank=True)
    senior_officer_role = models.CharField(_("senior officer's role"), max_length=200, blank=True)
    senior_officer_email = models.EmailField(_("senior officer's e-mail"), blank=True)
    purposes = models.JSONField(
        _("purposes addressed"),
        default=list,
        blank=True,
        help_text=_("Codes of the fund's permitted purposes the applicant says it addresses."),
    )
    priorities = models.ManyToManyField(
        "offices.Priority",
        blank=True,
        related_name="applications",
        verbose_name=_("plan priorities"),
    )
    areas = models.ManyToManyField(
        "offices.Area", blank=True, related_name="applications", verbose_name=_("areas served")
    )
    declarations_confirmed_at = models.DateTimeField(null=True, blank=True)

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    screening_outcome = models.CharField(
        _("screening result"), max_length=10, choices=ScreeningOutcome.choices, blank=True
    )
    awaiting_applicant = models.BooleanField(
        _("waiting for the applicant"),
        default=False,
        help_text=_("A clarification question is open."),
    )

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="unique_application_reference",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gt=0),
                name="application_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(reference=""),
                name="submitted_application_has_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status", "-submitted_at"]),
            models.Index(fields=["round", "status", "-submitted_at"]),
            models.Index(fields=["office", "-submitted_at"]),
            models.Index(fields=["round", "-submitted_at"]),
            models.Index(fields=["fund", "status"]),
            models.Index(fields=["office", "screening_outcome"]),
        ]

    def __str__(self) -> str:
        return self.reference or self.title or str(_("Draft application"))

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def applicant_status(self) -> str:
        return str(APPLICANT_STATUS_NAMES.get(self.status, self.get_status_display()))

    @property
    def pilot_evaluation_due(self):
        """When a pilot of a fund whose pilots end in an evaluation (CUM) owes that evaluation:
        the day the pilot ends. None for a project that is not a pilot, or a fund that asks for
        no evaluation. The award carries it into monitoring."""
        if not self.is_pilot or not self.fund.pilot_evaluation_required:
            return None
        return self.ends_on

    @property
    def asked_sections(self) -> frozenset[str]:
        """The optional sections the office asks for at the amount requested (the answers pages
        leave out the rest rather than call them unanswered)."""
        from commissioning.applications.rules import required_sections

        return frozenset(required_sections(self.amount_requested, self.office.policy.application))


class Outcome(models.Model):
    """A SMART outcome: indicator, baseline, target and the date it is due."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outcomes")
    description = models.CharField(_("outcome"), max_length=300)
    indicator = models.CharField(_("how you will measure it"), max_length=300)
    baseline = models.CharField(_("starting point"), max_length=100)
    target = models.CharField(_("target"), max_length=100)
    target_date = models.DateField(_("by when"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "position", "id"]

    def __str__(self) -> str:
        return self.description


class Output(models.Model):
    """A numeric output, such as 40 workshops delivered."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outputs")
    description = models.CharField(_("output"), max_length=300)
    quantity = models.PositiveIntegerField(_("number"))
    target_date = models.DateField(_("by when"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "position", "id"]

    def __str__(self) -> str:
        return f"{self.quantity} {self.description}"


class CostCategory(models.TextChoices):
    """Budget line categories. The last five match the pack's ineligible cost categories."""

    STAFF = "staff", _("Project staff or sessional workers")
    VOLUNTEERS = "volunteer_expenses", _("Volunteer expenses")
    EQUIPMENT = "equipment", _("Equipment and materials")
    VENUE = "venue", _("Venue hire")
    TRAINING = "training", _("Training")
    PUBLICITY = "publicity", _("Publicity and printing")
    TRAVEL = "travel", _("Travel")
    EVALUATION = "evaluation", _("Evaluation")
    OVERHEADS = "overheads", _("Overheads and management")
    CAPITAL = "capital_works", _("Building or capital works")
    OTHER = "other", _("Other")
    POLICE_OFFICER_PAY = "police_officer_pay", _("Police officer pay or overtime")
    PARTNERSHIP_RUNNING = "partnership_running_costs", _("Running a partnership or forum")
    STAFF_ROLE = "staff_roles", _("Funding a permanent staff post")
    SPONSORSHIP = "charitable_sponsorship", _("Sponsoring a charitable activity or event")
    STATUTORY = "statutory_substitute", _("Something a statutory body must already fund")


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=30, choices=CostCategory.choices)
    description = models.CharField(_("what it is for"), max_length=300)
    amount = models.DecimalField(_("amount"), **MONEY)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_positive"),
        ]

    def __str__(self) -> str:
        return self.description


class MatchFunding(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="match_funding"
    )
    source = models.CharField(_("source"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)
    secured = models.BooleanField(_("secured"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="match_funding_positive"),
        ]

    def __str__(self) -> str:
        return self.source


class Endorsement(TimeStampedModel):
    """Support for an application from a police officer or PCSO, or a partnership (AP5). The
    endorser answers through a signed, expiring, one-time link and needs no account."""

    class Kind(models.TextChoices):
        POLICE_OFFICER_OR_PCSO = "police_officer_or_pcso", _("Police officer or PCSO")
        POLICE = "police", _("Police")
        CSP = "community_safety_partnership", _("Community safety partnership")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        STATUTORY_PARTNER = "statutory_partner", _("Statutory partner")

    class State(models.TextChoices):
        NOT_SENT = "not_sent", _("Not yet sent")
        REQUESTED = "requested", _("Waiting for a reply")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="endorsements"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    endorser_name = models.CharField(_("name"), max_length=200)
    endorser_email = models.EmailField(_("e-mail address"))
    endorser_role = models.CharField(
        _("role and team"),
        max_length=200,
        help_text=_("For example: PCSO, Penrith neighbourhood team"),
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.NOT_SENT)
    nonce = models.CharField(max_length=32, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.endorser_name}"


class Attachment(TimeStampedModel):
    """A file attached to an application, stored outside the web root (AP6)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    description = models.CharField(_("what it is"), max_length=200)
    path = models.CharField(max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    public_id = models.CharField(max_length=16, unique=True)

    class Meta:
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return self.filename


class ScreeningResult(models.Model):
    """One rule's verdict on an application, with the reason naming the rule and the figure.
    Each run replaces the current set; earlier runs are kept with is_current=False."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="screening_results"
    )
    rule = models.CharField(_("rule"), max_length=40)
    outcome = models.CharField(_("result"), max_length=10, choices=ScreeningOutcome.choices)
    reason = models.TextField(_("reason"))
    details = models.JSONField(default=dict, blank=True)
    run_at = models.DateTimeField(default=timezone.now)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_current = models.BooleanField(default=True)
    override_outcome = models.CharField(
        _("officer's result"), max_length=10, choices=ScreeningOutcome.choices, blank=True
    )
    override_reason = models.TextField(_("reason for the officer's result"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "id"]
        indexes = [models.Index(fields=["application", "is_current"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(override_outcome="") | ~Q(override_reason=""),
                name="override_needs_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.effective_outcome}"

    @property
    def effective_outcome(self) -> str:
        return self.override_outcome or self.outcome


class Clarification(models.Model):
    """A question from an officer and the applicant's answer, kept on the record (AP8)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="clarifications"
    )
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "asked_at", "id"]

    def __str__(self) -> str:
        return self.question[:60]


class StatusChange(AbstractStatusChange):
    """Every change of an application's state: old, new, who, when and why. Kept for good."""

    subject_field = "application"

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="status_changes"
    )
    old = models.CharField(_("from"), max_length=20, choices=Status.choices)
    new = models.CharField(_("to"), max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["application", "at", "id"]


# application_transition() moves an application through this, and only this.
APPLICATION_WORKFLOW = Workflow(
    model=Application,
    changes=StatusChange,
    states=Status,
    allowed=TRANSITIONS,
    audit_name="application",
    refusal=_("An application that is %(old)s cannot become %(new)s."),
)
