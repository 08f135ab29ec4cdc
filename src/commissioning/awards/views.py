"""Staff pages: the awards list and award page, and the budget pages with their figures, chart
and CSV. Every page is for the office's staff; anything else is a 404."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissioning.accounts.permissions import office_for_staff
from commissioning.awards.bank.permissions import is_finance_officer
from commissioning.awards.claims.selectors import claim_summary
from commissioning.awards.forms import AwardFilterForm
from commissioning.awards.payments.selectors import award_instalments, payment_schedule_summary
from commissioning.awards.permissions import award_for_staff, is_award_reader
from commissioning.awards.selectors import (
    FIGURES,
    award_commitments,
    award_with_parts,
    balances_for,
    budget_entries,
    budget_rows,
    staff_award_page,
)
from commissioning.awards.variations.views import variations_section
from commissioning.core.money import financial_year_label, financial_year_of
from commissioning.core.spreadsheets import spreadsheet_text
from commissioning.offices.models import Budget, Fund

FIGURE_LABELS = {
    "allocated": gettext_lazy("Allocated"),
    "top_sliced": gettext_lazy("Top-sliced"),
    "available": gettext_lazy("Available to award"),
    "committed": gettext_lazy("Committed"),
    "released": gettext_lazy("Released"),
    "paid": gettext_lazy("Paid"),
    "outstanding": gettext_lazy("Committed, not yet paid"),
    "remaining": gettext_lazy("Remaining"),
}


def _office(user, office_slug):
    office = office_for_staff(user, office_slug)
    if not is_award_reader(user, office):
        raise Http404
    return office


@login_required
def staff_list(request, office_slug):
    office = _office(request.user, office_slug)
    funds = list(Fund.objects.filter(office=office).order_by("name"))
    years = sorted(
        set(Budget.objects.filter(fund__office=office).values_list("financial_year", flat=True))
    )
    form = AwardFilterForm(request.GET or None, funds=funds, years=years)
    page = None
    status = 200
    if not request.GET or form.is_valid():
        filters = form.cleaned_data if request.GET else {}
        page = staff_award_page(office, filters, filters.get("page") or 1)
    else:
        status = 400
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "awards/staff/list.html",
        {"office": office, "form": form, "page": page, "query": query.urlencode()},
        status=status,
    )


@login_required
def staff_detail(request, office_slug, reference):
    office = _office(request.user, office_slug)
    award = award_with_parts(award_for_staff(request.user, office, reference).pk)
    from commissioning.awards.agreements.views import staff_section

    return render(
        request,
        "awards/staff/detail.html",
        {
            **staff_section(request, office, award),
            "office": office,
            "award": award,
            "commitments": award_commitments(award),
            "entries": award.ledger_entries.all(),
            "changes": award.status_changes.all(),
            **variations_section(request.user, office, award),
            "claim_summary": claim_summary(award, include_drafts=False),
            "instalments": award_instalments(award),
            "schedule_summary": payment_schedule_summary(award),
            "is_finance": is_finance_officer(request.user, office),
        },
    )


def _figure_rows(balances) -> list[dict]:
    return [
        {
            "name": name,
            "label": FIGURE_LABELS[name],
            "values": [b.as_dict()[name] for b in balances],
        }
        for name in FIGURES
    ]


@login_required
def budget_index(request, office_slug):
    office = _office(request.user, office_slug)
    budgets = list(budget_rows(office))
    balances = balances_for(budgets)
    current = financial_year_of(timezone.localdate())
    return render(
        request,
        "awards/staff/budgets.html",
        {
            "office": office,
            "rows": [(b, balances[b.pk]) for b in budgets],
            "current_year": current,
        },
    )


def _budget(office, fund_code: str, year: int) -> tuple[Fund, Budget, list[Budget]]:
    fund = Fund.objects.filter(office=office, code=fund_code).first()
    if fund is None:
        raise Http404
    budgets = list(budget_rows(office, fund=fund))
    budget = next((b for b in budgets if b.financial_year == year), None)
    if budget is None:
        raise Http404
    return fund, budget, budgets


def _chart(balances) -> dict:
    """Bars of available, committed and paid for each year, scaled to the largest figure."""
    largest = max([max(b.available, b.net_committed, b.paid) for b in balances] or [0]) or 1
    width = 400
    rows = []
    for index, b in enumerate(balances):
        top = 30 + index * 90
        rows.append(
            {
                "label": b.year_label,
                "y": top,
                "bars": [
                    {
                        "name": name,
                        "label": label,
                        "value": value,
                        "y": top + 12 + offset * 22,
                        "width": max(int(width * max(value, 0) / largest), 1 if value else 0),
                    }
                    for offset, (name, label, value) in enumerate(
                        [
                            ("budget", _("Budget"), b.available),
                            ("committed", _("Committed"), b.net_committed),
                            ("paid", _("Paid"), b.paid),
                        ]
                    )
                ],
            }
        )
    return {"rows": rows, "height": 40 + 90 * len(balances), "width": width}


@login_required
def budget_detail(request, office_slug, fund_code, year):
    office = _office(request.user, office_slug)
    fund, budget, budgets = _budget(office, fund_code, year)
    balances = balances_for(budgets)
    ordered = [balances[b.pk] for b in budgets]
    return render(
        request,
        "awards/staff/budget.html",
        {
            "office": office,
            "fund": fund,
            "budget": budget,
            "balance": balances[budget.pk],
            "budgets": budgets,
            "figures": [(FIGURE_LABELS[n], v) for n, v in balances[budget.pk].as_dict().items()],
            "year_table": _figure_rows(ordered),
            "chart": _chart(ordered),
            "entries": budget_entries(budget),
        },
    )


@login_required
def budget_csv(request, office_slug, fund_code, year):
    office = _office(request.user, office_slug)
    fund, budget, budgets = _budget(office, fund_code, year)
    balances = balances_for(budgets)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{office.code}-{fund.code}-{financial_year_label(year).replace('/', '-')}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(["fund", "financial_year", "forecast", *FIGURES])
    for b in budgets:
        figures = balances[b.pk].as_dict()
        writer.writerow(
            [spreadsheet_text(fund.name), b.year_label, "yes" if b.is_forecast else "no"]
            + [f"{figures[n]:.2f}" for n in FIGURES]
        )
    return response
