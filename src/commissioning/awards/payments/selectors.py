"""Reads of instalments and payment runs, for the award page, the finance pages, the
organisation's payments and the agreement's payment schedule section."""

from dataclasses import dataclass
from decimal import Decimal

from commissioning.awards.payments import rules
from commissioning.awards.payments.models import (
    Instalment,
    InstalmentStatus,
    PaymentRun,
    PaymentRunStatus,
)


@dataclass(frozen=True)
class ScheduleRow:
    label: str
    due_on: object
    amount: Decimal
    condition: str
    status: str = ""


def planned_schedule(award) -> list[rules.PlannedInstalment]:
    """The instalments the fund's schedule gives the award (whether or not planned yet)."""
    return rules.plan(award.amount, award.starts_on, award.ends_on, award.fund.payment_schedule)


def payment_schedule_rows(award) -> list[ScheduleRow]:
    """The payment schedule an agreement shows: label, due date, amount and the condition
    that releases each instalment. From the award's instalments where planned, else from its
    fund's schedule."""
    instalments = list(award.instalments.order_by("sequence"))
    if instalments:
        return [
            ScheduleRow(i.label, i.due_on, i.amount, i.condition_label, i.status)
            for i in instalments
        ]
    return [
        ScheduleRow(p.label, p.due_on, p.amount, p.condition_label) for p in planned_schedule(award)
    ]


def payment_schedule_summary(award) -> str:
    return rules.describe(award.fund.payment_schedule)


def award_instalments(award) -> list[Instalment]:
    """The award's instalments, each with `blocked` saying what a scheduled one waits for."""
    from commissioning.awards.payments.services import blocked_reason

    instalments = list(
        Instalment.objects.filter(award=award)
        .select_related("run", "approved_by", "proposed_by")
        .order_by("sequence")
    )
    for instalment in instalments:
        instalment.blocked = blocked_reason(instalment, award)
    return instalments


def finance_queue(office) -> dict[str, list[Instalment]]:
    """The office's instalments a finance officer acts on: releasable, approved (and whether
    already in a run) and withheld; one query."""
    rows = (
        Instalment.objects.filter(
            office=office,
            status__in=[
                InstalmentStatus.RELEASABLE,
                InstalmentStatus.APPROVED,
                InstalmentStatus.WITHHELD,
            ],
        )
        .select_related("award", "award__organisation", "run")
        .order_by("due_on", "award__reference", "sequence")[:500]
    )
    queue: dict[str, list[Instalment]] = {
        InstalmentStatus.RELEASABLE: [],
        InstalmentStatus.APPROVED: [],
        InstalmentStatus.WITHHELD: [],
    }
    for instalment in rows:
        queue[instalment.status].append(instalment)
    return queue


def blocked_count(office) -> int:
    return Instalment.objects.filter(office=office, status=InstalmentStatus.SCHEDULED).count()


def instalment_for_office(office, pk: int) -> Instalment | None:
    return (
        Instalment.objects.filter(office=office, pk=pk)
        .select_related("award", "award__organisation", "award__decision", "run", "approved_by")
        .prefetch_related("status_changes__actor")
        .first()
    )


def office_runs(office):
    return PaymentRun.objects.filter(office=office).select_related("created_by")[:200]


def run_for_office(office, reference: str) -> PaymentRun | None:
    return PaymentRun.objects.filter(office=office, reference=reference).first()


def run_instalments(run: PaymentRun):
    return run.instalments.select_related("award", "award__organisation", "bank_account").order_by(
        "award__reference", "sequence"
    )


def open_runs(office):
    return PaymentRun.objects.filter(office=office, status=PaymentRunStatus.OPEN)


def payments_received(organisation):
    """What the organisation has been paid, from every office, newest first."""
    return (
        Instalment.objects.filter(award__organisation=organisation, status=InstalmentStatus.PAID)
        .select_related("award", "award__office", "bank_account")
        .order_by("-paid_on", "-id")[:500]
    )
