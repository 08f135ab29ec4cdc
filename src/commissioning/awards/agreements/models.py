"""Grant agreements (AG1): each award's agreement, in versions, with both signatures and the
hash of the exact document signed. Workflow logic lives in services.py.

An agreement is drawn up from the template the pack names for the award's fund (a draft), sent
to the organisation (its document frozen then: the content, the HTML and the PDF, with the PDF's
SHA-256), signed by the organisation's authorised signatory and countersigned by the office.
Countersigned, it never changes again; a change to the award is a variation, which issues a new
version. A version replaced before it was signed by both is withdrawn, and kept.
"""

from operator import attrgetter

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commissioning.core.models import AbstractStatusChange, TimeStampedModel
from commissioning.core.transitions import Workflow


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Not yet sent")
    SENT = "sent", _("Sent to the organisation")
    SIGNED_BY_PROVIDER = "signed_by_provider", _("Signed by the organisation")
    COUNTERSIGNED = "countersigned", _("Signed by both")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Names the organisation sees for the same states.
ORGANISATION_STATUS_NAMES = {
    AgreementStatus.SENT: _("Waiting for your signature"),
    AgreementStatus.SIGNED_BY_PROVIDER: _("Signed by you, waiting for the office"),
    AgreementStatus.COUNTERSIGNED: _("Signed by both"),
    AgreementStatus.WITHDRAWN: _("Replaced by a later version"),
}

AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AgreementStatus.DRAFT: frozenset({AgreementStatus.SENT, AgreementStatus.WITHDRAWN}),
    AgreementStatus.SENT: frozenset(
        {AgreementStatus.SIGNED_BY_PROVIDER, AgreementStatus.WITHDRAWN}
    ),
    AgreementStatus.SIGNED_BY_PROVIDER: frozenset(
        {AgreementStatus.COUNTERSIGNED, AgreementStatus.WITHDRAWN}
    ),
    AgreementStatus.COUNTERSIGNED: frozenset(),
    AgreementStatus.WITHDRAWN: frozenset(),
}

# States in which nothing about an agreement may change.
FROZEN_STATUSES = frozenset({AgreementStatus.COUNTERSIGNED, AgreementStatus.WITHDRAWN})
OPEN_STATUSES = (
    AgreementStatus.DRAFT,
    AgreementStatus.SENT,
    AgreementStatus.SIGNED_BY_PROVIDER,
)
# The document as sent: it never changes once the agreement has left draft.
DOCUMENT_FIELDS = frozenset(
    {
        "award",
        "version",
        "template_code",
        "template_version",
        "template_title",
        "content",
        "document_html",
        "document_pdf",
        "document_sha256",
    }
)


class SignedAgreement(Exception):
    """Something tried to change or delete an agreement that is signed, withdrawn or sent."""


class AgreementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(status__in=sorted(FROZEN_STATUSES)).exists():
            raise SignedAgreement("A signed or withdrawn agreement cannot change.")
        return super().update(**kwargs)

    def delete(self):
        raise SignedAgreement("Agreements are kept, never deleted.")


