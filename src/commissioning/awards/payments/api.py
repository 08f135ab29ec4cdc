"""Instalments of an award for the office's staff, and payment runs for its finance officers,
with the run's file for the finance system (CSV, docs/payment-file.md). A token of another
office's staff gets 404; a member of the office whose role does not allow it gets 403. No
answer holds a sort code or an account number except the payment file."""

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from commissioning.awards.api import _office
from commissioning.awards.bank.permissions import is_finance_officer
from commissioning.awards.payments.models import PaymentRunStatus
from commissioning.awards.payments.selectors import (
    award_instalments,
    office_runs,
    run_for_office,
    run_instalments,
)
from commissioning.awards.payments.services import payment_run_file
from commissioning.awards.permissions import award_for_staff

router = Router(tags=["payments"])


class InstalmentOut(Schema):
    number: int
    label: str
    schedule: str
    amount: Decimal
    due_on: dt.date
    condition: str
    released_when: str
    status: str
    waiting_for: str
    approved_at: dt.datetime | None
    payment_run: str | None
    paid_on: dt.date | None


class RunInstalmentOut(Schema):
    award: str
    number: int
    amount: Decimal
    payee: str
    account: str  # masked: the last four digits only


class PaymentRunOut(Schema):
    reference: str
    status: str
    total: Decimal
    created_at: dt.datetime
    paid_on: dt.date | None
    instalments: list[RunInstalmentOut]
    left_out: list[dict]


def _finance_office(user, slug: str):
    office = _office(user, slug)
    if not is_finance_officer(user, office):
        raise HttpError(403, "Only the office's finance officers see payment runs.")
    return office


@router.get(
    "/offices/{slug}/awards/{reference}/instalments",
    response={200: list[InstalmentOut]},
    summary="An award's instalments: amounts, due dates, conditions and status (staff)",
    openapi_extra={"x-errors": [403]},
)
def instalment_list(request, slug: str, reference: str):
    office = _office(request.auth, slug)
    award = award_for_staff(request.auth, office, reference)
    return [
        InstalmentOut(
            number=i.sequence,
            label=i.label,
            schedule=i.basis,
            amount=i.amount,
            due_on=i.due_on,
            condition=i.condition,
            released_when=i.condition_label,
            status=i.status,
            waiting_for=i.blocked,
            approved_at=i.approved_at,
            payment_run=i.run.reference if i.run else None,
            paid_on=i.paid_on,
        )
        for i in award_instalments(award)
    ]


def _run_out(run) -> PaymentRunOut:
    return PaymentRunOut(
        reference=run.reference,
        status=run.status,
        total=run.total,
        created_at=run.created_at,
        paid_on=run.paid_on,
        instalments=[
            RunInstalmentOut(
                award=i.award.reference,
                number=i.sequence,
                amount=i.amount,
                payee=i.award.organisation.name,
                account=i.bank_account.masked if i.bank_account else "",
            )
            for i in run_instalments(run)
        ],
        left_out=run.excluded,
    )


@router.get(
    "/offices/{slug}/payment-runs",
    response={200: list[PaymentRunOut]},
    summary="The office's payment runs, newest first (finance officers)",
    openapi_extra={"x-errors": [403]},
)
def payment_run_list(request, slug: str):
    office = _finance_office(request.auth, slug)
    return [_run_out(run) for run in office_runs(office)[:50]]


@router.get(
    "/offices/{slug}/payment-runs/{reference}/file",
    response={200: None},
    summary="A payment run's file for the finance system, as CSV (finance officers)",
    description="The columns are documented in docs/payment-file.md. The file holds the "
    "payees' full bank details; every download is recorded in the audit trail. A cancelled "
    "run has no file (404).",
    openapi_extra={
        "x-errors": [403],
        "responses": {
            200: {
                "description": "The CSV file",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        },
    },
)
def payment_run_export(request, slug: str, reference: str):
    office = _finance_office(request.auth, slug)
    run = run_for_office(office, reference)
    if run is None or run.status == PaymentRunStatus.CANCELLED:
        raise Http404
    response = HttpResponse(
        payment_run_file(run=run, actor=request.auth), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{run.reference}.csv"'
    response["Cache-Control"] = "no-store"
    return response
