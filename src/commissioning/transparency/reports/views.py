"""Staff pages of the reports: ask for a kind, a year and a format; the report is made in the
background and listed with how it is going, to download once it is ready."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commissioning.accounts.permissions import office_for_staff
from commissioning.core.errors import DomainError
from commissioning.transparency.dashboards.selectors import dashboard_choices
from commissioning.transparency.reports.forms import ReportRequestForm
from commissioning.transparency.reports.models import ReportFormat, ReportStatus
from commissioning.transparency.reports.selectors import (
    KINDS,
    report_request_for,
    report_requests_for,
)
from commissioning.transparency.reports.services import (
    report_request_create,
    report_request_retry,
)

CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def staff_index(request, office_slug):
    office = office_for_staff(request.user, office_slug)
    _funds, years = dashboard_choices(office)
    years = sorted(years, reverse=True)
    form = ReportRequestForm(request.POST or None, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            report_request_create(
                office=office,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                fmt=form.cleaned_data["format"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Your report is being made. It is listed below: refresh the list to see "
                    "when it is ready to download."
                ),
            )
            return redirect("reports:staff_index", office.slug)
    return render(
        request,
        "transparency/reports/index.html",
        {
            "office": office,
            "form": form,
            "kinds": list(KINDS.items()),
            "years": years,
            "requests": report_requests_for(office),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_POST
def staff_retry(request, office_slug, public_id):
    office = office_for_staff(request.user, office_slug)
    report = report_request_for(office, public_id)
    try:
        report_request_retry(report=report, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The report is being made again."))
    return redirect("reports:staff_index", office.slug)


@login_required
def staff_download(request, office_slug, public_id):
    office = office_for_staff(request.user, office_slug)
    report = report_request_for(office, public_id)
    if report.status != ReportStatus.READY or not report.file_path:
        raise Http404
    if not default_storage.exists(report.file_path):
        raise Http404
    return FileResponse(
        default_storage.open(report.file_path, "rb"),
        as_attachment=True,
        filename=report.filename,
        content_type=CONTENT_TYPES[report.format],
    )
