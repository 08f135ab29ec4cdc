"""Reads for portfolio allocation: the panel's scored applications as bids, and its runs."""

from dataclasses import dataclass
from decimal import Decimal

from commissioning.applications.models import Application, Status
from commissioning.assessment import rules
from commissioning.assessment.models import AllocationRun, Panel
from commissioning.assessment.scoring.selectors import moderation


def allocation_runs_of(panel: Panel):
    return AllocationRun.objects.filter(panel=panel).select_related("created_by", "adopted_by")


@dataclass
class BidRow:
    bid: object  # allocation.Bid
    application: object
    status: str


class _Nobody:
    pk = None


def allocation_bids(panel: Panel) -> list[BidRow]:
    """The panel's scored applications as bids: those still being assessed for what they ask,
    those already recommended for the amount agreed. Each counts towards its first area and
    its first plan priority."""
    from django.utils.translation import gettext as _

    from commissioning.assessment.allocation.optimiser import Bid

    applications = list(
        Application.objects.filter(
            panel_entry__panel=panel, status__in=[Status.IN_ASSESSMENT, Status.RECOMMENDED]
        )
        .select_related("fund", "organisation")
        .prefetch_related("areas", "priorities")
        .order_by("reference")
    )
    assessment = panel.office.policy.assessment
    rows = []
    for moderated in moderation(panel, _Nobody(), applications):
        application = moderated.application
        if moderated.summary is None or moderated.summary.mean_total is None:
            continue
        agreed = moderated.agreed
        if application.status == Status.RECOMMENDED and agreed is not None:
            amount, floor = agreed.amount, None
        else:
            amount = application.amount_requested
            fraction = rules.partial_funding_min_fraction(application.fund.code, assessment)
            floor = (
                None
                if fraction is None
                else (amount * fraction).quantize(Decimal("0.01"), rounding="ROUND_CEILING")
            )
        if not amount:
            continue
        areas = sorted(a.name for a in application.areas.all())
        priorities = sorted((p.position, p.title) for p in application.priorities.all())
        rows.append(
            BidRow(
                bid=Bid(
                    key=application.reference,
                    amount=amount,
                    score=float(moderated.summary.mean_total),
                    area=areas[0] if areas else _("No area given"),
                    priority=priorities[0][1] if priorities else _("No priority given"),
                    min_amount=floor,
                ),
                application=application,
                status=application.status,
            )
        )
    return rows
