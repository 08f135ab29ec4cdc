"""Staff pages of the reports: choose a kind and a year, download the PDF or the XLSX."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from commissioning.accounts.permissions import office_for_staff
from commissioning.core.money import financial_year_label
from commissioning.transparency.dashboards.selectors import dashboard_choices
from commissioning.transparency.reports.documents import report_pdf, report_xlsx
from commissioning.transparency.reports.selectors import KINDS, report_for

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def staff_index(request, office_slug):
    office = office_for_staff(request.user, office_slug)
    _funds, years = dashboard_choices(office)
    return render(
        request,
        "transparency/reports/index.html",
        {
            "office": office,
            "kinds": list(KINDS.items()),
            "years": [(y, financial_year_label(y)) for y in sorted(years, reverse=True)],
        },
    )


@login_required
def staff_download(request, office_slug, kind, year, fmt):
    office = office_for_staff(request.user, office_slug)
    if kind not in KINDS or fmt not in CONTENT_TYPES or not 2000 <= year <= 2099:
        raise Http404
    report = report_for(office, kind=kind, year=year)
    body = report_pdf(report) if fmt == "pdf" else report_xlsx(report)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.{fmt}"'
    return response