class Agreement(TimeStampedModel):
    """One version of an award's grant agreement."""

    award = models.ForeignKey("awards.Award", on_delete=models.PROTECT, related_name="agreements")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    reason = models.CharField(_("why this version"), max_length=500)
    template_code = models.CharField(_("template"), max_length=30)
    template_version = models.PositiveIntegerField(_("template version"))
    template_title = models.CharField(_("title"), max_length=200)

    # The document, frozen when it is sent: what both parties read and sign.
    content = models.JSONField(_("content"), default=dict, blank=True)
    document_html = models.TextField(_("document (HTML)"), blank=True)
    document_pdf = models.BinaryField(_("document (PDF)"), blank=True, editable=False)
    document_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_to = models.EmailField(_("sent to"), blank=True)

    # The organisation's authorised signatory.
    provider_name = models.CharField(
        _("signed for the organisation by"), max_length=200, blank=True
    )
    provider_role = models.CharField(_("signatory's role"), max_length=200, blank=True)
    provider_signature = models.CharField(_("typed signature"), max_length=200, blank=True)
    provider_confirmed = models.BooleanField(_("authority confirmed"), default=False)
    provider_signed_at = models.DateTimeField(
        _("signed by the organisation"), null=True, blank=True
    )
    provider_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_sha256 = models.CharField(
        _("SHA-256 signed by the organisation"), max_length=64, blank=True
    )

    # The office's countersignature, made with a fresh authenticator code.
    countersigned_at = models.DateTimeField(_("countersigned"), null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    countersigned_role = models.CharField(_("countersigned as"), max_length=40, blank=True)
    countersigned_sha256 = models.CharField(_("SHA-256 countersigned"), max_length=64, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["award", "version"]
        verbose_name = _("grant agreement")
        verbose_name_plural = _("grant agreements")
        constraints = [
            models.UniqueConstraint(fields=["award", "version"], name="agreement_version_unique"),
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(status__in=OPEN_STATUSES),
                name="agreement_one_open_version",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="agreement_version_from_1"),
            models.CheckConstraint(
                condition=Q(status__in=[AgreementStatus.DRAFT, AgreementStatus.WITHDRAWN])
                | (~Q(document_sha256="") & Q(sent_at__isnull=False)),
                name="agreement_sent_has_document",
            ),
            models.CheckConstraint(
                condition=~Q(
                    status__in=[AgreementStatus.SIGNED_BY_PROVIDER, AgreementStatus.COUNTERSIGNED]
                )
                | (
                    Q(provider_signed_at__isnull=False, provider_confirmed=True)
                    & ~Q(provider_sha256="")
                ),
                name="agreement_provider_signature_whole",
            ),
            models.CheckConstraint(
                condition=~Q(status=AgreementStatus.COUNTERSIGNED)
                | (Q(countersigned_at__isnull=False) & ~Q(countersigned_sha256="")),
                name="agreement_countersignature_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} v{self.version}"

    def save(self, *args, **kwargs):
        """Refuse any write to a signed or withdrawn agreement, and any change to the document
        of one that has been sent. The stored state is read afresh, so a stale copy cannot slip
        a change through."""
        if self.pk is not None:
            stored = Agreement.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in FROZEN_STATUSES:
                raise SignedAgreement("A signed or withdrawn agreement cannot change.")
            fields = kwargs.get("update_fields")
            if stored not in (None, AgreementStatus.DRAFT) and (
                fields is None or set(fields) & DOCUMENT_FIELDS
            ):
                raise SignedAgreement("The document of a sent agreement cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedAgreement("Agreements are kept, never deleted.")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_signed(self) -> bool:
        return self.status == AgreementStatus.COUNTERSIGNED

    @property
    def organisation_status(self) -> str:
        return str(ORGANISATION_STATUS_NAMES.get(self.status, self.get_status_display()))

    @property
    def pdf_name(self) -> str:
        return f"{self.award.reference}-agreement-v{self.version}.pdf"


class AgreementStatusChange(AbstractStatusChange):
    subject_field = "agreement"

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="status_changes"
    )
    old = models.CharField(_("from"), max_length=20, choices=AgreementStatus.choices, blank=True)
    new = models.CharField(_("to"), max_length=20, choices=AgreementStatus.choices)

    class Meta:
        ordering = ["agreement", "at", "id"]

    def __str__(self) -> str:
        return f"{self.old or '-'} -> {self.new}"


AGREEMENT_WORKFLOW = Workflow(
    model=Agreement,
    changes=AgreementStatusChange,
    states=AgreementStatus,
    allowed=AGREEMENT_TRANSITIONS,
    audit_name="agreement",
    refusal=_("A grant agreement that is %(old)s cannot become %(new)s."),
    office_of=attrgetter("award.office"),
)
