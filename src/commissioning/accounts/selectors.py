from dataclasses import dataclass, field

from django.utils import timezone

from commissioning.accounts.models import (
    SIGNATORY_ROLES,
    ApiToken,
    OfficeInvitation,
    OfficeMembership,
    Role,
)
from commissioning.core.models import Job
from commissioning.core.money import financial_year_label, financial_year_of
from commissioning.offices.models import Budget, Fund, Plan
from commissioning.offices.selectors import budgets_by_year


@dataclass
class OfficeHome:
    """What one office's staff member sees on the staff home, by their roles there."""

    office: object
    roles: list[str] = field(default_factory=list)
    role_names: list[str] = field(default_factory=list)
    funds: list = field(default_factory=list)
    budgets: list = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    plan: object = None
    budget_years: object = None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_signatory(self) -> bool:
        return bool(SIGNATORY_ROLES.intersection(self.roles))


def staff_home(user) -> list[OfficeHome]:
    """One section per office the user works in, built in a fixed number of queries."""
    memberships = (
        OfficeMembership.objects.active()
        .filter(user=user)
        .select_related("office", "office__policy")
        .order_by("office__name", "role")
    )
    homes: dict[int, OfficeHome] = {}
    for m in memberships:
        home = homes.setdefault(m.office_id, OfficeHome(office=m.office))
        home.roles.append(m.role)
        home.role_names.append(str(Role(m.role).label))
    if not homes:
        return []
    year = financial_year_of(timezone.localdate())
    for fund in Fund.objects.current().filter(office__in=homes.keys()).order_by("name"):
        homes[fund.office_id].funds.append(fund)
    budgets = (
        Budget.objects.filter(fund__office__in=homes.keys(), financial_year=year)
        .select_related("fund")
        .prefetch_related("top_slices")
        .order_by("fund__name")
    )
    for budget in budgets:
        homes[budget.fund.office_id].budgets.append(budget)
    for plan in Plan.objects.filter(office__in=homes.keys(), is_current=True):
        homes[plan.office_id].plan = plan
    for office_id, table in budgets_by_year(list(homes.keys())).items():
        homes[office_id].budget_years = table
    for home in homes.values():
        policy = getattr(home.office, "policy", None)
        home.assumptions = policy.assumptions if policy else []
        home.year_label = financial_year_label(year)
    return list(homes.values())


def api_tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def failed_jobs_for(user):
    """Background jobs that failed after all their attempts, in the offices the user administers;
    a system administrator sees every office's, and those that belong to no office."""
    jobs = Job.objects.filter(status=Job.Status.FAILED).select_related("office")
    if user.is_superuser:
        return jobs.order_by("-finished_at", "-id")
    offices = OfficeMembership.objects.active().filter(user=user, role=Role.OFFICE_ADMIN)
    return jobs.filter(office__in=offices.values("office")).order_by("-finished_at", "-id")


def office_staff(office):
    """Everyone holding an active role in the office, one row a role."""
    return (
        OfficeMembership.objects.active()
        .filter(office=office)
        .select_related("user")
        .order_by("user__full_name", "user__email", "role")
    )


def pending_office_invitations(office, *, now=None):
    now = now or timezone.now()
    return (
        OfficeInvitation.objects.filter(
            office=office, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now
        )
        .select_related("created_by")
        .order_by("-created_at")
    )
