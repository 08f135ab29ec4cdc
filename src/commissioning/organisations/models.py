import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from commissioning.core.models import EmailInvitation, TimeStampedModel
from commissioning.core.uploads import StoredFile

REF_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def new_ref() -> str:
    """A short random public reference for URLs, such as 'k7m2q9xdwa'. Database ids stay private."""
    return get_random_string(10, allowed_chars=REF_ALPHABET)


class ApplicantType(models.TextChoices):
    """The kinds of applicant a fund may accept (the pack's eligible_applicants)."""

    COMMUNITY_GROUP = "community_group", _("Community group")
    WATCH_SCHEME = "watch_scheme", _("Neighbourhood or other watch scheme")
    PARISH_COUNCIL = "parish_council", _("Parish council")
    TOWN_COUNCIL = "town_council", _("Town council")
    CHARITY = "charity", _("Registered charity")
    VOLUNTARY_GROUP = "voluntary_group", _("Voluntary group")
    SCHOOL = "school", _("School")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    CIC = "community_interest_company", _("Community interest company")
    FAITH_GROUP = "faith_group", _("Faith group")
    COMPANY = "company", _("Company")
    CSP = "community_safety_partnership", _("Community safety partnership")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    SAFEGUARDING_BOARD = "safeguarding_board", _("Safeguarding board")
    YOT = "youth_offending_team", _("Youth offending team")
    HEALTH_BODY = "health_body", _("Health body")
    PROBATION = "probation_service", _("Probation service")
    POLICE = "police", _("Police")
    FIRE = "fire_and_rescue", _("Fire and rescue service")
    OTHER_STATUTORY = "other_statutory_body", _("Other statutory body")


class Organisation(TimeStampedModel):
    """A group that applies for funding. Shared across offices: it registers once."""

    class LegalForm(models.TextChoices):
        CIO = "cio", _("Charitable incorporated organisation")
        CHARITABLE_COMPANY = "charitable_company", _("Charitable company")
        TRUST = "trust", _("Charitable trust")
        UNINCORPORATED = "unincorporated", _("Unincorporated association")
        COMPANY_LIMITED_BY_GUARANTEE = "clg", _("Company limited by guarantee")
        CIC = "cic", _("Community interest company")
        PARISH_COUNCIL = "parish_council", _("Parish or town council")
        SCHOOL = "school", _("School or academy")
        PUBLIC_BODY = "public_body", _("Public body")
        OTHER = "other", _("Other")

    ref = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_ref, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    applicant_type = models.CharField(
        _("type of applicant"), max_length=40, choices=ApplicantType.choices
    )
    charity_number = models.CharField(_("charity number"), max_length=12, blank=True)
    company_number = models.CharField(_("company number"), max_length=8, blank=True)
    org_id = models.CharField(_("organisation identifier"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["org_id"], condition=~Q(org_id=""), name="unique_org_id"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationMember(TimeStampedModel):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    ref = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_ref, editable=False
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="unique_org_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class Invitation(EmailInvitation):
    """An invitation by e-mail to join an organisation. Its link is signed, works once, and
    expires; `created_by` is the administrator who sent it."""

    ref = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_ref, editable=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=OrganisationMember.Role.choices,
        default=OrganisationMember.Role.MEMBER,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"


class PolicyDocumentQuerySet(models.QuerySet):
    def in_force(self, on: dt.date):
        """Policies adopted by `on` whose review date has not passed on that date."""
        return self.filter(adopted_on__lte=on, review_due_on__gte=on)


class PolicyDocument(StoredFile, TimeStampedModel):
    """A policy the organisation has adopted (safeguarding, data protection, ...), kept with its
    adoption and review dates. A newer upload of the same kind replaces it; both are kept."""

    class Kind(models.TextChoices):
        SAFEGUARDING = "safeguarding", _("Safeguarding")
        DATA_PROTECTION = "data_protection", _("Data protection")
        EQUALITY = "equality", _("Equality, diversity and inclusion")
        HEALTH_AND_SAFETY = "health_and_safety", _("Health and safety")
        OTHER = "other", _("Other policy")

    EXPECTED_KINDS = (Kind.SAFEGUARDING, Kind.DATA_PROTECTION, Kind.EQUALITY)

    ref = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_ref, editable=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="policies"
    )
    kind = models.CharField(_("policy"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    adopted_on = models.DateField(_("date adopted"))
    review_due_on = models.DateField(_("review date"))

    objects = PolicyDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-adopted_on", "-created_at"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        indexes = [models.Index(fields=["organisation", "kind", "-adopted_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due_on__gt=models.F("adopted_on")),
                name="policy_review_after_adoption",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.kind == self.Kind.OTHER and self.title:
            return self.title
        return str(self.Kind(self.kind).label)


class OrganisationDocument(StoredFile, TimeStampedModel):
    """A document the organisation keeps on file, such as its annual accounts."""

    class Kind(models.TextChoices):
        ANNUAL_ACCOUNTS = "annual_accounts", _("Annual accounts")
        ANNUAL_REPORT = "annual_report", _("Annual report")
        MANAGEMENT_ACCOUNTS = "management_accounts", _("Management accounts")
        GOVERNING_DOCUMENT = "governing_document", _("Constitution or governing document")
        INSURANCE = "insurance", _("Insurance certificate")
        OTHER = "other", _("Other document")

    KINDS_WITH_PERIOD = (Kind.ANNUAL_ACCOUNTS, Kind.ANNUAL_REPORT, Kind.MANAGEMENT_ACCOUNTS)

    ref = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_ref, editable=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)

    class Meta:
        ordering = ["kind", models.F("period_end").desc(nulls_last=True), "-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.title:
            return self.title
        return str(self.Kind(self.kind).label)


# Defined in its own module; imported here so that Django registers it with this app.
from commissioning.organisations.due_diligence.models import (  # noqa: E402, F401
    DueDiligenceCheck,
    DueDiligenceOutcome,
)
