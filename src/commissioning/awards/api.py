"""Awards and budget ledger balances for the office's staff. A token of another office's staff
gets 404, as for a missing record; a member of the office whose role does not read awards (a
panel member) gets 403."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from commissioning.accounts.permissions import roles_in
from commissioning.awards.agreements.api import AgreementOut, agreement_out
from commissioning.awards.agreements.selectors import agreement_statuses, award_agreements
from commissioning.awards.models import AwardStatus
from commissioning.awards.permissions import award_for_staff, is_award_reader
from commissioning.awards.selectors import (
    award_commitments,
    award_with_parts,
    balances_for,
    budget_rows,
    staff_award_page,
)
from commissioning.awards.variations.selectors import award_variations
from commissioning.core.money import financial_year_label
from commissioning.core.validation import Text
from commissioning.offices.models import Fund, Office

router = Router(tags=["awards"])


class ErrorOut(Schema):
    detail: str


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
LIST_ERRORS = {400: ErrorOut, **ERRORS}


class AwardSummaryOut(Schema):
    reference: str
    agreement_status: str | None = Field(
        None,
        description="The current grant agreement's status (draft, sent, signed_by_provider, "
        "countersigned); none before one is drawn up",
    )
    organisation: str
    title: str
    fund: str
    amount: Decimal
    starts_on: dt.date
    ends_on: dt.date
    financial_years: list[str]
    status: str
    made_at: dt.datetime


class YearCommitmentOut(Schema):
    financial_year: int
    label: str
    committed: Decimal


class LedgerEntryOut(Schema):
    at: dt.datetime
    kind: str
    financial_year: str
    amount: Decimal
    reason: str
    by: str | None


class AwardOut(AwardSummaryOut):
    application: str
    decision: str
    addressed_to: str
    addressee_role: str
    commitments: list[YearCommitmentOut]
    ledger: list[LedgerEntryOut]
    agreement: AgreementOut | None = Field(
        None,
        description="The current version of the grant agreement: the open one, else the one "
        "in force",
    )


class BalanceOut(Schema):
    fund: str
    financial_year: int
    label: str
    forecast: bool
    allocated: Decimal
    top_sliced: Decimal
    available: Decimal
    committed: Decimal
    released: Decimal
    paid: Decimal
    outstanding: Decimal
    remaining: Decimal


class BalanceFilters(Schema):
    fund: Text(max_length=20) = Field("", description="A fund's code")
    year: int | None = Field(None, ge=1990, le=2200, description="2026 means 2026/27")


class AwardFilters(BalanceFilters):
    status: Literal[("", *AwardStatus.values)] = ""
    page: int = Field(1, ge=1, le=1_000_000)


def _office(user, slug: str) -> Office:
    office = Office.objects.filter(slug=slug).first()
    if office is None or not roles_in(user, office):
        raise Http404
    if not is_award_reader(user, office):
        raise HttpError(403, "Your role in this office does not give access to awards.")
    return office


def _summary(award) -> dict:
    return {
        "reference": award.reference,
        "organisation": award.organisation.name,
        "title": award.title,
        "fund": award.fund.code,
        "amount": award.amount,
        "starts_on": award.starts_on,
        "ends_on": award.ends_on,
        "financial_years": [financial_year_label(y) for y in award.years],
        "status": award.status,
        "made_at": award.made_at,
    }


@router.get(
    "/offices/{slug}/awards",
    response={200: list[AwardSummaryOut], **LIST_ERRORS},
    summary="The office's awards, newest first (staff)",
    description="Filter by `status`, fund `code` and financial `year` (2026 means 2026/27); "
    "25 a page. An unknown fund is a 400; a status that is not one of the list, or a year "
    "or page out of range, is a 422.",
)
def award_list(request, slug: str, filters: Query[AwardFilters]):
    office = _office(request.auth, slug)
    fund, page = filters.fund, filters.page
    if fund and not Fund.objects.filter(office=office, code=fund).exists():
        raise HttpError(400, f"The office has no fund '{fund}'.")
    rows = staff_award_page(
        office, {"status": filters.status, "fund": fund, "year": filters.year}, page
    )
    if page > rows.paginator.num_pages:
        return []
    awards = list(rows)
    statuses = agreement_statuses(a.pk for a in awards)
    return [
        AwardSummaryOut(**_summary(award), agreement_status=statuses.get(award.pk, (None, None))[1])
        for award in awards
    ]


@router.get(
    "/offices/{slug}/awards/{reference}",
    response={200: AwardOut, **ERRORS},
    summary="One award with its commitments by year and its ledger entries (staff)",
)
def award_detail(request, slug: str, reference: str):
    office = _office(request.auth, slug)
    award = award_with_parts(award_for_staff(request.auth, office, reference).pk)
    current = award_agreements(award).current
    return AwardOut(
        **_summary(award),
        agreement_status=current.status if current else None,
        agreement=agreement_out(current) if current else None,
        application=award.application.reference,
        decision=award.decision.number,
        addressed_to=award.contact_name,
        addressee_role=award.contact_role,
        commitments=[
            YearCommitmentOut(financial_year=year, label=label, committed=amount)
            for year, label, amount in award_commitments(award)
        ],
        ledger=[
            LedgerEntryOut(
                at=entry.at,
                kind=entry.kind,
                financial_year=entry.year_label,
                amount=entry.amount,
                reason=entry.reason,
                by=str(entry.actor) if entry.actor else None,
            )
            for entry in award.ledger_entries.all()
        ],
    )


@router.get(
    "/offices/{slug}/ledger/balances",
    response={200: list[BalanceOut], **ERRORS},
    summary="Every budget's figures, summed from the ledger (staff)",
    description="One row per fund and financial year, forecast years included. Filter by fund "
    "`code` and financial `year`.",
)
def ledger_balances(request, slug: str, filters: Query[BalanceFilters]):
    office = _office(request.auth, slug)
    fund, year = filters.fund, filters.year
    budgets = budget_rows(office)
    if fund:
        budgets = budgets.filter(fund__code=fund)
    if year is not None:
        budgets = budgets.filter(financial_year=year)
    budgets = list(budgets)
    balances = balances_for(budgets)
    return [
        BalanceOut(
            fund=b.fund.code,
            financial_year=b.financial_year,
            label=b.year_label,
            forecast=b.is_forecast,
            **balances[b.pk].as_dict(),
        )
        for b in budgets
    ]


class VariationOut(Schema):
    number: int
    status: str
    changes: list[str]
    reason: str
    amount_before: Decimal
    amount_after: Decimal
    starts_on_before: dt.date
    starts_on_after: dt.date
    ends_on_before: dt.date
    ends_on_after: dt.date
    outcomes_changed: bool
    needs_decision: bool
    decision: str | None
    proposed_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


@router.get(
    "/offices/{slug}/awards/{reference}/variations",
    response={200: list[VariationOut], **ERRORS},
    summary="An award's variations, oldest first, with the figures before and after (staff)",
    description="`status` is proposed, awaiting_decision (it takes the award over a sign-off "
    "threshold and waits for a signed decision record), approved or refused; `changes` names "
    "what it changes (Amount, Extension, Dates, Outcomes).",
)
def award_variation_list(request, slug: str, reference: str):
    office = _office(request.auth, slug)
    award = award_for_staff(request.auth, office, reference)
    return [
        VariationOut(
            number=v.number,
            status=v.status,
            changes=v.kinds,
            reason=v.reason,
            amount_before=v.amount_before,
            amount_after=v.amount_after,
            starts_on_before=v.starts_on_before,
            starts_on_after=v.starts_on_after,
            ends_on_before=v.ends_on_before,
            ends_on_after=v.ends_on_after,
            outcomes_changed=v.changes_outcomes,
            needs_decision=v.needs_decision,
            decision=v.decision.number if v.decision else None,
            proposed_at=v.created_at,
            decided_at=v.decided_at,
            decision_note=v.decision_note,
        )
        for v in award_variations(award)
    ]
