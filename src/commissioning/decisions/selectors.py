"""Reads of decision records shared by the pages and the API, each a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from commissioning.accounts.models import OfficeMembership
from commissioning.applications.models import Application
from commissioning.decisions.models import (
    DecisionApplication,
    DecisionRecord,
    DecisionStatus,
    Letter,
    Signature,
)
from commissioning.decisions.services import DECIDABLE, outstanding_roles


def staff_decisions(office, *, status: str = ""):
    """The office's records for the staff list: one query."""
    queryset = DecisionRecord.objects.filter(office=office)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.annotate(
        application_count=Count("decided_applications", distinct=True),
        signature_count=Count("signatures", distinct=True),
    ).order_by("-created_at", "-id")


def decision_with_parts(pk: int) -> DecisionRecord:
    return (
        DecisionRecord.objects.select_related("office", "office__policy", "created_by")
        .prefetch_related(
            Prefetch(
                "decided_applications",
                queryset=DecisionApplication.objects.select_related(
                    "application", "application__organisation", "application__fund"
                ),
            ),
            Prefetch("signatures", queryset=Signature.objects.select_related("user")),
            Prefetch(
                "letters", queryset=Letter.objects.select_related("application").order_by("id")
            ),
            "status_changes__actor",
        )
        .get(pk=pk)
    )


def decidable_applications(office, *, include=()):
    """Applications the panel has recommended or not, in no live decision yet."""
    taken = DecisionApplication.objects.exclude(decision__status=DecisionStatus.WITHDRAWN)
    return (
        Application.objects.filter(office=office)
        .filter(Q(status__in=DECIDABLE) | Q(pk__in=list(include)))
        .exclude(Q(pk__in=taken.values("application_id")) & ~Q(pk__in=list(include)))
        .select_related("organisation", "fund")
        .order_by("status", "reference")
    )


@dataclass(frozen=True)
class Waiting:
    decision: DecisionRecord
    roles: list[str]


def decisions_awaiting_signature_of(user, office=None) -> list[Waiting]:
    """Records waiting for this user's signature, in the offices where they hold a required role
    and have not signed yet: two queries."""
    memberships = OfficeMembership.objects.active().filter(user=user)
    if office is not None:
        memberships = memberships.filter(office=office)
    held: dict[int, set[str]] = {}
    for office_id, role in memberships.values_list("office_id", "role"):
        held.setdefault(office_id, set()).add(role)
    if not held:
        return []
    records = (
        DecisionRecord.objects.awaiting_signatures()
        .filter(office_id__in=held)
        .select_related("office")
        .prefetch_related("signatures")
        .order_by("submitted_at", "id")
    )
    waiting = []
    for record in records:
        signatures = list(record.signatures.all())
        if any(s.user_id == user.pk for s in signatures):
            continue
        roles = [
            r
            for r in outstanding_roles(record, (s.role for s in signatures))
            if r in held[record.office_id]
        ]
        if roles:
            waiting.append(Waiting(decision=record, roles=roles))
    return waiting


def decisions_of_application(application):
    """The live decisions an application is in, with its letters."""
    return list(
        DecisionApplication.objects.filter(application=application)
        .exclude(decision__status=DecisionStatus.WITHDRAWN)
        .select_related("decision")
        .order_by("-decision__created_at")
    ), list(
        Letter.objects.filter(application=application).select_related("decision").order_by("id")
    )


# Public ----------------------------------------------------------------------------------


def public_decisions(office):
    """Published records with their approved awards (organisations and amounts only)."""
    return (
        DecisionRecord.objects.public()
        .filter(office=office)
        .prefetch_related(
            Prefetch(
                "decided_applications",
                queryset=DecisionApplication.objects.select_related(
                    "application__organisation"
                ).only(
                    "id",
                    "decision_id",
                    "outcome",
                    "amount",
                    "position",
                    "application__id",
                    "application__title",
                    "application__short_description",
                    "application__organisation__id",
                    "application__organisation__name",
                ),
            ),
            Prefetch(
                "signatures",
                queryset=Signature.objects.only("id", "decision_id", "role", "signed_at"),
            ),
        )
        .order_by("-signed_at", "-id")
    )


def public_decision(office, slug: str) -> DecisionRecord | None:
    return public_decisions(office).filter(slug=slug).first()


@dataclass(frozen=True)
class PanelReport:
    start: dt.date
    end: dt.date
    decisions: list
    count: int
    awards: int
    declined: int
    total: Decimal


def panel_report(office, start: dt.date, end: dt.date) -> PanelReport:
    """Published decisions signed between two dates (inclusive), with totals, for the Police
    and Crime Panel."""
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    decisions = list(public_decisions(office).filter(signed_at__gte=since, signed_at__lt=until))
    lines = DecisionApplication.objects.filter(decision__in=[d.pk for d in decisions])
    sums = lines.aggregate(
        awards=Count("id", filter=Q(outcome=DecisionApplication.Outcome.APPROVE)),
        declined=Count("id", filter=Q(outcome=DecisionApplication.Outcome.DECLINE)),
        total=Sum("amount", filter=Q(outcome=DecisionApplication.Outcome.APPROVE)),
    )
    return PanelReport(
        start=start,
        end=end,
        decisions=decisions,
        count=len(decisions),
        awards=sums["awards"] or 0,
        declined=sums["declined"] or 0,
        total=sums["total"] or Decimal("0"),
    )
