from django.db.models import Prefetch, QuerySet

from commissioning.core.money import financial_year_of
from commissioning.offices.models import Budget, Fund, Office, Priority


def office_list() -> QuerySet[Office]:
    return Office.objects.order_by("name")


def current_plan_priorities(office: Office) -> list[Priority]:
    """The current plan's tree in display order (one query)."""
    return list(
        Priority.objects.current()
        .filter(plan__office=office, plan__is_current=True)
        .order_by("position")
    )


def funds_with_budget(office: Office, *, year: int) -> QuerySet[Fund]:
    """Current funds, each with `year_budgets` holding that year's budget and its top-slices."""
    return (
        Fund.objects.current()
        .filter(office=office)
        .prefetch_related(
            Prefetch(
                "budgets",
                queryset=Budget.objects.filter(financial_year=year).prefetch_related("top_slices"),
                to_attr="year_budgets",
            ),
            "funding_sources",
        )
        .order_by("-open_to_applications", "name")
    )


def this_financial_year(today) -> int:
    return financial_year_of(today)
