"""Reads shared by the pages and the API, each a fixed number of queries."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone

from commissioning.applications.models import Application, Round, RoundStatus, Status


def open_rounds(office, *, now=None):
    now = now or timezone.now()
    return (
        Round.objects.filter(office=office, status=RoundStatus.PUBLISHED, opens_at__lte=now)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("fund")
        .order_by("closes_at", "title")
    )


def upcoming_rounds(office, *, now=None):
    now = now or timezone.now()
    return Round.objects.filter(
        office=office, status=RoundStatus.PUBLISHED, opens_at__gt=now
    ).select_related("fund")


def organisation_has_applied(organisation, office) -> bool:
    """Whether the organisation has submitted an application to the office (drafts do not
    count): then the office's staff may see its due diligence."""
    return (
        Application.objects.filter(office=office, organisation=organisation)
        .exclude(status=Status.DRAFT)
        .exists()
    )


def applications_of_user(user):
    return (
        Application.objects.filter(organisation__members__user=user)
        .select_related("office", "round", "organisation")
        .order_by("-updated_at")
    )


def applications_with_parts():
    """Applications with every part the answers pages and the PDF show."""
    return Application.objects.select_related(
        "office", "office__policy", "fund", "round", "organisation", "submitted_by"
    ).prefetch_related(
        "priorities",
        "areas",
        "outcomes",
        "outputs",
        "budget_lines",
        "match_funding",
        "endorsements",
        "attachments",
    )


def application_with_parts(pk: int) -> Application:
    return applications_with_parts().get(pk=pk)


@dataclass(frozen=True)
class ListFilters:
    round: str = ""
    status: str = ""
    fund: str = ""
    area: str = ""
    priority: str = ""
    screening: str = ""

    def active(self) -> bool:
        return any(vars(self).values())


class CheapCountPaginator(Paginator):
    """Counts with the filters only (no joins for display), so the count stays cheap."""

    def __init__(self, object_list, per_page, *, count_queryset, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count_queryset = count_queryset

    @property
    def count(self):
        if not hasattr(self, "_cached_count"):
            self._cached_count = self._count_queryset.count()
        return self._cached_count


def staff_application_page(office, filters: ListFilters, page_number, *, per_page: int = 25):
    """A page of the office's submitted applications: one query for the rows, one count."""
    queryset = Application.objects.filter(office=office).exclude(status=Status.DRAFT)
    if filters.round:
        queryset = queryset.filter(round__slug=filters.round)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.fund:
        queryset = queryset.filter(fund__code=filters.fund)
    if filters.screening:
        queryset = queryset.filter(screening_outcome=filters.screening)
    if filters.area:
        queryset = queryset.filter(
            pk__in=Application.areas.through.objects.filter(area_id=filters.area).values(
                "application_id"
            )
        )
    if filters.priority:
        queryset = queryset.filter(
            pk__in=Application.priorities.through.objects.filter(
                priority_id=filters.priority
            ).values("application_id")
        )
    rows = queryset.for_list().order_by("-submitted_at", "-id")
    paginator = CheapCountPaginator(rows, per_page, count_queryset=queryset.order_by())
    return paginator.get_page(page_number)
