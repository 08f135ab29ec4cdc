"""Reads of pooled budgets: each pool's figures, the office's share as its ledger shows it."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Sum

from commissioning.awards.models import EntryKind, LedgerEntry
from commissioning.procurement.pooled.models import Contribution, PooledBudget

ZERO = Decimal("0.00")


@dataclass
class PoolFigures:
    office_share: Decimal = ZERO  # as contributed
    office_committed: Decimal = ZERO  # as the office's ledger shows it
    partners_share: Decimal = ZERO
    by_partner: dict[str, Decimal] = field(default_factory=dict)
    by_year: dict[int, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return self.office_share + self.partners_share


def pools_for_list(office):
    return PooledBudget.objects.filter(office=office).prefetch_related(
        Prefetch("contributions", queryset=Contribution.objects.select_related("fund"))
    )


def pool_figures(pools) -> dict[int, PoolFigures]:
    """Each pool's figures by id: two queries for any number of pools (their contributions
    prefetched, and one grouped sum of the ledger)."""
    pools = list(pools)
    figures = {pool.pk: PoolFigures() for pool in pools}
    owner: dict[int, int] = {}
    for pool in pools:
        f = figures[pool.pk]
        partners: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for c in pool.contributions.all():
            f.by_year[c.financial_year] = f.by_year.get(c.financial_year, ZERO) + c.amount
            if c.from_office:
                f.office_share += c.amount
                owner[c.pk] = pool.pk
            else:
                f.partners_share += c.amount
                partners[c.partner] += c.amount
        f.by_partner = dict(partners)
    if owner:
        rows = (
            LedgerEntry.objects.filter(
                cause_type=ContentType.objects.get_for_model(Contribution),
                cause_id__in=list(owner),
                kind__in=[EntryKind.COMMITMENT, EntryKind.RELEASE],
            )
            .order_by()
            .values("cause_id", "kind")
            .annotate(total=Sum("amount"))
        )
        for row in rows:
            sign = 1 if row["kind"] == EntryKind.COMMITMENT else -1
            figures[owner[row["cause_id"]]].office_committed += sign * row["total"]
    return figures
