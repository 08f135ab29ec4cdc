"""Read queries about organisations, shared by pages, the API and other apps (screening, due
diligence). Each costs a fixed number of queries however many rows there are."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from commissioning.organisations.models import (
    Invitation,
    Organisation,
    OrganisationDocument,
    OrganisationMember,
    PolicyDocument,
)

# A policy whose review falls within this many days is shown as "review due soon".
REVIEW_SOON_DAYS = 60


@dataclass(frozen=True)
class PolicyStatus:
    """Where an organisation stands on one kind of policy on a given date."""

    MISSING = "missing"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    CURRENT = "current"

    kind: str
    label: str
    state: str
    policy: PolicyDocument | None

    @property
    def is_satisfied(self) -> bool:
        return self.state in (self.CURRENT, self.DUE_SOON)


def organisation_by_org_id(org_id: str) -> Organisation | None:
    return Organisation.objects.filter(org_id=org_id).first() if org_id else None


def memberships_of(user) -> QuerySet[OrganisationMember]:
    """The user's memberships, each with its organisation and that organisation's policies."""
    return (
        OrganisationMember.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "organisation__policies",
                queryset=PolicyDocument.objects.order_by("-adopted_on", "-created_at"),
            )
        )
        .order_by("organisation__name")
    )


def organisations_of(user) -> QuerySet[Organisation]:
    """The organisations the user belongs to, by name."""
    return Organisation.objects.filter(members__user=user).order_by("name")


def members_of(organisation: Organisation) -> QuerySet[OrganisationMember]:
    """Administrators first ('admin' sorts before 'member'), then by name."""
    return (
        OrganisationMember.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def pending_invitations(
    organisation: Organisation, *, now: dt.datetime | None = None
) -> QuerySet[Invitation]:
    now = now or timezone.now()
    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=now,
    ).order_by("email")


def policies_of(organisation: Organisation) -> QuerySet[PolicyDocument]:
    """Every policy on file, newest first within each kind (earlier versions included)."""
    return PolicyDocument.objects.filter(organisation=organisation).order_by(
        "kind", "-adopted_on", "-created_at"
    )


def policy_on_file(
    organisation: Organisation, kind: str, *, on: dt.date | None = None
) -> PolicyDocument | None:
    """The organisation's policy of this kind in force on a date (today by default): adopted
    by then and not past its review date. None when it has none, or only out-of-date ones.

    Screening asks this, for example, for a safeguarding policy when an application involves
    children or vulnerable adults.
    """
    on = on or timezone.localdate()
    return (
        PolicyDocument.objects.filter(organisation=organisation, kind=kind)
        .in_force(on)
        .order_by("-adopted_on", "-created_at")
        .first()
    )


def policy_statuses(
    organisation: Organisation,
    *,
    on: dt.date | None = None,
    policies: list[PolicyDocument] | None = None,
) -> list[PolicyStatus]:
    """One status for each expected kind (safeguarding, data protection, equality), then one
    for each other kind the organisation has on file. Pass `policies` already fetched (newest
    first) to avoid a query."""
    on = on or timezone.localdate()
    if policies is None:
        policies = list(
            PolicyDocument.objects.filter(organisation=organisation).order_by(
                "-adopted_on", "-created_at"
            )
        )
    by_kind: dict[str, list[PolicyDocument]] = {}
    for policy in policies:
        by_kind.setdefault(policy.kind, []).append(policy)
    kinds = list(PolicyDocument.EXPECTED_KINDS) + [
        kind
        for kind in PolicyDocument.Kind.values
        if kind not in PolicyDocument.EXPECTED_KINDS and kind in by_kind
    ]
    statuses = []
    for kind in kinds:
        label = str(PolicyDocument.Kind(kind).label)
        candidates = by_kind.get(kind, [])
        in_force = [p for p in candidates if p.adopted_on <= on <= p.review_due_on]
        if in_force:
            policy = in_force[0]
            soon = policy.review_due_on <= on + dt.timedelta(days=REVIEW_SOON_DAYS)
            state = PolicyStatus.DUE_SOON if soon else PolicyStatus.CURRENT
        elif candidates:
            policy, state = candidates[0], PolicyStatus.OVERDUE
        else:
            policy, state = None, PolicyStatus.MISSING
        statuses.append(PolicyStatus(kind=kind, label=label, state=state, policy=policy))
    return statuses


def documents_of(organisation: Organisation) -> QuerySet[OrganisationDocument]:
    return OrganisationDocument.objects.filter(organisation=organisation).order_by(
        "kind", "-period_end", "-created_at"
    )


def latest_accounts(organisation: Organisation) -> OrganisationDocument | None:
    """The annual accounts for the most recent period on file, for due diligence."""
    return (
        OrganisationDocument.objects.filter(
            organisation=organisation, kind=OrganisationDocument.Kind.ANNUAL_ACCOUNTS
        )
        .order_by("-period_end", "-created_at")
        .first()
    )


def admin_count(organisation: Organisation) -> int:
    return OrganisationMember.objects.filter(
        organisation=organisation, role=OrganisationMember.Role.ADMIN
    ).count()
