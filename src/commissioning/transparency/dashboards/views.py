"""The dashboards: a public one of each office (published awards only, small numbers
suppressed) and one for the office's staff. Every chart has its table and a CSV."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from commissioning.accounts.permissions import office_for_staff
from commissioning.offices.models import Office
from commissioning.transparency.dashboards.forms import DashboardFilterForm
from commissioning.transparency.dashboards.selectors import dashboard, dashboard_choices


def _public_office(slug: str) -> Office:
    return get_object_or_404(Office.objects.select_related("policy"), slug=slug)


def _form(request, office) -> DashboardFilterForm:
    funds, years = dashboard_choices(office)
    data = request.GET if ("fund" in request.GET or "year" in request.GET) else None
    return DashboardFilterForm(data, funds=funds, years=years)


def _page(request, office, *, public: bool):
    form = _form(request, office)
    filters = form.filters()
    board = dashboard(office, filters, public=public)
    query = urlencode(filters.as_query())
    return render(
        request,
        "transparency/dashboards/dashboard.html",
        {
            "office": office,
            "form": form,
            "board": board,
            "public": public,
            "query": f"?{query}" if query else "",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _csv(request, office, chart_slug: str, *, public: bool):
    form = _form(request, office)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "; ".join(e for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    board = dashboard(office, form.filters(), public=public)
    chart = board.charts.get(chart_slug)
    if chart is None:
        raise Http404
    response = HttpResponse(chart.csv(), content_type="text/csv; charset=utf-8")
    suffix = "-".join(form.filters().as_query().values())
    name = f"{office.slug}-{chart_slug}{'-' + suffix if suffix else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def public_dashboard(request, office_slug):
    return _page(request, _public_office(office_slug), public=True)


def public_chart_csv(request, office_slug, chart):
    return _csv(request, _public_office(office_slug), chart, public=True)


@login_required
def staff_dashboard(request, office_slug):
    return _page(request, office_for_staff(request.user, office_slug), public=False)


@login_required
def staff_chart_csv(request, office_slug, chart):
    return _csv(request, office_for_staff(request.user, office_slug), chart, public=False)
