from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from commissioning.core.money import financial_year_label, financial_year_of
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


@dataclass
class BudgetYears:
    """An office's budgets side by side: one row per fund, one column per financial year."""

    years: list[int] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # (fund, [budget or None for each year])

    @property
    def labels(self) -> list[str]:
        return [financial_year_label(year) for year in self.years]


def budgets_by_year(office_ids) -> dict[int, BudgetYears]:
    """Every year's budget of each office's current funds, forecasts included: one query."""
    budgets = (
        Budget.objects.filter(fund__office__in=office_ids, fund__archived_at__isnull=True)
        .select_related("fund")
        .order_by("fund__name", "fund_id", "financial_year")
    )
    by_fund: dict[int, dict] = {}
    years: dict[int, set[int]] = {}
    for budget in budgets:
        fund = budget.fund
        by_fund.setdefault(fund.pk, {"fund": fund, "years": {}})["years"][budget.financial_year] = (
            budget
        )
        years.setdefault(fund.office_id, set()).add(budget.financial_year)
    tables: dict[int, BudgetYears] = {}
    for entry in by_fund.values():
        office_id = entry["fund"].office_id
        table = tables.setdefault(office_id, BudgetYears(years=sorted(years[office_id])))
        table.rows.append((entry["fund"], [entry["years"].get(y) for y in table.years]))
    return tables


def this_financial_year(today) -> int:
    return financial_year_of(today)
