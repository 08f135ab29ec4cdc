"""The offices of the demo (seed_demo): every policy pack in packs/, when none is loaded yet,
and forecast budgets for the years the demo's projects run in."""

from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.core.money import financial_year_of
from commissioning.offices.models import Budget, Fund, Office

# Demo projects start next April and may run for up to three years.
YEARS_AHEAD = 3


def seed(run) -> None:
    if not Office.objects.exists():
        call_command("load_pack", all=True, verbosity=0)
    for office in Office.objects.order_by("name"):
        seed_forecast_budgets(office)


def seed_forecast_budgets(office) -> None:
    """A forecast budget, at the latest year's allocation, for each of the next years a fund
    has none for, so that the demo's awards can be committed; running it again adds nothing."""
    last_year = financial_year_of(timezone.localdate()) + YEARS_AHEAD
    with transaction.atomic():
        latest = {
            row["fund"]: row["year"]
            for row in Budget.objects.filter(fund__office=office)
            .values("fund")
            .annotate(year=Max("financial_year"))
        }
        for fund in Fund.objects.current().filter(office=office, pk__in=latest):
            source = Budget.objects.get(fund=fund, financial_year=latest[fund.pk])
            for year in range(latest[fund.pk] + 1, last_year + 1):
                Budget.objects.create(
                    fund=fund,
                    financial_year=year,
                    allocation=source.allocation,
                    is_forecast=True,
                    notes=_("Demo forecast: the same as %(year)s.") % {"year": source.year_label},
                )
