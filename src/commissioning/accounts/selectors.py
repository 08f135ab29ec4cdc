from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from commissioning.accounts.models import SIGNATORY_ROLES, ApiToken, OfficeMembership, Role
from commissioning.core.models import Job
from commissioning.core.money import financial_year_label, financial_year_of
from commissioning.offices.models import Budget, Fund

# Links that higher apps add to each office's section of the staff home, registered in their
# AppConfig.ready(): (url name taking the office slug, label, roles that see it).
_staff_home_links: list[tuple[str, object, frozenset[str]]] = []


def register_staff_home_link(*, url_name: str, label, roles) -> None:
    entry = (url_name, label, frozenset(roles))
    if entry not in _staff_home_links:
        _staff_home_links.append(entry)


@dataclass
class OfficeHome:
    """What one office's staff member sees on the staff home, by their roles there."""

    office: object
    roles: list[str] = field(default_factory=list)
    role_names: list[str] = field(default_factory=list)
    funds: list = field(default_factory=list)
    budgets: list = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)

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
    for home in homes.values():
        policy = getattr(home.office, "policy", None)
        home.assumptions = policy.assumptions if policy else []
        home.year_label = financial_year_label(year)
        home.links = [
            (reverse(url_name, args=[home.office.slug]), str(label))
            for url_name, label, roles in _staff_home_links
            if roles.intersection(home.roles)
        ]
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
