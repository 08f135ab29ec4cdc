"""Demo data for awards: forecast budgets for the years demo projects run in, and the awards of
signed decisions. Called by seed_demo; running it again changes nothing."""

import logging

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commissioning.awards.models import Award
from commissioning.awards.services import award_make, ledger_sync_office
from commissioning.core.errors import DomainError
from commissioning.core.money import financial_year_of
from commissioning.decisions.models import DecisionApplication, DecisionStatus
from commissioning.offices.models import Budget, Fund

logger = logging.getLogger(__name__)

# Demo projects start next April and may run for up to three years.
YEARS_AHEAD = 3


def seed_budgets(office) -> None:
    """A forecast budget, at the latest year's allocation, for each of the next years a fund
    has none for, so that the demo's awards can be committed."""
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
        ledger_sync_office(office=office)


def seed_office(office) -> None:
    """The award of every approved line of a signed decision that has none yet (a database
    seeded before awards existed)."""
    links = (
        DecisionApplication.objects.filter(
            decision__office=office,
            decision__status__in=[DecisionStatus.SIGNED, DecisionStatus.PUBLISHED],
            outcome=DecisionApplication.Outcome.APPROVE,
        )
        .exclude(application__in=Award.objects.values("application"))
        .select_related("decision", "decision__office", "application", "application__fund")
    )
    for link in links:
        try:
            with transaction.atomic():
                award_make(
                    decision=link.decision,
                    link=link,
                    actor=None,
                    now=link.decision.signed_at,
                )
        except DomainError as exc:
            logger.warning("Demo award for %s not made: %s", link.application.reference, exc)
