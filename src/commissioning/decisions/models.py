"""Decision records, their linked applications, signatures and letters (DE1-DE3).

Workflow logic lives in services.py; this module holds fields, constraints, the state machine's
table and small derived properties only. Records of public money are never deleted, and a
signed record refuses to be saved with changed content.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.transitions import Workflow

MONEY = {"max_digits": 12, "decimal_places": 2}


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
    SIGNED = "signed", _("Signed")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The allowed transitions (DECISION_WORKFLOW, below); anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    DecisionStatus.DRAFT: frozenset({DecisionStatus.AWAITING_SIGNATURES, DecisionStatus.WITHDRAWN}),
    DecisionStatus.AWAITING_SIGNATURES: frozenset({DecisionStatus.SIGNED}),
    DecisionStatus.SIGNED: frozenset({DecisionStatus.PUBLISHED}),
    DecisionStatus.PUBLISHED: frozenset(),
    DecisionStatus.WITHDRAWN: frozenset(),
}

# Once signed, nothing but publication may change.
FROZEN_STATUSES = frozenset({DecisionStatus.SIGNED, DecisionStatus.PUBLISHED})
PUBLISHING_FIELDS = frozenset({"status", "published_at", "updated_at", "updated_by"})

# The record's text parts that may be marked exempt from publication.
TEXT_PARTS = (
    "summary",
    "rationale",
    "options_considered",
    "financial_implications",
    "legal_implications",
    "equality_implications",
)


class ImmutableRecord(Exception):
    """A signed decision record was about to be changed or deleted."""


class DecisionSequence(models.Model):
    """The last decision number used by an office in a year; locked while allocating."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="unique_decision_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last}"


class DecisionRecordQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=DecisionStatus.PUBLISHED)

    def awaiting_signatures(self):
        return self.filter(status=DecisionStatus.AWAITING_SIGNATURES)


class DecisionRecord(TimeStampedModel):
    """A formal decision of the Commissioner, with its reasons and its sign-off (DE1)."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="decision_records"
    )
    number = models.CharField(_("decision number"), max_length=40, unique=True)
    slug = models.SlugField(max_length=60, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    rationale = models.TextField(_("reasons for the decision"))
    options_considered = models.TextField(_("options considered"), blank=True)
    financial_implications = models.TextField(_("financial implications"), blank=True)
    legal_implications = models.TextField(_("legal implications"), blank=True)
    equality_implications = models.TextField(_("equality implications"), blank=True)
    exempt_parts = models.JSONField(
        _("parts exempt from publication"),
        default=list,
        blank=True,
        help_text=_("Names of the parts that are redacted on the published record."),
    )
    exemption_reason = models.TextField(_("why those parts are exempt"), blank=True)

    # A record decides either applications (its DecisionApplication lines) or one other thing
    # a higher app names: a variation, a single-tender justification, a contract award ...
    subject_kind = models.CharField(
        _("what is decided"),
        max_length=40,
        blank=True,
        default="",
        help_text=_("Empty for a decision about applications."),
    )
    subject_reference = models.CharField(
        _("reference of what is decided"), max_length=80, blank=True, default=""
    )
    total = models.DecimalField(_("total awarded"), **MONEY, default=Decimal("0"))
    required_roles = models.JSONField(
        _("signatures required"),
        default=list,
        blank=True,
        help_text=_("Fixed from the office's sign-off tiers when the record leaves draft."),
    )
    submitted_at = models.DateTimeField(_("sent for signature"), null=True, blank=True)
    signed_at = models.DateTimeField(_("fully signed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = DecisionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("decision record")
        verbose_name_plural = _("decision records")
        constraints = [
            models.UniqueConstraint(fields=["office", "slug"], name="unique_decision_slug"),
            models.CheckConstraint(condition=Q(total__gte=0), name="decision_total_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"]) | ~Q(required_roles=[]),
                name="decision_out_of_draft_has_signatories",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status", "-created_at"]),
            models.Index(fields=["office", "signed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        """Refuse to write a signed record, except the step that publishes it. The stored state
        is read afresh, so a stale copy of the record cannot slip a change through."""
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (
            update_fields is None or set(update_fields) - PUBLISHING_FIELDS
        ):
            stored = DecisionRecord.objects.filter(pk=self.pk).values_list("status", flat=True)
            if stored.first() in FROZEN_STATUSES:
                raise ImmutableRecord(f"Decision {self.number} is signed and cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("Decision records are kept, never deleted.")

    @property
    def decides_applications(self) -> bool:
        return not self.subject_kind

    @property
    def is_editable(self) -> bool:
        return self.status == DecisionStatus.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status in FROZEN_STATUSES


class DecisionApplication(models.Model):
    """An application decided by the record: approved for an amount, or declined."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approve")
        DECLINE = "decline", _("Decline")

    decision = models.ForeignKey(
        DecisionRecord, on_delete=models.PROTECT, related_name="decided_applications"
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="decision_links"
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    amount = models.DecimalField(_("amount awarded"), **MONEY, default=Decimal("0"))
    reason = models.TextField(
        _("reason for this application"),
        blank=True,
        help_text=_("Told to the applicant in the letter, with the screening and panel feedback."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["decision", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "application"], name="unique_application_per_decision"
            ),
            models.CheckConstraint(
                condition=(Q(outcome="approve") & Q(amount__gt=0))
                | (Q(outcome="decline") & Q(amount=0)),
                name="decision_amount_matches_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.application_id} {self.outcome}"

    @property
    def approved(self) -> bool:
        return self.outcome == self.Outcome.APPROVE


class Signature(models.Model):
    """One required signatory's signature, given after multi-factor sign-in."""

    decision = models.ForeignKey(
        DecisionRecord, on_delete=models.PROTECT, related_name="signatures"
    )
    role = models.CharField(_("signed as"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decision_signatures"
    )
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    class Meta:
        ordering = ["decision", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "role"], name="one_signature_per_role"),
            models.UniqueConstraint(fields=["decision", "user"], name="one_signature_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.role} signed {self.decision_id}"

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("Signatures are kept, never deleted.")


class DecisionStatusChange(AbstractStatusChange):
    """Every change of a decision record's state: old, new, who, when and why. Kept for good."""

    subject_field = "decision"

    decision = models.ForeignKey(
        DecisionRecord, on_delete=models.PROTECT, related_name="status_changes"
    )
    old = models.CharField(_("from"), max_length=20, choices=DecisionStatus.choices)
    new = models.CharField(_("to"), max_length=20, choices=DecisionStatus.choices)

    class Meta:
        ordering = ["decision", "at", "id"]


# decision_transition() moves a record through this, and only this.
DECISION_WORKFLOW = Workflow(
    model=DecisionRecord,
    changes=DecisionStatusChange,
    states=DecisionStatus,
    allowed=TRANSITIONS,
    audit_name="decision",
    refusal=_("A decision record that is %(old)s cannot become %(new)s."),
)


class Letter(TimeStampedModel):
    """An award or decline letter to an applicant, kept on the decision record (DE3)."""

    class Kind(models.TextChoices):
        AWARD = "award", _("Award notification")
        DECLINE = "decline", _("Decline letter")

    decision = models.ForeignKey(DecisionRecord, on_delete=models.PROTECT, related_name="letters")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="letters"
    )
    public_id = models.CharField(max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    addressee = models.CharField(_("addressed to"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("letter"))
    sent_to = models.EmailField(_("sent to"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    pdf_path = models.CharField(max_length=255, blank=True, editable=False)
    pdf_size = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["decision", "application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "application", "kind"], name="one_letter_per_outcome"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("Letters are kept on the record, never deleted.")
