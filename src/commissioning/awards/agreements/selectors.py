"""Read queries for agreements: an award's versions with their history, the one in force and
the one open, and the agreement status of many awards at once (for lists and the API)."""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery

from commissioning.awards.agreements.models import (
    OPEN_STATUSES,
    Agreement,
    AgreementStatus,
    AgreementStatusChange,
)
from commissioning.awards.models import Award

# The big columns are read only where the document itself is shown or downloaded.
HEAVY = ("document_pdf", "document_html")


@dataclass
class AwardAgreements:
    versions: list[Agreement]

    @property
    def in_force(self) -> Agreement | None:
        """The latest version signed by both."""
        signed = [a for a in self.versions if a.status == AgreementStatus.COUNTERSIGNED]
        return signed[-1] if signed else None

    @property
    def open(self) -> Agreement | None:
        """The version on its way (draft, sent, or signed by the organisation)."""
        return next((a for a in self.versions if a.status in OPEN_STATUSES), None)

    @property
    def current(self) -> Agreement | None:
        """The open version if there is one, else the one in force."""
        return self.open or self.in_force

    def sent(self) -> list[Agreement]:
        return [a for a in self.versions if a.status != AgreementStatus.DRAFT]


def award_agreements(award: Award) -> AwardAgreements:
    """Every version of the award's agreement, oldest first, with their status changes: two
    queries."""
    versions = (
        Agreement.objects.filter(award=award)
        .defer(*HEAVY)
        .select_related("sent_by", "provider_signed_by", "countersigned_by")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=AgreementStatusChange.objects.select_related("actor").order_by("at", "id"),
            )
        )
        .order_by("version")
    )
    return AwardAgreements(list(versions))


def agreement_document(agreement_id: int) -> Agreement:
    return Agreement.objects.select_related(
        "award",
        "award__office",
        "award__office__policy",
        "award__organisation",
        "award__fund",
        "award__application",
        "award__decision",
        "sent_by",
        "provider_signed_by",
        "countersigned_by",
    ).get(pk=agreement_id)


def with_agreement_status(queryset):
    """Awards annotated with their current agreement's version and status (the open one, or
    else the latest signed): no query per award."""
    current = (
        Agreement.objects.filter(award=OuterRef("pk"))
        .exclude(status=AgreementStatus.WITHDRAWN)
        .order_by("-version")
    )
    return queryset.annotate(
        agreement_version=Subquery(current.values("version")[:1]),
        agreement_status=Subquery(current.values("status")[:1]),
    )


def organisation_awards(organisation):
    """The organisation's awards from every office, newest first."""
    return with_agreement_status(
        Award.objects.filter(organisation=organisation)
        .select_related("office", "fund")
        .order_by("-made_at", "-id")
    )


def agreement_statuses(award_ids) -> dict[int, tuple[int, str]]:
    """The current agreement's (version, status) of each award, by award id: one query. The
    open version, or else the latest signed; withdrawn versions are left out."""
    result: dict[int, tuple[int, str]] = {}
    rows = (
        Agreement.objects.filter(award__in=list(award_ids))
        .exclude(status=AgreementStatus.WITHDRAWN)
        .order_by("award_id", "version")
        .values_list("award_id", "version", "status")
    )
    for award_id, version, status in rows:
        result[award_id] = (version, status)
    return result
