"""Read queries for the award pages, the budget pages and the API. Every balance is summed from
ledger entries in the database, in one grouped query for any number of budgets."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from commissioning.applications.selectors import CheapCountPaginator
from commissioning.awards.models import Award, AwardStatusChange, EntryKind, LedgerEntry
from commissioning.core.money import PENNY, financial_year_label
from commissioning.offices.models import Budget

ZERO = Decimal("0.00")


@dataclass
class Balance:
    """A budget's figures, each the sum of its entries of one kind."""

    allocation: Decimal = ZERO
    adjustment: Decimal = ZERO
    top_slice: Decimal = ZERO
    commitment: Decimal = ZERO
    release: Decimal = ZERO
    payment: Decimal = ZERO
    clawback: Decimal = ZERO
    budget: Budget | None = field(default=None, compare=False, repr=False)

    @property
    def allocated(self) -> Decimal:
        return self.allocation + self.adjustment

    @property
    def top_sliced(self) -> Decimal:
        return self.top_slice

    @property
    def available(self) -> Decimal:
        """What may be awarded at all: the allocation less what is set aside."""
        return self.allocated - self.top_sliced

    @property
    def committed(self) -> Decimal:
        return self.commitment

    @property
    def released(self) -> Decimal:
        return self.release

    @property
    def net_committed(self) -> Decimal:
        return self.commitment - self.release

    @property
    def paid(self) -> Decimal:
        return self.payment - self.clawback

    @property
    def outstanding(self) -> Decimal:
        """Committed and not yet paid (nor released)."""
        return self.net_committed - self.paid

    @property
    def remaining(self) -> Decimal:
        """What is left to commit."""
        return self.available - self.net_committed

    @property
    def year_label(self) -> str:
        return self.budget.year_label if self.budget else ""

    def as_dict(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in FIGURES}


# The figures every budget shows, in order.
FIGURES = (
    "allocated",
    "top_sliced",
    "available",
    "committed",
    "released",
    "paid",
    "outstanding",
    "remaining",
)


def balances_for(budgets) -> dict[int, Balance]:
    """Each budget's balance, by budget id: one query, whatever the number of budgets."""
    budgets = list(budgets)
    result = {b.pk: Balance(budget=b) for b in budgets}
    rows = (
        LedgerEntry.objects.filter(budget__in=[b.pk for b in budgets])
        .order_by()
        .values("budget_id", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        setattr(result[row["budget_id"]], row["kind"], Decimal(row["total"] or 0).quantize(PENNY))
    return result


def balance_of(budget: Budget) -> Balance:
    return balances_for([budget])[budget.pk]


def budget_rows(office, *, fund=None):
    queryset = Budget.objects.filter(fund__office=office).select_related("fund")
    if fund is not None:
        queryset = queryset.filter(fund=fund)
    return queryset.order_by("fund__name", "financial_year")


def staff_award_page(office, filters: dict, page_number, *, per_page: int = 25):
    """A page of the office's awards: one query for the rows, one for the count."""
    queryset = Award.objects.filter(office=office)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("fund"):
        queryset = queryset.filter(fund__code=filters["fund"])
    if filters.get("year") is not None:
        year = filters["year"]
        queryset = queryset.filter(first_year__lte=year, last_year__gte=year)
    if filters.get("q"):
        q = filters["q"]
        queryset = queryset.filter(Q(reference__icontains=q) | Q(organisation__name__icontains=q))
    rows = queryset.for_list().order_by("-made_at", "-id")
    paginator = CheapCountPaginator(rows, per_page, count_queryset=queryset.order_by())
    return paginator.get_page(page_number)


def award_with_parts(pk: int) -> Award:
    return (
        Award.objects.select_related(
            "office", "organisation", "fund", "application", "decision", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "ledger_entries",
                queryset=LedgerEntry.objects.select_related("budget", "actor").order_by("at", "id"),
            ),
            Prefetch(
                "status_changes",
                queryset=AwardStatusChange.objects.select_related("actor").order_by("at", "id"),
            ),
        )
        .get(pk=pk)
    )


def award_commitments(award: Award) -> list[tuple[int, str, Decimal]]:
    """What the award has committed to each financial year, from its prefetched entries."""
    by_year: dict[int, Decimal] = {}
    for entry in award.ledger_entries.all():
        sign = {EntryKind.COMMITMENT: 1, EntryKind.RELEASE: -1}.get(entry.kind, 0)
        if sign:
            year = entry.budget.financial_year
            by_year[year] = by_year.get(year, ZERO) + sign * entry.amount
    return [(y, financial_year_label(y), amount) for y, amount in sorted(by_year.items())]


def budget_entries(budget: Budget, *, limit: int = 100):
    return (
        LedgerEntry.objects.filter(budget=budget)
        .select_related("award", "actor")
        .order_by("-at", "-id")[:limit]
    )
