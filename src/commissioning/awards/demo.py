"""Demo data for awards (seed_demo, after the decisions' step): the ledger of every office's
budgets, including the demo's forecast years, the award of any signed decision that has none
yet, and grant agreements in each state (agreements/demo.py). Running it again changes nothing."""

import logging

from django.db import transaction

from commissioning.awards.models import Award
from commissioning.awards.services import award_make, ledger_sync_office
from commissioning.awards.variations import demo as variations_demo
from commissioning.core.errors import DomainError
from commissioning.decisions.models import DecisionApplication, DecisionStatus
from commissioning.offices.models import Office

logger = logging.getLogger(__name__)


def seed(run) -> None:
    """This stage of the demo in every office."""
    from commissioning.awards.agreements import demo as agreements_demo
    from commissioning.awards.payments import demo as payments_demo

    for office in Office.objects.order_by("name"):
        ledger_sync_office(office=office)
        seed_office(office)
        variations_demo.seed_office(office)
        agreements_demo.seed_office(office)
        payments_demo.seed_office(office)
    payments_demo.seed_pending_changes()


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
